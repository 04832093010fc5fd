internal import DataModel

/// How an input file is compressed, chosen by the end of its name as Druid's
/// `CompressionUtils.decompress` does (a plain `endsWith`, case-sensitive, in
/// Druid's order of tests).
///
/// `.gz`, `.bz2`, `.xz`, `.zst` and `.zip` (the first entry of the archive)
/// are decompressed while streaming. Druid also reads `.lz4` (lz4-java's
/// block stream) and `.sz` (framed Snappy); Henge refuses those with a
/// clear error rather than reading the compressed bytes as text.
package enum InputCompression: String, Hashable, Sendable, CaseIterable {
    case none
    case gzip
    case bzip2
    case xz
    case zstd
    case zip
    case lz4
    case snappy

    /// The compression implied by a file name or URI path.
    package init(fileName: String) {
        if fileName.hasSuffix(".gz") {
            self = .gzip
        } else if fileName.hasSuffix(".lz4") {
            self = .lz4
        } else if fileName.hasSuffix(".bz2") {
            self = .bzip2
        } else if fileName.hasSuffix(".xz") {
            self = .xz
        } else if fileName.hasSuffix(".sz") {
            self = .snappy
        } else if fileName.hasSuffix(".zst") {
            self = .zstd
        } else if fileName.hasSuffix(".zip") {
            self = .zip
        } else {
            self = .none
        }
    }

    /// The name used in error messages ("gzip", "bzip2", "xz", "zstd", "zip", ...).
    var displayName: String {
        switch self {
        case .none: "uncompressed"
        case .snappy: "snappy"
        default: rawValue
        }
    }

    /// The file name extension Druid maps to this compression.
    var fileExtension: String {
        switch self {
        case .none: ""
        case .gzip: ".gz"
        case .bzip2: ".bz2"
        case .xz: ".xz"
        case .zstd: ".zst"
        case .zip: ".zip"
        case .lz4: ".lz4"
        case .snappy: ".sz"
        }
    }
}

extension HengeError {
    /// A compressed input that cannot be read: Druid's
    /// `CannotParseExternalData`, naming the file and the compression, e.g.
    /// "Cannot decompress bzip2 file [file:/data/x.json.bz2]: unexpected end
    /// of compressed data (truncated file)".
    static func cannotDecompress(_ compression: InputCompression, uri: String, _ detail: String) -> HengeError {
        .fault("CannotParseExternalData", "Cannot decompress \(compression.displayName) file [\(uri)]: \(detail)")
    }

    /// A compression Henge does not read (Druid's `.lz4` and `.sz`).
    static func unsupportedCompression(_ compression: InputCompression, uri: String) -> HengeError {
        .fault(
            "UnknownError",
            "Cannot read [\(uri)]: \(compression.displayName) compression (\(compression.fileExtension)) is not supported;"
                + " Henge reads .gz, .bz2, .xz, .zst and .zip files")
    }
}

/// Messages shared by the decompressors.
enum DecompressionText {
    static let truncated = "unexpected end of compressed data (truncated file)"
    static func empty(_ compression: InputCompression) -> String {
        "the file is empty, not \(compression.displayName) data"
    }
}
