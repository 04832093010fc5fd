internal import DataModel
internal import SQLPlanner
internal import Metadata

/// One queryable segment: where it is and what it covers.
struct VisibleSegment: Sendable, Hashable {
    var id: SegmentID
    var storageKey: String
    var signature: RowSignature
    var rowCount: Int64
}

/// A consistent view of the published segments, used as the binder's
/// catalog and as the scan list of queries. Immutable; the engine swaps in
/// a new one after every publish.
struct SegmentCatalog: Catalog {
    var segmentsByDataSource: [String: [VisibleSegment]]

    init(records: [SegmentRecord]) {
        var map: [String: [VisibleSegment]] = [:]
        for r in records where r.used && !r.isTombstone {
            let signature = (try? JSONValue.parse(r.signature)).flatMap { try? RowSignature.parse(json: $0) } ?? RowSignature([])
            map[r.dataSource, default: []].append(VisibleSegment(id: r.segmentID, storageKey: r.storageKey, signature: signature,
                                                                 rowCount: r.numRows))
        }
        for k in map.keys { map[k]!.sort { $0.id < $1.id } }
        segmentsByDataSource = map
    }

    /// Columns of a datasource: `__time`, then every other column in order of
    /// first appearance, typed as in the newest segment that has it.
    func dataSource(_ name: String) -> DataSourceInfo? {
        guard let segs = segmentsByDataSource[name], !segs.isEmpty else { return nil }
        var order: [String] = []
        var types: [String: ColumnType] = [:]
        for s in segs.sorted(by: { ($0.id.version, $0.id.interval.start) > ($1.id.version, $1.id.interval.start) }) {
            for c in s.signature.columns where types[c.name] == nil {
                types[c.name] = c.type
                order.append(c.name)
            }
        }
        let names = ["__time"] + order.filter { $0 != "__time" }.sorted { a, b in
            // Keep the order columns have in the oldest segment that has them.
            (firstPosition(a, segs)) < (firstPosition(b, segs))
        }
        return DataSourceInfo(name: name, signature: RowSignature(names.map { ColumnSpec(name: $0, type: $0 == "__time" ? .long : types[$0] ?? .string) }))
    }

    private func firstPosition(_ column: String, _ segs: [VisibleSegment]) -> (Int, Int) {
        for (si, s) in segs.enumerated() {
            if let i = s.signature.index(of: column) { return (si, i) }
        }
        return (Int.max, Int.max)
    }

    var dataSourceNames: [String] { segmentsByDataSource.keys.sorted() }
}
