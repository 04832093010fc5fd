#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A file created for writing, written sequentially, then fsync'ed and closed.
///
/// Errors carry the C library's reason; the caller adds the path.
final class FileOutput {
    private var fd: Int32
    /// Bytes written so far (the offset of the next write).
    private(set) var offset = 0

    /// Creates or truncates the file at `path` (mode 0644).
    init(creating path: String) throws(FileIOError) {
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileIOError("cannot create file: \(POSIX.lastError())") }
    }

    deinit {
        if fd >= 0 { _ = POSIX.systemClose(fd) }
    }

    func write(_ bytes: [UInt8]) throws(FileIOError) {
        let result: FileIOError? = bytes.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let n = POSIX.systemWrite(fd, buffer.baseAddress!.advanced(by: done), buffer.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    return FileIOError("write failed: \(POSIX.lastError())")
                }
                done += n
            }
            return nil
        }
        if let result { throw result }
        offset += bytes.count
    }

    /// Closes the file without forcing it to stable storage (temporary files
    /// that a crash makes worthless anyway: spilled sort runs).
    func close() throws(FileIOError) {
        let status = POSIX.systemClose(fd)
        fd = -1
        guard status == 0 else { throw FileIOError("close failed: \(POSIX.lastError())") }
    }

    /// Writes raw bytes (see `write(_:)`).
    func write(_ buffer: UnsafeRawBufferPointer) throws(FileIOError) {
        var done = 0
        while done < buffer.count {
            let n = POSIX.systemWrite(fd, buffer.baseAddress!.advanced(by: done), buffer.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileIOError("write failed: \(POSIX.lastError())")
            }
            done += n
        }
        offset += buffer.count
    }

    /// Flushes the file's data and metadata to stable storage, then closes it.
    func syncAndClose() throws(FileIOError) {
        try close(sync: true)
    }

    /// Closes the file, first flushing it to stable storage when `sync` is true.
    func close(sync: Bool) throws(FileIOError) {
        if sync { guard fsync(fd) == 0 else { throw FileIOError("fsync failed: \(POSIX.lastError())") } }
        let status = POSIX.systemClose(fd)
        fd = -1
        guard status == 0 else { throw FileIOError("close failed: \(POSIX.lastError())") }
    }
}

/// A failed write, fsync or close, with the C library's reason.
struct FileIOError: Error {
    var reason: String

    init(_ reason: String) {
        self.reason = reason
    }
}
