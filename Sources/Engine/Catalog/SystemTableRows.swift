internal import DataModel
internal import SQLPlanner
internal import Metadata

/// Rows of the metadata tables, from the catalog snapshot and task records.
struct SystemTableRows: Sendable {
    let catalog: SegmentCatalog
    let segments: [SegmentRecord]
    let tasks: [TaskRecord]
    let host: String
    let port: Int

    func batch(_ table: SystemTable) -> Batch {
        let fields = table.fields
        var builders = fields.map { ColumnBuilder(type: $0.1.nativeType) }
        func row(_ values: [ScalarValue]) {
            for (i, v) in values.enumerated() { builders[i].append(v) }
        }
        switch table {
        case .schemata:
            for schema in ["INFORMATION_SCHEMA", "druid", "lookup", "sys", "view"] {
                row([.string("druid"), .string(schema), .null, .null, .null, .null, .null])
            }
        case .tables:
            for ds in catalog.dataSourceNames {
                row([.string("druid"), .string("druid"), .string(ds), .string("TABLE"), .string("NO"), .string("NO")])
            }
            for t in SystemTable.allCases {
                row([.string("druid"), .string(t.schema), .string(t.tableName), .string("SYSTEM_TABLE"), .string("NO"), .string("NO")])
            }
        case .columns:
            for ds in catalog.dataSourceNames {
                guard let info = catalog.dataSource(ds) else { continue }
                for (i, c) in info.signature.columns.enumerated() {
                    let type: SQLType = c.name == "__time" ? .timestamp : c.type.sqlType
                    row(columnRow(schema: "druid", table: ds, name: c.name, position: i + 1, type: type, nullable: c.name != "__time"))
                }
            }
            for t in SystemTable.allCases {
                for (i, f) in t.fields.enumerated() {
                    row(columnRow(schema: t.schema, table: t.tableName, name: f.0, position: i + 1, type: f.1, nullable: true))
                }
            }
        case .segments:
            for s in segments where s.used && !s.isTombstone {
                let dims = (try? JSONValue.parse(s.signature)).flatMap { try? RowSignature.parse(json: $0) }?.names.filter { $0 != "__time" } ?? []
                row([.string(s.id), .string(s.dataSource), .string(ISOTime.format(s.start)), .string(ISOTime.format(s.end)),
                     .long(s.sizeBytes), .string(s.version), .long(Int64(s.partition)), .long(1), .long(s.numRows),
                     .long(1), .long(1), .long(1), .long(0), .long(0),
                     .string(s.shardSpec.isEmpty ? #"{"type":"numbered","partitionNum":\#(s.partition),"partitions":0}"# : s.shardSpec),
                     .string(JSONValue.array(dims.map(JSONValue.string)).serialized), .string("[]"), .null, .long(0)])
            }
        case .tasks:
            for t in tasks {
                let running = t.status == "RUNNING"
                row([.string(t.id), .string(t.id), .string(t.type), .string(t.dataSource), .string(ISOTime.format(t.createdTime)),
                     .string("1970-01-01T00:00:00.000Z"), .string(t.status), .string(t.runnerStatus), .long(t.durationMs),
                     running ? .string("\(host):\(port)") : .null, running ? .string(host) : .null,
                     .long(running ? Int64(port) : -1), .long(-1), t.errorMsg.map(ScalarValue.string) ?? .null])
            }
        }
        let cols = builders.indices.map { builders[$0].finish() }
        let sig = RowSignature(fields.map { ColumnSpec(name: $0.0, type: $0.1.nativeType) })
        return Batch(signature: sig, columns: cols, rowCount: cols.first?.count ?? 0)
    }

    /// One INFORMATION_SCHEMA.COLUMNS row; JDBC type codes as java.sql.Types.
    private func columnRow(schema: String, table: String, name: String, position: Int, type: SQLType, nullable: Bool) -> [ScalarValue] {
        let jdbc: Int64
        switch type {
        case .timestamp: jdbc = 93
        case .bigint: jdbc = -5
        case .double: jdbc = 8
        case .float: jdbc = 6
        case .boolean: jdbc = 16
        case .varchar, .null: jdbc = 12
        case .varcharArray, .bigintArray, .doubleArray: jdbc = 2003
        case .json, .pair: jdbc = 1111
        }
        return [.string("druid"), .string(schema), .string(table), .string(name), .long(Int64(position)), .null,
                .string(nullable ? "YES" : "NO"), .string(type == .null ? "VARCHAR" : type.isArray ? "ARRAY" : type.description), .null, .null, .null, .null, .null,
                .null, .null, .null, .long(jdbc)]
    }
}
