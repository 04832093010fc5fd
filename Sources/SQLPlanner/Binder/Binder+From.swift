internal import DataModel
internal import SQLSyntax
internal import Expressions

extension Binder {
    /// Binds the FROM clause; no FROM gives one row with no columns.
    mutating func bindFrom(_ from: FromItem?) throws(HengeError) -> (LogicalPlan, Scope) {
        guard let from else { return (.scan(TableScan(source: .singleRow, tableFields: [])), Scope([])) }
        switch from {
        case .table(let name, let alias, let range):
            if name.count == 1, let cte = ctes[name[0]] {
                return (cte, Scope(cte.fields, qualifier: alias ?? name[0]))
            }
            let dsName: String
            switch name.count {
            case 1: dsName = name[0]
            case 2 where name[0] == "druid": dsName = name[1]
            case 2 where name[0] == "INFORMATION_SCHEMA" || name[0] == "sys":
                throw HengeError.unsupported("System table [\(name.joined(separator: "."))] is not supported yet", range: range)
            default:
                throw HengeError.invalidInput(
                    "Object '\(name.joined(separator: "."))' not found (line [\(range.line)], column [\(range.column)])", range: range)
            }
            guard let info = context.catalog.dataSource(dsName) else {
                throw HengeError.invalidInput("Object '\(dsName)' not found (line [\(range.line)], column [\(range.column)])", range: range)
            }
            let fields = info.signature.columns.map { c in Field(name: c.name, type: c.name == "__time" ? .timestamp : c.type.sqlType) }
            var scan = TableScan(source: .dataSource(dsName), tableFields: fields)
            scan.intervals = nil
            return (.scan(scan), Scope(fields, qualifier: alias ?? dsName))
        case .tableFunction(let name, let args, let extend, let alias, let range):
            let spec = try bindTableFunction(name: name, args: args, extend: extend, range: range)
            let fields = spec.signature.columns.map { Field(name: $0.name, type: $0.type.sqlType) }
            return (.scan(TableScan(source: .external(spec), tableFields: fields)), Scope(fields, qualifier: alias))
        case .subquery(let q, let alias, _):
            let plan = try bindQuery(q)
            return (plan, Scope(plan.fields, qualifier: alias))
        case .join(_, _, let kind, _, let range):
            throw HengeError.unsupported("\(kind.rawValue) JOIN is not supported yet", range: range)
        }
    }

    /// `EXTERN(inputSource, inputFormat, signature)` or with `EXTEND (...)`.
    func bindTableFunction(name: String, args: [CallArgument], extend: [ColumnDefinition]?, range: SourceRange) throws(HengeError) -> ExternalInputSpec {
        guard name == "EXTERN" else {
            throw HengeError.unsupported("Table function [\(name)] is not supported yet; use EXTERN", range: range)
        }
        func stringArg(_ position: Int, _ named: String) throws(HengeError) -> String? {
            let arg = args.first { $0.name?.lowercased() == named.lowercased() } ?? (position < args.count && args[position].name == nil ? args[position] : nil)
            guard let arg else { return nil }
            switch arg.value.kind {
            case .literal(.string(let s)): return s
            case .parameter(let i) where i < context.parameters.count: return context.parameters[i].value.stringValue
            default:
                throw HengeError.invalidInput("EXTERN argument [\(named)] must be a string literal", range: arg.value.range)
            }
        }
        guard let sourceText = try stringArg(0, "inputSource") else {
            throw HengeError.invalidInput("EXTERN requires an inputSource argument", range: range)
        }
        guard let formatText = try stringArg(1, "inputFormat") else {
            throw HengeError.invalidInput("EXTERN requires an inputFormat argument", range: range)
        }
        let signatureText = try stringArg(2, "signature")
        let source = try InputSourceSpec.parse(json: try JSONValue.parse(sourceText))
        var format = try InputFormatSpec.parse(json: try JSONValue.parse(formatText))
        let signature: RowSignature
        if let signatureText {
            if extend != nil {
                throw HengeError.invalidInput("EXTERN cannot have both a signature argument and an EXTEND clause", range: range)
            }
            signature = try RowSignature.parse(json: try JSONValue.parse(signatureText))
        } else if let extend {
            var cols: [ColumnSpec] = []
            for def in extend {
                guard let t = SQLType(sqlName: def.typeName) else {
                    throw HengeError.invalidInput("Unsupported column type [\(def.typeName)] for column [\(def.name)]", range: def.range)
                }
                cols.append(ColumnSpec(name: def.name, type: t.nativeType))
            }
            signature = RowSignature(cols)
        } else {
            throw HengeError.invalidInput(
                "EXTERN requires a row signature: pass it as the third argument or declare columns with EXTEND (...)", range: range)
        }
        if case .csv(var csv) = format, csv.columns == nil, !csv.findColumnsFromHeader {
            csv.columns = signature.names
            format = .csv(csv)
        }
        return ExternalInputSpec(source: source, format: format, signature: signature)
    }
}
