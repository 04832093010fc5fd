import DataModel
import Foundation
import Storage
import Testing

struct LocalDeepStorageTests {
    let base: String
    let storage: LocalDeepStorage
    let id = SegmentID(
        dataSource: "wiki", interval: Interval(start: 1_704_067_200_000, end: 1_704_153_600_000),
        version: "2024-05-01T10:00:00.000Z", partition: 2)

    init() throws {
        base = FileManager.default.temporaryDirectory.appendingPathComponent("henge-deep-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: base + "/tasks", withIntermediateDirectories: true)
        storage = LocalDeepStorage(root: base + "/deep")
    }

    func cleanup() { try? FileManager.default.removeItem(atPath: base) }

    func makeFile(_ name: String, _ text: String, in directory: String? = nil) throws -> String {
        let path = (directory ?? base + "/tasks") + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func contents(_ path: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
    }

    @Test func keyLayout() {
        defer { cleanup() }
        #expect(LocalDeepStorage.key(for: id)
            == "wiki/2024-01-01T00:00:00.000Z_2024-01-02T00:00:00.000Z/2024-05-01T10:00:00.000Z/2/index.hseg")
    }

    @Test func pushMovesTheFileIntoPlace() throws {
        defer { cleanup() }
        let source = try makeFile("seg.hseg", "segment bytes")
        let key = try storage.push(segmentFile: source, id: id)
        #expect(key == LocalDeepStorage.key(for: id))
        #expect(!FileManager.default.fileExists(atPath: source))
        let path = try storage.localPath(for: key)
        #expect(path == base + "/deep/" + key)
        #expect(try contents(path) == "segment bytes")
        #expect(try storage.allKeys() == [key])
    }

    @Test func pushNeverReplacesAStoredFile() throws {
        defer { cleanup() }
        let key = try storage.push(segmentFile: try makeFile("a", "old"), id: id)
        let second = try makeFile("b", "new")
        let error = #expect(throws: HengeError.self) { try storage.push(segmentFile: second, id: id) }
        #expect(error?.code == "conflict")
        #expect(try contents(try storage.localPath(for: key)) == "old")
        #expect(FileManager.default.fileExists(atPath: second))  // left for the caller to clean up
        #expect(try storage.allKeys() == [key])
    }

    @Test func pushAcrossFilesystemsCopies() throws {
        defer { cleanup() }
        guard FileManager.default.fileExists(atPath: "/dev/shm") else { return }
        let shm = "/dev/shm/henge-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: shm, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: shm) }
        let source = try makeFile("x.hseg", String(repeating: "z", count: 3_000_000), in: shm)
        let key = try storage.push(segmentFile: source, id: id)
        #expect(!FileManager.default.fileExists(atPath: source))
        #expect(try contents(try storage.localPath(for: key)).count == 3_000_000)
        #expect(try storage.allKeys() == [key])  // no .tmp left behind
        let again = try makeFile("y.hseg", "other", in: shm)
        #expect(throws: HengeError.self) { try storage.push(segmentFile: again, id: id) }
        #expect(try storage.allKeys() == [key])
        #expect(FileManager.default.fileExists(atPath: again))
    }

    @Test func deleteRemovesFileAndEmptyDirectories() throws {
        defer { cleanup() }
        var other = id
        other.partition = 3
        let key = try storage.push(segmentFile: try makeFile("a", "a"), id: id)
        let otherKey = try storage.push(segmentFile: try makeFile("b", "b"), id: other)
        try storage.delete(key: key)
        #expect(try storage.allKeys() == [otherKey])
        #expect(!FileManager.default.fileExists(atPath: base + "/deep/" + key))
        #expect(!FileManager.default.fileExists(atPath: base + "/deep/" + (key as NSString).deletingLastPathComponent))
        try storage.delete(key: otherKey)
        #expect(try storage.allKeys() == [])
        #expect(try FileManager.default.contentsOfDirectory(atPath: base + "/deep") == [])
        try storage.delete(key: otherKey)  // idempotent
    }

    @Test func missingAndInvalidKeys() throws {
        defer { cleanup() }
        #expect(try storage.allKeys() == [])  // root does not exist yet
        let missing = #expect(throws: HengeError.self) { try storage.localPath(for: "wiki/x/index.hseg") }
        #expect(missing?.code == "notFound")
        for bad in ["", "../etc/passwd", "/etc/passwd", "wiki//x", "wiki/./x"] {
            #expect(throws: HengeError.self) { try storage.localPath(for: bad) }
            #expect(throws: HengeError.self) { try storage.delete(key: bad) }
        }
    }

    @Test func allKeysListsStrayFiles() throws {
        defer { cleanup() }
        let key = try storage.push(segmentFile: try makeFile("a", "a"), id: id)
        try FileManager.default.createDirectory(atPath: base + "/deep/ghost/x", withIntermediateDirectories: true)
        _ = try makeFile("index.hseg.tmp", "partial", in: base + "/deep/ghost/x")
        #expect(try storage.allKeys() == ["ghost/x/index.hseg.tmp", key])
    }

    @Test func pushOfMissingFileFails() throws {
        defer { cleanup() }
        let error = #expect(throws: HengeError.self) { try storage.push(segmentFile: base + "/tasks/none", id: id) }
        #expect(error?.code == "deepStorageFailure")
    }
}
