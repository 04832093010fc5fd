#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

extension InputFile {
    /// Whether this local file holds no `"` byte at all, so that every CSV
    /// record is one line and the file may be cut at line boundaries.
    ///
    /// The whole file is scanned with `memchr` in 1 MiB blocks, stopping at
    /// the first quote. The answer is remembered per path, size, inode and
    /// modification time, since the controller and every worker ask about
    /// the same file. False for anything that is not a readable local file.
    var hasNoQuoteCharacter: Bool {
        guard let path, case .success(let status) = POSIX.status(path), status.isRegularFile else { return false }
        let key = QuoteScan.Key(path: path, size: status.size, inode: status.inode, modified: status.modified)
        if let known = QuoteScan.answers.withLock({ $0[key] }) { return known }
        let answer = QuoteScan.scan(path)
        QuoteScan.answers.withLock { answers in
            if answers.count >= QuoteScan.maxAnswers { answers.removeAll() }
            answers[key] = answer
        }
        return answer
    }
}

/// The quote scans done so far, shared by every reader in the process.
enum QuoteScan {
    struct Key: Hashable {
        var path: String
        var size: Int64
        var inode: UInt64
        var modified: Int64
    }

    /// Answers kept before the memory is cleared (each is a few dozen bytes).
    static let maxAnswers = 4096
    static let answers = LockedValue<[Key: Bool]>([:])

    /// True when `path` reads to its end without a `"` byte.
    static func scan(_ path: String) -> Bool {
        guard let source = try? FileByteSource(path: path) else { return false }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            guard let n = try? source.read(into: buffer) else { return false }
            if n == 0 { return true }
            if memchr(buffer.baseAddress!, 0x22, n) != nil { return false }
        }
    }
}

/// A value behind a `pthread` mutex (Inputs uses no Foundation).
final class LockedValue<Value>: @unchecked Sendable {
    private var value: Value
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<R>(_ body: (inout Value) -> R) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body(&value)
    }
}
