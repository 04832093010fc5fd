internal import DataModel
internal import GRDB

extension SQLiteMetadataStore {
    package func publish(newSegments: [SegmentRecord], overshadowedIDs: [String], completing: TaskCompletion?) throws {
        let ids = newSegments.prefix(3).map(\.id).joined(separator: ", ") + (newSegments.count > 3 ? ", ..." : "")
        try write("publish segments [\(ids)]") { db in
            let insert = try db.makeStatement(
                sql: "INSERT INTO segments (\(SegmentRecord.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            for var segment in newSegments {
                segment.used = true
                try insert.execute(arguments: segment.arguments)
            }
            let markUnused = try db.makeStatement(sql: "UPDATE segments SET used = 0 WHERE id = ?")
            for id in overshadowedIDs {
                try markUnused.execute(arguments: [id])
            }
            if let completing {
                try db.execute(sql: "UPDATE tasks SET status = 'SUCCESS', runner_status = 'NONE', duration_ms = ? WHERE id = ?",
                               arguments: [completing.durationMs, completing.taskID])
                if db.changesCount == 0 { throw HengeError.notFound("Task [\(completing.taskID)] does not exist") }
            }
        }
    }

    package func usedSegments(dataSource: String?) throws -> [SegmentRecord] {
        try read("list used segments") { db in
            let order = "ORDER BY start_ms, version, partition_number, data_source, end_ms, id"
            let rows: [Row]
            if let dataSource {
                rows = try Row.fetchAll(
                    db, sql: "SELECT \(SegmentRecord.columns) FROM segments WHERE used = 1 AND data_source = ? \(order)",
                    arguments: [dataSource])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT \(SegmentRecord.columns) FROM segments WHERE used = 1 \(order)")
            }
            return rows.map(SegmentRecord.init(row:))
        }
    }

    package func segment(id: String) throws -> SegmentRecord? {
        try read("read segment [\(id)]") { db in
            try Row.fetchOne(db, sql: "SELECT \(SegmentRecord.columns) FROM segments WHERE id = ?", arguments: [id])
                .map(SegmentRecord.init(row:))
        }
    }

    package func allSegmentKeys() throws -> Set<String> {
        try read("list segment storage keys") { db in
            Set(try String.fetchAll(db, sql: "SELECT DISTINCT storage_key FROM segments WHERE storage_key <> ''"))
        }
    }

    package func dataSources() throws -> [String] {
        try read("list data sources") { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT data_source FROM segments WHERE used = 1 AND is_tombstone = 0
                    ORDER BY data_source
                    """)
        }
    }

    package func markUnused(dataSource: String) throws -> Int {
        try write("mark segments of [\(dataSource)] unused") { db in
            try db.execute(sql: "UPDATE segments SET used = 0 WHERE data_source = ? AND used = 1", arguments: [dataSource])
            return db.changesCount
        }
    }
}
