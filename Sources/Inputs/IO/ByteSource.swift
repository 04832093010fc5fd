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
    private(set) var storageBytesRead: Int64 = 0

    /// Opens `path`; throws `UnknownError` naming it when that fails.
    init(path: String) throws(HengeError) {
        switch POSIX.openForReading(path) {
        case .success(let fd): self.fd = fd
        case .failure(let f): throw HengeError.fault("UnknownError", "Cannot read input file [\(path)]: \(f.text)")
        }
        self.path = path
    }

    deinit { POSIX.close(fd) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(HengeError) -> Int {
        switch POSIX.read(fd, into: buffer) {
        case .success(let n):
            storageBytesRead += Int64(n)
            return n
        case .failure(let f):
            throw HengeError.fault("UnknownError", "Cannot read input file [\(path)]: \(f.text)")
        }
    }
}
