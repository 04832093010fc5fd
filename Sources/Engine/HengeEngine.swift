package import DataModel
internal import Foundation
internal import Logging
internal import SQLPlanner
internal import MSQPlanner
internal import MSQKernel
internal import MSQExec
internal import Metadata
internal import Storage
internal import Expressions
internal import Inputs

/// The composition root: owns metadata, deep storage and running tasks, and
/// serves every statement the HTTP API receives.
package final class HengeEngine: Sendable {
    let config: EngineConfig
    let metadata: any MetadataStore
    let storage: any DeepStorage
    let registry = TaskRegistry()
    let catalogBox: Mutex<SegmentCatalog>
    /// Serializes publishes so partition numbering and overshadowing see a stable state.
    let publishLock = AsyncLock()
    /// Time-chunk locks of running tasks.
    let lockbox = TaskLockbox()
    /// Task slots (`EngineConfig.taskSlots`).
    let slots: TaskSlots
    let clock: @Sendable () -> Int64
    let logger = Logger(label: "henge.engine")
    /// The port tasks report as their location; set once the server has bound (`--port 0`).
    let advertisedPort: Mutex<Int>
    /// Cancellation flags of the `/druid/v2/sql` queries running now, by sqlQueryId.
    let runningQueries = Mutex<[String: [CancellationFlag]]>([:])

    /// Opens (or creates) the data directory, fails tasks a previous process
    /// left RUNNING, and sweeps temp dirs and orphaned segment files.
    package static func open(_ config: EngineConfig, clock: @escaping @Sendable () -> Int64 = WallClock.nowMillis) throws -> HengeEngine {
        let fm = FileManager.default
        for dir in [config.dataDirectory, config.deepStorageRoot, config.tasksRoot] {
            try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        let metadata = try SQLiteMetadataStore(.file(path: config.metadataPath))
        let storage = LocalDeepStorage(root: config.deepStorageRoot)
        let engine = HengeEngine(config: config, metadata: metadata, storage: storage, clock: clock)
        try engine.recover()
        return engine
    }

    init(config: EngineConfig, metadata: any MetadataStore, storage: any DeepStorage, clock: @escaping @Sendable () -> Int64) {
        self.config = config
        self.metadata = metadata
        self.storage = storage
        self.clock = clock
        self.catalogBox = Mutex(SegmentCatalog(records: []))
        self.advertisedPort = Mutex(config.port)
        self.slots = TaskSlots(capacity: config.taskSlots)
    }

    /// Records the port the HTTP server actually listens on.
    package func serverDidBind(port: Int) {
        advertisedPort.withLock { $0 = port }
    }

    /// Start-up recovery (DESIGN.md §5): interrupted tasks end FAILED,
    /// temp dirs are removed, deep-storage files no segment row names are deleted.
    func recover() throws {
        let failed = try metadata.failInterruptedTasks(
            message: "UnknownError: Task was interrupted by a server restart before it completed; nothing it wrote was published.",
            now: clock())
        if !failed.isEmpty { logger.warning("marked \(failed.count) interrupted task(s) FAILED") }
        // DESIGN.md §7: say which optional fast library is in use.
        logger.info("gzip input through \(GzipInflater.description)")
        let fm = FileManager.default
        for entry in (try? fm.contentsOfDirectory(atPath: config.tasksRoot)) ?? [] {
            try? fm.removeItem(atPath: config.tasksRoot + "/" + entry)
        }
        let referenced = try metadata.allSegmentKeys()
        for key in try storage.allKeys() where !referenced.contains(key) {
            logger.info("deleting orphaned segment file \(key)")
            try storage.delete(key: key)
        }
        try refreshCatalog()
    }

    func refreshCatalog() throws {
        let records = try metadata.usedSegments(dataSource: nil)
        catalogBox.withLock { $0 = SegmentCatalog(records: records) }
    }

    var catalog: SegmentCatalog { catalogBox.withLock { $0 } }

    /// Datasources with at least one visible segment.
    package func dataSourceNames() -> [String] { catalog.dataSourceNames }

    /// Drops a datasource (Druid's coordinator DELETE): marks all its segments
    /// unused in one transaction. Returns nil when the datasource is unknown,
    /// else the number of segments changed.
    package func dropDataSource(_ name: String) async throws(HengeError) -> Int? {
        guard catalog.dataSourceNames.contains(name) else { return nil }
        await publishLock.lock()
        let result: Result<Int, HengeError>
        do {
            let n = try metadata.markUnused(dataSource: name)
            try refreshCatalog()
            result = .success(n)
        } catch let e as HengeError {
            result = .failure(e)
        } catch {
            result = .failure(HengeError.fault("UnknownError", "Cannot drop datasource [\(name)]: \(error)"))
        }
        await publishLock.unlock()
        return try result.get()
    }
}

/// A FIFO async mutex.
actor AsyncLock {
    private var locked = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func lock() async {
        if !locked {
            locked = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func unlock() {
        if waiters.isEmpty {
            locked = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
