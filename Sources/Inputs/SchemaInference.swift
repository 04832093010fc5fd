package import DataModel

/// Infers a row signature from a sample of external input — Henge's answer
/// to EXTERN and the table functions without a signature or EXTEND.
///
/// Reads up to `sampleRows` records (at most `sampleBytes` bytes) from the
/// first files of the source, through the same decompression as ingestion.
/// JSON: columns in order of first appearance; integers are BIGINT, other
/// numbers DOUBLE, strings, booleans, arrays (multi-value strings) and nested
/// objects (text) VARCHAR; types widen BIGINT → DOUBLE → VARCHAR; a member
/// only ever null is a VARCHAR column only with `keepNullColumns` (Druid's
/// field discovery drops null members otherwise). With a `flattenSpec`: its
/// fields (always), then, with `useFieldDiscovery`, top-level members that
/// hold a scalar or an array of scalars. CSV/TSV: names from the header (or `columns`),
/// each column BIGINT if every sampled value is an integer, else DOUBLE if
/// every value is a number, else VARCHAR. Text columns whose every sampled
/// value is an ISO-8601 timestamp are noted, so `TIME_PARSE` can be applied.
package enum SchemaInference {
    package static let sampleRows = 1000
    package static let sampleBytes = 16 << 20

    package static func infer(source: InputSourceSpec, format: InputFormatSpec, policy: InputAccessPolicy) throws(HengeError)
        -> ExternalSchema
    {
        let files = try InputFileLister.list(source, policy: policy)
        var columns = ColumnStats()
        var rows = 0
        var bytes = 0
        var keepNulls = true
        switch format {
        case .json(let options) where options.flattenSpec == nil:
            keepNulls = options.keepsNullColumns
            for file in files where rows < sampleRows && bytes < sampleBytes {
                try InputSampler.forEachLine(file, policy: policy) { (line: UnsafeBufferPointer<UInt8>) throws(HengeError) -> Bool in
                    bytes += line.count + 1
                    if JSONSample.record(line, into: &columns) { rows += 1 }
                    return rows < sampleRows && bytes < sampleBytes
                }
            }
        case .json(let options):
            // The spec's fields, then discovered top-level members, typed from the flattened records.
            let spec = options.flattenSpec ?? FlattenSpec()
            keepNulls = options.keepsNullColumns
            for field in spec.fields { columns.declare(field.name) }
            for file in files where rows < sampleRows && bytes < sampleBytes {
                try InputSampler.forEachLine(file, policy: policy) { (line: UnsafeBufferPointer<UInt8>) throws(HengeError) -> Bool in
                    bytes += line.count + 1
                    guard let root = try? JSONValue.parse(bytes: Array(line)), root.objectValue != nil else { return true }
                    let names = FlatteningJSONParser.discoveredNames(root, spec: spec, keepNulls: keepNulls)
                    var flat: [UInt8] = []
                    JSONValue.object(FlatteningJSONParser.flatten(root, spec: spec, names: names)).write(into: &flat)
                    let recorded = flat.withUnsafeBufferPointer { JSONSample.record($0, into: &columns) }
                    if recorded { rows += 1 }
                    return rows < sampleRows && bytes < sampleBytes
                }
            }
        case .csv(let spec), .tsv(let spec):
            var isTSV = false
            if case .tsv = format { isTSV = true }
            let delimiter = isTSV ? Array(spec.delimiter.utf8) : [UInt8(ascii: ",")]
            for file in files where rows < sampleRows && bytes < sampleBytes {
                var skip = spec.skipHeaderRows
                var names = spec.findColumnsFromHeader ? nil : spec.columns
                try InputSampler.forEachLine(file, policy: policy) { (line: UnsafeBufferPointer<UInt8>) throws(HengeError) -> Bool in
                    bytes += line.count + 1
                    if skip > 0 { skip -= 1; return true }
                    let fields = DelimitedSample.split(line, delimiter: delimiter, quoting: !isTSV)
                    if fields.count == 1 && fields[0].isEmpty { return true }
                    guard let header = names else {
                        names = fields
                        for name in fields { columns.declare(name) }
                        return true
                    }
                    for (i, name) in header.enumerated() {
                        let value = i < fields.count && !fields[i].isEmpty ? fields[i] : nil
                        columns.observe(name, value.map(DelimitedSample.kind), text: value)
                    }
                    rows += 1
                    return rows < sampleRows && bytes < sampleBytes
                }
                if names == nil && files.count == 1 {
                    throw HengeError.invalidInput("Cannot infer the columns of [\(file.uri)]: the file has no header row")
                }
            }
            if case .csv(let s) = format, s.columns == nil, !s.findColumnsFromHeader {
                throw HengeError.invalidInput("Cannot infer CSV columns without [columns] or [findColumnsFromHeader: true]")
            }
        }
        let schema = columns.schema(keepNulls: keepNulls)
        guard !schema.signature.columns.isEmpty else {
            throw HengeError.invalidInput(
                columns.order.isEmpty
                    ? "Cannot infer a signature: the input has no rows to sample; give one with EXTERN's third argument or EXTEND (...)"
                    : "Cannot infer a signature: every sampled field is null and [keepNullColumns] is false; give a signature with EXTERN's third argument or EXTEND (...), or set [keepNullColumns] to true")
        }
        return schema
    }
}

/// What the sample says about each column.
struct ColumnStats {
    /// What a column's sampled values were, from narrowest to widest.
    /// Arrays widen by element; arrays mixed with scalars, and objects,
    /// make a `COMPLEX<json>` column (as Druid's type-aware discovery does).
    enum Kind: Int, Comparable {
        case long, double, string
        /// Only `[]` (or arrays of NULLs) so far: any array kind absorbs it.
        case emptyArray
        case longArray, doubleArray, stringArray
        case json
        static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }

        var isArray: Bool { self == .emptyArray || self == .longArray || self == .doubleArray || self == .stringArray }

        /// The kind both values fit.
        func widened(with other: Kind) -> Kind {
            if self == other { return self }
            if self == .json || other == .json { return .json }
            if isArray != other.isArray { return .json }
            return max(self, other)
        }

        var columnType: ColumnType {
            switch self {
            case .long: .long
            case .double: .double
            case .string: .string
            case .emptyArray, .stringArray: .stringArray
            case .longArray: .longArray
            case .doubleArray: .doubleArray
            case .json: .json
            }
        }
    }

    private(set) var order: [String] = []
    private var kinds: [String: Kind] = [:]
    private var allTimestamps: [String: Bool] = [:]
    private var notes: [String: String] = [:]
    /// Columns named outright (a CSV header, a flattenSpec field): kept even
    /// when every sampled value is null.
    private var declared: Set<String> = []

    /// A column that exists whatever its values are.
    mutating func declare(_ name: String) {
        declared.insert(name)
        appear(name)
    }

    private mutating func appear(_ name: String) {
        if kinds[name] == nil && !order.contains(name) { order.append(name) }
    }

    /// One value of `name`: its kind (nil for NULL); `text` for strings.
    mutating func observe(_ name: String, _ kind: Kind?, text: String? = nil, note: String? = nil) {
        appear(name)
        guard let kind else { return }
        kinds[name] = kinds[name].map { $0.widened(with: kind) } ?? kind
        if let note, notes[name] == nil { notes[name] = note }
        if kind == .string {
            let isTime = text.map { ISOTime.parse($0.trimmingSpaces) != nil } ?? false
            allTimestamps[name] = (allTimestamps[name] ?? true) && isTime
        }
    }

    /// The inferred columns in first-appearance order; a column only ever
    /// null (and not declared) is VARCHAR when `keepNulls`, else left out.
    func schema(keepNulls: Bool) -> ExternalSchema {
        var columns: [ColumnSpec] = []
        var out = notes
        for name in order where keepNulls || kinds[name] != nil || declared.contains(name) {
            let kind = kinds[name] ?? .string
            columns.append(ColumnSpec(name: name, type: kind.columnType))
            if kind == .string, allTimestamps[name] == true, out[name] == nil {
                out[name] = "looks like an ISO-8601 timestamp: use TIME_PARSE(\"\(name)\") AS __time"
            }
        }
        return ExternalSchema(signature: RowSignature(columns), notes: out)
    }
}

/// Reads the top-level members of one JSON-lines record.
enum JSONSample {
    /// Records the members of the object on `line`; false for a blank or unparseable line.
    static func record(_ line: UnsafeBufferPointer<UInt8>, into columns: inout ColumnStats) -> Bool {
        var i = JSONScanner.skipWhitespace(line, 0)
        guard i < line.count, line[i] == UInt8(ascii: "{") else { return false }
        i = JSONScanner.skipWhitespace(line, i + 1)
        var slot = JSONValueSlot()
        var scratch: [UInt8] = []
        while i < line.count && line[i] != UInt8(ascii: "}") {
            guard line[i] == UInt8(ascii: "\"") else { return false }
            var escaped = false
            let keyEnd = JSONScanner.string(line, i + 1, escaped: &escaped)
            guard keyEnd > 0 else { return false }
            let key: String
            if escaped {
                scratch.removeAll(keepingCapacity: true)
                JSONScanner.unescape(line, i + 1, keyEnd - 1, into: &scratch)
                key = String(decoding: scratch, as: UTF8.self)
            } else {
                key = String(decoding: UnsafeBufferPointer(rebasing: line[(i + 1)..<(keyEnd - 1)]), as: UTF8.self)
            }
            i = JSONScanner.skipWhitespace(line, keyEnd)
            guard i < line.count, line[i] == UInt8(ascii: ":") else { return false }
            i = JSONScanner.skipWhitespace(line, i + 1)
            guard i < line.count else { return false }
            let next = JSONScanner.value(line, i, into: &slot)
            guard next > 0 else { return false }
            switch slot.kind {
            case .missing, .null: columns.observe(key, nil)
            case .integer:
                let text = String(decoding: UnsafeBufferPointer(rebasing: line[slot.start..<slot.end]), as: UTF8.self)
                columns.observe(key, Int64(text) != nil ? .long : .double)
            case .decimal: columns.observe(key, .double)
            case .plainString:
                columns.observe(key, .string, text: String(decoding: UnsafeBufferPointer(rebasing: line[slot.start..<slot.end]), as: UTF8.self))
            case .escapedString:
                scratch.removeAll(keepingCapacity: true)
                JSONScanner.unescape(line, slot.start, slot.end, into: &scratch)
                columns.observe(key, .string, text: String(decoding: scratch, as: UTF8.self))
            case .true, .false: columns.observe(key, .string, text: "")
            case .nested:
                let bytes = Array(UnsafeBufferPointer(rebasing: line[slot.start..<slot.end]))
                guard let value = try? JSONValue.parse(bytes: bytes) else { return false }
                let kind = JSONSample.kind(of: value)
                columns.observe(key, kind, text: "", note: kind == .json ? "nested JSON: read as COMPLEX<json>"
                                                         : "JSON array: read as an ARRAY (ARRAY_TO_MV makes it a multi-value string)")
            }
            i = JSONScanner.skipWhitespace(line, next)
            if i < line.count && line[i] == UInt8(ascii: ",") { i = JSONScanner.skipWhitespace(line, i + 1) }
        }
        return true
    }
}

extension JSONSample {
    /// The column kind of a nested value: an array of scalars is an ARRAY of
    /// their widened kind; objects and arrays holding nested values are JSON.
    static func kind(of value: JSONValue) -> ColumnStats.Kind {
        guard case .array(let items) = value else { return .json }
        var element: ColumnStats.Kind? = nil
        for item in items {
            let k: ColumnStats.Kind
            switch item {
            case .null: continue
            case .int: k = .long
            case .double: k = .double
            case .string, .bool: k = .string
            case .array, .object: return .json
            }
            element = element.map { max($0, k) } ?? k
        }
        switch element {
        case nil: return .emptyArray
        case .long: return .longArray
        case .double: return .doubleArray
        default: return .stringArray
        }
    }
}

/// Field splitting and typing for CSV/TSV samples.
enum DelimitedSample {
    /// The fields of one record (CSV quoting undone when `quoting`).
    static func split(_ line: UnsafeBufferPointer<UInt8>, delimiter: [UInt8], quoting: Bool) -> [String] {
        var end = line.count
        if end > 0 && line[end - 1] == 0x0D { end -= 1 }
        var fields: [String] = []
        var current: [UInt8] = []
        var inQuotes = false
        var i = 0
        while i < end {
            let c = line[i]
            if quoting && c == 0x22 {
                if inQuotes && i + 1 < end && line[i + 1] == 0x22 { current.append(0x22); i += 2; continue }
                inQuotes.toggle()
                i += 1
                continue
            }
            if !inQuotes && c == delimiter[0] && i + delimiter.count <= end
                && (delimiter.count == 1 || line[i..<(i + delimiter.count)].elementsEqual(delimiter)) {
                fields.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
                i += delimiter.count
                continue
            }
            current.append(c)
            i += 1
        }
        fields.append(String(decoding: current, as: UTF8.self))
        return fields
    }

    static func kind(_ text: String) -> ColumnStats.Kind {
        let t = text.trimmingSpaces
        if Int64(t) != nil { return .long }
        if Double(t) != nil { return .double }
        return .string
    }
}
