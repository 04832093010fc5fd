internal import DataModel
internal import Expressions

/// Druid's `arrayIngestMode` (reference §2.2, docs/querying/arrays.md).
enum ArrayIngestMode: String {
    /// SQL arrays are refused.
    case none
    /// VARCHAR ARRAY is stored as a multi-value string; numeric arrays are refused.
    case mvd
    /// SQL arrays are stored as ARRAY columns (Druid 31+ default).
    case array

    static func from(_ context: QueryContext) throws(HengeError) -> ArrayIngestMode {
        guard let v = context["arrayIngestMode"], !v.isNull else { return .array }
        let text = v.stringValue ?? v.serialized
        guard let mode = ArrayIngestMode(rawValue: text.lowercased()) else {
            throw HengeError.invalidInput(
                "Expected key [arrayIngestMode] to be referring to one of the values [NONE, MVD, ARRAY] of enum [ArrayIngestMode], but got [\(text)]")
        }
        return mode
    }
}

extension Binder {
    /// Applies `arrayIngestMode` to the ingest plan's output fields: under
    /// `mvd` a VARCHAR ARRAY field is wrapped in ARRAY_TO_MV; numeric arrays
    /// (and, under `none`, any array) are refused with Druid's messages. Then
    /// checks, as Druid does, that no column of the existing table changes
    /// between STRING and ARRAY unless `skipTypeVerification` names it.
    func applyArrayIngestMode(_ plan: LogicalPlan, dataSource: String) throws(HengeError) -> LogicalPlan {
        let mode = try ArrayIngestMode.from(context.queryContext)
        let fields = plan.fields
        var exprs: [ScalarExpr] = fields.indices.map { .column($0, fields[$0].type) }
        var changed = false
        for (i, f) in fields.enumerated() where f.type.isArray {
            if f.type == .varcharArray {
                switch mode {
                case .array: break
                case .mvd:
                    exprs[i] = .call("ARRAY_TO_MV", [exprs[i]], .varchar)
                    changed = true
                case .none:
                    throw HengeError.invalidInput(
                        "String arrays can not be ingested when 'arrayIngestMode' is set to 'none'. Set 'arrayIngestMode' in query context to 'array' to ingest the string array as an array, or ingest it as an MVD by explicitly casting the array to an MVD with the ARRAY_TO_MV function.")
                }
            } else if mode != .array {
                throw HengeError.invalidInput(
                    "Numeric arrays can only be ingested when 'arrayIngestMode' is set to 'array'. Current value of the parameter is[\(mode.rawValue)]")
            }
        }
        try validateTypeChanges(fields, dataSource: dataSource, mode: mode)
        return changed ? .project(plan, exprs: exprs, names: fields.map(\.name)) : plan
    }

    /// Druid's `validateTypeChanges`: STRING ↔ ARRAY changes of existing columns fail.
    private func validateTypeChanges(_ fields: [Field], dataSource: String, mode: ArrayIngestMode) throws(HengeError) {
        guard let existing = context.catalog.dataSource(dataSource) else { return }
        let skipped = Set(Binder.stringList(context.queryContext["skipTypeVerification"]))
        for f in fields where !skipped.contains(f.name) {
            guard let i = existing.signature.index(of: f.name) else { continue }
            let old = existing.signature[i].type
            let stored: ColumnType = f.type == .varcharArray && mode == .mvd ? .string : f.type.nativeType
            let newIsString = stored == .string && (f.type == .varchar || f.type == .varcharArray)
            guard (stored.isArray && old == .string) || (newIsString && old.isArray) else { continue }
            var message = "Cannot write into field[\(f.name)] using type[\(f.type)] and arrayIngestMode[\(mode.rawValue)], since the existing type is[\(old.sqlType)]"
            if newIsString && f.type.isArray && mode == .mvd {
                message += ". Try setting arrayIngestMode to[array] to retain the SQL type[\(f.type)]"
            } else if stored.isArray && old == .string && mode == .array {
                message += ". Try wrapping this field using ARRAY_TO_MV(...) AS \"\(f.name)\""
            } else if newIsString && old.isArray {
                message += ". Try" + (mode == .mvd ? " setting arrayIngestMode to[array] and" : "")
                    + " adjusting your query to make this column an ARRAY instead of VARCHAR"
            }
            message += ". See https://druid.apache.org/docs/latest/querying/arrays#arrayingestmode for more details about this check and how to override it if needed."
            throw HengeError.invalidInput(message)
        }
    }

    /// A context list given as a JSON array, a JSON-array string or a CSV string.
    static func stringList(_ v: JSONValue?) -> [String] {
        guard let v, !v.isNull else { return [] }
        if let items = v.arrayValue { return items.compactMap(\.stringValue) }
        guard let text = v.stringValue else { return [] }
        if text.hasPrefix("["), let parsed = try? JSONValue.parse(text), let items = parsed.arrayValue {
            return items.compactMap(\.stringValue)
        }
        return text.split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
    }
}
