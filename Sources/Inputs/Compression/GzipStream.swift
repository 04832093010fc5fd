internal import CIsal
internal import CZlib
internal import DataModel

/// Which inflater reads `.gz` inputs.
///
/// ISA-L's igzip (about 2.5× zlib's speed) when the library can be loaded
/// (`libisal2`; `scripts/bootstrap` installs it), else zlib.
package enum GzipInflater: String, Sendable {
    /// ISA-L where available, else zlib.
    case best
    /// Always zlib.
    case zlib

    /// Whether ISA-L's inflater is loaded.
    static var isalAvailable: Bool { henge_isal_available() != 0 }

    /// What reads gzip with `.best`, for logs and benchmarks: "ISA-L igzip
    /// (libisal.so.2)", or "zlib (...)" saying why ISA-L is not used.
    package static var description: String {
        isalAvailable ? String(cString: henge_isal_status())
            : "zlib (ISA-L not used: \(String(cString: henge_isal_status())))"
    }
}

/// Gunzips another byte source on the fly.
///
/// Handles concatenated gzip members (as `cat a.gz b.gz` makes). Gzip data
/// goes through ISA-L when it is available (`GzipInflater`); data that does
/// not start like gzip (zlib-wrapped data, or not compressed at all) goes
/// through zlib (`inflateInit2` with window bits 15+32 detects gzip or zlib),
/// whose messages the errors use either way. Corrupt, truncated or empty
/// input is a `CannotParseExternalData` fault naming the file and gzip.
final class GzipStream<Inner: ByteSource>: ByteSource {
    private var inner: Inner
    private let uri: String
    private let input: UnsafeMutableRawBufferPointer
    /// Unconsumed input: `input[inputStart ..< inputEnd]`.
    private var inputStart = 0
    private var inputEnd = 0
    private var innerAtEnd = false
    /// True between the first byte of a member reaching the inflater and its end.
    private var inMember = false
    private var finished = false
    private let preferred: GzipInflater
    private var engine: Engine = .undecided

    private enum Engine {
        case undecided
        case isal(OpaquePointer)
        /// zlib keeps a pointer back to its stream, so it must not move.
        case zlib(UnsafeMutablePointer<z_stream>)
    }

    /// Wraps `inner`; `uri` names the file in error messages.
    init(_ inner: Inner, uri: String, readSize: Int = 1 << 20, inflater: GzipInflater = .best) throws(HengeError) {
        self.inner = inner
        self.uri = uri
        self.input = .allocate(byteCount: readSize, alignment: 16)
        self.preferred = inflater
    }

    deinit {
        switch engine {
        case .undecided: break
        case .isal(let inflater): henge_isal_destroy(inflater)
        case .zlib(let stream):
            inflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        input.deallocate()
    }

    var storageBytesRead: Int64 { inner.storageBytesRead }

    /// Which inflater reads this stream (nil before the first read).
    var engineName: String? {
        switch engine {
        case .undecided: nil
        case .isal: "isal"
        case .zlib: "zlib"
        }
    }

    /// Makes input available; false at the end of the inner source.
    private func refill() throws(HengeError) -> Bool {
        if inputStart < inputEnd { return true }
        if innerAtEnd { return false }
        let n = try inner.read(into: input)
        if n == 0 {
            innerAtEnd = true
            return false
        }
        inputStart = 0
        inputEnd = n
        return true
    }

    func read(into out: UnsafeMutableRawBufferPointer) throws(HengeError) -> Int {
        guard !finished, out.baseAddress != nil, out.count > 0 else { return 0 }
        switch engine {
        case .isal(let inflater): return try readISAL(inflater, into: out)
        case .zlib(let stream): return try readZlib(stream, into: out)
        case .undecided:
            guard try refill() else { throw failure("the file is empty, not gzip data") }
            // ISA-L reads gzip only: anything else goes to zlib, which also
            // reads zlib-wrapped data and words the errors.
            let magic = inputEnd - inputStart >= 2 && input[inputStart] == 0x1F && input[inputStart + 1] == 0x8B
            if magic, preferred == .best, let inflater = henge_isal_create() {
                engine = .isal(inflater)
            } else {
                engine = .zlib(try Self.zlibStream(uri: uri))
            }
            return try read(into: out)
        }
    }

    /// A zlib stream that reads gzip or zlib-wrapped data.
    private static func zlibStream(uri: String) throws(HengeError) -> UnsafeMutablePointer<z_stream> {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let rc = inflateInit2_(stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw HengeError.fault("UnknownError", "Cannot initialize gzip decompression for [\(uri)] (zlib error \(rc))")
        }
        return stream
    }

    private func readISAL(_ inflater: OpaquePointer, into out: UnsafeMutableRawBufferPointer) throws(HengeError) -> Int {
        let outBase = out.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var produced = 0
        while produced < out.count {
            guard try refill() else {
                if inMember { throw failure(DecompressionText.truncated) }
                finished = true
                break
            }
            if !inMember {
                // Another member; bytes that do not start like gzip go to zlib,
                // as they would have without ISA-L (same data, same errors).
                let available = inputEnd - inputStart
                if input[inputStart] != 0x1F || (available >= 2 && input[inputStart + 1] != 0x8B) {
                    let stream = try Self.zlibStream(uri: uri)
                    henge_isal_destroy(inflater)
                    engine = .zlib(stream)
                    return try produced + readZlib(stream, into: UnsafeMutableRawBufferPointer(rebasing: out[produced...]))
                }
                inMember = true
                henge_isal_reset(inflater)
            }
            var consumed = 0
            var made = 0
            var memberDone: Int32 = 0
            let rc = henge_isal_inflate(
                inflater, input.baseAddress!.assumingMemoryBound(to: UInt8.self) + inputStart, inputEnd - inputStart,
                &consumed, outBase + produced, out.count - produced, &made, &memberDone)
            inputStart += consumed
            produced += made
            guard rc == 0 else { throw failure("corrupt compressed data (\(Self.isalErrorText(rc)))") }
            if memberDone != 0 {
                inMember = false
            } else if consumed == 0 && made == 0 {
                // Input and room, yet no progress: never expected; fail rather than spin.
                throw failure("corrupt compressed data (no progress)")
            }
        }
        return produced
    }

    /// ISA-L's error codes in zlib's words.
    private static func isalErrorText(_ rc: Int32) -> String {
        switch rc {
        case -1: "invalid block type"
        case -2: "invalid code"
        case -3: "invalid distance too far back"
        case -4: "incorrect header check"
        case -5: "unknown compression method"
        case -6: "incorrect data check"
        case 6: "need dictionary"
        default: "ISA-L error \(rc)"
        }
    }

    private func readZlib(_ stream: UnsafeMutablePointer<z_stream>, into out: UnsafeMutableRawBufferPointer) throws(HengeError) -> Int {
        let capacity = UInt32(clamping: out.count)
        stream.pointee.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = capacity
        while stream.pointee.avail_out > 0 {
            guard try refill() else {
                if inMember { throw failure(DecompressionText.truncated) }
                finished = true
                break
            }
            inMember = true
            let availIn = UInt32(clamping: inputEnd - inputStart)
            stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self) + inputStart
            stream.pointee.avail_in = availIn
            let availOut = stream.pointee.avail_out
            let rc = inflate(stream, Z_NO_FLUSH)
            inputStart += Int(availIn - stream.pointee.avail_in)
            switch rc {
            case Z_OK:
                continue
            case Z_STREAM_END:
                // One member done; another may follow in the remaining input.
                inMember = false
                guard inflateReset(stream) == Z_OK else { throw failure("cannot reset zlib stream") }
            case Z_BUF_ERROR:
                // No progress although zlib had both input and room.
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
