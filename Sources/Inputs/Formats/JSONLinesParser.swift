internal import DataModel

/// Parses JSON lines: one object per line, blank lines skipped.
///
/// Only the signature's columns are extracted (by exact key; the last
/// occurrence of a repeated key wins); everything else is validated and
/// skipped. A line that is not one valid JSON object fails the read with
/// `CannotParseExternalData`. Values are coerced into the declared types as
/// Druid does (see `commit`).
struct JSONLinesParser: RecordParser {
    private let types: [ColumnType]
    private let keys: KeyTable
    private let uri: String
    private var slots: [JSONValueSlot]
    /// Unescaped keys and values, compacted nested values.
    private var scratch: [UInt8] = []
    /// Non-blank lines seen (Druid's record number).
    private var record = 0
    /// The column the next key most likely names (keys usually come in the
    /// same order on every line).
    private var guess = 0

    init(signature: RowSignature, uri: String) {
        self.types = signature.columns.map(\.type)
        self.keys = KeyTable(signature.names)
        self.uri = uri
        self.slots = Array(repeating: JSONValueSlot(), count: signature.count)
    }

    mutating func consume(line: UnsafeBufferPointer<UInt8>, lineNumber: Int, into batch: inout BatchAccumulator)
        throws(HengeError)
    {
        let b = lineNumber == 1 ? line.droppingByteOrderMark() : line
        let first = JSONScanner.skipWhitespace(b, 0)
        if first == b.count { return }  // blank line
        record += 1
        guard scanObject(b, from: first) else {
            throw HengeError.unparseableRow(line, uri: uri, record: record, line: lineNumber)
        }
        for c in 0..<slots.count { commit(c, b, into: &batch.columns[c]) }
        batch.endRow()
    }

    mutating func finish(into batch: inout BatchAccumulator) throws(HengeError) {}

    /// Validates the object starting at `i` (the rest of the line may only be
    /// whitespace) and records the slots of the signature's columns.
    private mutating func scanObject(_ b: UnsafeBufferPointer<UInt8>, from i: Int) -> Bool {
        for c in 0..<slots.count { slots[c].kind = .missing }
        let n = b.count
        guard b[i] == 0x7B else { return false }
        var i = JSONScanner.skipWhitespace(b, i + 1)
        guard i < n else { return false }
        if b[i] == 0x7D {
            i += 1
        } else {
            while true {
                guard i < n && b[i] == 0x22 else { return false }
                var escaped = false
                let keyEnd = JSONScanner.string(b, i + 1, escaped: &escaped)
                guard keyEnd >= 0 else { return false }
                let column = lookup(b, i + 1, keyEnd - 1, escaped: escaped)
                i = JSONScanner.skipWhitespace(b, keyEnd)
                guard i < n && b[i] == 0x3A else { return false }
                i = JSONScanner.skipWhitespace(b, i + 1)
                guard i < n else { return false }
                if column >= 0 {
                    i = JSONScanner.value(b, i, into: &slots[column])
                } else {
                    i = JSONScanner.skipValue(b, i, depth: 0)
                }
                guard i >= 0 else { return false }
                i = JSONScanner.skipWhitespace(b, i)
                guard i < n else { return false }
                if b[i] == 0x2C {
                    i = JSONScanner.skipWhitespace(b, i + 1)
                } else if b[i] == 0x7D {
                    i += 1
                    break
                } else {
                    return false
                }
            }
        }
        return JSONScanner.skipWhitespace(b, i) == n
    }

    /// The signature column named by the key at `start..<end`, or -1.
    private mutating func lookup(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, escaped: Bool) -> Int {
        if !escaped {
            let key = UnsafeBufferPointer(rebasing: b[start..<end])
            if guess < keys.count && keys.matches(guess, key) {
                guess += 1
                return guess - 1
            }
            let c = keys.index(of: key)
            if c >= 0 { guess = c + 1 }
            return c
        }
        scratch.removeAll(keepingCapacity: true)
        JSONScanner.unescape(b, start, end, into: &scratch)
        return scratch.withUnsafeBufferPointer { keys.index(of: $0) }
    }

    /// Appends column `c`'s value for the current line, coerced to its type.
    ///
    /// Missing keys and `null` are NULL everywhere. STRING takes strings
    /// unescaped, integers as their text, other numbers as Druid prints
    /// doubles, booleans as `true`/`false`, objects and arrays as compact
    /// JSON text. Numeric columns take numbers (a LONG truncates decimals
    /// toward zero) and numeric strings; anything else is NULL.
    private mutating func commit(_ c: Int, _ b: UnsafeBufferPointer<UInt8>, into column: inout ColumnAccumulator) {
        let slot = slots[c]
        // A missing slot's range is stale (from an earlier line).
        let token = slot.kind == .missing ? UnsafeBufferPointer(rebasing: b[0..<0])
            : UnsafeBufferPointer(rebasing: b[slot.start..<slot.end])
        if types[c] == .string {
            switch slot.kind {
            case .missing, .null:
                column.appendNull()
            case .plainString:
                column.append(utf8: token)
            case .escapedString:
                scratch.removeAll(keepingCapacity: true)
                JSONScanner.unescape(b, slot.start, slot.end, into: &scratch)
                scratch.withUnsafeBufferPointer { column.append(utf8: $0) }
            case .integer:
                // JSON integers are canonical text already, except "-0".
                if token.count == 2 && token[0] == 0x2D && token[1] == 0x30 {
                    column.append(string: "0")
                } else {
                    column.append(utf8: token)
                }
            case .decimal:
                if let d = Self.decimal(token) {
                    column.append(string: ScalarValue.double(d).renderedString)
                } else {
                    column.append(utf8: token)
                }
            case .true:
                column.append(string: "true")
            case .false:
                column.append(string: "false")
            case .nested where b[slot.start] == 0x5B:
                // A JSON array read into a STRING column is a multi-value string.
                column.append(values: arrayElements(b, slot.start, slot.end))
            case .nested:
                scratch.removeAll(keepingCapacity: true)
                JSONScanner.compact(b, slot.start, slot.end, into: &scratch)
                scratch.withUnsafeBufferPointer { column.append(utf8: $0) }
            }
            return
        }
        switch slot.kind {
        case .missing, .null, .true, .false, .nested:
            column.appendNull()
        case .integer:
            if let v = TextNumber.integer(token) {
                column.append(long: v)
            } else if let d = Self.decimal(token) {
                column.append(double: d)  // beyond Int64
            } else {
                column.appendNull()
            }
        case .decimal:
            if let d = Self.decimal(token) { column.append(double: d) } else { column.appendNull() }
        case .plainString:
            Self.appendNumericText(token, types[c], into: &column)
        case .escapedString:
            scratch.removeAll(keepingCapacity: true)
            JSONScanner.unescape(b, slot.start, slot.end, into: &scratch)
            let type = types[c]
            scratch.withUnsafeBufferPointer { Self.appendNumericText($0, type, into: &column) }
        }
    }

    /// The elements of the (already validated) array at `start..<end` as
    /// strings, the way a STRING column reads scalars; NULL elements are
    /// dropped and nested values kept as compact JSON text.
    private mutating func arrayElements(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> [String] {
        var out: [String] = []
        var i = JSONScanner.skipWhitespace(b, start + 1)
        var slot = JSONValueSlot()
        while i < end && b[i] != 0x5D {
            let next = JSONScanner.value(b, i, into: &slot)
            guard next >= 0 else { break }
            let token = UnsafeBufferPointer(rebasing: b[slot.start..<slot.end])
            switch slot.kind {
            case .missing, .null: break
            case .plainString: out.append(String(decoding: token, as: UTF8.self))
            case .escapedString, .nested:
                scratch.removeAll(keepingCapacity: true)
                if slot.kind == .nested {
                    JSONScanner.compact(b, slot.start, slot.end, into: &scratch)
                } else {
                    JSONScanner.unescape(b, slot.start, slot.end, into: &scratch)
                }
                out.append(String(decoding: scratch, as: UTF8.self))
            case .integer:
                let text = String(decoding: token, as: UTF8.self)
                out.append(text == "-0" ? "0" : text)
            case .decimal:
                out.append(Self.decimal(token).map { ScalarValue.double($0).renderedString } ?? String(decoding: token, as: UTF8.self))
            case .true: out.append("true")
            case .false: out.append("false")
            }
            i = JSONScanner.skipWhitespace(b, next)
            if i < end && b[i] == 0x2C { i = JSONScanner.skipWhitespace(b, i + 1) }
        }
        return out
    }

    /// A validated JSON number token as a double (correctly rounded).
    private static func decimal(_ token: UnsafeBufferPointer<UInt8>) -> Double? {
        Double(String(decoding: token, as: UTF8.self))
    }

    private static func appendNumericText(
        _ text: UnsafeBufferPointer<UInt8>, _ type: ColumnType, into column: inout ColumnAccumulator
    ) {
        if type == .long {
            if let v = TextNumber.parseLong(text) { column.append(long: v) } else { column.appendNull() }
        } else {
            if let v = TextNumber.parseDouble(text) { column.append(double: v) } else { column.appendNull() }
        }
    }
}

extension JSONLinesParser {
    /// The signature's column names as bytes, for matching object keys
    /// without creating strings.
    struct KeyTable {
        private let bytes: [UInt8]
        /// Name `c` is `bytes[starts[c] ..< starts[c + 1]]`.
        private let starts: [Int]

        init(_ names: [String]) {
            var bytes: [UInt8] = []
            var starts = [0]
            for name in names {
                bytes.append(contentsOf: name.utf8)
                starts.append(bytes.count)
            }
            self.bytes = bytes
            self.starts = starts
        }

        var count: Int { starts.count - 1 }

        @inline(__always)
        func matches(_ c: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
            let start = starts[c]
            guard starts[c + 1] - start == key.count else { return false }
            for k in 0..<key.count where bytes[start + k] != key[k] { return false }
            return true
        }

        /// The first column named `key`, or -1.
        func index(of key: UnsafeBufferPointer<UInt8>) -> Int {
            for c in 0..<count where matches(c, key) { return c }
            return -1
        }
    }
}
