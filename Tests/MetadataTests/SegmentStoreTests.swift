import DataModel
import Testing
@testable import Metadata

struct SegmentStoreTests {
    @Test func publishInsertsAsUsedAndOvershadows() throws {
        let store = try SQLiteMetadataStore(.inMemory)
        let v1 = Fixtures.segment("wiki", day: 0, version: "v1")
        let v1b = Fixtures.segment("wiki", day: 0, version: "v1", partition: 1)
        try store.publish(newSegments: [v1, v1b], overshadowedIDs: [])

        var v2 = Fixtures.segment("wiki", day: 0, version: "v2")
        v2.used = false  // ignored: publish always inserts as used
        try store.publish(newSegments: [v2], overshadowedIDs: [v1.id, v1b.id])

        v2.used = true
        #expect(try store.usedSegments(dataSource: "wiki") == [v2])
        #expect(try store.segment(id: v1.id)?.used == false)
        #expect(try store.segment(id: v1b.id)?.used == false)
        // Unused rows still hold their files until swept.
        #expect(try store.allSegmentKeys() == [v1.storageKey, v1b.storageKey, v2.storageKey])
    }

    @Test func publishIsAtomic() throws {
        let store = try SQLiteMetadataStore(.inMemory)
        let a = Fixtures.segment("wiki", day: 0)
        let b = Fixtures.segment("wiki", day: 1)
        try store.publish(newSegments: [a, b], overshadowedIDs: [])

        // The second publish reuses a's id after a fresh segment: nothing of it may stick.
        let c = Fixtures.segment("wiki", day: 2)
        let error = #expect(throws: HengeError.self) {
            try store.publish(newSegments: [c, a], overshadowedIDs: [b.id])
        }
        #expect(error?.code == "conflict")
        #expect(try store.segment(id: c.id) == nil)
        #expect(try store.segment(id: b.id)?.used == true)
        #expect(try store.usedSegments(dataSource: nil) == [a, b])
        #expect(!(try store.allSegmentKeys()).contains(c.storageKey))
    }

    @Test func usedSegmentsOrdering() throws {
        let store = try SQLiteMetadataStore(.inMemory)
        let segments = [
            Fixtures.segment("wiki", day: 1, version: "v1", partition: 1),
            Fixtures.segment("wiki", day: 0, version: "v2", partition: 0),
            Fixtures.segment("logs", day: 0, version: "v1", partition: 0),
            Fixtures.segment("wiki", day: 1, version: "v1", partition: 0),
            Fixtures.segment("wiki", day: 0, version: "v1", partition: 2),
            Fixtures.segment("wiki", day: 1, version: "v0", partition: 10),
        ]
        try store.publish(newSegments: segments, overshadowedIDs: [])
        // By start, then version (as text), then partition.
        let wiki = [segments[4], segments[1], segments[5], segments[3], segments[0]]
        #expect(try store.usedSegments(dataSource: "wiki") == wiki)
        #expect(try store.usedSegments(dataSource: "logs") == [segments[2]])
        #expect(try store.usedSegments(dataSource: "nope").isEmpty)
        #expect(try store.usedSegments(dataSource: nil) == [segments[2]] + wiki)
    }

    @Test func dataSourcesIgnoreTombstonesAndUnused() throws {
        let store = try SQLiteMetadataStore(.inMemory)
        try store.publish(
            newSegments: [
                Fixtures.segment("wiki", day: 0), Fixtures.segment("empty", day: 0, tombstone: true),
                Fixtures.segment("dropped", day: 0), Fixtures.segment("a-first", day: 3),
            ], overshadowedIDs: [])
        #expect(try store.dataSources() == ["a-first", "dropped", "wiki"])
        #expect(try store.markUnused(dataSource: "dropped") == 1)
        #expect(try store.markUnused(dataSource: "dropped") == 0)
        #expect(try store.dataSources() == ["a-first", "wiki"])
        // Tombstones are used segments (they overshadow), but have no file.
        #expect(try store.usedSegments(dataSource: "empty").map(\.isTombstone) == [true])
        #expect(!(try store.allSegmentKeys()).contains(""))
    }

    @Test func segmentIDRoundTrip() {
        let record = Fixtures.segment("wiki", day: 0, version: "2024-05-01T00:00:00.000Z", partition: 3)
        #expect(record.segmentID.description == record.id)
        #expect(record.id == "wiki_2024-01-01T00:00:00.000Z_2024-01-02T00:00:00.000Z_2024-05-01T00:00:00.000Z_3")
    }
}
