/// A multi-value string column (Druid's "multi-value dimension"): each row
/// holds zero or more dictionary-encoded values.
///
/// Row `r`'s values are `ids[offsets[r] ..< offsets[r + 1]]`. NULL rows are
/// marked in the owning `ColumnVector`'s mask and hold no values. A non-NULL
/// row without values is an empty array, which only expressions produce
/// (`MV_SLICE`) and results render as `[]`; stored columns never hold one
/// (Druid's SQL-compatible mode reads an ingested `[]` as NULL). The SQL
/// type stays VARCHAR: whether a column is multi-valued is a property of its
/// data, as in Druid.
package struct MultiStringColumn: Hashable, Sendable {
    /// `rowCount + 1` offsets into `ids`, starting at 0.
    package var offsets: [Int32]
    /// Dictionary ids of every value of every row, row after row.
    package var ids: [Int32]
    package var dictionary: StringDictionary

    package init(offsets: [Int32] = [0], ids: [Int32] = [], dictionary: StringDictionary = []) {
        precondition(offsets.first == 0 && offsets.last.map { Int($0) } == ids.count,
                     "MultiStringColumn: offsets must start at 0 and end at ids.count")
        self.offsets = offsets
        self.ids = ids
        self.dictionary = dictionary
    }

    package var rowCount: Int { offsets.count - 1 }

    /// Number of values in `row`.
    @inline(__always)
    package func valueCount(_ row: Int) -> Int { Int(offsets[row + 1] - offsets[row]) }

    /// The dictionary ids of `row`'s values.
    @inline(__always)
    package func rowIDs(_ row: Int) -> ArraySlice<Int32> { ids[Int(offsets[row]) ..< Int(offsets[row + 1])] }

    /// The values of `row`, in stored order.
    package func values(_ row: Int) -> [String] { rowIDs(row).map { dictionary[Int($0)] } }

    /// Keeps only the rows at `indices`, in that order.
    package func gather(_ indices: [Int]) -> MultiStringColumn {
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(indices.count + 1)
        var ids: [Int32] = []
        for r in indices {
            ids.append(contentsOf: rowIDs(r))
            offsets.append(Int32(ids.count))
        }
        return MultiStringColumn(offsets: offsets, ids: ids, dictionary: dictionary)
    }

    /// How Druid renders a multi-value row in SQL results: NULL for no
    /// values, the value itself for one, else a JSON array string
    /// (`["a","b"]`, Druid's default `sqlStringifyArrays`).
    package func rendered(_ row: Int) -> ScalarValue {
        let slice = rowIDs(row)
        switch slice.count {
        case 0: return .string("[]")
        case 1: return .string(dictionary[Int(slice[slice.startIndex])])
        default: return .string(MultiStringColumn.jsonArray(slice.map { dictionary[Int($0)] }))
        }
    }

    /// `["a","b"]` with JSON string escaping.
    package static func jsonArray(_ values: [String?]) -> String {
        JSONValue.array(values.map { $0.map(JSONValue.string) ?? .null }).serialized
    }

    /// Builds a column from per-row value lists (`nil` = NULL row, `[]` = an
    /// empty array), with the NULL mask those rows need.
    package static func build(_ rows: [[String]?]) -> ColumnVector {
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(rows.count + 1)
        var ids: [Int32] = []
        var dictionary: StringDictionary = []
        var lookup: [String: Int32] = [:]
        var nulls = NullMask(count: rows.count)
        for (r, row) in rows.enumerated() {
            let values = row ?? []
            if row == nil { nulls.setNull(r) }
            for v in values {
                if let id = lookup[v] {
                    ids.append(id)
                } else {
                    let id = Int32(dictionary.count)
                    dictionary.append(v)
                    lookup[v] = id
                    ids.append(id)
                }
            }
            offsets.append(Int32(ids.count))
        }
        return ColumnVector(.multiString(MultiStringColumn(offsets: offsets, ids: ids, dictionary: dictionary)), nulls: nulls)
    }
}

extension ColumnVector {
    /// True when the column holds multi-value string data.
    package var isMultiValue: Bool { if case .multiString = data { true } else { false } }

    /// A multi-value column as single-valued strings rendered the way
    /// results show them (`["a","b"]`); other columns unchanged. For code
    /// with no multi-value meaning of its own (sort keys, accumulators).
    package func renderedSingleValued() -> ColumnVector {
        guard case .multiString(let m) = data else { return self }
        var b = ColumnBuilder(type: .string, capacity: count)
        for r in 0..<count { b.append(isNull(r) ? .null : m.rendered(r)) }
        return b.finish()
    }

    /// The values of `row` as a list: `[]` for NULL, one element for a
    /// single-valued non-NULL row (numbers rendered as text).
    package func stringValues(at row: Int) -> [String] {
        if isNull(row) { return [] }
        switch data {
        case .multiString(let m): return m.values(row)
        case .string(let s): return [s.value(row)]
        default: return value(at: row).stringValue.map { [$0] } ?? []
        }
    }
}
