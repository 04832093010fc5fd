package import DataModel
internal import Foundation

/// Deep storage in a local directory:
/// `<root>/<dataSource>/<start>_<end>/<version>/<partition>/index.hseg`.
///
/// `push` hard-links the file into place and removes the source (copying
/// through a temp file when the source is on another filesystem), then
/// fsyncs the file and every directory whose entries changed, so a
/// published segment survives a power loss. A publish of many segments
/// places them all and then syncs the filesystem once (`syncfs`). It never replaces an existing
/// file: a key names one immutable segment, and a failed publish that
/// cleans up what it pushed must not delete a live segment's file.
package struct LocalDeepStorage: DeepStorage {
    /// The directory holding all segments, normally `<data-dir>/deep`.
    package let root: String

    /// The name of every segment file inside its partition directory.
    package static let fileName = "index.hseg"

    package init(root: String) {
        var root = root
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.root = root
    }

    /// The key a segment is stored under (a path relative to `root`).
    package static func key(for id: SegmentID) -> String {
        let interval = ISOTime.format(id.interval.start) + "_" + ISOTime.format(id.interval.end)
        return [id.dataSource, interval, id.version, String(id.partition), fileName].joined(separator: "/")
    }

    package func push(segmentFile localPath: String, id: SegmentID) throws -> String {
        let key = try place(localPath, id: id, sync: true)
        try FileSystem.syncDirectory(FileSystem.parent(of: try path(for: key)))
        return key
    }

    /// Places every file without syncing, then makes them all durable with
    /// one `syncfs` of the storage filesystem (file data, links and new
    /// directories alike); where `syncfs` is missing, one `push` per file.
    package func push(segmentFiles: [(localPath: String, id: SegmentID)], pushed: (String) -> Void) throws -> [String] {
        guard FileSystem.canSyncFileSystem, segmentFiles.count > 1 else { return try pushOneByOne(segmentFiles, pushed: pushed) }
        var keys: [String] = []
        for file in segmentFiles {
            keys.append(try place(file.localPath, id: file.id, sync: false))
            pushed(keys.last!)
        }
        try FileSystem.syncFileSystem(root)
        return keys
    }

    /// Links (or copies) `localPath` into place as segment `id`'s file and
    /// returns its key; with `sync` the file and new directories are fsynced
    /// (the caller still syncs the file's directory).
    private func place(_ localPath: String, id: SegmentID, sync: Bool) throws -> String {
        let key = Self.key(for: id)
        let destination = try path(for: key)
        let directory = FileSystem.parent(of: destination)
        try FileSystem.makeDirectories(directory, sync: sync)
        if sync { try FileSystem.syncFile(localPath) }
        switch try FileSystem.linkWithoutReplacing(localPath, to: destination) {
        case .linked:
            try FileSystem.remove(localPath)
        case .moved:
            break
        case .exists:
            throw Self.alreadyStored(key)
        case .crossDevice:
            // Another filesystem: copy to a temp name next to the target, sync, link, drop both.
            let temporary = destination + ".tmp"
            try FileSystem.copyAndSync(localPath, to: temporary, sync: sync)
            defer { _ = try? FileSystem.remove(temporary) }
            guard try [.linked, .moved].contains(FileSystem.linkWithoutReplacing(temporary, to: destination)) else {
                throw Self.alreadyStored(key)
            }
            try FileSystem.remove(localPath)
        }
        return key
    }

    package func localPath(for key: String) throws -> String {
        let path = try path(for: key)
        guard FileManager.default.fileExists(atPath: path) else {
            throw HengeError.notFound("Segment file [\(key)] is missing from deep storage [\(root)]")
        }
        return path
    }

    package func delete(key: String) throws {
        let path = try path(for: key)
        guard try FileSystem.remove(path) else { return }
        // Prune directories the deletion left empty, up to (not including) the root.
        var directory = FileSystem.parent(of: path)
        while directory.count > root.count, directory.hasPrefix(root + "/"), FileSystem.removeEmptyDirectory(directory) {
            directory = FileSystem.parent(of: directory)
        }
        try FileSystem.syncDirectory(directory)
    }

    package func allKeys() throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            return []
        }
        let paths: [String]
        do {
            paths = try FileManager.default.subpathsOfDirectory(atPath: root)
        } catch {
            throw FileSystem.failure("list [\(root)]", reason: String(describing: error))
        }
        return paths.filter { FileSystem.isRegularFile(root + "/" + $0) }.sorted()
    }

    private static func alreadyStored(_ key: String) -> HengeError {
        HengeError(
            code: "conflict", category: .conflict, persona: .developer,
            message: "Deep storage already holds segment file [\(key)]; refusing to overwrite it")
    }

    /// The absolute path of `key`, refusing keys that would escape `root`.
    private func path(for key: String) throws(HengeError) -> String {
        let components = key.split(separator: "/", omittingEmptySubsequences: false)
        guard !key.isEmpty, components.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else {
            throw HengeError.defensive("Invalid deep storage key [\(key)]")
        }
        return root + "/" + key
    }
}
