internal import CZlib
internal import DataModel

/// Reads the first entry of a `.zip` archive as a stream, as Druid's
/// `CompressionUtils.decompress` does with `ZipInputStream.getNextEntry()`:
/// the rest of the archive is not read.
///
/// The entry's local file header is parsed from the front of the file (no
/// seeking, so the central directory is never needed); the data is inflated
/// as raw deflate (method 8) or copied (stored, method 0), and checked
/// against the CRC-32 of the header or of the data descriptor that follows
/// the data when flag bit 3 is set. ZIP64 sizes are understood. An archive
/// with no entries (only the end-of-central-directory record) reads as
/// empty, as in Druid. An entry with another method, an encrypted entry, a
/// file that is not a zip archive, a truncated or corrupt one are a
/// `CannotParseExternalData` fault naming the file and zip.
final class ZipStream<Inner: ByteSource>: ByteSource {
    private enum State {
        case header
        case stored(remaining: UInt64)
        case deflated
        case done
    }

    private var inner: Inner
    private let uri: String
    private let input: UnsafeMutableRawBufferPointer
    /// Unread input is `input[inPos..<inEnd]`.
    private var inPos = 0
    private var inEnd = 0
    private var innerAtEnd = false
    private var state = State.header
    /// The raw inflater, created for a deflated entry.
    private var zstream: UnsafeMutablePointer<z_stream>?

    private var entryName = ""
    private var headerCRC: UInt32 = 0
    private var hasDataDescriptor = false
    private var crc: UInt = 0

    /// Wraps `inner`; `uri` names the file in error messages.
    init(_ inner: Inner, uri: String, readSize: Int = 1 << 20) {
        self.inner = inner
        self.uri = uri
        self.input = .allocate(byteCount: max(readSize, 1), alignment: 16)
    }

    deinit {
        if let zstream {
            inflateEnd(zstream)
            zstream.deinitialize(count: 1)
            zstream.deallocate()
        }
        input.deallocate()
    }

    var storageBytesRead: Int64 { inner.storageBytesRead }

    func read(into out: UnsafeMutableRawBufferPointer) throws(HengeError) -> Int {
        guard out.count > 0 else { return 0 }
        while true {
            switch state {
            case .header:
                try readLocalHeader()
            case .stored(let remaining):
                if remaining == 0 {
                    try finishEntry()
                    continue
                }
                if inPos == inEnd {
                    try refill()
                    if inPos == inEnd { throw failure(DecompressionText.truncated) }
                }
                let n = Int(min(UInt64(min(out.count, inEnd - inPos)), remaining))
                out.baseAddress!.copyMemory(from: input.baseAddress! + inPos, byteCount: n)
                inPos += n
                state = .stored(remaining: remaining - UInt64(n))
                updateCRC(UnsafeRawBufferPointer(rebasing: out[..<n]))
                return n
            case .deflated:
                let n = try inflateSome(into: out)
                if n > 0 { return n }
            case .done:
                return 0
            }
        }
    }

    // MARK: Header and trailer

    private static var localHeaderSignature: UInt32 { 0x0403_4B50 }
    private static var endOfCentralDirectorySignature: UInt32 { 0x0605_4B50 }
    private static var dataDescriptorSignature: UInt32 { 0x0807_4B50 }

    /// Parses the first local file header and sets up reading its data.
    private func readLocalHeader() throws(HengeError) {
        try refill()
        if inPos == inEnd { throw failure(DecompressionText.empty(.zip)) }
        guard let signature = try? take(4) else { throw failure("not a zip archive (no local file header at the start)") }
        let sig = Self.le32(signature, 0)
        if sig == Self.endOfCentralDirectorySignature {
            state = .done  // an archive with no entries
            return
        }
        guard sig == Self.localHeaderSignature else {
            throw failure("not a zip archive (no local file header at the start)")
        }
        let h = try take(26)
        let flags = Self.le16(h, 2)
        let method = Self.le16(h, 4)
        headerCRC = Self.le32(h, 10)
        var compressedSize = UInt64(Self.le32(h, 14))
        var uncompressedSize = UInt64(Self.le32(h, 18))
        let nameLength = Int(Self.le16(h, 22))
        let extraLength = Int(Self.le16(h, 24))
        entryName = String(decoding: try take(nameLength), as: UTF8.self)
        let extra = try take(extraLength)
        // ZIP64: the sizes that are 0xFFFFFFFF in the header follow in the
        // extra field with id 1, uncompressed first.
        var at = 0
        while at + 4 <= extra.count {
            let id = Self.le16(extra, at)
            let size = Int(Self.le16(extra, at + 2))
            let body = at + 4
            if id == 1 {
                var field = body
                if uncompressedSize == 0xFFFF_FFFF && field + 8 <= min(extra.count, body + size) {
                    uncompressedSize = Self.le64(extra, field)
                    field += 8
                }
                if compressedSize == 0xFFFF_FFFF && field + 8 <= min(extra.count, body + size) {
                    compressedSize = Self.le64(extra, field)
                }
            }
            at = body + size
        }
        hasDataDescriptor = flags & 0x0008 != 0
        if flags & 0x0001 != 0 || flags & 0x0040 != 0 || method == 99 {
            throw failure("the first entry [\(entryName)] is encrypted, which is not supported")
        }
        switch method {
        case 0:
            if hasDataDescriptor && compressedSize == 0 && uncompressedSize == 0 {
                throw failure("the first entry [\(entryName)] is stored with its size only in a data descriptor after the data,"
                    + " which cannot be read as a stream")
            }
            guard compressedSize == uncompressedSize else {
                throw failure("corrupt zip header (stored entry [\(entryName)] has compressed size \(compressedSize)"
                    + " and uncompressed size \(uncompressedSize))")
            }
            state = .stored(remaining: compressedSize)
        case 8:
            try startInflater()
            state = .deflated
        default:
            throw failure("the first entry [\(entryName)] uses compression method \(method)\(Self.methodName(method)),"
                + " which is not supported (only stored and deflate entries are)")
        }
        crc = CZlib.crc32(0, nil, 0)
    }

    /// After the entry's data: checks the CRC-32 (from the data descriptor
    /// when there is one) and ends the stream.
    private func finishEntry() throws(HengeError) {
        var expected = headerCRC
        if hasDataDescriptor {
            let first = Self.le32(try take(4), 0)
            expected = first == Self.dataDescriptorSignature ? Self.le32(try take(4), 0) : first
        }
        if UInt32(truncatingIfNeeded: crc) != expected {
            throw failure("corrupt compressed data (CRC-32 mismatch in entry [\(entryName)])")
        }
        state = .done
    }

    private static func methodName(_ method: UInt16) -> String {
        switch method {
        case 1: " (shrink)"
        case 6: " (implode)"
        case 9: " (deflate64)"
        case 12: " (bzip2)"
        case 14: " (lzma)"
        case 93: " (zstd)"
        case 95: " (xz)"
        case 98: " (ppmd)"
        default: ""
        }
    }

    // MARK: Deflate

    private func startInflater() throws(HengeError) {
        let z = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        z.initialize(to: z_stream())
        let rc = inflateInit2_(z, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else {
            z.deinitialize(count: 1)
            z.deallocate()
            throw HengeError.fault("UnknownError", "Cannot initialize zip decompression for [\(uri)] (zlib error \(rc))")
        }
        zstream = z
    }

    /// Inflates into `out` until it is full or the entry's data ends;
    /// returns the bytes produced (0 only once the entry is finished).
    private func inflateSome(into out: UnsafeMutableRawBufferPointer) throws(HengeError) -> Int {
        let z = zstream!
        let capacity = UInt32(clamping: out.count)
        z.pointee.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
        z.pointee.avail_out = capacity
        while z.pointee.avail_out > 0 {
            if inPos == inEnd {
                try refill()
                if inPos == inEnd { throw failure(DecompressionText.truncated) }
            }
            let availIn = UInt32(clamping: inEnd - inPos)
            z.pointee.next_in = (input.baseAddress! + inPos).assumingMemoryBound(to: Bytef.self)
            z.pointee.avail_in = availIn
            let availOut = z.pointee.avail_out
            let rc = inflate(z, Z_NO_FLUSH)
            inPos += Int(availIn - z.pointee.avail_in)
            switch rc {
            case Z_OK:
                continue
            case Z_STREAM_END:
                let n = Int(capacity - z.pointee.avail_out)
                updateCRC(UnsafeRawBufferPointer(rebasing: out[..<n]))
                try finishEntry()
                return n
            case Z_BUF_ERROR:
                if z.pointee.avail_in == availIn && z.pointee.avail_out == availOut {
                    throw failure("corrupt compressed data")
                }
            default:
                let detail = z.pointee.msg.map { String(cString: $0) } ?? "zlib error \(rc)"
                throw failure("corrupt compressed data (\(detail))")
            }
        }
        let n = Int(capacity)
        updateCRC(UnsafeRawBufferPointer(rebasing: out[..<n]))
        return n
    }

    // MARK: Input

    /// Reads the next block when all buffered input is used; leaves
    /// `inPos == inEnd` at the end of the file.
    private func refill() throws(HengeError) {
        guard inPos == inEnd, !innerAtEnd else { return }
        let n = try inner.read(into: input)
        inPos = 0
        inEnd = n
        if n == 0 { innerAtEnd = true }
    }

    /// The next `count` bytes, or a truncation failure.
    private func take(_ count: Int) throws(HengeError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        while bytes.count < count {
            if inPos == inEnd {
                try refill()
                if inPos == inEnd { throw failure(DecompressionText.truncated) }
            }
            let n = min(count - bytes.count, inEnd - inPos)
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[inPos..<(inPos + n)]))
            inPos += n
        }
        return bytes
    }

    private func updateCRC(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        crc = CZlib.crc32(crc, base.assumingMemoryBound(to: Bytef.self), uInt(bytes.count))
    }

    private static func le16(_ b: [UInt8], _ at: Int) -> UInt16 {
        UInt16(b[at]) | UInt16(b[at + 1]) << 8
    }

    private static func le32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(le16(b, at)) | UInt32(le16(b, at + 2)) << 16
    }

    private static func le64(_ b: [UInt8], _ at: Int) -> UInt64 {
        UInt64(le32(b, at)) | UInt64(le32(b, at + 4)) << 32
    }

    private func failure(_ detail: String) -> HengeError {
        .cannotDecompress(.zip, uri: uri, detail)
    }
}
