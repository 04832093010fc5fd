internal import GRDB

/// The schema and its migrations. Invariants live in the schema (NOT NULL,
/// CHECK, primary keys) because the database outlives the code.
enum MetadataSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE tasks (
                    id TEXT PRIMARY KEY NOT NULL,
                    type TEXT NOT NULL,
                    data_source TEXT NOT NULL,
                    created_time INTEGER NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('RUNNING', 'SUCCESS', 'FAILED')),
                    runner_status TEXT NOT NULL CHECK (runner_status IN ('WAITING', 'PENDING', 'RUNNING', 'NONE')),
                    duration_ms INTEGER NOT NULL,
                    error_msg TEXT,
                    sql_query TEXT NOT NULL,
                    context TEXT NOT NULL,
                    report TEXT
                ) STRICT;
                CREATE INDEX tasks_by_created_time ON tasks (created_time);
                CREATE INDEX tasks_by_status ON tasks (status);

                CREATE TABLE segments (
                    id TEXT PRIMARY KEY NOT NULL,
                    data_source TEXT NOT NULL,
                    start_ms INTEGER NOT NULL,
                    end_ms INTEGER NOT NULL CHECK (end_ms >= start_ms),
                    version TEXT NOT NULL,
                    partition_number INTEGER NOT NULL CHECK (partition_number >= 0),
                    used INTEGER NOT NULL CHECK (used IN (0, 1)),
                    storage_key TEXT NOT NULL,
                    size_bytes INTEGER NOT NULL,
                    num_rows INTEGER NOT NULL,
                    signature TEXT NOT NULL,
                    created_time INTEGER NOT NULL,
                    is_tombstone INTEGER NOT NULL CHECK (is_tombstone IN (0, 1))
                ) STRICT;
                CREATE INDEX segments_by_data_source ON segments (data_source, used, start_ms);
                CREATE INDEX segments_by_storage_key ON segments (storage_key);
                """)
        }
        migrator.registerMigration("v2: segment shard specs") { db in
            try db.execute(sql: "ALTER TABLE segments ADD COLUMN shard_spec TEXT NOT NULL DEFAULT ''")
        }
        return migrator
    }
}
