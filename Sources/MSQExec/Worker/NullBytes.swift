package import DataModel
internal import Foundation
internal import MSQKernel

/// Druid cannot store strings holding U+0000 (its row frames use it as a
/// terminator): such a value fails the task with `InvalidNullByte`, unless
/// the context sets `removeNullBytes`, which strips the NUL characters.
enum NullBytes {
    /// The first entry holding U+0000: one memchr over all the entries'
    /// bytes (this runs on every string column of every batch read).
    static func firstEntryWithNul(_ dictionary: StringDictionary) -> Int? {
        let at = dictionary.bytes.withUnsafeBufferPointer { b -> Int in
            guard let base = b.baseAddress, let hit = memchr(base, 0, b.count) else { return -1 }
            return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
        }
        guard at >= 0 else { return nil }
        // The entry whose bytes hold byte `at`: the last offset <= at (ignoring empty entries before it).
        var lo = 0, hi = dictionary.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if dictionary.offsets[mid] <= at { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// Checks (or cleans) the string columns of a batch read from `source`;
    /// `firstRow` is the 1-based number of the batch's first row in that file.
    static func check(_ batch: Batch, source: String, firstRow: Int64, remove: Bool) throws(HengeError) -> Batch {
        var out = batch
        for (c, column) in batch.columns.enumerated() {
            let dictionary: StringDictionary
            switch column.data {
            case .string(let s): dictionary = s.dictionary
            case .multiString(let m): dictionary = m.dictionary
            default: continue
            }
            guard let bad = firstEntryWithNul(dictionary) else { continue }
            if remove {
                let cleaned = dictionary.mapEntries { $0.utf8.contains(0) ? String(decoding: $0.utf8.filter { $0 != 0 }, as: UTF8.self) : $0 }
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
