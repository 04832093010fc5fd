internal import DataModel

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Parses CSV (RFC 4180): comma separators, `"` quoting with `""` as an
/// escaped quote; quoted fields may hold commas, quotes and line breaks.
///
/// Per file: the first `skipHeaderRows` physical lines are skipped, then,
/// with `findColumnsFromHeader`, the next record names the columns (else
/// the spec's `columns` do). Signature columns are matched to CSV columns
/// by name (the first of duplicate names wins); a signature column the CSV
/// lacks, a field past the end of a short row, and an empty field (quoted
/// or not, as Druid's CSV reader does) are NULL. Extra fields are ignored,
/// blank lines skipped. A quote still open at the end of the file fails the
/// read with `CannotParseExternalData`. A STRING field holding
/// `listDelimiter` (default U+0001, as in Druid) is split into a multi-value
/// string; empty parts are kept as empty strings.
///
/// TSV (Druid's `tsv` format) uses the same parser without quoting: a
/// line is split on every occurrence of `delimiter` (default tab), quotes
/// are ordinary characters and records never span lines.
struct CSVParser: RecordParser {
    private let types: [ColumnType]
    /// `types` as storage kinds, for the per-value switch.
    private let kinds: [ColumnAccumulator.Kind]
    private let names: [String]
    /// The file, and the lines before this read, for error messages.
    private let position: RowPosition
    /// The CSV's column names (`columns`, or the header once read), for
    /// naming the column in an error.
    private var csvColumns: [String]
    /// For each signature column, the index of its CSV field, or -1.
    private var fieldOfColumn: [Int] {
        didSet {
            columnOfField = Self.inverse(fieldOfColumn)
            hasUnreadColumns = fieldOfColumn.contains(-1)
        }
    }
    /// For each CSV field, the signature column reading it (or -1): the
    /// fast path for lines without quotes; nil when a field feeds two columns.
    private var columnOfField: [Int]?
    /// Whether some signature column reads no field (NULL on every row).
    private var hasUnreadColumns = false
    private var needsHeader: Bool
    private var linesToSkip: Int
    /// The lines so far of a record whose quoted field spans lines.
    private var pending: [UInt8] = []
    /// The line where `pending` starts; 0 when there is none.
    private var pendingLine = 0
    /// Data records seen (Druid's record number; the header is not one).
    private var record = 0
    /// The fields of the current record.
    private let fields = FieldBuffer()
    private var scratch: [UInt8] = []
    /// `listDelimiter` as UTF-8 bytes (never empty).
    private let listDelimiter: [UInt8]
    /// Its first byte, looked for in every STRING field.
    private let listDelimiterFirst: UInt8
    /// The field separator (`,` for CSV).
    private let delimiter: [UInt8]
    /// CSV's `"` quoting; off for TSV.
    private let quoting: Bool

    /// One field of the current record: `start..<end`, and whether it has
    /// quote characters (and so needs `unquote`).
    struct Field {
        var start: Int
        var end: Int
        var quoted: Bool
    }

    /// A growable list of `Field`s in memory of its own (appending neither
    /// copies nor checks an array).
    final class FieldBuffer {
        private(set) var fields: UnsafeMutablePointer<Field>
        private var capacity = 64
        var count = 0

        init() { fields = .allocate(capacity: capacity) }

        deinit { fields.deallocate() }

        @inline(__always)
        func append(_ field: Field) {
            if count == capacity {
                let bigger = UnsafeMutablePointer<Field>.allocate(capacity: capacity * 2)
                bigger.moveInitialize(from: fields, count: count)
                fields.deallocate()
                fields = bigger
                capacity *= 2
            }
            (fields + count).initialize(to: field)
            count += 1
        }

        @inline(__always)
        subscript(_ i: Int) -> Field { fields[i] }
    }

    init(spec: CSVFormatSpec, signature: RowSignature, position: RowPosition, tsv: Bool = false) throws(HengeError) {
        self.quoting = !tsv
        self.delimiter = tsv ? Array(spec.delimiter.utf8) : [0x2C]
        self.types = signature.columns.map(\.type)
        self.kinds = signature.columns.map { ColumnAccumulator.Kind($0.type) }
        self.names = signature.names
        self.position = position
        self.csvColumns = spec.findColumnsFromHeader ? [] : spec.columns ?? []
        self.needsHeader = spec.findColumnsFromHeader
        self.linesToSkip = max(0, spec.skipHeaderRows)
        self.fieldOfColumn = Array(repeating: -1, count: signature.count)
        self.columnOfField = Self.inverse(fieldOfColumn)
        self.hasUnreadColumns = true
        let delimiter = Array((spec.listDelimiter ?? "\u{1}").utf8)
        self.listDelimiter = delimiter.isEmpty ? [0x01] : delimiter
        self.listDelimiterFirst = self.listDelimiter[0]
        if !spec.findColumnsFromHeader {
            guard let columns = spec.columns, !columns.isEmpty else {
                throw HengeError.invalidInput(
                    "Invalid csv inputFormat: if [columns] is not set, [findColumnsFromHeader] must be true")
            }
            self.fieldOfColumn = Self.mapping(csvColumns: columns, signature: names)
            self.columnOfField = Self.inverse(fieldOfColumn)
            self.hasUnreadColumns = fieldOfColumn.contains(-1)
        }
    }

    /// Whether header lines are still to come: lines to skip, or the header
    /// row (a byte range after the file's start reads them from the start).
    var needsPreamble: Bool { linesToSkip > 0 || needsHeader }

    private static func inverse(_ fieldOfColumn: [Int]) -> [Int]? {
        var columnOfField = [Int](repeating: -1, count: (fieldOfColumn.max() ?? -1) + 1)
        for (c, f) in fieldOfColumn.enumerated() where f >= 0 {
            if columnOfField[f] >= 0 { return nil }
            columnOfField[f] = c
        }
        return columnOfField
    }

    private static func mapping(csvColumns: [String], signature: [String]) -> [Int] {
        var position: [String: Int] = [:]
        for (i, name) in csvColumns.enumerated() where position[name] == nil { position[name] = i }
        return signature.map { position[$0] ?? -1 }
    }

    mutating func consume(line: UnsafeBufferPointer<UInt8>, lineNumber: Int, into batch: BatchAccumulator)
        throws(HengeError)
    {
        if linesToSkip > 0 {
            linesToSkip -= 1
            return
        }
        let b = lineNumber == 1 ? line.droppingByteOrderMark() : line
        if !quoting {
            splitUnquoted(b)
            try handle(b, lineNumber: lineNumber, into: batch)
            return
        }
        if pendingLine > 0 {
            pending.append(0x0A)
            pending.append(contentsOf: b)
            // Quote parity decides whether the open field closed on this line.
            var quotes = 0
            for c in b where c == 0x22 { quotes += 1 }
            guard quotes & 1 == 1 else { return }
            let start = pendingLine
            pendingLine = 0
            var joined: [UInt8] = []
            swap(&joined, &pending)
            defer {
                swap(&joined, &pending)
                pending.removeAll(keepingCapacity: true)
            }
            try joined.withUnsafeBufferPointer { (r) throws(HengeError) in
                let closed = tokenize(r)
                assert(closed, "CSVParser: quote parity and tokenizer disagree")
                try handle(r, lineNumber: start, into: batch)
            }
            return
        }
        if !needsHeader, let columnOfField, let base = b.baseAddress, memchr(base, 0x22, b.count) == nil {
            handleUnquoted(b, columnOfField, into: batch)
            return
        }
        guard tokenize(b) else {
            pending.removeAll(keepingCapacity: true)
            pending.append(contentsOf: b)
            pendingLine = lineNumber
            return
        }
        try handle(b, lineNumber: lineNumber, into: batch)
    }

    mutating func finish(into batch: BatchAccumulator) throws(HengeError) {
        guard pendingLine > 0 else { return }
        let (record, line) = (record + 1, pendingLine)
        // The fields before the open quote close normally; the open one is the next.
        let text = pending
        let column = text.withUnsafeBufferPointer { r in
            _ = tokenize(r)
            return fields.count
        }
        let name = column < csvColumns.count ? " [\(csvColumns[column])]" : ""
        let detail = "the quoted field in column \(column + 1)\(name) is not closed by the end of the file"
        throw text.withUnsafeBufferPointer { HengeError.unparseableRow($0, at: position, record: record, line: line, detail: detail) }
    }

    /// Splits the record `r` into `fields`; false when a quote is still open
    /// at its end. A final `\r` outside quotes is not part of the last field.
    private mutating func tokenize(_ r: UnsafeBufferPointer<UInt8>) -> Bool {
        let fields = self.fields
        fields.count = 0
        let n = r.count
        var i = 0
        var start = 0
        var quoted = false
        var inQuotes = false
        let raw = UnsafeRawPointer(r.baseAddress)
        while i < n {
            if i + 8 <= n, let raw {
                // Eight bytes at a time to the next byte below 0x2D, which
                // quotes and commas are (the lowest flagged byte is exact).
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let low = (w &- 0x2D2D_2D2D_2D2D_2D2D) & ~w & 0x8080_8080_8080_8080
                if low == 0 {
                    i += 8
                    continue
                }
                i += low.trailingZeroBitCount >> 3
            }
            let c = r[i]
            if c > 0x2C {  // neither quote nor comma
                i += 1
                continue
            }
            if c == 0x22 {
                quoted = true
                if inQuotes && i + 1 < n && r[i + 1] == 0x22 {
                    i += 2
                    continue
                }
                inQuotes.toggle()
            } else if c == 0x2C && !inQuotes {
                fields.append(Field(start: start, end: i, quoted: quoted))
                start = i + 1
                quoted = false
            }
            i += 1
        }
        if inQuotes { return false }
        var end = n
        if end > start && r[end - 1] == 0x0D { end -= 1 }
        fields.append(Field(start: start, end: end, quoted: quoted))
        return true
    }

    /// Splits a TSV record on the delimiter; a final `\r` is not part of the last field.
    private mutating func splitUnquoted(_ r: UnsafeBufferPointer<UInt8>) {
        let fields = self.fields
        fields.count = 0
        var end = r.count
        if end > 0 && r[end - 1] == 0x0D { end -= 1 }
        let first = delimiter[0]
        var start = 0
        var i = 0
        while i + delimiter.count <= end {
            if r[i] == first && (delimiter.count == 1 || r[i..<(i + delimiter.count)].elementsEqual(delimiter)) {
                fields.append(Field(start: start, end: i, quoted: false))
                i += delimiter.count
                start = i
            } else {
                i += 1
            }
        }
        fields.append(Field(start: start, end: end, quoted: false))
    }

    /// The text of a quoted field without its quoting, into `scratch`.
    private mutating func unquote(_ r: UnsafeBufferPointer<UInt8>, _ field: Field) {
        scratch.removeAll(keepingCapacity: true)
        var i = field.start
        var inQuotes = false
        while i < field.end {
            let c = r[i]
            if c == 0x22 {
                if inQuotes && i + 1 < field.end && r[i + 1] == 0x22 {
                    scratch.append(0x22)
                    i += 2
                    continue
                }
                inQuotes.toggle()
            } else {
                scratch.append(c)
            }
            i += 1
        }
    }

    /// A data line without quotes, split and appended in one pass; the same
    /// result as `tokenize` then `handle`.
    private mutating func handleUnquoted(_ r: UnsafeBufferPointer<UInt8>, _ columnOfField: [Int], into batch: BatchAccumulator) {
        var end = r.count
        if end > 0 && r[end - 1] == 0x0D { end -= 1 }  // a final CR is not data
        if end == 0 { return }  // blank line
        record += 1
        let columns = batch.columns
        let mapped = columnOfField.count
        var field = 0
        var start = 0
        var i = 0
        let raw = UnsafeRawPointer(r.baseAddress!)
        while true {
            // To the next comma, eight bytes at a time (the lowest flagged byte is exact).
            while i + 8 <= end {
                let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ 0x2C2C_2C2C_2C2C_2C2C
                let commas = (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
                if commas != 0 {
                    i += commas.trailingZeroBitCount >> 3
                    break
                }
                i += 8
            }
            while i < end && r[i] != 0x2C { i += 1 }
            if field < mapped, case let c = columnOfField[field], c >= 0 {
                append(UnsafeBufferPointer(rebasing: r[start..<i]), kinds[c], into: &columns[c])
            }
            field += 1
            if i >= end { break }
            i += 1
            start = i
        }
        // Columns past the end of a short row, and columns no field names, are NULL.
        if field < mapped || hasUnreadColumns {
            for c in 0..<types.count where fieldOfColumn[c] < 0 || fieldOfColumn[c] >= field {
                columns[c].appendNull()
            }
        }
        batch.endRow()
    }

    /// Handles a tokenized record: the header, a blank line, or a data row.
    private mutating func handle(_ r: UnsafeBufferPointer<UInt8>, lineNumber: Int, into batch: BatchAccumulator)
        throws(HengeError)
    {
        if fields.count == 1 && fields[0].start == fields[0].end && !fields[0].quoted { return }  // blank
        if needsHeader {
            var header: [String] = []
            for k in 0..<fields.count {
                let field = fields[k]
                if field.quoted {
                    unquote(r, field)
                    header.append(String(decoding: scratch, as: UTF8.self))
                } else {
                    header.append(String(decoding: UnsafeBufferPointer(rebasing: r[field.start..<field.end]), as: UTF8.self))
                }
            }
            fieldOfColumn = Self.mapping(csvColumns: header, signature: names)
            csvColumns = header
            needsHeader = false
            return
        }
        record += 1
        let columns = batch.columns
        let fieldCount = fields.count
        for c in 0..<types.count {
            let f = fieldOfColumn[c]
            guard f >= 0 && f < fieldCount else {
                columns[c].appendNull()
                continue
            }
            let field = fields[f]
            if field.quoted {
                unquote(r, field)
                let kind = kinds[c]
                scratch.withUnsafeBufferPointer { append($0, kind, into: &columns[c]) }
            } else {
                append(UnsafeBufferPointer(rebasing: r[field.start..<field.end]), kinds[c], into: &columns[c])
            }
        }
        batch.endRow()
    }

    /// The parts of `text` between occurrences of `delimiter`, or nil when
    /// it does not occur (the common case, checked without allocating).
    static func split(_ text: UnsafeBufferPointer<UInt8>, on delimiter: [UInt8]) -> [String]? {
        let first = delimiter[0]
        guard contains(text, first) else { return nil }
        var parts: [String] = []
        var start = 0
        var i = 0
        while i + delimiter.count <= text.count {
            if text[i] == first && (delimiter.count == 1 || text[i..<(i + delimiter.count)].elementsEqual(delimiter)) {
                parts.append(String(decoding: UnsafeBufferPointer(rebasing: text[start..<i]), as: UTF8.self))
                i += delimiter.count
                start = i
            } else {
                i += 1
            }
        }
        guard !parts.isEmpty else { return nil }
        parts.append(String(decoding: UnsafeBufferPointer(rebasing: text[start...]), as: UTF8.self))
        return parts
    }

    @inline(__always)
    private static func contains(_ text: UnsafeBufferPointer<UInt8>, _ byte: UInt8) -> Bool {
        for c in text where c == byte { return true }
        return false
    }

    /// Appends field text coerced to the column's kind; empty text is NULL.
    @inline(__always)
    private func append(_ text: UnsafeBufferPointer<UInt8>, _ kind: ColumnAccumulator.Kind,
                        into column: inout ColumnAccumulator) {
        if text.isEmpty {
            column.appendNull()
            return
        }
        switch kind {
        case .string:
            if Self.contains(text, listDelimiterFirst), let parts = Self.split(text, on: listDelimiter) {
                column.append(values: parts)
            } else {
                column.append(utf8: text.baseAddress!, count: text.count)
            }
        case .long:
            if let v = TextNumber.parseLong(text) { column.append(long: v) } else { column.appendNull() }
        case .float, .double:
            if let v = TextNumber.parseDouble(text) { column.append(double: v) } else { column.appendNull() }
        case .nested:
            appendNested(text, into: &column)
        }
    }

    /// An ARRAY column takes the field split on `listDelimiter` (elements
    /// converted to the element type; empty elements are empty strings for
    /// ARRAY<STRING>, NULL for numbers); a COMPLEX<json> column the field as a
    /// JSON string.
    private func appendNested(_ text: UnsafeBufferPointer<UInt8>, into column: inout ColumnAccumulator) {
        if let element = column.type.arrayElement {
            let parts = Self.split(text, on: listDelimiter) ?? [String(decoding: text, as: UTF8.self)]
            let values: [ScalarValue] = parts.map { p in
                element == .string ? .string(p) : ScalarValue.string(p).cast(to: element)
            }
            column.append(string: NestedValue.encodeArray(values, element: element))
        } else {
            column.append(string: JSONValue.string(String(decoding: text, as: UTF8.self)).serialized)
        }
    }
}
