import DataModel
import Foundation
import Testing
@testable import Inputs

/// The command-line compressors the tests make their inputs with
/// (`scripts/bootstrap` installs them).
enum Codec: String, CaseIterable, CustomTestStringConvertible {
    case gzip, bzip2, xz, zstd, zip

    var testDescription: String { rawValue }

    var fileExtension: String {
        switch self {
        case .gzip: ".gz"
        case .bzip2: ".bz2"
        case .xz: ".xz"
        case .zstd: ".zst"
        case .zip: ".zip"
        }
    }

    var compression: InputCompression {
        switch self {
        case .gzip: .gzip
        case .bzip2: .bzip2
        case .xz: .xz
        case .zstd: .zstd
        case .zip: .zip
        }
    }

    /// The command (run by /bin/sh in the directory) compressing `name`
    /// into `name + fileExtension`, keeping `name`.
    func command(_ name: String) -> String {
        switch self {
        case .gzip: "gzip -k -f -n '\(name)'"
        case .bzip2: "bzip2 -k -f '\(name)'"
        case .xz: "xz -k -f '\(name)'"
        case .zstd: "zstd -q -f '\(name)' -o '\(name).zst'"
        case .zip: "rm -f '\(name).zip' && zip -q -X '\(name).zip' '\(name)'"
        }
    }
}

extension TempDirectory {
    /// Runs `command` with /bin/sh in this directory; throws on failure.
    func shell(_ command: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = URL(fileURLWithPath: path)
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestFailure("command failed: \(command)") }
    }

    /// Compresses `name` with `codec`; returns the compressed file's name.
    @discardableResult
    func compress(_ name: String, _ codec: Codec) throws -> String {
        try shell(codec.command(name))
        return name + codec.fileExtension
    }
}

/// A byte source that records how much its consumer has taken.
final class CountingSource<Inner: ByteSource>: ByteSource {
    var inner: Inner
    private(set) var reads = 0
    init(_ inner: Inner) { self.inner = inner }
    var storageBytesRead: Int64 { inner.storageBytesRead }
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(HengeError) -> Int {
        reads += 1
        return try inner.read(into: buffer)
    }
}

/// Wraps `source` in the decompressor for `compression`, as ExternalReader does.
func decompressor<S: ByteSource>(_ compression: InputCompression, _ source: S, readSize: Int) throws -> any ByteSource {
    switch compression {
    case .gzip: try GzipStream(source, uri: "test", readSize: readSize)
    case .bzip2: try Bzip2Stream(source, uri: "test", readSize: readSize)
    case .xz: try XzStream(source, uri: "test", readSize: readSize)
    case .zstd: try ZstdStream(source, uri: "test", readSize: readSize)
    case .zip: ZipStream(source, uri: "test", readSize: readSize)
    default: throw TestFailure("no decompressor for \(compression)")
    }
}

struct CompressionReaderTests {
    let sig = signature(("n", .long), ("t", .string))

    func jsonLines(_ range: Range<Int>) -> String {
        range.map { #"{"n":\#($0),"t":"row \#($0)"}"# }.joined(separator: "\n") + "\n"
    }

    func expectedRows(_ range: Range<Int>) -> [[ScalarValue]] {
        range.map { [l(Int64($0)), s("row \($0)")] }
    }

    // MARK: Reading

    @Test(arguments: Codec.allCases)
    func readsJSONLinesAndCountsCompressedBytes(_ codec: Codec) throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("data.json", jsonLines(0..<5000))
        let name = try dir.compress("data.json", codec)
        let file = try dir.file(name)
        #expect(file.compression == codec.compression)
        #expect(file.size < (try dir.file("data.json").size))
        let result = try readAll(ExternalReader(format: .json(), signature: sig), file)
        #expect(result.rows == expectedRows(0..<5000))
        #expect(result.batchSizes == [4096, 904])
        #expect(result.counters == InputCounters(rows: 5000, bytes: file.size, files: 1))
    }

    @Test(arguments: Codec.allCases)
    func readsCSV(_ codec: Codec) throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let body = (0..<1000).map { "\"row \($0)\",\($0)" }.joined(separator: "\r\n")
        try dir.write("data.csv", "t,n\r\n\"a,b\",-1\r\n\"multi\nline\",-2\r\n" + body + "\r\n")
        let name = try dir.compress("data.csv", codec)
        let spec = InputFormatSpec.csv(CSVFormatSpec(columns: nil, findColumnsFromHeader: true))
        let result = try readAll(ExternalReader(format: spec, signature: sig), dir.file(name))
        #expect(result.rows == [[l(-1), s("a,b")], [l(-2), s("multi\nline")]] + expectedRows(0..<1000))
    }

    @Test(arguments: Codec.allCases)
    func tinyReadBlocks(_ codec: Codec) throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("data.json", jsonLines(0..<300))
        let name = try dir.compress("data.json", codec)
        for readSize in [1, 3, 17, 256] {
            var reader = ExternalReader(format: .json(), signature: sig)
            reader.readSize = readSize
            let result = try readAll(reader, dir.file(name))
            #expect(result.rows == expectedRows(0..<300), "readSize \(readSize)")
        }
    }

    @Test(arguments: Codec.allCases)
    func emptyContent(_ codec: Codec) throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("empty.json", "")
        let name = try dir.compress("empty.json", codec)
        let result = try readAll(ExternalReader(format: .json(), signature: sig), dir.file(name))
        #expect(result.rows.isEmpty)
        #expect(result.counters.files == 1)
    }

    /// bzip2, xz and zstd files may hold several streams (frames) back to
    /// back, as `cat a.bz2 b.bz2` makes; all are read, empty ones too.
    @Test(arguments: [Codec.bzip2, .xz, .zstd])
    func concatenatedStreams(_ codec: Codec) throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("a.json", jsonLines(0..<3))
        try dir.write("b.json", jsonLines(3..<7))
        try dir.write("c.json", "")
        var joined = try dir.bytes(dir.compress("a.json", codec)) + dir.bytes(dir.compress("c.json", codec))
        if codec == .xz { joined += [0, 0, 0, 0] }  // stream padding, allowed between xz streams
        if codec == .zstd { joined += [0x50, 0x2A, 0x4D, 0x18, 3, 0, 0, 0, 1, 2, 3] }  // a skippable frame
        joined += try dir.bytes(dir.compress("b.json", codec))
        let name = "all.json" + codec.fileExtension
        try dir.write(name, bytes: joined)
        for readSize in [1, 5, 1 << 20] {
            var reader = ExternalReader(format: .json(), signature: sig)
            reader.readSize = readSize
            let result = try readAll(reader, dir.file(name))
            #expect(result.rows == expectedRows(0..<7), "readSize \(readSize)")
            #expect(result.counters.bytes == Int64(joined.count))
        }
    }

    // MARK: Failures

    @Test(arguments: Codec.allCases)
    func truncatedFileFails(_ codec: Codec) throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("data.json", jsonLines(0..<2000))
        let bytes = try dir.bytes(dir.compress("data.json", codec))
        // A zip archive keeps its directory at the end, after the entry: cut
        // into the entry's data instead (the header is 30 bytes + the name).
        var cuts = [bytes.count / 2, 20]
        if codec != .zip { cuts += [bytes.count - 1, bytes.count - 4] }
        for cut in cuts {
            let name = "cut\(cut).json" + codec.fileExtension
            try dir.write(name, bytes: Array(bytes.prefix(cut)))
            let error = try hengeError {
                _ = try readAll(ExternalReader(format: .json(), signature: sig), dir.file(name))
            }
            #expect(error.code == "CannotParseExternalData", "cut at \(cut)")
            #expect(error.message == "Cannot decompress \(codec.rawValue) file [file:\(dir.path)/\(name)]: unexpected end of compressed data (truncated file)",
                    "cut at \(cut)")
        }
    }

    @Test(arguments: Codec.allCases)
    func corruptDataFails(_ codec: Codec) throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        // Varied text so that the middle of the file is compressed data.
        try dir.write("data.json", (0..<4000).map { #"{"n":\#($0 * 7919 % 10007),"t":"\#(String($0, radix: 36))"}"# }.joined(separator: "\n"))
        let original = try dir.bytes(dir.compress("data.json", codec))
        for at in [original.count / 3, original.count / 2] {
            var bytes = original
            for i in at..<(at + 4) { bytes[i] ^= 0x55 }
            let name = "bad\(at).json" + codec.fileExtension
            try dir.write(name, bytes: bytes)
            let error = try hengeError {
                _ = try readAll(ExternalReader(format: .json(), signature: sig), dir.file(name))
            }
            #expect(error.code == "CannotParseExternalData")
            #expect(error.message.hasPrefix("Cannot decompress \(codec.rawValue) file [file:\(dir.path)/\(name)]: corrupt compressed data"),
                    "\(error.message)")
        }
    }

    @Test(arguments: Codec.allCases)
    func plainTextAndEmptyFilesFail(_ codec: Codec) throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let plain = "plain.json" + codec.fileExtension
        let empty = "empty.json" + codec.fileExtension
        try dir.write(plain, jsonLines(0..<2))
        try dir.write(empty, "")
        let reader = ExternalReader(format: .json(), signature: sig)
        let notCompressed = try hengeError { _ = try readAll(reader, dir.file(plain)) }
        #expect(notCompressed.code == "CannotParseExternalData")
        let prefix = "Cannot decompress \(codec.rawValue) file [file:\(dir.path)/\(plain)]: "
        let expected = switch codec {
        case .gzip: prefix + "corrupt compressed data (incorrect header check)"
        case .bzip2: prefix + #"not bzip2 data (no "BZh" signature at the start)"#
        case .xz: prefix + "not xz data (no xz stream header at the start)"
        case .zstd: prefix + "corrupt compressed data (Unknown frame descriptor)"
        case .zip: prefix + "not a zip archive (no local file header at the start)"
        }
        #expect(notCompressed.message == expected)
        let emptyError = try hengeError { _ = try readAll(reader, dir.file(empty)) }
        #expect(emptyError.code == "CannotParseExternalData")
        #expect(emptyError.message == "Cannot decompress \(codec.rawValue) file [file:\(dir.path)/\(empty)]: the file is empty, not \(codec.rawValue) data")
    }

    @Test func trailingGarbageAfterBzip2StreamFails() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("a.json", jsonLines(0..<3))
        try dir.write("junk.json.bz2", bytes: try dir.bytes(dir.compress("a.json", .bzip2)) + Array("junk".utf8))
        let error = try hengeError { _ = try readAll(ExternalReader(format: .json(), signature: sig), dir.file("junk.json.bz2")) }
        #expect(error.message.hasSuffix("corrupt compressed data (bytes after bzip2 stream 1 are not another bzip2 stream)"))
    }

    @Test(arguments: [Codec.xz, .zstd])
    func trailingGarbageFails(_ codec: Codec) throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("a.json", jsonLines(0..<3))
        let name = "junk.json" + codec.fileExtension
        try dir.write(name, bytes: try dir.bytes(dir.compress("a.json", codec)) + Array("junk!!!!junk!!!!".utf8))
        let error = try hengeError { _ = try readAll(ExternalReader(format: .json(), signature: sig), dir.file(name)) }
        #expect(error.code == "CannotParseExternalData")
        #expect(error.message.hasPrefix("Cannot decompress \(codec.rawValue) file [file:\(dir.path)/\(name)]: corrupt compressed data"),
                "\(error.message)")
    }

    // MARK: zip

    @Test func zipReadsOnlyTheFirstEntry() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("a.json", jsonLines(0..<3))
        try dir.write("b.json", jsonLines(3..<7))
        try dir.shell("zip -q -X two.zip a.json b.json")
        let result = try readAll(ExternalReader(format: .json(), signature: sig), dir.file("two.zip"))
        #expect(result.rows == expectedRows(0..<3))
    }

    @Test func zipStoredEntry() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("a.json", jsonLines(0..<500))
        try dir.shell("zip -q -X -0 stored.zip a.json")
        for readSize in [1, 7, 1 << 20] {
            var reader = ExternalReader(format: .json(), signature: sig)
            reader.readSize = readSize
            #expect(try readAll(reader, dir.file("stored.zip")).rows == expectedRows(0..<500))
        }
    }

    /// `zip` writing to a pipe cannot seek back: the sizes and CRC follow
    /// the data in a data descriptor, with ZIP64 sizes.
    @Test func zipWithDataDescriptorAndZip64() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("a.json", jsonLines(0..<500))
        try dir.shell("cat a.json | zip -q - - | cat > streamed.zip")
        let bytes = try dir.bytes("streamed.zip")
        #expect(bytes[6] & 0x08 != 0, "data descriptor flag")
        #expect(Array(bytes[18..<26]) == [UInt8](repeating: 0xFF, count: 8), "ZIP64 sizes")
        for readSize in [1, 7, 1 << 20] {
            var reader = ExternalReader(format: .json(), signature: sig)
            reader.readSize = readSize
            #expect(try readAll(reader, dir.file("streamed.zip")).rows == expectedRows(0..<500))
        }
        // A wrong CRC in the descriptor is caught.
        var bad = bytes
        let descriptor = try #require((0..<(bad.count - 4)).first { bad[$0..<($0 + 4)] == [0x50, 0x4B, 0x07, 0x08] })
        bad[descriptor + 4] ^= 0xFF
        try dir.write("badcrc.zip", bytes: bad)
        let error = try hengeError { _ = try readAll(ExternalReader(format: .json(), signature: sig), dir.file("badcrc.zip")) }
        #expect(error.message == "Cannot decompress zip file [file:\(dir.path)/badcrc.zip]: corrupt compressed data (CRC-32 mismatch in entry [-])")
    }

    @Test func zipHeaderCRCMismatchFails() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("a.json", jsonLines(0..<50))
        for (name, flags) in [("deflated.zip", ""), ("stored.zip", "-0")] {
            try dir.shell("zip -q -X \(flags) \(name) a.json")
            var bytes = try dir.bytes(name)
            bytes[14] ^= 0x01
            try dir.write(name, bytes: bytes)
            let error = try hengeError { _ = try readAll(ExternalReader(format: .json(), signature: sig), dir.file(name)) }
            #expect(error.message == "Cannot decompress zip file [file:\(dir.path)/\(name)]: corrupt compressed data (CRC-32 mismatch in entry [a.json])")
        }
    }

    @Test func zipWithOtherMethodOrEncryptionFails() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("a.json", jsonLines(0..<5))
        try dir.shell("zip -q -X -0 stored.zip a.json")
        let stored = try dir.bytes("stored.zip")
        let reader = ExternalReader(format: .json(), signature: sig)
        for (method, label) in [(12, " (bzip2)"), (93, " (zstd)"), (77, "")] {
            var bytes = stored
            bytes[8] = UInt8(method)
            try dir.write("m\(method).zip", bytes: bytes)
            let error = try hengeError { _ = try readAll(reader, dir.file("m\(method).zip")) }
            #expect(error.code == "CannotParseExternalData")
            #expect(error.message == "Cannot decompress zip file [file:\(dir.path)/m\(method).zip]: the first entry [a.json] uses compression"
                + " method \(method)\(label), which is not supported (only stored and deflate entries are)")
        }
        var encrypted = stored
        encrypted[6] |= 0x01
        try dir.write("enc.zip", bytes: encrypted)
        let error = try hengeError { _ = try readAll(reader, dir.file("enc.zip")) }
        #expect(error.message == "Cannot decompress zip file [file:\(dir.path)/enc.zip]: the first entry [a.json] is encrypted, which is not supported")
    }

    @Test func zipWithNoEntriesIsEmpty() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        // Just the end-of-central-directory record, as `zip` writes for an empty archive.
        try dir.write("none.zip", bytes: [0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18))
        let result = try readAll(ExternalReader(format: .json(), signature: sig), dir.file("none.zip"))
        #expect(result.rows.isEmpty)
        #expect(result.counters.files == 1)
    }

    // MARK: Names, libraries, unsupported formats

    @Test func compressionFromFileName() {
        let cases: [(String, InputCompression)] = [
            ("/d/x.json.gz", .gzip), ("/d/x.json.bz2", .bzip2), ("/d/x.json.xz", .xz), ("/d/x.json.zst", .zstd),
            ("/d/x.zip", .zip), ("/d/x.json.lz4", .lz4), ("/d/x.json.sz", .snappy), ("/d/x.json", .none),
            ("/d/x.json.GZ", .none), ("/d/x.gz.json", .none), ("/d/x.tar.gz", .gzip), ("/d/x.zstd", .none),
        ]
        for (name, expected) in cases {
            #expect(InputCompression(fileName: name) == expected, "\(name)")
        }
        #expect(InputFile(inlineData: "x.gz").compression == .none)
    }

    @Test(arguments: ["x.json.lz4", "x.json.sz"])
    func lz4AndSnappyAreRefusedClearly(_ name: String) throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write(name, jsonLines(0..<2))
        let error = try hengeError { _ = try readAll(ExternalReader(format: .json(), signature: sig), dir.file(name)) }
        #expect(error.code == "UnknownError")
        let kind = name.hasSuffix(".lz4") ? "lz4 compression (.lz4)" : "snappy compression (.sz)"
        #expect(error.message == "Cannot read [file:\(dir.path)/\(name)]: \(kind) is not supported; Henge reads .gz, .bz2, .xz, .zst and .zip files")
    }

    @Test func zstdLibraryIsLoadedAtRunTime() throws {
        let library = try #require(ZstdLibrary.shared, "libzstd.so.1 should be on every Debian machine")
        #expect(library.version >= 10000)
        #expect(ZstdLibrary.load(names: ["libzstd-not-installed.so.9"]) == nil)
        let error = try hengeError {
            _ = try ZstdStream(MemoryByteSource([0x28, 0xB5, 0x2F, 0xFD]), uri: "file:/d/x.json.zst", library: nil)
        }
        #expect(error.code == "UnknownError")
        #expect(error.message == "Cannot decompress zstd file [file:/d/x.json.zst]: libzstd is not installed on this server"
            + " (looked for libzstd.so.1); install it (Debian and Ubuntu: apt-get install libzstd1) to read .zst files")
    }

    // MARK: Bounded memory

    /// Each decompressor hands out at most the buffer it is given and takes
    /// input one block at a time: a highly compressible input never makes it
    /// read ahead or hold the whole output. 16 MiB of zeros (compressed
    /// 1000:1 and more) are drained through a 64 KiB buffer with 4 KiB input
    /// blocks.
    @Test(arguments: Codec.allCases)
    func highlyCompressibleInputStreamsThroughFixedBuffers(_ codec: Codec) throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let total = 16 << 20
        try dir.shell("head -c \(total) /dev/zero > zeros")
        let name = try dir.compress("zeros", codec)
        let compressedSize = try dir.file(name).size
        #expect(compressedSize * 300 < Int64(total), "compressed \(compressedSize) bytes")
        let readSize = 4096
        let source = CountingSource(try FileByteSource(path: dir.path + "/" + name))
        var stream = try decompressor(codec.compression, source, readSize: readSize)
        let out = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
        defer { out.deallocate() }
        let zeros = [UInt8](repeating: 0, count: out.count)
        var produced = 0
        var nonZero = false
        while true {
            let n = try stream.read(into: out)
            if n == 0 { break }
            #expect(n <= out.count)
            if !nonZero { nonZero = zeros.withUnsafeBytes { memcmp($0.baseAddress!, out.baseAddress!, n) != 0 } }
            produced += n
            // Input is taken only as output needs it: never more than one
            // block ahead of what the output so far could have come from.
            let maxInput = Int64(readSize) * Int64(source.reads)
            #expect(stream.storageBytesRead <= maxInput)
            if produced == 64 << 10 { #expect(source.reads <= 3, "reads before the first 64 KiB: \(source.reads)") }
        }
        #expect(produced == total)
        #expect(!nonZero)
        #expect(stream.storageBytesRead == compressedSize || codec == .zip)
    }

    /// A 1 GiB zstd bomb of zeros (a few KiB on disk) read as JSON lines:
    /// one endless line, which fails with `RowTooLarge` once it passes the
    /// line limit instead of taking a gigabyte.
    @Test func zeroBombFailsWithRowTooLarge() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.shell("head -c 1073741824 /dev/zero | zstd -q > bomb.json.zst")
        #expect(try dir.file("bomb.json.zst").size < 100_000)
        var reader = ExternalReader(format: .json(), signature: sig)
        reader.maxLineBytes = 8 << 20
        let error = try hengeError { _ = try readAll(reader, dir.file("bomb.json.zst")) }
        #expect(error.code == "RowTooLarge")
        #expect(error.message == "Encountered row that cannot fit in a single frame: line 1 of [file:\(dir.path)/bomb.json.zst] is longer than 8388608 bytes")
    }

    /// A gzip bomb of a few hundred MB of output, drained in 1 MiB reads:
    /// the peak resident memory of the process does not grow by anything
    /// like the output.
    @Test func largeBombDecompressesInBoundedMemory() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        // 16 MiB of zeros compressed once, the member repeated 16 times:
        // a valid multi-member gzip file of 256 MiB output.
        try dir.shell("head -c \(16 << 20) /dev/zero > zeros")
        let member = try dir.bytes(dir.compress("zeros", .gzip))
        try dir.write("bomb.gz", bytes: Array([[UInt8]](repeating: member, count: 16).joined()))
        let peakBefore = peakResidentBytes()
        let stream = try GzipStream(FileByteSource(path: dir.path + "/bomb.gz"), uri: "bomb", readSize: 1 << 20)
        let out = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { out.deallocate() }
        var produced = 0
        while true {
            let n = try stream.read(into: out)
            if n == 0 { break }
            produced += n
        }
        #expect(produced == 256 << 20)
        if let before = peakBefore, let after = peakResidentBytes() {
            #expect(after - before < 128 << 20, "peak RSS grew by \(after - before) bytes")
        }
    }
}

/// The process's peak resident set size (Linux `VmHWM`), or nil elsewhere.
func peakResidentBytes() -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let digits = line.filter(\.isNumber)
        return Int(digits).map { $0 * 1024 }
    }
    return nil
}
