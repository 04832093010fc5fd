/// What reading external input has done so far (Druid's input-stage
/// counters): rows produced, bytes read from storage, files finished.
package struct InputCounters: Hashable, Sendable {
    /// Rows emitted in batches.
    package var rows: Int64 = 0
    /// Bytes read from storage: the compressed bytes for compressed files
    /// (`.gz`, `.bz2`, `.xz`, `.zst`, `.zip`), the UTF-8 length for inline data.
    package var bytes: Int64 = 0
    /// Files read to the end.
    package var files: Int64 = 0

    /// Counters starting at the given values (zero by default).
    package init(rows: Int64 = 0, bytes: Int64 = 0, files: Int64 = 0) {
        self.rows = rows
        self.bytes = bytes
        self.files = files
    }
}
