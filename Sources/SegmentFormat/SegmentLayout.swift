internal import DataModel

/// Fixed constants of the segment file frame.
enum SegmentLayout {
    /// The 8 bytes that open and close every segment file.
    static let magic: [UInt8] = Array("HENGSEG1".utf8)
    /// The format version this code writes and reads.
    static let formatVersion: UInt32 = 1
    /// Magic, version and flags.
    static let headerSize = 16
    /// Footer offset, footer length, footer CRC and magic.
    static let trailerSize = 24
    /// Size of the CRC32 that follows every block.
    static let checksumSize = 4
    /// Name of the mandatory first column.
    static let timeColumn = "__time"
    /// Bodies smaller than this are never compressed.
    static let minCompressibleSize = 64
    /// Rows per block of the blocked LONG/FLOAT/DOUBLE codecs.
    static let rowsPerBlock = 65536
}

/// How the values of one column block are encoded.
enum ColumnCodec: UInt8, Sendable {
    case timeDelta = 1
    case longFOR = 2
    case floatRaw = 3
    case doubleRaw = 4
    case stringDictionary = 5
    /// Multi-value strings: sorted dictionary, per-row value counts, then
    /// every row's value ids (sorted within the row, duplicates kept).
    case multiStringDictionary = 6
    /// LONG (and `__time`): blocks of integers, each in its smallest
    /// `IntegerEncoding` (`BlockedColumnEncoder`).
    case blockedLong = 7
    /// FLOAT: blocks raw, as bit patterns or as integral values.
    case blockedFloat = 8
    /// DOUBLE: blocks raw, as bit patterns or as integral values.
    case blockedDouble = 9
    /// STRING with a bitmap index: as `stringDictionary` without the
    /// dictionary, which lives (front-coded) in the index region.
    case stringIndexed = 10
    /// Multi-value STRING with a bitmap index: as `multiStringDictionary`
    /// without the dictionary.
    case multiStringIndexed = 11
    /// STRING with a bitmap index: the rows' dictionary ids as blocks of
    /// integers in their smallest encoding (as `blockedLong`), so sorted or
    /// clustered columns (a timestamp kept as text) shrink to runs and deltas.
    case blockedStringIndexed = 12
    /// Multi-value STRING with a bitmap index: per-row value counts, then
    /// every row's ids (sorted within the row, duplicates kept), each as
    /// blocks of integers.
    case blockedMultiStringIndexed = 13

    static let all: [ColumnCodec] = [
        .timeDelta, .longFOR, .floatRaw, .doubleRaw, .stringDictionary, .multiStringDictionary,
        .blockedLong, .blockedFloat, .blockedDouble, .stringIndexed, .multiStringIndexed,
        .blockedStringIndexed, .blockedMultiStringIndexed,
    ]

    /// Codecs whose dictionary is in the column's bitmap index region.
    var readsIndexDictionary: Bool {
        switch self {
        case .stringIndexed, .multiStringIndexed, .blockedStringIndexed, .blockedMultiStringIndexed: true
        default: false
        }
    }

    /// Codecs whose body is a sequence of framed blocks (never deflated whole).
    var isBlocked: Bool {
        switch self {
        case .blockedLong, .blockedFloat, .blockedDouble, .blockedStringIndexed, .blockedMultiStringIndexed: true
        default: false
        }
    }

    /// The footer's name for the codec.
    var name: String {
        switch self {
        case .timeDelta: "timeDelta"
        case .longFOR: "longFOR"
        case .floatRaw: "floatRaw"
        case .doubleRaw: "doubleRaw"
        case .stringDictionary: "stringDictionary"
        case .multiStringDictionary: "multiStringDictionary"
        case .blockedLong: "blockedLong"
        case .blockedFloat: "blockedFloat"
        case .blockedDouble: "blockedDouble"
        case .stringIndexed: "stringIndexed"
        case .multiStringIndexed: "multiStringIndexed"
        case .blockedStringIndexed: "blockedStringIndexed"
        case .blockedMultiStringIndexed: "blockedMultiStringIndexed"
        }
    }

    /// Parses the footer's name for a codec.
    init?(name: String) {
        guard let codec = Self.all.first(where: { $0.name == name }) else { return nil }
        self = codec
    }

    /// Codecs a column of `type` at position `index` may be written with
    /// (the first versions' codecs stay readable).
    static func allowed(type: ColumnType, index: Int) -> [ColumnCodec] {
        if index == 0 { return [.timeDelta, .blockedLong] }
        if type.isNested { return [.stringDictionary, .stringIndexed, .blockedStringIndexed] }
        switch type.storage {
        case .long: return [.longFOR, .blockedLong]
        case .float: return [.floatRaw, .blockedFloat]
        case .double: return [.doubleRaw, .blockedDouble]
        case .string:
            return [
                .stringDictionary, .multiStringDictionary, .stringIndexed, .multiStringIndexed, .blockedStringIndexed,
                .blockedMultiStringIndexed,
            ]
        }
    }

    /// The codec the writer uses for a single-valued column of `type` at
    /// position `index`; `legacy` picks the first version's whole-column
    /// codecs. STRING columns get `blockedStringIndexed` only with their index.
    static func forColumn(type: ColumnType, index: Int, legacy: Bool = false) -> ColumnCodec {
        if index == 0 { return legacy ? .timeDelta : .blockedLong }
        switch type.storage {
        case .long: return legacy ? .longFOR : .blockedLong
        case .float: return legacy ? .floatRaw : .blockedFloat
        case .double: return legacy ? .doubleRaw : .blockedDouble
        case .string: return .stringDictionary
        }
    }
}

/// Bits of a block's flags byte.
enum BlockFlags {
    static let hasNulls: UInt8 = 1 << 0
    static let zlib: UInt8 = 1 << 1
    /// The body is zstd-compressed (files written since zstd replaced zlib).
    static let zstd: UInt8 = 1 << 2
    /// Either general-purpose codec.
    static let compressed: UInt8 = zlib | zstd
    static let known: UInt8 = hasNulls | zlib | zstd
}
