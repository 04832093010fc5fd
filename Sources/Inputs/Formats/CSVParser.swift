internal import DataModel

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
    private let names: [String]
    private let uri: String
    /// For each signature column, the index of its CSV field, or -1.
    private var fieldOfColumn: [Int]
    private var needsHeader: Bool
    private var linesToSkip: Int
    /// The lines so far of a record whose quoted field spans lines.
    private var pending: [UInt8] = []
    /// The line where `pending` starts; 0 when there is none.
    private var pendingLine = 0
    /// Data records seen (Druid's record number; the header is not one).
    private var record = 0
    private var fields: [Field] = []
    private var scratch: [UInt8] = []
    /// `listDelimiter` as UTF-8 bytes (never empty).
    private let listDelimiter: [UInt8]
    /// The field separator (`,` for CSV).
    private let delimiter: [UInt8]
    /// CSV's `"` quoting; off for TSV.
    private let quoting: Bool

    /// One field of the current record: `start..<end`, and whether it has
    /// quote characters (and so needs `unquote`).
    private struct Field {
        var start: Int
        var end: Int
        var quoted: Bool
    }

    init(spec: CSVFormatSpec, signature: RowSignature, uri: String, tsv: Bool = false) throws(HengeError) {
        self.quoting = !tsv
        self.delimiter = tsv ? Array(spec.delimiter.utf8) : [0x2C]
        self.types = signature.columns.map(\.type)
        self.names = signature.names
        self.uri = uri
        self.needsHeader = spec.findColumnsFromHeader
        self.linesToSkip = max(0, spec.skipHeaderRows)
        self.fieldOfColumn = Array(repeating: -1, count: signature.count)
        let delimiter = Array((spec.listDelimiter ?? "\u{1}").utf8)
        self.listDelimiter = delimiter.isEmpty ? [0x01] : delimiter
        if !spec.findColumnsFromHeader {
            guard let columns = spec.columns, !columns.isEmpty else {
                throw HengeError.invalidInput(
                    "Invalid csv inputFormat: if [columns] is not set, [findColumnsFromHeader] must be true")
            }
            self.fieldOfColumn = Self.mapping(csvColumns: columns, signature: names)
        }
    }

    private static func mapping(csvColumns: [String], signature: [String]) -> [Int] {
        var position: [String: Int] = [:]
        for (i, name) in csvColumns.enumerated() where position[name] == nil { position[name] = i }
        return signature.map { position[$0] ?? -1 }
    }

    mutating func consume(line: UnsafeBufferPointer<UInt8>, lineNumber: Int, into batch: inout BatchAccumulator)
        throws(HengeError)
    {
        if linesToSkip > 0 {
            linesToSkip -= 1
            return
        }
        let b = lineNumber == 1 ? line.droppingByteOrderMark() : line
        if !quoting {
            splitUnquoted(b)
            try handle(b, lineNumber: lineNumber, into: &batch)
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
                try handle(r, lineNumber: start, into: &batch)
            }
            return
        }
        guard tokenize(b) else {
            pending.removeAll(keepingCapacity: true)
            pending.append(contentsOf: b)
            pendingLine = lineNumber
            return
        }
        try handle(b, lineNumber: lineNumber, into: &batch)
    }

    mutating func finish(into batch: inout BatchAccumulator) throws(HengeError) {
        guard pendingLine > 0 else { return }
        let (uri, record, line) = (uri, record + 1, pendingLine)
        throw pending.withUnsafeBufferPointer { HengeError.unparseableRow($0, uri: uri, record: record, line: line) }
    }

    /// Splits the record `r` into `fields`; false when a quote is still open
    /// at its end. A final `\r` outside quotes is not part of the last field.
    private mutating func tokenize(_ r: UnsafeBufferPointer<UInt8>) -> Bool {
        fields.removeAll(keepingCapacity: true)
        let n = r.count
        var i = 0
        var start = 0
        var quoted = false
        var inQuotes = false
        while i < n {
            let c = r[i]
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
        fields.removeAll(keepingCapacity: true)
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

    /// Handles a tokenized record: the header, a blank line, or a data row.
    private mutating func handle(_ r: UnsafeBufferPointer<UInt8>, lineNumber: Int, into batch: inout BatchAccumulator)
        throws(HengeError)
    {
        if fields.count == 1 && fields[0].start == fields[0].end && !fields[0].quoted { return }  // blank
        if needsHeader {
            var header: [String] = []
            for field in fields {
                if field.quoted {
                    unquote(r, field)
                    header.append(String(decoding: scratch, as: UTF8.self))
                } else {
                    header.append(String(decoding: UnsafeBufferPointer(rebasing: r[field.start..<field.end]), as: UTF8.self))
                }
            }
            fieldOfColumn = Self.mapping(csvColumns: header, signature: names)
            needsHeader = false
            return
        }
        record += 1
        for c in 0..<types.count {
            let f = fieldOfColumn[c]
            guard f >= 0 && f < fields.count else {
                batch.columns[c].appendNull()
                continue
            }
            let field = fields[f]
            if field.quoted {
                unquote(r, field)
                let type = types[c]
                let delimiter = listDelimiter
                scratch.withUnsafeBufferPointer { Self.append($0, type, delimiter, into: &batch.columns[c]) }
            } else {
                Self.append(UnsafeBufferPointer(rebasing: r[field.start..<field.end]), types[c], listDelimiter, into: &batch.columns[c])
            }
        }
        batch.endRow()
    }

    /// The parts of `text` between occurrences of `delimiter`, or nil when
    /// it does not occur (the common case, checked without allocating).
    static func split(_ text: UnsafeBufferPointer<UInt8>, on delimiter: [UInt8]) -> [String]? {
        let first = delimiter[0]
        guard text.contains(first) else { return nil }
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

    /// Appends field text coerced to `type`; empty text is NULL.
    private static func append(_ text: UnsafeBufferPointer<UInt8>, _ type: ColumnType, _ listDelimiter: [UInt8],
                               into column: inout ColumnAccumulator) {
        if text.isEmpty {
            column.appendNull()
            return
        }
        switch type {
        case .string:
            if let parts = split(text, on: listDelimiter) {
                column.append(values: parts)
            } else {
                column.append(utf8: text)
            }
        case .long:
            if let v = TextNumber.parseLong(text) { column.append(long: v) } else { column.appendNull() }
        case .float, .double:
            if let v = TextNumber.parseDouble(text) { column.append(double: v) } else { column.appendNull() }
        }
    }
}
