package import DataModel

/// The metadata tables Druid serves through SQL (`INFORMATION_SCHEMA.*` and
/// `sys.*`): their names and columns. Rows are produced by the engine from
/// its catalog and task records (`Engine/Catalog/SystemTableRows`).
package enum SystemTable: String, Hashable, Sendable, CaseIterable {
    case schemata = "INFORMATION_SCHEMA.SCHEMATA"
    case tables = "INFORMATION_SCHEMA.TABLES"
    case columns = "INFORMATION_SCHEMA.COLUMNS"
    case segments = "sys.segments"
    case tasks = "sys.tasks"

    /// Looks up `schema.table` as written (case-sensitive, like Druid).
    package init?(schema: String, table: String) {
        self.init(rawValue: schema + "." + table)
    }

    package var schema: String { String(rawValue.split(separator: ".")[0]) }
    package var tableName: String { String(rawValue.split(separator: ".")[1]) }

    package var fields: [(String, SQLType)] {
        switch self {
        case .schemata:
            return [("CATALOG_NAME", .varchar), ("SCHEMA_NAME", .varchar), ("SCHEMA_OWNER", .varchar),
                    ("DEFAULT_CHARACTER_SET_CATALOG", .varchar), ("DEFAULT_CHARACTER_SET_SCHEMA", .varchar),
                    ("DEFAULT_CHARACTER_SET_NAME", .varchar), ("SQL_PATH", .varchar)]
        case .tables:
            return [("TABLE_CATALOG", .varchar), ("TABLE_SCHEMA", .varchar), ("TABLE_NAME", .varchar), ("TABLE_TYPE", .varchar),
                    ("IS_JOINABLE", .varchar), ("IS_BROADCAST", .varchar)]
        case .columns:
            return [("TABLE_CATALOG", .varchar), ("TABLE_SCHEMA", .varchar), ("TABLE_NAME", .varchar), ("COLUMN_NAME", .varchar),
                    ("ORDINAL_POSITION", .bigint), ("COLUMN_DEFAULT", .varchar), ("IS_NULLABLE", .varchar), ("DATA_TYPE", .varchar),
                    ("CHARACTER_MAXIMUM_LENGTH", .bigint), ("CHARACTER_OCTET_LENGTH", .bigint), ("NUMERIC_PRECISION", .bigint),
                    ("NUMERIC_PRECISION_RADIX", .bigint), ("NUMERIC_SCALE", .bigint), ("DATETIME_PRECISION", .bigint),
                    ("CHARACTER_SET_NAME", .varchar), ("COLLATION_NAME", .varchar), ("JDBC_TYPE", .bigint)]
        case .segments:
            return [("segment_id", .varchar), ("datasource", .varchar), ("start", .varchar), ("end", .varchar), ("size", .bigint),
                    ("version", .varchar), ("partition_num", .bigint), ("num_replicas", .bigint), ("num_rows", .bigint),
                    ("is_active", .bigint), ("is_published", .bigint), ("is_available", .bigint), ("is_realtime", .bigint),
                    ("is_overshadowed", .bigint), ("shard_spec", .varchar), ("dimensions", .varchar), ("metrics", .varchar),
                    ("last_compaction_state", .varchar), ("replication_factor", .bigint)]
        case .tasks:
            return [("task_id", .varchar), ("group_id", .varchar), ("type", .varchar), ("datasource", .varchar),
                    ("created_time", .varchar), ("queue_insertion_time", .varchar), ("status", .varchar), ("runner_status", .varchar),
                    ("duration", .bigint), ("location", .varchar), ("host", .varchar), ("plaintext_port", .bigint),
                    ("tls_port", .bigint), ("error_msg", .varchar)]
        }
    }
}
