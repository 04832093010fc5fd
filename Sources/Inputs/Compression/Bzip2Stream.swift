internal import CBzip2
internal import DataModel

/// Decompresses a `.bz2` byte source on the fly with the system libbz2.
///
/// Concatenated bzip2 streams (as `cat a.bz2 b.bz2` or pbzip2 make) are read
/// one after another, as Druid's `BZip2CompressorInputStream(in, true)`
/// does. Memory is the input block plus libbz2's state (under 4 MB for the
/// largest 900k block size), whatever the size of the output.
///
/// Corrupt, truncated or empty input, and bytes after a stream that do not
/// start another, are a `CannotParseExternalData` fault naming the file and
/// bzip2.
final class Bzip2Stream<Inner: ByteSource>: ByteSource {
    private var inner: Inner
    private let uri: String
    /// libbz2 keeps a pointer back to its stream, so it must not move.
    private let stream: UnsafeMutablePointer<bz_stream>
    private let input: UnsafeMutableRawBufferPointer
    private var innerAtEnd = false
    /// True while the decoder state exists (between init and end).
    private var decoderLive = false
    /// True between the first byte of a stream reaching libbz2 and its end.
    private var inStream = false
    /// Streams decoded to their end so far.
    private var streamsDone = 0
    private var sawInput = false
    private var finished = false

    /// Wraps `inner`; `uri` names the file in error messages.
    init(_ inner: Inner, uri: String, readSize: Int = 1 << 20) throws(HengeError) {
        self.inner = inner
        self.uri = uri
        self.input = .allocate(byteCount: max(readSize, 1), alignment: 16)
        self.stream = .allocate(capacity: 1)
        stream.initialize(to: bz_stream())
        do {
            try startDecoder()
        } catch {
            stream.deinitialize(count: 1)
            stream.deallocate()
            input.deallocate()
            throw error
        }
    }

    deinit {
        if decoderLive { BZ2_bzDecompressEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }

    var storageBytesRead: Int64 { inner.storageBytesRead }

    func read(into out: UnsafeMutableRawBufferPointer) throws(HengeError) -> Int {
        guard !finished, let outBase = out.baseAddress, out.count > 0 else { return 0 }
        let capacity = UInt32(clamping: out.count)
        stream.pointee.next_out = outBase.assumingMemoryBound(to: CChar.self)
        stream.pointee.avail_out = capacity
        while stream.pointee.avail_out > 0 {
            if stream.pointee.avail_in == 0 && !innerAtEnd {
                let n = try inner.read(into: input)
                if n == 0 {
                    innerAtEnd = true
                } else {
                    sawInput = true
                    stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: CChar.self)
                    stream.pointee.avail_in = UInt32(n)
                }
            }
            let atEnd = stream.pointee.avail_in == 0 && innerAtEnd
            if atEnd && !inStream {
                if !sawInput { throw failure(DecompressionText.empty(.bzip2)) }
                finished = true
                break
            }
            inStream = true
            let availIn = stream.pointee.avail_in
            let availOut = stream.pointee.avail_out
            let rc = BZ2_bzDecompress(stream)
            switch rc {
            case BZ_OK:
                // libbz2 stops when it needs input or has filled the output;
                // with neither possible the input ended inside a stream.
                let moved = stream.pointee.avail_in != availIn || stream.pointee.avail_out != availOut
                if !moved {
                    throw failure(atEnd ? DecompressionText.truncated : "corrupt compressed data (no progress)")
                }
            case BZ_STREAM_END:
                try endStream()
            case BZ_DATA_ERROR_MAGIC:
                throw failure(streamsDone == 0
                    ? "not bzip2 data (no \"BZh\" signature at the start)"
                    : "corrupt compressed data (bytes after bzip2 stream \(streamsDone) are not another bzip2 stream)")
            case BZ_DATA_ERROR:
                throw failure("corrupt compressed data (bzip2 data integrity error)")
            case BZ_MEM_ERROR:
                throw HengeError.fault("UnknownError", "Cannot decompress bzip2 file [\(uri)]: out of memory")
            default:
                throw failure("corrupt compressed data (bzip2 error \(rc))")
            }
        }
        return Int(capacity - stream.pointee.avail_out)
    }

    /// One stream is done; the rest of the input may hold another, read with
    /// a fresh decoder (libbz2 cannot reset one in place).
    private func endStream() throws(HengeError) {
        inStream = false
        streamsDone += 1
        let (nextIn, availIn) = (stream.pointee.next_in, stream.pointee.avail_in)
        let (nextOut, availOut) = (stream.pointee.next_out, stream.pointee.avail_out)
        BZ2_bzDecompressEnd(stream)
        decoderLive = false
        try startDecoder()
        stream.pointee.next_in = nextIn
        stream.pointee.avail_in = availIn
        stream.pointee.next_out = nextOut
        stream.pointee.avail_out = availOut
    }

    private func startDecoder() throws(HengeError) {
        let rc = BZ2_bzDecompressInit(stream, 0, 0)
        guard rc == BZ_OK else {
            throw HengeError.fault("UnknownError", "Cannot initialize bzip2 decompression for [\(uri)] (bzip2 error \(rc))")
        }
        decoderLive = true
    }

    private func failure(_ detail: String) -> HengeError {
        .cannotDecompress(.bzip2, uri: uri, detail)
    }
}
