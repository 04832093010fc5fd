internal import DataModel
internal import GRDB

/// `MetadataStore` on SQLite through GRDB.
///
/// A file store is a WAL-mode `DatabasePool` with `synchronous = FULL`, so a
/// committed publish survives power loss; the in-memory store (for tests)
/// is a `DatabaseQueue`. Migrations run when the store opens.
package final class SQLiteMetadataStore: MetadataStore {
    /// Where the database lives.
    package enum Location: Sendable {
        /// A database file (created if missing), e.g. `<data-dir>/metadata.sqlite`.
        case file(path: String)
        /// A private in-memory database that disappears with the store.
        case inMemory
    }

    private let writer: any DatabaseWriter

    package init(_ location: Location) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        do {
            switch location {
            case .file(let path):
                let pool = try DatabasePool(path: path, configuration: configuration)
                // GRDB picks NORMAL for WAL; FULL also syncs the WAL on every commit.
                try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
                writer = pool
            case .inMemory:
                writer = try DatabaseQueue(configuration: configuration)
            }
            try MetadataSchema.migrator.migrate(writer)
        } catch {
            throw Self.translate(error, operation: "open the metadata store")
        }
    }

    /// Names of the migrations applied so far, in order.
    package func appliedMigrations() throws -> [String] {
        try read("list migrations") { db in try MetadataSchema.migrator.appliedMigrations(db) }
    }

    // MARK: - Transactions

    /// Runs `body` in a write transaction, translating database errors.
    func write<T>(_ operation: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.write(body)
        } catch {
            throw Self.translate(error, operation: operation)
        }
    }

    /// Runs `body` in a read transaction, translating database errors.
    func read<T>(_ operation: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.read(body)
        } catch {
            throw Self.translate(error, operation: operation)
        }
    }

    /// Turns a GRDB error into a `HengeError` so no GRDB type escapes.
    static func translate(_ error: any Error, operation: String) -> any Error {
        guard let error = error as? DatabaseError else { return error }
        if error.resultCode == .SQLITE_CONSTRAINT {
            return HengeError(
                code: "conflict", category: .conflict, persona: .developer,
                message: "Cannot \(operation): \(error.message ?? "constraint violated")")
        }
        return HengeError(
            code: "metadataStoreFailure", category: .runtimeFailure, persona: .operator,
            message: "Cannot \(operation): SQLite error \(error.extendedResultCode.rawValue): \(error.message ?? "unknown")")
    }
}
