internal import DataModel

/// Turns the physical lines of one input file into rows of a batch.
protocol RecordParser {
    /// Handles line `lineNumber` (1-based, without its `\n`; may end in
    /// `\r`), appending zero or one row to `batch`.
    mutating func consume(line: UnsafeBufferPointer<UInt8>, lineNumber: Int, into batch: BatchAccumulator)
        throws(HengeError)

    /// Called once after the last line.
    mutating func finish(into batch: BatchAccumulator) throws(HengeError)
}

extension UnsafeBufferPointer<UInt8> {
    /// The bytes after a UTF-8 byte order mark, if they start with one.
    func droppingByteOrderMark() -> UnsafeBufferPointer<UInt8> {
        if count >= 3 && self[0] == 0xEF && self[1] == 0xBB && self[2] == 0xBF {
            return UnsafeBufferPointer(rebasing: self[3...])
        }
        return self
    }
}

extension HengeError {
    /// The error code of a row that does not parse.
    package static let unparseableRowCode = "CannotParseExternalData"

    /// Druid's `CannotParseExternalData` for one bad row: the row text
    /// (trailing CR dropped, cut to 200 characters), the file, the 1-based
    /// record number and the 1-based line where the record starts.
    static func unparseableRow(_ text: UnsafeBufferPointer<UInt8>, uri: String, record: Int, line: Int) -> HengeError {
        var bytes = text
        if let last = bytes.last, last == 0x0D { bytes = UnsafeBufferPointer(rebasing: bytes.dropLast()) }
        let row = String(String(decoding: bytes, as: UTF8.self).prefix(200))
        return .fault(unparseableRowCode, "Unable to parse row [\(row)] (Path: \(uri), Record: \(record), Line: \(line))")
    }
}
