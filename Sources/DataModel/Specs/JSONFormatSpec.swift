/// Options of Druid's `json` input format (`{"type":"json", ...}`).
package struct JSONFormatSpec: Hashable, Sendable {
    /// Named fields inside nested records; nil when absent.
    package var flattenSpec: FlattenSpec?
    /// `keepNullColumns` as given; nil when absent (see `keepsNullColumns`).
    package var keepNullColumns: Bool?

    package init(flattenSpec: FlattenSpec? = nil, keepNullColumns: Bool? = nil) {
        self.flattenSpec = flattenSpec
        self.keepNullColumns = keepNullColumns
    }

    /// Whether field discovery keeps members whose value is null, as
    /// Druid's `JsonInputFormat.isKeepNullColumns`: the given value, else
    /// true exactly when a `flattenSpec` has `useFieldDiscovery`.
    ///
    /// Discovery is all it changes: with a signature the columns are named,
    /// so a null member reads as NULL either way. Henge discovers fields only
    /// when it infers a signature (EXTERN without one), where a member whose
    /// sampled values are all null becomes a VARCHAR column only when this
    /// is true.
    package var keepsNullColumns: Bool {
        keepNullColumns ?? (flattenSpec?.useFieldDiscovery ?? false)
    }

    /// The flattenSpec when it names fields: only then does a read need more
    /// than the top-level members.
    package var flatteningFields: FlattenSpec? {
        guard let flattenSpec, !flattenSpec.fields.isEmpty else { return nil }
        return flattenSpec
    }

    /// Parses the options of `{"type":"json", ...}`; a `keepNullColumns` or
    /// `flattenSpec` of the wrong type is refused rather than ignored.
    package init(json: JSONValue) throws(HengeError) {
        if let f = json["flattenSpec"], !f.isNull {
            guard f.objectValue != nil else {
                throw HengeError.invalidInput("Invalid json inputFormat: [flattenSpec] must be an object, found [\(f.serialized)]")
            }
            flattenSpec = try FlattenSpec(json: f)
        }
        if let k = json["keepNullColumns"], !k.isNull {
            guard let b = k.boolValue else {
                throw HengeError.invalidInput("Invalid json inputFormat: [keepNullColumns] must be a boolean, found [\(k.serialized)]")
            }
            keepNullColumns = b
        }
    }

    /// Druid's JSON form; `keepNullColumns` only when it was given (Druid's `NON_NULL`).
    package var json: JSONValue {
        var m: [(String, JSONValue)] = [("type", "json")]
        if let flattenSpec { m.append(("flattenSpec", flattenSpec.json)) }
        if let keepNullColumns { m.append(("keepNullColumns", .bool(keepNullColumns))) }
        return .object(m)
    }
}
