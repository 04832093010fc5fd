internal import CLzma
internal import DataModel

/// Decompresses a `.xz` byte source on the fly with the system liblzma.
///
/// Concatenated xz streams and the stream padding between them are read as
/// one, as Druid's `XZCompressorInputStream(in, true)` does. The decoder may
/// use at most `memoryLimit` bytes (the LZMA2 dictionary dominates: 64 MiB
/// for `xz -9`); a file that needs more fails clearly instead of taking the
/// memory. Corrupt, truncated or empty input is a `CannotParseExternalData`
/// fault naming the file and xz.
final class XzStream<Inner: ByteSource>: ByteSource {
    /// The decoder's memory limit: room for any `xz` preset (at most 65 MiB)
    /// and dictionaries up to about 250 MiB.
    static var memoryLimit: UInt64 { 256 << 20 }

    private var inner: Inner
    private let uri: String
    /// liblzma keeps a pointer back to its stream, so it must not move.
    private let stream: UnsafeMutablePointer<lzma_stream>
    private let input: UnsafeMutableRawBufferPointer
    private var innerAtEnd = false
    private var sawInput = false
    private var producedOutput = false
    private var finished = false

    /// Wraps `inner`; `uri` names the file in error messages.
    init(_ inner: Inner, uri: String, readSize: Int = 1 << 20) throws(HengeError) {
        self.inner = inner
        self.uri = uri
        self.input = .allocate(byteCount: max(readSize, 1), alignment: 16)
        self.stream = .allocate(capacity: 1)
        stream.initialize(to: lzma_stream())
        // LZMA_CONCATENATED (0x08; a macro Swift does not import).
        let rc = lzma_stream_decoder(stream, Self.memoryLimit, 0x08)
        guard rc == LZMA_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            input.deallocate()
            throw HengeError.fault("UnknownError", "Cannot initialize xz decompression for [\(uri)] (liblzma error \(rc.rawValue))")
        }
    }

    deinit {
        lzma_end(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }

    var storageBytesRead: Int64 { inner.storageBytesRead }

    func read(into out: UnsafeMutableRawBufferPointer) throws(HengeError) -> Int {
        guard !finished, let outBase = out.baseAddress, out.count > 0 else { return 0 }
        stream.pointee.next_out = outBase.assumingMemoryBound(to: UInt8.self)
        stream.pointee.avail_out = out.count
        while stream.pointee.avail_out > 0 {
            if stream.pointee.avail_in == 0 && !innerAtEnd {
                let n = try inner.read(into: input)
                if n == 0 {
                    innerAtEnd = true
                } else {
                    sawInput = true
                    stream.pointee.next_in = UnsafePointer(input.baseAddress!.assumingMemoryBound(to: UInt8.self))
                    stream.pointee.avail_in = n
                }
            }
            if innerAtEnd && !sawInput { throw failure(DecompressionText.empty(.xz)) }
            // With concatenated streams liblzma learns that the input is over
            // only from LZMA_FINISH.
            let action = stream.pointee.avail_in == 0 && innerAtEnd ? LZMA_FINISH : LZMA_RUN
            let availOut = stream.pointee.avail_out
            let rc = lzma_code(stream, action)
            if stream.pointee.avail_out != availOut { producedOutput = true }
            switch rc {
            case LZMA_OK:
                continue
            case LZMA_STREAM_END:
                finished = true
                return out.count - stream.pointee.avail_out
            case LZMA_BUF_ERROR:
                // No progress possible: only when the input ended mid-stream.
                throw failure(DecompressionText.truncated)
            case LZMA_FORMAT_ERROR:
                throw failure(producedOutput
                    ? "corrupt compressed data (bytes after an xz stream are not another xz stream)"
                    : "not xz data (no xz stream header at the start)")
            case LZMA_DATA_ERROR:
                throw failure("corrupt compressed data (xz data integrity error)")
            case LZMA_OPTIONS_ERROR:
                throw failure("unsupported xz options (a filter or setting liblzma does not support)")
            case LZMA_MEMLIMIT_ERROR:
                throw failure("the file needs more than \(Self.memoryLimit >> 20) MiB of memory to decompress (xz dictionary too large)")
            case LZMA_MEM_ERROR:
                throw HengeError.fault("UnknownError", "Cannot decompress xz file [\(uri)]: out of memory")
            default:
                throw failure("corrupt compressed data (liblzma error \(rc.rawValue))")
            }
        }
        return out.count
    }

    private func failure(_ detail: String) -> HengeError {
        .cannotDecompress(.xz, uri: uri, detail)
    }
}
