#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A whole file mapped read-only into memory; unmapped when released.
///
/// The mapping is never written through, so sharing it across threads is
/// safe. Segment files are immutable once published; truncating one while it
/// is mapped would fault the process (SIGBUS), as with any mmap reader.
final class MappedFile: @unchecked Sendable {
    private let base: UnsafeMutableRawPointer?
    let count: Int

    /// Maps the file at `path`; the error text is the C library's reason.
    init(path: String) throws(FileIOError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileIOError("cannot open: \(POSIX.lastError())") }
        defer { _ = POSIX.systemClose(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileIOError("cannot stat: \(POSIX.lastError())") }
        count = Int(info.st_size)
        if count == 0 {
            base = nil
            return
        }
        let mapped = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let mapped, mapped != UnsafeMutableRawPointer(bitPattern: -1) else {
            throw FileIOError("cannot mmap: \(POSIX.lastError())")
        }
        base = mapped
    }

    deinit {
        if let base { _ = munmap(base, count) }
    }

    /// The mapped bytes; valid as long as this object is alive.
    var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base, count: count)
    }
}
