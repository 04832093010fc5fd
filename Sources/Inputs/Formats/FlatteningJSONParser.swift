internal import DataModel

/// JSON lines read through a `flattenSpec`: each record is parsed whole,
/// the signature's columns are taken from the spec's fields (root, JsonPath,
/// jq or tree paths into nested values) or else from the top-level member of
/// the column's name — whatever `useFieldDiscovery` says, as Druid's
/// `ObjectFlatteners` map answers `get` for any name; discovery only decides
/// which names a schema-less read finds. The flat record then goes through
/// the ordinary JSON-lines parser, so coercion is the same.
///
/// A slower path than plain JSON lines (a tree per record), used only when
/// a flattenSpec names fields.
struct FlatteningJSONParser: RecordParser {
    private var inner: JSONLinesParser
    private let spec: FlattenSpec
    private let names: [String]
    private let position: RowPosition
    private var record = 0
    private var scratch: [UInt8] = []

    init(spec: FlattenSpec, signature: RowSignature, position: RowPosition) {
        self.inner = JSONLinesParser(signature: signature, position: position)
        self.spec = spec
        self.names = signature.names
        self.position = position
    }

    mutating func consume(line: UnsafeBufferPointer<UInt8>, lineNumber: Int, into batch: BatchAccumulator) throws(HengeError) {
        let b = lineNumber == 1 ? line.droppingByteOrderMark() : line
        if JSONScanner.skipWhitespace(b, 0) == b.count { return }  // blank line
        record += 1
        guard let root = try? JSONValue.parse(bytes: Array(b)), case .object = root else {
            throw HengeError.unparseableRow(line, at: position, record: record, line: lineNumber,
                                            detail: JSONRowDiagnosis.describe(b))
        }
        scratch.removeAll(keepingCapacity: true)
        JSONValue.object(FlatteningJSONParser.flatten(root, spec: spec, names: names)).write(into: &scratch)
        try scratch.withUnsafeBufferPointer { (flat) throws(HengeError) in
            try inner.consume(line: flat, lineNumber: lineNumber, into: batch)
        }
    }

    mutating func finish(into batch: BatchAccumulator) throws(HengeError) {}

    /// The members `names` take in one record under `spec` (absent ones omitted).
    static func flatten(_ root: JSONValue, spec: FlattenSpec, names: [String]) -> [(String, JSONValue)] {
        var out: [(String, JSONValue)] = []
        for name in names {
            if let field = spec.field(named: name) {
                if let v = field.path.evaluate(root) { out.append((name, v)) }
            } else if let v = root[name] {
                out.append((name, v))
            }
        }
        return out
    }

    /// The names a schema-less read finds in one record: the spec's fields,
    /// then, with `useFieldDiscovery`, top-level members holding a scalar or
    /// an array of scalars (null ones only when `keepNulls`), as Druid's
    /// `JSONFlattenerMaker.discoverRootFields`.
    static func discoveredNames(_ root: JSONValue, spec: FlattenSpec, keepNulls: Bool) -> [String] {
        var names = spec.fields.map(\.name)
        guard spec.useFieldDiscovery, let members = root.objectValue else { return names }
        for (key, value) in members where !names.contains(key) {
            switch value {
            case .object: continue
            case .null where !keepNulls: continue
            case .array(let items) where items.contains(where: { $0.arrayValue != nil || $0.objectValue != nil }): continue
            default: names.append(key)
            }
        }
        return names
    }
}
