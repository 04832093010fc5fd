/// Expands columns that hold multi-value strings into one row per value —
/// Druid's implicit unnesting when grouping on a multi-value dimension, and
/// the way a scalar function is applied to each value of one. Several
/// multi-value columns expand to their cross product; a row with no values
/// contributes one NULL. Single-valued columns are repeated.
package struct MultiValueUnnest {
    /// For every output row, the input row it came from.
    package private(set) var sourceRows: [Int] = []
    /// The columns, single-valued, one entry per output row.
    package private(set) var keys: [ColumnVector] = []

    /// - Parameter sameAs: for each column, the index of an earlier column it
    ///   is the same input as (so their values pair up instead of crossing,
    ///   as Druid pairs two uses of one column), or nil.
    package init(_ keyColumns: [ColumnVector], sameAs: [Int?]? = nil) {
        let n = keyColumns.first?.count ?? 0
        // Per output row, which value of each multi-value key it takes (-1 = NULL).
        var choices: [[Int32]] = keyColumns.map { _ in [] }
        let multi: [MultiStringColumn?] = keyColumns.map { c in
            if case .multiString(let m) = c.data { return m } else { return nil }
        }
        for r in 0..<n {
            var combos: [[Int32]] = [[]]
            for (k, m) in multi.enumerated() {
                if let earlier = sameAs?[k] {
                    combos = combos.map { $0 + [$0[earlier]] }
                    continue
                }
                let options: [Int32]
                if let m, !keyColumns[k].isNull(r), m.valueCount(r) > 0 {
                    options = Array(m.rowIDs(r))
                } else {
                    options = [-1]
                }
                combos = combos.flatMap { prefix in options.map { prefix + [$0] } }
            }
            for combo in combos {
                sourceRows.append(r)
                for k in combo.indices { choices[k].append(combo[k]) }
            }
        }
        keys = keyColumns.enumerated().map { k, column in
            guard let m = multi[k] else { return column.gather(sourceRows) }
            var mask = NullMask(count: sourceRows.count)
            var ids = [Int32](repeating: 0, count: sourceRows.count)
            for (i, id) in choices[k].enumerated() {
                if id < 0 { mask.setNull(i) } else { ids[i] = id }
            }
            return ColumnVector(.string(StringColumn(ids: ids, dictionary: m.dictionary)), nulls: mask)
        }
    }
}
