internal import DataModel

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Splits a byte stream into physical lines, reading it in blocks.
///
/// Lines end at `\n`; the `\n` is not part of the line, a preceding `\r` is
/// (parsers treat it as they need). The last line need not end in `\n`.
/// Only the unfinished tail of the current block is kept between reads, so
/// memory stays around two blocks plus the longest line; a line longer than
/// `maxLineBytes` (say, a decompression bomb of zeros) fails with
/// `RowTooLarge` instead of growing the buffer without end.
final class LineSplitter<Source: ByteSource> {
    private(set) var source: Source
    private let readSize: Int
    private let maxLineBytes: Int
    /// Names the input in the `RowTooLarge` message.
    private let uri: String
    private var buffer: UnsafeMutableRawBufferPointer
    /// Start of the first unreturned byte.
    private var lo = 0
    /// End of valid data.
    private var hi = 0
    /// Where to resume looking for `\n` (bytes in lo..<scanFrom have none).
    private var scanFrom = 0
    private var atEnd = false
    /// Source offset of `buffer[0]`.
    private var bufferOffset = 0
    /// 1-based number of the line last returned by `next()`.
    private(set) var lineNumber = 0
    /// Drop the first line, up to and including its `\n` (a byte range that
    /// starts after the file's start begins one byte early for this).
    var skipFirstLine = false
    /// No line starting at this source offset or later is returned.
    var stopOffset = Int.max
    /// Lines starting before this source offset are counted but not
    /// returned (a byte range whose start falls inside a CSV header).
    var skipLinesBefore = 0
    /// Turns line numbers into numbers in the whole file (a byte range), for
    /// the `RowTooLarge` message.
    var position: RowPosition?
    /// The source offset just past the line last returned (and its `\n`).
    var offsetAfterLine: Int { bufferOffset + lo }

    init(source: Source, readSize: Int = 1 << 20, maxLineBytes: Int = LineLimits.defaultMaxLineBytes, uri: String = "") {
        precondition(readSize > 0, "LineSplitter: readSize must be positive")
        self.source = source
        self.readSize = readSize
        self.maxLineBytes = maxLineBytes
        self.uri = uri
        self.buffer = .allocate(byteCount: 2 * readSize, alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// The next line, or nil at the end of the input.
    ///
    /// The returned bytes stay valid only until the next call.
    func next() throws(HengeError) -> UnsafeBufferPointer<UInt8>? {
        while true {
            if bufferOffset + lo >= stopOffset { return nil }
            let base = buffer.baseAddress!
            if scanFrom < hi, let nl = memchr(base + scanFrom, 0x0A, hi - scanFrom) {
                let end = UnsafeRawPointer(nl) - UnsafeRawPointer(base)
                let line = UnsafeBufferPointer(start: (base + lo).assumingMemoryBound(to: UInt8.self), count: end - lo)
                let start = bufferOffset + lo
                lo = end + 1
                scanFrom = lo
                if skipFirstLine {
                    skipFirstLine = false
                    continue
                }
                lineNumber += 1
                if start < skipLinesBefore { continue }
                return line
            }
            scanFrom = hi
            if atEnd {
                guard lo < hi, !skipFirstLine else { return nil }
                let line = UnsafeBufferPointer(start: (base + lo).assumingMemoryBound(to: UInt8.self), count: hi - lo)
                let start = bufferOffset + lo
                lo = hi
                lineNumber += 1
                if start < skipLinesBefore { return nil }
                return line
            }
            try fill()
        }
    }

    /// Moves the unfinished line to the front, grows the buffer if it cannot
    /// take another block, and reads one block.
    private func fill() throws(HengeError) {
        let base = buffer.baseAddress!
        if lo > 0 {
            if hi > lo { memmove(base, base + lo, hi - lo) }
            bufferOffset += lo
            hi -= lo
            scanFrom -= lo
            lo = 0
        }
        if hi > maxLineBytes {
            throw HengeError.fault(
                "RowTooLarge",
                "Encountered row that cannot fit in a single frame: line \(position?.absoluteLine(lineNumber + 1) ?? lineNumber + 1) of [\(uri)]"
                    + " is longer than \(maxLineBytes) bytes")
        }
        if buffer.count - hi < readSize {
            let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: max(2 * buffer.count, hi + readSize), alignment: 16)
            bigger.baseAddress!.copyMemory(from: base, byteCount: hi)
            buffer.deallocate()
            buffer = bigger
        }
        let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[hi..<(hi + readSize)]))
        if n == 0 { atEnd = true } else { hi += n }
    }
}

/// Limits on physical lines.
enum LineLimits {
    /// The longest line `ExternalReader` accepts: far above any row that
    /// fits in a frame (Druid's `maxFrameSize` is 1 MB), low enough that a
    /// newline-free input cannot take unbounded memory.
    static let defaultMaxLineBytes = 64 << 20
}
