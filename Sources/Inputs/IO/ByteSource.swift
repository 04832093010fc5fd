internal import DataModel

/// A forward-only stream of bytes read in chunks: a file, inline data, or a
/// decompressor wrapped around either.
protocol ByteSource {
    /// Fills the front of `buffer` with the next bytes and returns how many;
    /// returns 0 only at the end of the input.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(HengeError) -> Int

    /// Bytes taken from storage so far (for a decompressor: compressed bytes).
    var storageBytesRead: Int64 { get }
}

/// Bytes already in memory (inline input data).
struct MemoryByteSource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var storageBytesRead: Int64 { Int64(offset) }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(HengeError) -> Int {
        let n = min(buffer.count, bytes.count - offset)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { src in
            buffer.baseAddress!.copyMemory(from: src.baseAddress! + offset, byteCount: n)
        }
        offset += n
        return n
    }
}

/// A local file read with `read(2)`; the descriptor is closed on deinit.
final class FileByteSource: ByteSource {
    private let fd: Int32
    private let path: String
    /// Bytes returned by `read` so far.
    private var bytesRead: Int64 = 0
    /// Bytes read before the counted part starts (a byte-range source
    /// reads one byte before its range), and the most counted.
    private let uncounted: Int64
    private let countLimit: Int64

    /// Bytes read, without the byte before a range and at most the range's length.
    var storageBytesRead: Int64 { min(max(0, bytesRead - uncounted), countLimit) }

    /// Opens `path`; throws `UnknownError` naming it when that fails.
    /// With `offset`, reading starts there; the bytes counted start at
    /// `countFrom` and stop after `countLimit`.
    init(path: String, offset: Int64 = 0, countFrom: Int64 = 0, countLimit: Int64 = .max) throws(HengeError) {
        let fd: Int32
        switch POSIX.openForReading(path) {
        case .success(let opened): fd = opened
        case .failure(let f): throw HengeError.fault("UnknownError", "Cannot read input file [\(path)]: \(f.text)")
        }
        if offset > 0, case .failure(let f) = POSIX.seek(fd, to: offset) {
            POSIX.close(fd)
            throw HengeError.fault("UnknownError", "Cannot read input file [\(path)]: \(f.text)")
        }
        self.fd = fd
        self.path = path
        self.uncounted = countFrom - offset
        self.countLimit = countLimit
    }

    deinit { POSIX.close(fd) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(HengeError) -> Int {
        switch POSIX.read(fd, into: buffer) {
        case .success(let n):
            bytesRead += Int64(n)
            return n
        case .failure(let f):
            throw HengeError.fault("UnknownError", "Cannot read input file [\(path)]: \(f.text)")
        }
    }
}
