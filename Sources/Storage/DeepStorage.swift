package import DataModel

/// Permanent storage for immutable segment files.
///
/// Implementations must make a pushed file durable before `push` returns,
/// because the metadata transaction that publishes it follows immediately.
/// Methods block on I/O; call them off the cooperative thread pool.
package protocol DeepStorage: Sendable {
    /// Moves (or copies) the finished file at `localPath` into storage as the
    /// file of segment `id`, fsyncing file and directories, and returns its key.
    /// Throws `conflict` (and leaves storage unchanged) when that key already
    /// holds a file: stored segment files are never replaced.
    func push(segmentFile localPath: String, id: SegmentID) throws -> String

    /// Pushes several files as `push` does, calling `pushed` with each key as
    /// soon as its file is in place (so a caller can delete them if a later
    /// one fails); all are durable when it returns. An implementation may
    /// make them durable together at the end (one filesystem sync).
    func push(segmentFiles: [(localPath: String, id: SegmentID)], pushed: (String) -> Void) throws -> [String]

    /// A readable local path for the file stored under `key`; throws
    /// `notFound` when there is none.
    func localPath(for key: String) throws -> String

    /// Deletes the file stored under `key`; deleting a missing key is not an error.
    func delete(key: String) throws

    /// Every key in storage, sorted (to sweep files no segment refers to).
    func allKeys() throws -> [String]
}

extension DeepStorage {
    /// One `push` per file (the default).
    package func push(segmentFiles: [(localPath: String, id: SegmentID)], pushed: (String) -> Void) throws -> [String] {
        try pushOneByOne(segmentFiles, pushed: pushed)
    }

    /// `push` for each file in turn, reporting each key.
    package func pushOneByOne(_ segmentFiles: [(localPath: String, id: SegmentID)], pushed: (String) -> Void) throws -> [String] {
        var keys: [String] = []
        for file in segmentFiles {
            let key = try push(segmentFile: file.localPath, id: file.id)
            keys.append(key)
            pushed(key)
        }
        return keys
    }
}
