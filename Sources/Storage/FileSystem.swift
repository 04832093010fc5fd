internal import DataModel
internal import Foundation
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Durable file-system operations over the C library.
enum FileSystem {
    static func failure(_ operation: String, reason: String) -> HengeError {
        HengeError(code: "deepStorageFailure", category: .runtimeFailure, persona: .operator,
                   message: "Deep storage could not \(operation): \(reason)")
    }

    private static func lastError() -> String {
        let code = errno
        return String(cString: strerror(code)) + " (errno \(code))"
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Opens `path`, fsyncs it and closes it.
    private static func sync(_ path: String, flags: Int32, what: String) throws(HengeError) {
        let fd = open(path, flags | O_CLOEXEC)
        guard fd >= 0 else { throw failure("open \(what) [\(path)]", reason: lastError()) }
        defer { _ = close(fd) }
        guard fsync(fd) == 0 else { throw failure("fsync \(what) [\(path)]", reason: lastError()) }
    }

    static func syncFile(_ path: String) throws(HengeError) {
        try sync(path, flags: O_RDONLY, what: "file")
    }

    /// Makes a directory's entries (creations, renames, removals) durable.
    static func syncDirectory(_ path: String) throws(HengeError) {
        try sync(path, flags: O_RDONLY | O_DIRECTORY, what: "directory")
    }

    /// `syncfs(2)` (Linux), looked up at run time: Glibc's module map does
    /// not declare it (it needs `_GNU_SOURCE`). Nil elsewhere.
    private static let syncfsFunction: (@convention(c) (Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "syncfs") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Int32).self)
    }()

    /// True when `syncFileSystem` can flush a whole filesystem at once.
    static var canSyncFileSystem: Bool { syncfsFunction != nil }

    /// Makes every file and directory change on the filesystem holding
    /// `path` durable with one `syncfs(2)`: cheaper than an fsync per file and
    /// per directory when a publish pushes hundreds of segments.
    static func syncFileSystem(_ path: String) throws(HengeError) {
        guard let syncfs = syncfsFunction else { throw failure("sync the filesystem of [\(path)]", reason: "syncfs is not available") }
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("open directory [\(path)]", reason: lastError()) }
        defer { _ = close(fd) }
        guard syncfs(fd) == 0 else { throw failure("syncfs [\(path)]", reason: lastError()) }
    }

    /// Creates `path` and any missing parents; unless `sync` is false (the
    /// caller syncs the filesystem later), the parent of every directory it
    /// creates is fsynced, so the new chain survives a crash.
    static func makeDirectories(_ path: String, sync: Bool = true) throws(HengeError) {
        var missing: [String] = []
        var current = path
        while !current.isEmpty, current != "/", !isDirectory(current) {
            missing.append(current)
            current = parent(of: current)
        }
        for directory in missing.reversed() {
            if mkdir(directory, 0o755) != 0 && errno != EEXIST {
                throw failure("create directory [\(directory)]", reason: lastError())
            }
            if sync { try syncDirectory(parent(of: directory)) }
        }
    }

    private static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The outcome of `linkWithoutReplacing`.
    enum LinkResult: Equatable {
        /// `target` now names the file and so does `source`.
        case linked
        /// `target` now names the file; `source` is gone (no hard links here).
        case moved
        /// The target exists; nothing changed.
        case exists
        /// Source and target are on different filesystems; nothing changed.
        case crossDevice
    }

    /// Atomically gives `source` the additional name `target`, never
    /// replacing an existing `target` (`link(2)` fails with EEXIST).
    static func linkWithoutReplacing(_ source: String, to target: String) throws(HengeError) -> LinkResult {
        if link(source, target) == 0 { return .linked }
        switch errno {
        case EEXIST: return .exists
        case EXDEV: return .crossDevice
        case EPERM, ENOTSUP, EMLINK:
            // A filesystem without hard links: check, then rename (racy only
            // against a concurrent push of the same segment, itself a bug).
            if access(target, F_OK) == 0 { return .exists }
            if systemRename(source, target) == 0 { return .moved }
            if errno == EXDEV { return .crossDevice }
            throw failure("move [\(source)] to [\(target)]", reason: lastError())
        default:
            throw failure("link [\(source)] to [\(target)]", reason: lastError())
        }
    }

    /// Removes a file; false when it did not exist.
    @discardableResult
    static func remove(_ path: String) throws(HengeError) -> Bool {
        if unlink(path) == 0 { return true }
        if errno == ENOENT { return false }
        throw failure("delete [\(path)]", reason: lastError())
    }

    /// Removes a directory if it is empty; false otherwise.
    static func removeEmptyDirectory(_ path: String) -> Bool {
        rmdir(path) == 0
    }

    /// Copies a file to `target` (replacing it) and fsyncs the copy (unless `sync` is false).
    static func copyAndSync(_ source: String, to target: String, sync: Bool = true) throws(HengeError) {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw failure("open [\(source)]", reason: lastError()) }
        defer { _ = close(input) }
        let output = open(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw failure("create [\(target)]", reason: lastError()) }
        defer { _ = close(output) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("read [\(source)]", reason: lastError())
            }
            if n == 0 { break }
            var written = 0
            while written < n {
                let m = buffer.withUnsafeBytes { write(output, $0.baseAddress! + written, n - written) }
                if m < 0 {
                    if errno == EINTR { continue }
                    throw failure("write [\(target)]", reason: lastError())
                }
                written += m
            }
        }
        if sync { guard fsync(output) == 0 else { throw failure("fsync [\(target)]", reason: lastError()) } }
    }
}

/// The C library's `rename` (shadowed inside `FileSystem` by its own method).
private func systemRename(_ source: String, _ target: String) -> Int32 {
    rename(source, target)
}
