package import DataModel
internal import Foundation
internal import MSQKernel

/// Druid cannot store strings holding U+0000 (its row frames use it as a
/// terminator): such a value fails the task with `InvalidNullByte`, unless
/// the context sets `removeNullBytes`, which strips the NUL characters.
enum NullBytes {
    /// Whether a string holds U+0000 (memchr over its UTF-8 bytes; this runs
    /// on every dictionary entry of every batch read).
    static func holdsNul(_ s: String) -> Bool {
        s.utf8.withContiguousStorageIfAvailable { b in
            b.count > 0 && memchr(b.baseAddress!, 0, b.count) != nil
        } ?? s.utf8.contains(0)
    }

    /// Checks (or cleans) the string columns of a batch read from `source`;
    /// `firstRow` is the 1-based number of the batch's first row in that file.
    static func check(_ batch: Batch, source: String, firstRow: Int64, remove: Bool) throws(HengeError) -> Batch {
        var out = batch
        for (c, column) in batch.columns.enumerated() {
            let dictionary: [String]
            switch column.data {
            case .string(let s): dictionary = s.dictionary
            case .multiString(let m): dictionary = m.dictionary
            default: continue
            }
            guard let bad = dictionary.firstIndex(where: NullBytes.holdsNul) else { continue }
            if remove {
                let cleaned = dictionary.map { $0.utf8.contains(0) ? String(decoding: $0.utf8.filter { $0 != 0 }, as: UTF8.self) : $0 }
                switch column.data {
                case .string(var s): s.dictionary = cleaned; out.columns[c] = ColumnVector(.string(s), nulls: column.nulls)
                case .multiString(var m): m.dictionary = cleaned; out.columns[c] = ColumnVector(.multiString(m), nulls: column.nulls)
                default: break
                }
                continue
            }
            // The first row holding the bad value, for the message.
            var row = 0
            if case .string(let s) = column.data {
                row = (0..<batch.rowCount).first { !column.isNull($0) && Int(s.ids[$0]) == bad } ?? 0
            }
            let value = dictionary[bad]
            let position = (value.unicodeScalars.firstIndex { $0.value == 0 }.map { value.unicodeScalars.distance(from: value.unicodeScalars.startIndex, to: $0) } ?? 0) + 1
            let name = batch.signature.columns[c].name
            let rowNumber = firstRow + Int64(row)
            throw HengeError.fault(
                "InvalidNullByte",
                "Invalid null byte at source [\(source)], rowNumber [\(rowNumber)], column[\(name)], value[\(value)], position[\(position)]."
                    + " Consider sanitizing the string using REPLACE(\"\(name)\", U&'\\0000', '') AS \(name)",
                fields: [("source", .string(source)), ("rowNumber", .int(rowNumber)), ("column", .string(name)),
                         ("value", .string(value)), ("position", .int(Int64(position)))])
        }
        return out
    }
}
