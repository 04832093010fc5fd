import DataModel
import Foundation
import Testing
@testable import Metadata

struct MigrationTests {
    @Test func migratesAnEmptyInMemoryDatabase() throws {
        let store = try SQLiteMetadataStore(.inMemory)
        #expect(try store.appliedMigrations() == ["v1", "v2: segment shard specs"])
        #expect(try store.tasks().isEmpty)
        #expect(try store.usedSegments(dataSource: nil).isEmpty)
        #expect(try store.dataSources().isEmpty)
        #expect(try store.allSegmentKeys().isEmpty)
    }

    @Test func fileDatabaseIsDurableAcrossReopen() throws {
        let path = Fixtures.temporaryPath()
        defer { Fixtures.removeDatabase(path) }
        let task = Fixtures.task("query-1", created: 100)
        let segment = Fixtures.segment("wiki", day: 0)
        do {
            let store = try SQLiteMetadataStore(.file(path: path))
            #expect(try store.appliedMigrations() == ["v1", "v2: segment shard specs"])
            try store.insertTask(task)
            try store.publish(newSegments: [segment], overshadowedIDs: [])
        }
        #expect(FileManager.default.fileExists(atPath: path))
        // Reopening runs the migrator again: it must be a no-op that keeps the data.
        let reopened = try SQLiteMetadataStore(.file(path: path))
        #expect(try reopened.appliedMigrations() == ["v1", "v2: segment shard specs"])
        #expect(try reopened.task(id: "query-1") == task)
        #expect(try reopened.usedSegments(dataSource: "wiki") == [segment])
        #expect(try reopened.dataSources() == ["wiki"])
    }

    @Test func unopenableFileIsAHengeError() {
        let error = #expect(throws: HengeError.self) {
            try SQLiteMetadataStore(.file(path: "/nonexistent-henge-dir/metadata.sqlite"))
        }
        #expect(error?.code == "metadataStoreFailure")
    }
}
