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

    /// The footer's name for the codec.
    var name: String {
        switch self {
        case .timeDelta: "timeDelta"
        case .longFOR: "longFOR"
        case .floatRaw: "floatRaw"
        case .doubleRaw: "doubleRaw"
        case .stringDictionary: "stringDictionary"
        case .multiStringDictionary: "multiStringDictionary"
        }
    }

    /// Parses the footer's name for a codec.
    init?(name: String) {
        guard let codec = [ColumnCodec.timeDelta, .longFOR, .floatRaw, .doubleRaw, .stringDictionary, .multiStringDictionary]
            .first(where: { $0.name == name }) else { return nil }
        self = codec
    }

    /// Codecs a column of `type` at position `index` may be written with.
    static func allowed(type: ColumnType, index: Int) -> [ColumnCodec] {
        if index == 0 { return [.timeDelta] }
        if type.isNested { return [.stringDictionary] }
        return type == .string ? [.stringDictionary, .multiStringDictionary] : [forColumn(type: type, index: index)]
    }

    /// The codec the writer uses for a single-valued column of `type` at position `index`.
    static func forColumn(type: ColumnType, index: Int) -> ColumnCodec {
        if index == 0 { return .timeDelta }
        switch type.storage {
        case .long: return .longFOR
        case .float: return .floatRaw
        case .double: return .doubleRaw
        case .string: return .stringDictionary
        }
    }
}

/// Bits of a block's flags byte.
enum BlockFlags {
    static let hasNulls: UInt8 = 1 << 0
    static let zlib: UInt8 = 1 << 1
    static let known: UInt8 = hasNulls | zlib
}
