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
    /// `types` as storage kinds, for the per-value switch.
    private let kinds: [ColumnAccumulator.Kind]
    private let keys: KeyTable
    /// The file, and the lines before this read, for error messages.
    private let position: RowPosition
    /// One slot per signature column: where this line's value is.
    private let slotBuffer: SlotBuffer
    /// Unescaped keys and values, compacted nested values.
    private var scratch: [UInt8] = []
    /// Non-blank lines seen (Druid's record number).
    private var record = 0
    /// The previous line's keys by position, with the column each named.
    private let keyOrder = KeyOrderCache()

    init(signature: RowSignature, position: RowPosition) {
        self.types = signature.columns.map(\.type)
        self.kinds = signature.columns.map { ColumnAccumulator.Kind($0.type) }
        self.keys = KeyTable(signature.names)
        self.position = position
        self.slotBuffer = SlotBuffer(count: signature.count)
    }

    mutating func consume(line: UnsafeBufferPointer<UInt8>, lineNumber: Int, into batch: BatchAccumulator)
        throws(HengeError)
    {
        let b = lineNumber == 1 ? line.droppingByteOrderMark() : line
        let first = JSONScanner.skipWhitespace(b, 0)
        if first == b.count { return }  // blank line
        record += 1
        let slots = slotBuffer.slots
        guard scanObject(b, from: first, slots) else {
            throw HengeError.unparseableRow(line, at: position, record: record, line: lineNumber,
                                            detail: JSONRowDiagnosis.describe(b))
        }
        let base = b.baseAddress!
        let columns = batch.columns
        for c in 0..<slotBuffer.count {
            let slot = slots[c]
            let column = columns + c
            // The common cases inline: plain strings into STRING, short integers into LONG.
            switch (kinds[c], slot.kind) {
            case (.string, .plainString):
                column.pointee.append(utf8: base + slot.start, count: slot.end - slot.start)
            case (.long, .integer) where slot.hasValue:
                column.pointee.append(long: slot.value)
            case (_, .missing), (_, .null):
                column.pointee.appendNull()
            default:
                commit(c, b, into: &column.pointee)
            }
        }
        batch.endRow()
    }

    mutating func finish(into batch: BatchAccumulator) throws(HengeError) {}

    /// Validates the object starting at `i` (the rest of the line may only be
    /// whitespace) and records the slots of the signature's columns.
    ///
    /// A key whose bytes, up to its value, repeat those at the same position
    /// on the previous line is recognised by one comparison (`keyOrder`);
    /// unread numbers and strings are skipped inline.
    private mutating func scanObject(_ b: UnsafeBufferPointer<UInt8>, from i: Int, _ slots: UnsafeMutablePointer<JSONValueSlot>) -> Bool {
        for c in 0..<slotBuffer.count { slots[c].kind = .missing }
        let n = b.count
        guard b[i] == 0x7B else { return false }
        var i = JSONScanner.skipWhitespace(b, i + 1)
        guard i < n else { return false }
        if b[i] == 0x7D { return JSONScanner.skipWhitespace(b, i + 1) == n }
        var ordinal = 0
        while true {
            guard b[i] == 0x22 else { return false }
            var column = -1
            var valueStart = keyOrder.match(ordinal, b, i &+ 1, column: &column)
            if valueStart < 0 {
                valueStart = scanKey(b, i, ordinal: ordinal, column: &column)
                guard valueStart >= 0 else { return false }
            } else if b[valueStart] <= 0x20 {
                valueStart = JSONScanner.skipWhitespace(b, valueStart)
                guard valueStart < n else { return false }
            }
            ordinal &+= 1
            i = valueStart
            let c = b[i]
            if column >= 0 {
                if c == 0x22 {
                    var escaped = false
                    let end = JSONScanner.string(b, i &+ 1, escaped: &escaped)
                    guard end >= 0 else { return false }
                    slots[column] = JSONValueSlot(kind: escaped ? .escapedString : .plainString, start: i &+ 1, end: end &- 1)
                    i = end
                } else if c == 0x2D || c &- 0x30 < 10 {
                    i = JSONScanner.numberValue(b, i, into: &slots[column])
                } else {
                    i = JSONScanner.value(b, i, into: &slots[column])
                }
            } else if c == 0x22 {
                var escaped = false
                i = JSONScanner.string(b, i &+ 1, escaped: &escaped)
            } else if c == 0x2D || c &- 0x30 < 10 {
                var isInteger = true
                i = JSONScanner.number(b, i, isInteger: &isInteger)
            } else {
                i = JSONScanner.skipValue(b, i, depth: 0)
            }
            guard i >= 0 && i < n else { return false }
            var next = b[i]
            if next <= 0x20 {
                i = JSONScanner.skipWhitespace(b, i)
                guard i < n else { return false }
                next = b[i]
            }
            if next == 0x2C {
                i &+= 1
                guard i < n else { return false }
                if b[i] <= 0x20 {
                    i = JSONScanner.skipWhitespace(b, i)
                    guard i < n else { return false }
                }
            } else if next == 0x7D {
                return JSONScanner.skipWhitespace(b, i &+ 1) == n
            } else {
                return false
            }
        }
    }

    /// Scans the key whose opening quote is at `i`, its colon and the
    /// whitespace around it; sets `column`, remembers the key at `ordinal`
    /// for the next lines and returns where the value starts (-1: invalid).
    private mutating func scanKey(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, ordinal: Int, column: inout Int) -> Int {
        let n = b.count
        var escaped = false
        let keyEnd = JSONScanner.string(b, i + 1, escaped: &escaped)
        guard keyEnd >= 0 else { return -1 }
        column = lookup(b, i + 1, keyEnd - 1, escaped: escaped)
        var j = JSONScanner.skipWhitespace(b, keyEnd)
        guard j < n && b[j] == 0x3A else { return -1 }
        j = JSONScanner.skipWhitespace(b, j + 1)
        guard j < n else { return -1 }
        if escaped {
            keyOrder.forget(from: ordinal)
        } else {
            keyOrder.record(ordinal, tail: UnsafeBufferPointer(rebasing: b[(i + 1)..<j]), column: column)
        }
        return j
    }

    /// The signature column named by the key at `start..<end`, or -1.
    private mutating func lookup(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, escaped: Bool) -> Int {
        if !escaped { return keys.index(of: UnsafeBufferPointer(rebasing: b[start..<end])) }
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
        let slot = slotBuffer.slots[c]
        // A missing slot's range is stale (from an earlier line).
        let token = slot.kind == .missing ? UnsafeBufferPointer(rebasing: b[0..<0])
            : UnsafeBufferPointer(rebasing: b[slot.start..<slot.end])
        if kinds[c] == .nested {
            commitNested(c, slot, token, b, into: &column)
            return
        }
        if kinds[c] == .string {
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
            if slot.hasValue {
                column.append(long: slot.value)
            } else if let v = TextNumber.integer(token) {
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

    /// An ARRAY column takes a JSON array with its elements converted to the
    /// element type (nested elements are NULL), a scalar as a one-element
    /// array, an object as NULL; a COMPLEX<json> column takes any value as its
    /// compact JSON text (strings re-escaped canonically, decimals as Java
    /// prints doubles).
    private mutating func commitNested(_ c: Int, _ slot: JSONValueSlot, _ token: UnsafeBufferPointer<UInt8>,
                                       _ b: UnsafeBufferPointer<UInt8>, into column: inout ColumnAccumulator) {
        let scalar: JSONValue
        switch slot.kind {
        case .missing, .null:
            column.appendNull()
            return
        case .nested:
            scratch.removeAll(keepingCapacity: true)
            JSONScanner.compact(b, slot.start, slot.end, into: &scratch)
            guard let value = try? JSONValue.parse(bytes: scratch) else { column.appendNull(); return }
            if let element = types[c].arrayElement {
                guard case .array(let items) = value else { column.appendNull(); return }
                column.append(string: NestedValue.encodeArray(json: items, element: element))
            } else {
                column.append(string: NestedValue.encodeJSON(value))
            }
            return
        case .plainString: scalar = .string(String(decoding: token, as: UTF8.self))
        case .escapedString:
            scratch.removeAll(keepingCapacity: true)
            JSONScanner.unescape(b, slot.start, slot.end, into: &scratch)
            scalar = .string(String(decoding: scratch, as: UTF8.self))
        case .integer:
            if slot.hasValue { scalar = .int(slot.value) } else if let v = TextNumber.integer(token) { scalar = .int(v) } else {
                scalar = Self.decimal(token).map(JSONValue.double) ?? .null
            }
        case .decimal: scalar = Self.decimal(token).map(JSONValue.double) ?? .null
        case .true: scalar = .bool(true)
        case .false: scalar = .bool(false)
        }
        if let element = types[c].arrayElement {
            column.append(string: NestedValue.encodeArray(json: [scalar], element: element))
        } else {
            column.append(string: NestedValue.encodeJSON(scalar))
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
        TextNumber.exactDecimal(token) ?? Double(String(decoding: token, as: UTF8.self))
    }

    private static func appendNumericText(
        _ text: UnsafeBufferPointer<UInt8>, _ type: ColumnType, into column: inout ColumnAccumulator
    ) {
        if case .long = type {
            if let v = TextNumber.parseLong(text) { column.append(long: v) } else { column.appendNull() }
        } else {
            if let v = TextNumber.parseDouble(text) { column.append(double: v) } else { column.appendNull() }
        }
    }
}

extension JSONLinesParser {
    /// The per-column value slots of the current line, in memory of their own
    /// (so that scanning a line neither copies nor checks an array).
    final class SlotBuffer {
        let slots: UnsafeMutablePointer<JSONValueSlot>
        let count: Int

        init(count: Int) {
            self.count = count
            slots = .allocate(capacity: max(1, count))
            slots.initialize(repeating: JSONValueSlot(), count: max(1, count))
        }

        deinit {
            slots.deinitialize(count: max(1, count))
            slots.deallocate()
        }
    }

    /// The keys of the previous line by position, each with the signature
    /// column it named (-1: none). JSON lines nearly always repeat one key
    /// order and layout, so a key is recognised by comparing the raw bytes
    /// from its first character to its value (`"year":` less the opening
    /// quote) with those at the same position before — no scan for its end,
    /// no lookup, no separate colon or whitespace checks, whether or not the
    /// signature reads it. Escaped keys are never cached, nor keys past
    /// `maxKeys` or `maxBytes`. Fixed buffers behind `let`s: no
    /// exclusivity checks or reference counting per key.
    final class KeyOrderCache {
        static let maxKeys = 256
        static let maxBytes = 16 * 1024
        private let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: maxBytes)
        /// Key tail `k` is `bytes[ends[k - 1] ..< ends[k]]` (from 0 for the first).
        private let ends = UnsafeMutablePointer<Int>.allocate(capacity: maxKeys)
        private let columns = UnsafeMutablePointer<Int>.allocate(capacity: maxKeys)
        /// How many keys are cached.
        private let count = UnsafeMutablePointer<Int>.allocate(capacity: 1)

        init() { count.initialize(to: 0) }

        deinit {
            bytes.deallocate()
            ends.deallocate()
            columns.deallocate()
            count.deallocate()
        }

        /// If the bytes from `i` (just past a key's opening quote) repeat the
        /// tail cached at `ordinal` — the key, its closing quote, the colon
        /// and the whitespace around it, all validated on an earlier line —
        /// sets `column` and returns the index past them, where the value
        /// (or more whitespace) starts; else -1.
        @inline(__always)
        func match(_ ordinal: Int, _ b: UnsafeBufferPointer<UInt8>, _ i: Int, column: inout Int) -> Int {
            guard ordinal < count.pointee else { return -1 }
            let start = ordinal == 0 ? 0 : ends[ordinal &- 1]
            let length = ends[ordinal] &- start
            guard i &+ length < b.count, ByteHash.equal(b.baseAddress! + i, bytes + start, length) else { return -1 }
            column = columns[ordinal]
            return i &+ length
        }

        /// Caches a key's `tail` (its unescaped content up to its value) at
        /// `ordinal`, dropping what followed.
        func record(_ ordinal: Int, tail: UnsafeBufferPointer<UInt8>, column: Int) {
            forget(from: ordinal)
            let start = ordinal == 0 ? 0 : ends[ordinal - 1]
            // An uncached key before this one leaves a gap; full buffers stop caching.
            guard ordinal == count.pointee, ordinal < Self.maxKeys, start + tail.count <= Self.maxBytes else { return }
            if let base = tail.baseAddress { (bytes + start).update(from: base, count: tail.count) }
            ends[ordinal] = start + tail.count
            columns[ordinal] = column
            count.pointee = ordinal + 1
        }

        /// Drops the keys from `ordinal` on.
        func forget(from ordinal: Int) {
            if ordinal < count.pointee { count.pointee = ordinal }
        }
    }

    /// The signature's column names as bytes, for matching object keys
    /// without creating strings.
    final class KeyTable {
        private let bytes: UnsafeMutablePointer<UInt8>
        /// Name `c` is `bytes[starts[c] ..< starts[c + 1]]`.
        private let starts: UnsafeMutablePointer<Int>
        let count: Int

        init(_ names: [String]) {
            var all: [UInt8] = []
            var offsets = [0]
            for name in names {
                all.append(contentsOf: name.utf8)
                offsets.append(all.count)
            }
            count = names.count
            bytes = .allocate(capacity: max(1, all.count))
            bytes.initialize(from: all, count: all.count)
            starts = .allocate(capacity: offsets.count)
            starts.initialize(from: offsets, count: offsets.count)
        }

        deinit {
            bytes.deallocate()
            starts.deallocate()
        }

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
