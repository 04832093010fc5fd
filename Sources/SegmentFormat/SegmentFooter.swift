internal import DataModel

/// Where one column's block lives and how it is encoded.
struct FooterColumn: Sendable {
    var info: SegmentColumnInfo
    var codec: ColumnCodec
    /// Offset of the block from the start of the file.
    var offset: Int
    /// Length of the block, excluding the CRC32 that follows it.
    var length: Int
    /// Blocked codecs: how many blocks use each per-block encoding (for
    /// inspection; readers take the encoding from each block's header).
    var blockEncodings: [String: Int]? = nil
    /// STRING columns written since the bitmap index: where its region
    /// lies (right after the block's CRC; it carries its own CRCs).
    var bitmapIndex: Range<Int>? = nil
}

/// The JSON metadata footer of a segment file.
struct SegmentFooter: Sendable {
    var rowCount: Int
    /// Smallest and largest `__time`; both 0 when the segment has no rows.
    var minTime: Int64
    var maxTime: Int64
    var columns: [FooterColumn]
    /// Column names the rows are sorted by (`__time` first unless
    /// `forceSegmentSortByTime` was false). Older files lack it: `[__time]`.
    var sortOrder: [String] = [SegmentLayout.timeColumn]

    var signature: RowSignature {
        RowSignature(columns.map { ColumnSpec(name: $0.info.name, type: $0.info.type) })
    }

    var json: JSONValue {
        .object([
            ("format", "henge-segment"),
            ("formatVersion", .int(Int64(SegmentLayout.formatVersion))),
            ("rowCount", .int(Int64(rowCount))),
            ("minTime", .int(minTime)),
            ("maxTime", .int(maxTime)),
            ("signature", signature.json),
            ("columns", .array(columns.map(Self.json(for:)))),
            ("sortOrder", .array(sortOrder.map(JSONValue.string))),
        ])
    }

    private static func json(for column: FooterColumn) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("name", .string(column.info.name)),
            ("type", .string(column.info.type.description)),
            ("codec", .string(column.codec.name)),
            ("offset", .int(Int64(column.offset))),
            ("length", .int(Int64(column.length))),
            ("nullCount", .int(Int64(column.info.nullCount))),
        ]
        if let min = column.info.min { members.append(("min", json(for: min))) }
        if let max = column.info.max { members.append(("max", json(for: max))) }
        if let cardinality = column.info.cardinality { members.append(("cardinality", .int(Int64(cardinality)))) }
        if let encodings = column.blockEncodings {
            members.append(("blockEncodings", .object(encodings.sorted { $0.key < $1.key }.map { ($0.key, .int(Int64($0.value))) })))
        }
        if let index = column.bitmapIndex {
            members.append(("bitmapIndex", .object([
                ("offset", .int(Int64(index.lowerBound))), ("length", .int(Int64(index.count))),
            ])))
        }
        return .object(members)
    }

    private static func json(for value: ScalarValue) -> JSONValue {
        switch value {
        case .null: .null
        case .long(let v): .int(v)
        case .double(let v): .double(v)
        case .string(let v): .string(v)
        }
    }

    /// Parses and checks a footer; `footerOffset` bounds the block locations.
    static func parse(_ bytes: [UInt8], footerOffset: Int) throws(SegmentCorruption) -> SegmentFooter {
        let json: JSONValue
        do {
            json = try JSONValue.parse(bytes: bytes)
        } catch {
            throw SegmentCorruption("footer is not valid JSON (\(error.message))")
        }
        guard json["format"]?.stringValue == "henge-segment" else { throw SegmentCorruption("footer has no format tag") }
        guard let version = json["formatVersion"]?.intValue, version == Int64(SegmentLayout.formatVersion) else {
            throw SegmentCorruption("unsupported footer format version")
        }
        guard let rowCount = json["rowCount"]?.intValue, rowCount >= 0, rowCount <= Int64(Int32.max),
            let minTime = json["minTime"]?.intValue, let maxTime = json["maxTime"]?.intValue,
            let items = json["columns"]?.arrayValue
        else { throw SegmentCorruption("footer lacks rowCount, minTime, maxTime or columns") }
        var columns: [FooterColumn] = []
        var names = Set<String>()
        var end = SegmentLayout.headerSize
        for (index, item) in items.enumerated() {
            let column = try parseColumn(item, index: index)
            guard names.insert(column.info.name).inserted else {
                throw SegmentCorruption("footer lists column [\(column.info.name)] twice")
            }
            guard column.offset >= end, column.length >= 0,
                column.offset + column.length + SegmentLayout.checksumSize <= footerOffset
            else { throw SegmentCorruption("block of column [\(column.info.name)] lies outside the data area") }
            end = column.offset + column.length + SegmentLayout.checksumSize
            if let index = column.bitmapIndex {
                guard index.lowerBound >= end, index.upperBound <= footerOffset else {
                    throw SegmentCorruption("bitmap index of column [\(column.info.name)] lies outside the data area")
                }
                end = index.upperBound
            }
            columns.append(column)
        }
        guard let first = columns.first, first.info.name == SegmentLayout.timeColumn, first.info.type == .long else {
            throw SegmentCorruption("first column is not a LONG [\(SegmentLayout.timeColumn)]")
        }
        var footer = SegmentFooter(rowCount: Int(rowCount), minTime: minTime, maxTime: maxTime, columns: columns)
        if let order = json["sortOrder"] {
            guard let names = order.arrayValue?.compactMap(\.stringValue), names.count == order.arrayValue?.count,
                  names.allSatisfy({ n in columns.contains { $0.info.name == n } })
            else { throw SegmentCorruption("footer sortOrder is malformed") }
            footer.sortOrder = names
        }
        guard json["signature"] == footer.signature.json else {
            throw SegmentCorruption("footer signature disagrees with its columns")
        }
        return footer
    }

    private static func parseColumn(_ item: JSONValue, index: Int) throws(SegmentCorruption) -> FooterColumn {
        guard let name = item["name"]?.stringValue, let typeName = item["type"]?.stringValue,
            let type = ColumnType(druidName: typeName), let offset = item["offset"]?.intValue,
            let length = item["length"]?.intValue, let nullCount = item["nullCount"]?.intValue,
            offset >= 0, offset <= Int64(Int.max / 2), length >= 0, length <= Int64(Int.max / 2), nullCount >= 0
        else { throw SegmentCorruption("footer column \(index) is malformed") }
        guard let codec = item["codec"]?.stringValue.flatMap(ColumnCodec.init(name:)),
              ColumnCodec.allowed(type: type, index: index).contains(codec) else {
            throw SegmentCorruption("column [\(name)] has an unexpected codec")
        }
        func stat(_ key: String) throws(SegmentCorruption) -> ScalarValue? {
            guard let v = item[key], !v.isNull else { return nil }
            let parsed: ScalarValue? =
                switch type.storage {
                case .long: v.intValue.map(ScalarValue.long)
                case .float, .double: v.doubleValue.map(ScalarValue.double)
                case .string: v.stringValue.map(ScalarValue.string)
                }
            guard let parsed else { throw SegmentCorruption("column [\(name)] has a malformed \(key)") }
            return parsed
        }
        let cardinality = item["cardinality"]?.intValue.map { Int($0) }
        let info = SegmentColumnInfo(
            name: name, type: type, nullCount: Int(nullCount), min: try stat("min"), max: try stat("max"),
            cardinality: cardinality)
        var column = FooterColumn(info: info, codec: codec, offset: Int(offset), length: Int(length))
        if let encodings = item["blockEncodings"] {
            guard codec.isBlocked, case .object(let members) = encodings else {
                throw SegmentCorruption("column [\(name)] has malformed blockEncodings")
            }
            var counts: [String: Int] = [:]
            for (key, value) in members {
                guard let n = value.intValue, n >= 0 else { throw SegmentCorruption("column [\(name)] has malformed blockEncodings") }
                counts[key] = Int(n)
            }
            column.blockEncodings = counts
        }
        if let index = item["bitmapIndex"] {
            guard type.storage == .string, let o = index["offset"]?.intValue, let l = index["length"]?.intValue,
                  o >= 0, l > 0, o <= Int64(Int.max / 2), l <= Int64(Int.max / 2)
            else { throw SegmentCorruption("column [\(name)] has a malformed bitmapIndex") }
            column.bitmapIndex = Int(o)..<Int(o + l)
        }
        guard !codec.readsIndexDictionary || column.bitmapIndex != nil else {
            throw SegmentCorruption("column [\(name)] lacks the bitmap index holding its dictionary")
        }
        return column
    }
}
