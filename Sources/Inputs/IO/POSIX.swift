#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Thin wrappers over the C library calls the readers and the lister use,
/// so the rest of the module does not need platform conditionals.
enum POSIX {
    /// What a path names, from `stat` (which follows symbolic links).
    struct FileStatus {
        var isDirectory: Bool
        var isRegularFile: Bool
        var size: Int64
        var device: UInt64
        var inode: UInt64
        /// Last modification, nanoseconds since the epoch.
        var modified: Int64
    }

    /// `stat(path)`, or the `errno` text when it fails.
    static func status(_ path: String) -> Result<FileStatus, POSIXFailure> {
        var st = stat()
        guard stat(path, &st) == 0 else { return .failure(POSIXFailure.current()) }
        let kind = st.st_mode & S_IFMT
        #if canImport(Darwin)
        let modified = Int64(st.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(st.st_mtimespec.tv_nsec)
        #else
        let modified = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        #endif
        return .success(FileStatus(
            isDirectory: kind == S_IFDIR, isRegularFile: kind == S_IFREG, size: Int64(st.st_size),
            device: UInt64(st.st_dev), inode: UInt64(st.st_ino), modified: modified))
    }

    /// Opens `path` read-only; returns the descriptor.
    static func openForReading(_ path: String) -> Result<Int32, POSIXFailure> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        return fd >= 0 ? .success(fd) : .failure(POSIXFailure.current())
    }

    /// Reads up to `buffer.count` bytes, retrying on `EINTR`; 0 at end of file.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, POSIXFailure> {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return .success(0) }
        while true {
            #if canImport(Glibc)
            let n = Glibc.read(fd, base, buffer.count)
            #elseif canImport(Musl)
            let n = Musl.read(fd, base, buffer.count)
            #else
            let n = Darwin.read(fd, base, buffer.count)
            #endif
            if n >= 0 { return .success(n) }
            if errno == EINTR { continue }
            return .failure(POSIXFailure.current())
        }
    }

    /// Moves the file offset of `fd` to `offset` from the start.
    static func seek(_ fd: Int32, to offset: Int64) -> Result<Void, POSIXFailure> {
        lseek(fd, off_t(offset), SEEK_SET) >= 0 ? .success(()) : .failure(POSIXFailure.current())
    }

    static func close(_ fd: Int32) {
        #if canImport(Glibc)
        _ = Glibc.close(fd)
        #elseif canImport(Musl)
        _ = Musl.close(fd)
        #else
        _ = Darwin.close(fd)
        #endif
    }

    /// Names in a directory (without `.` and `..`), unsorted.
    static func directoryEntries(_ path: String) -> Result<[String], POSIXFailure> {
        guard let dir = opendir(path) else { return .failure(POSIXFailure.current()) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return .success(names)
    }

    /// `path` with every symbolic link, `.` and `..` resolved; nil when it
    /// does not exist.
    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    /// The value of an environment variable.
    static func environment(_ name: String) -> String? {
        guard let p = getenv(name) else { return nil }
        return String(cString: p)
    }

    /// The process's working directory.
    static func currentDirectory() -> String {
        guard let p = getcwd(nil, 0) else { return "/" }
        defer { free(p) }
        return String(cString: p)
    }
}

/// A failed C library call: its `errno` and the system's text for it.
struct POSIXFailure: Error {
    var code: Int32
    var text: String

    static func current() -> POSIXFailure {
        let code = errno
        return POSIXFailure(code: code, text: String(cString: strerror(code)))
    }
}
