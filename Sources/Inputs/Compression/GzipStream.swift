internal import CZlib
internal import DataModel

/// Gunzips another byte source on the fly with zlib.
///
/// Handles concatenated gzip members (as `cat a.gz b.gz` makes) and also
/// zlib-wrapped data (`inflateInit2` with window bits 15+32 detects either).
/// Corrupt, truncated or empty input is a `CannotParseExternalData` fault
/// naming the file and gzip.
final class GzipStream<Inner: ByteSource>: ByteSource {
    private var inner: Inner
    private let uri: String
    /// zlib keeps a pointer back to its stream, so it must not move.
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableRawBufferPointer
    private var innerAtEnd = false
    /// True between the first byte of a member reaching zlib and its end.
    private var inMember = false
    private var sawMember = false
    private var finished = false

    /// Wraps `inner`; `uri` names the file in error messages.
    init(_ inner: Inner, uri: String, readSize: Int = 1 << 20) throws(HengeError) {
        self.inner = inner
        self.uri = uri
        self.input = .allocate(byteCount: readSize, alignment: 16)
        self.stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let rc = inflateInit2_(stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            input.deallocate()
            throw HengeError.fault("UnknownError", "Cannot initialize gzip decompression for [\(uri)] (zlib error \(rc))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }

    var storageBytesRead: Int64 { inner.storageBytesRead }

    func read(into out: UnsafeMutableRawBufferPointer) throws(HengeError) -> Int {
        guard !finished, let outBase = out.baseAddress, out.count > 0 else { return 0 }
        let capacity = UInt32(clamping: out.count)
        stream.pointee.next_out = outBase.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = capacity
        while stream.pointee.avail_out > 0 {
            if stream.pointee.avail_in == 0 && !innerAtEnd {
                let n = try inner.read(into: input)
                if n == 0 {
                    innerAtEnd = true
                } else {
                    stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.pointee.avail_in = UInt32(n)
                }
            }
            if stream.pointee.avail_in == 0 && innerAtEnd {
                if inMember { throw failure("unexpected end of compressed data (truncated file)") }
                if !sawMember { throw failure("the file is empty, not gzip data") }
                finished = true
                break
            }
            inMember = true
            sawMember = true
            let availIn = stream.pointee.avail_in
            let availOut = stream.pointee.avail_out
            let rc = inflate(stream, Z_NO_FLUSH)
            switch rc {
            case Z_OK:
                continue
            case Z_STREAM_END:
                // One member done; another may follow in the remaining input.
                inMember = false
                guard inflateReset(stream) == Z_OK else { throw failure("cannot reset zlib stream") }
            case Z_BUF_ERROR:
                // No progress: more input is needed (the loop reads it), unless
                // zlib had both input and room and still could not move.
                if availIn > 0 && availOut > 0 && stream.pointee.avail_in == availIn {
                    throw failure("corrupt compressed data")
                }
            default:
                let detail = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(rc)"
                throw failure("corrupt compressed data (\(detail))")
            }
        }
        return Int(capacity - stream.pointee.avail_out)
    }

    private func failure(_ detail: String) -> HengeError {
        HengeError.fault("CannotParseExternalData", "Cannot decompress gzip file [\(uri)]: \(detail)")
    }
}
