internal import DataModel
internal import SQLPlanner
internal import Metadata

/// One queryable segment: where it is and what it covers.
struct VisibleSegment: Sendable, Hashable {
    var id: SegmentID
    var storageKey: String
    var signature: RowSignature
    var rowCount: Int64
    var sizeBytes: Int64 = 0
}

/// A consistent view of the published segments, used as the binder's
/// catalog and as the scan list of queries. Immutable; the engine swaps in
/// a new one after every publish.
struct SegmentCatalog: Catalog {
    var segmentsByDataSource: [String: [VisibleSegment]]
    /// Each datasource's columns, derived once per snapshot (every query binds against them).
    private var infos: [String: DataSourceInfo]

    init(records: [SegmentRecord]) {
        var map: [String: [VisibleSegment]] = [:]
        for r in records where r.used && !r.isTombstone {
            let signature = (try? JSONValue.parse(r.signature)).flatMap { try? RowSignature.parse(json: $0) } ?? RowSignature([])
            map[r.dataSource, default: []].append(VisibleSegment(id: r.segmentID, storageKey: r.storageKey, signature: signature,
                                                                 rowCount: r.numRows, sizeBytes: r.sizeBytes))
        }
        for k in map.keys { map[k]!.sort { $0.id < $1.id } }
        segmentsByDataSource = map
        infos = map.mapValues { SegmentCatalog.info(name: $0.first!.id.dataSource, segments: $0) }
    }

    func dataSource(_ name: String) -> DataSourceInfo? { infos[name] }

    var dataSourceNames: [String] { segmentsByDataSource.keys.sorted() }

    /// Columns of a datasource: `__time`, then the other columns in the order
    /// they first appear (oldest segment first), typed as in the newest
    /// segment that has them.
    private static func info(name: String, segments segs: [VisibleSegment]) -> DataSourceInfo {
        var firstPosition: [String: (Int, Int)] = [:]
        for (si, s) in segs.enumerated() {
            for (ci, c) in s.signature.columns.enumerated() where firstPosition[c.name] == nil { firstPosition[c.name] = (si, ci) }
        }
        var types: [String: ColumnType] = [:]
        for s in segs.sorted(by: { ($0.id.version, $0.id.interval.start) > ($1.id.version, $1.id.interval.start) }) {
            for c in s.signature.columns where types[c.name] == nil { types[c.name] = c.type }
        }
        let others = firstPosition.keys.filter { $0 != "__time" }.sorted { firstPosition[$0]! < firstPosition[$1]! }
        let columns = [ColumnSpec(name: "__time", type: .long)] + others.map { ColumnSpec(name: $0, type: types[$0] ?? .string) }
        return DataSourceInfo(name: name, signature: RowSignature(columns))
    }
}
