internal import GRDB

/// Column lists and row mapping; kept next to each other so they cannot drift.
extension TaskRecord {
    static let columns = """
        id, type, data_source, created_time, status, runner_status, duration_ms, error_msg, sql_query, context, report
        """

    init(row: Row) {
        self.init(
            id: row["id"], type: row["type"], dataSource: row["data_source"], createdTime: row["created_time"],
            status: row["status"], runnerStatus: row["runner_status"], durationMs: row["duration_ms"],
            errorMsg: row["error_msg"], sqlQuery: row["sql_query"], context: row["context"], report: row["report"])
    }

    var arguments: StatementArguments {
        [id, type, dataSource, createdTime, status, runnerStatus, durationMs, errorMsg, sqlQuery, context, report]
    }
}

extension SegmentRecord {
    static let columns = """
        id, data_source, start_ms, end_ms, version, partition_number, used, storage_key, size_bytes, num_rows, \
        signature, created_time, is_tombstone, shard_spec
        """

    init(row: Row) {
        self.init(
            id: row["id"], dataSource: row["data_source"], start: row["start_ms"], end: row["end_ms"],
            version: row["version"], partition: row["partition_number"], used: row["used"],
            storageKey: row["storage_key"], sizeBytes: row["size_bytes"], numRows: row["num_rows"],
            signature: row["signature"], createdTime: row["created_time"], isTombstone: row["is_tombstone"],
            shardSpec: row["shard_spec"])
    }

    var arguments: StatementArguments {
        [id, dataSource, start, end, version, partition, used, storageKey, sizeBytes, numRows, signature, createdTime,
         isTombstone, shardSpec]
    }
}
