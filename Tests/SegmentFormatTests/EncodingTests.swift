import DataModel
import HengeTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import SegmentFormat

struct EncodingTests {
    @Test(arguments: [0, 1, 2, 3, 7, 8, 9, 15, 31, 32, 33, 57, 63, 64])
    func bitPackingRoundTrip(width: Int) {
        var rng = SeededGenerator(seed: UInt64(width))
        let mask: UInt64 = width == 64 ? .max : (1 << UInt64(width)) - 1
        for count in [0, 1, 2, 63, 64, 65, 1000] {
            var values = (0..<count).map { _ in rng.next() & mask }
            if count > 0 { values[0] = mask }
            var sink = ByteSink()
            BitPacking.pack(count: count, width: width, into: &sink) { values[$0] }
            #expect(sink.count == BitPacking.byteCount(count: count, width: width))
            guard width > 0 else { continue }
            var out: [UInt64] = []
            sink.bytes.withUnsafeBytes { BitPacking.unpack($0, count: count, width: width, into: &out) { $0 } }
            #expect(out == values, "width \(width) count \(count)")
        }
    }

    @Test func widths() {
        #expect(BitPacking.width(forMax: 0) == 0)
        #expect(BitPacking.width(forMax: 1) == 1)
        #expect(BitPacking.width(forMax: 2) == 2)
        #expect(BitPacking.width(forMax: 255) == 8)
        #expect(BitPacking.width(forMax: 256) == 9)
        #expect(BitPacking.width(forMax: .max) == 64)
    }

    @Test func varintsAndZigzag() throws {
        let values: [Int64] = [0, -1, 1, -64, 63, 64, Int64.max, Int64.min, 1_700_000_000_000, -86_400_000]
        var sink = ByteSink()
        for v in values { sink.appendZigzag(v) }
        sink.appendVarint(.max)
        try sink.bytes.withUnsafeBytes { (buffer) throws in
            var cursor = ByteCursor(buffer)
            for v in values { #expect(try cursor.readZigzag() == v) }
            #expect(try cursor.readVarint() == .max)
            #expect(cursor.isAtEnd)
            #expect(throws: SegmentCorruption.self) { try cursor.readByte() }
        }
        #expect(Zigzag.encode(0) == 0 && Zigzag.encode(-1) == 1 && Zigzag.encode(1) == 2)
    }

    @Test func overlongVarintIsCorruption() {
        let bytes = [UInt8](repeating: 0xFF, count: 11)
        bytes.withUnsafeBytes { buffer in
            var cursor = ByteCursor(buffer)
            #expect(throws: SegmentCorruption.self) { try cursor.readVarint() }
        }
    }

    @Test func crc32MatchesZlib() {
        // The standard check value of CRC-32/ISO-HDLC.
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }
}

/// The CRC-32 of blocks and frames is zlib's value whichever library
/// computes it (ISA-L when it loads), for every length and alignment.
@Suite struct CRC32Tests {
    @Test func equalsZlibForEveryLengthAndOffset() {
        var rng = SeededGenerator(seed: 3)
        let bytes = (0..<70_000).map { _ in UInt8.random(in: 0...255, using: &rng) }
        for length in [0, 1, 2, 3, 7, 8, 15, 16, 31, 63, 64, 65, 255, 256, 1000, 4096, 65_536, 69_990] {
            for offset in [0, 1, 5] where offset + length <= bytes.count {
                let slice = Array(bytes[offset..<(offset + length)])
                #expect(CRC32.checksum(slice) == CRC32.zlibChecksum(slice), "length \(length) at \(offset)")
            }
        }
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)  // the standard check value
        // Where libisal is installed (the README's setup installs it), ISA-L is what was compared above.
        if let handle = dlopen("libisal.so.2", RTLD_NOW) {
            dlclose(handle)
            #expect(CRC32.usesISAL)
        }
    }
}

/// Dictionary bytes are accepted only when they are valid UTF-8.
@Suite struct UTF8CheckTests {
    @Test func acceptsValidAndRejectsInvalidUTF8() {
        for valid in ["", "a", "Zürich", "日本", "😀", "\u{FFFD}", "e\u{301}", "\u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}"] {
            #expect(Array(valid.utf8).withUnsafeBufferPointer(UTF8Check.isValid), "\(valid)")
        }
        let invalid: [[UInt8]] = [
            [0xFF], [0x61, 0x80], [0xE2, 0x82], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE0, 0x80, 0x80],
            [0xF4, 0x90, 0x80, 0x80], [0x61, 0xF0, 0x9F, 0x98], [0xC2, 0x41], [0xF5, 0x80, 0x80, 0x80],
        ]
        for bytes in invalid {
            #expect(!bytes.withUnsafeBufferPointer(UTF8Check.isValid), "\(bytes)")
            #expect(String(validating: bytes, as: UTF8.self) == nil)  // the standard library agrees
        }
    }

    /// Random byte strings (mostly ASCII with UTF-8 lead and continuation
    /// bytes mixed in, so the eight-byte ASCII path meets every boundary)
    /// are judged as the standard library judges them.
    @Test func agreesWithTheStandardLibraryOnRandomBytes() {
        var rng = SeededGenerator(seed: 0x07F8)
        let pool: [UInt8] = [0x41, 0x7A, 0x20, 0x7F, 0x80, 0xBF, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0xA0, 0x90, 0x8F]
        var invalidSeen = 0
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...24, using: &rng)
            var bytes: [UInt8] = []
            for _ in 0..<length {
                bytes.append(Int.random(in: 0..<4, using: &rng) == 0 ? pool.randomElement(using: &rng)! : UInt8.random(in: 0x20...0x7E, using: &rng))
            }
            let expected = String(validating: bytes, as: UTF8.self) != nil
            if !expected { invalidSeen += 1 }
            #expect(bytes.withUnsafeBufferPointer(UTF8Check.isValid) == expected, "\(bytes)")
        }
        #expect(invalidSeen > 1_000 && invalidSeen < 19_000)
    }
}
