#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A file opened for positioned reads (`pread`) into caller-owned buffers.
///
/// Unlike `MappedFile`, pages read through it do not stay mapped into the
/// process, so streaming a large run file does not grow resident memory.
final class FileInput {
    private var fd: Int32

    init(path: String) throws(FileIOError) {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileIOError("cannot open: \(POSIX.lastError())") }
        #if canImport(Glibc)
        _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
        #endif
    }

    deinit {
        if fd >= 0 { _ = POSIX.systemClose(fd) }
    }

    /// Reads exactly `count` bytes at `offset` into `buffer` (resized to
    /// `count`); fails on a short file.
    func read(at offset: Int64, count: Int, into buffer: inout [UInt8]) throws(FileIOError) {
        if buffer.count != count {
            if buffer.count > count { buffer.removeLast(buffer.count - count) } else {
                buffer.append(contentsOf: repeatElement(0, count: count - buffer.count))
            }
        }
        let failure: FileIOError? = buffer.withUnsafeMutableBytes { raw in
            var done = 0
            while done < count {
                let n = pread(fd, raw.baseAddress!.advanced(by: done), count - done, off_t(offset) + off_t(done))
                if n < 0 {
                    if errno == EINTR { continue }
                    return FileIOError("read failed: \(POSIX.lastError())")
                }
                if n == 0 { return FileIOError("unexpected end of file at offset \(offset + Int64(done))") }
                done += n
            }
            return nil
        }
        if let failure { throw failure }
    }
}
