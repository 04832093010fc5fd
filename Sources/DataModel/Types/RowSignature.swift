/// One named, typed column of a `RowSignature`.
package struct ColumnSpec: Hashable, Sendable {
    package var name: String
    package var type: ColumnType

    package init(name: String, type: ColumnType) {
        self.name = name
        self.type = type
    }
}

/// The ordered list of columns of a table, an input, or a stage's output
/// (Druid's `RowSignature`).
package struct RowSignature: Hashable, Sendable {
    package var columns: [ColumnSpec]

    package init(_ columns: [ColumnSpec]) {
        self.columns = columns
    }

    package var count: Int { columns.count }
    package var names: [String] { columns.map(\.name) }

    /// Position of the column with this exact (case-sensitive) name.
    package func index(of name: String) -> Int? {
        columns.firstIndex { $0.name == name }
    }

    package subscript(_ i: Int) -> ColumnSpec { columns[i] }

    /// The signature as Druid prints it: `[{"name":..,"type":..}, ...]`.
    package var json: JSONValue {
        .array(columns.map { .object([("name", .string($0.name)), ("type", .string($0.type.description))]) })
    }

    /// Parses an EXTERN signature: `[{"name": "x", "type": "long"}, ...]`.
    package static func parse(json: JSONValue) throws(HengeError) -> RowSignature {
        guard case .array(let items) = json else {
            throw HengeError.invalidInput("Invalid EXTERN row signature: expected a JSON array of {name, type} objects")
        }
        var cols: [ColumnSpec] = []
        for item in items {
            guard let name = item["name"]?.stringValue, !name.isEmpty else {
                throw HengeError.invalidInput("Invalid EXTERN row signature: every column needs a non-empty \"name\"")
            }
            let typeName = item["type"]?.stringValue ?? "string"
            guard let type = ColumnType(druidName: typeName) else {
                throw HengeError.invalidInput(
                    "Unsupported column type [\(typeName)] for column [\(name)] in EXTERN row signature; supported types are string, long, float, double, ARRAY<STRING>, ARRAY<LONG>, ARRAY<DOUBLE> and COMPLEX<json>"
                )
            }
            if cols.contains(where: { $0.name == name }) {
                throw HengeError.invalidInput("Duplicate column [\(name)] in EXTERN row signature")
            }
            cols.append(ColumnSpec(name: name, type: type))
        }
        return RowSignature(cols)
    }
}
