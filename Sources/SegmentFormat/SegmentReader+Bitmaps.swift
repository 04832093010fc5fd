package import DataModel

/// Row sets from a STRING column's bitmap index, without decoding the
/// column: only the header and the bitmaps asked for are read from the
/// mapped file (and their CRCs checked).
///
/// Each method returns nil when the column has no index: files written
/// before the index existed, columns that are not STRING (or ARRAY/JSON
/// stored as text), or names the segment lacks.
extension SegmentReader {
    /// Whether `column` has a bitmap index.
    package func hasBitmapIndex(_ column: String) -> Bool {
        signature.index(of: column).map { footer.columns[$0].bitmapIndex != nil } ?? false
    }

    /// Rows holding `value` (for a multi-value row: any of its values),
    /// compared as SQL `=` on VARCHAR compares. NULL rows never match.
    package func rows(equalTo value: String, in column: String) throws(HengeError) -> RowBitmap? {
        try rows(in: [value], column: column)
    }

    /// Rows holding any of `values`.
    package func rows(in values: [String], column: String) throws(HengeError) -> RowBitmap? {
        try withIndex(column) { (index) throws(SegmentCorruption) in
            var out = RowBitmap(rowCount: rowCount)
            var seen = Set<Int>()
            var cache = BitmapChunkCache()
            for value in values {
                for id in try index.ids(equalTo: value) where seen.insert(id).inserted {
                    try index.decodeBitmap(id, into: &out, cache: &cache)
                }
            }
            return out
        }
    }

    /// The NULL rows of `column` (for a multi-value column: rows with no value).
    package func nullRows(_ column: String) throws(HengeError) -> RowBitmap? {
        try withIndex(column) { (index) throws(SegmentCorruption) in
            var out = RowBitmap(rowCount: rowCount)
            var cache = BitmapChunkCache()
            try index.decodeBitmap(index.cardinality, into: &out, cache: &cache)
            return out
        }
    }

    /// Decodes every bitmap of every index, checking all their CRCs.
    package func verifyBitmapIndexes() throws(HengeError) {
        for column in footer.columns where column.bitmapIndex != nil {
            _ = try withIndex(column.info.name) { (index) throws(SegmentCorruption) in
                var cache = BitmapChunkCache()
                for id in 0...index.cardinality {
                    var rows = RowBitmap(rowCount: rowCount)
                    try index.decodeBitmap(id, into: &rows, cache: &cache)
                }
                return RowBitmap(rowCount: 0)
            }
        }
    }

    /// Whether `column`'s index stores its dictionary compressed, and its
    /// bitmap chunks (all, compressed); nil without an index.
    func indexStorage(_ column: String) throws(HengeError) -> (dictionaryCompressed: Bool, chunks: Int, compressedChunks: Int)? {
        var result: (Bool, Int, Int)? = nil
        _ = try withIndex(column) { (index) throws(SegmentCorruption) in
            result = (index.isDictionaryCompressed, index.chunkCounts.total, index.chunkCounts.compressed)
            return RowBitmap(rowCount: 0)
        }
        return result
    }

    private func withIndex(
        _ column: String, _ body: (StringIndexView) throws(SegmentCorruption) -> RowBitmap
    ) throws(HengeError) -> RowBitmap? {
        guard let i = signature.index(of: column), let region = footer.columns[i].bitmapIndex else { return nil }
        do throws(SegmentCorruption) {
            return try body(try indexView(i, region: region))
        } catch {
            throw HengeError.segmentCorrupted(path: path, reason: "\(error.reason) in the bitmap index of column [\(column)]")
        }
    }
}
