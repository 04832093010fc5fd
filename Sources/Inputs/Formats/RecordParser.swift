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

    /// Druid's `CannotParseExternalData` for one bad row, as Druid's
    /// `IntermediateRowParsingReader` words it: the row text (trailing CR
    /// dropped, cut to 200 characters), the file, the 1-based record number
    /// and the 1-based line where the record starts, both counted from the
    /// file's start (`position` adds what precedes a byte range). Henge adds
    /// after Druid's text what is wrong and in which field or column, when
    /// it knows: `...(Path: p, Record: 2, Line: 3); invalid JSON at character
    /// 23, in the value of field [x]`.
    static func unparseableRow(
        _ text: UnsafeBufferPointer<UInt8>, at position: RowPosition, record: Int, line: Int, detail: String? = nil
    ) -> HengeError {
        var bytes = text
        if let last = bytes.last, last == 0x0D { bytes = UnsafeBufferPointer(rebasing: bytes.dropLast()) }
        let row = String(String(decoding: bytes, as: UTF8.self).prefix(200))
        let (line, record) = position.absolute(line: line, record: record)
        let suffix = detail.map { "; " + $0 } ?? ""
        return .fault(unparseableRowCode,
                      "Unable to parse row [\(row)] (Path: \(position.uri), Record: \(record), Line: \(line))" + suffix)
    }
}
