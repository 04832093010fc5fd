#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Thin helpers over the C library for file I/O (named so that methods
/// called `write` or `close` elsewhere do not shadow them).
enum POSIX {
    /// `strerror` text for the current `errno`.
    static func lastError() -> String {
        let code = errno
        return String(cString: strerror(code)) + " (errno \(code))"
    }

    static func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
        write(fd, buffer, count)
    }

    static func systemClose(_ fd: Int32) -> Int32 {
        close(fd)
    }

    /// Removes a file, ignoring errors (used to clean up after a failure).
    static func removeFile(_ path: String) {
        _ = unlink(path)
    }
}
