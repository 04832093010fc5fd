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
                guard let table = SystemTable(schema: name[0], table: name[1]) else {
                    throw HengeError.invalidInput(
                        "Object '\(name.joined(separator: "."))' not found (line [\(range.line)], column [\(range.column)])", range: range)
                }
                let fields = table.fields.map { Field(name: $0.0, type: $0.1) }
                return (.scan(TableScan(source: .systemTable(table), tableFields: fields)), Scope(fields, qualifier: alias ?? name[1]))
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
        switch name {
        case "EXTERN": break
        case "INLINE", "LOCALFILES", "HTTP", "S3":
            return try bindInputTableFunction(name: name, args: args, extend: extend, range: range)
        default:
            throw HengeError.invalidInput("No match found for table function [\(name)]; use EXTERN, http, inline or localfiles", range: range)
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
            signature = try extendSignature(extend)
        } else if let infer = context.inferSchema {
            signature = try inferredSignature(infer, source, format)
        } else {
            throw HengeError.invalidInput(
                "EXTERN requires a row signature: pass it as the third argument or declare columns with EXTEND (...)", range: range)
        }
        if let time = signature.columns.first(where: { $0.name == "__time" }), time.type != .long {
            throw HengeError.invalidInput(
                "EXTERN function with __time column can be used when __time column is of type long. Please change the column name to something other than __time")
        }
        if case .csv(var csv) = format, csv.columns == nil, !csv.findColumnsFromHeader {
            csv.columns = signature.names
            format = .csv(csv)
        }
        if case .tsv(var tsv) = format, tsv.columns == nil, !tsv.findColumnsFromHeader {
            tsv.columns = signature.names
            format = .tsv(tsv)
        }
        return ExternalInputSpec(source: source, format: format, signature: signature)
    }
}

extension Binder {
    /// Columns declared with `EXTEND (name TYPE, ...)`.
    func extendSignature(_ extend: [ColumnDefinition]) throws(HengeError) -> RowSignature {
        var cols: [ColumnSpec] = []
        for def in extend {
            guard let t = SQLType(sqlName: def.typeName), t != .boolean, t != .null else {
                throw HengeError.invalidInput("Unsupported column type [\(def.typeName)] for column [\(def.name)]", range: def.range)
            }
            if cols.contains(where: { $0.name == def.name }) {
                throw HengeError.invalidInput("Duplicate column [\(def.name)] in EXTEND", range: def.range)
            }
            cols.append(ColumnSpec(name: def.name, type: t.nativeType))
        }
        return RowSignature(cols)
    }

    /// The `http`, `inline`, `localfiles` (and `s3`) table functions with
    /// named arguments (reference §1.8), turned into the same input spec
    /// as EXTERN's JSON.
    func bindInputTableFunction(name: String, args: [CallArgument], extend: [ColumnDefinition]?,
                                range: SourceRange) throws(HengeError) -> ExternalInputSpec {
        var named: [String: JSONValue] = [:]
        for a in args {
            guard let key = a.name else {
                throw HengeError.invalidInput("Table function [\(name.lowercased())] takes named arguments only (name => value)", range: a.value.range)
            }
            named[key] = try argumentValue(a.value)
        }
        func string(_ key: String) -> String? { named[key]?.stringValue }
        func strings(_ key: String) -> [String]? {
            guard let v = named[key] else { return nil }
            if let s = v.stringValue { return [s] }
            return v.arrayValue?.compactMap(\.stringValue)
        }
        if extend == nil && context.inferSchema == nil {
            throw HengeError.invalidInput("Table function [\(name.lowercased())] requires a schema: add EXTEND (column TYPE, ...)", range: range)
        }
        var signature = try extend.map { (e: [ColumnDefinition]) throws(HengeError) in try extendSignature(e) } ?? RowSignature([])
        var source: JSONValue
        switch name {
        case "INLINE":
            guard let data = strings("data") else {
                throw HengeError.invalidInput("Table function [inline] requires the [data] argument", range: range)
            }
            source = .object([("type", "inline"), ("data", .string(data.joined(separator: "\n")))])
        case "LOCALFILES":
            var m: [(String, JSONValue)] = [("type", "local")]
            if let b = string("baseDir") { m.append(("baseDir", .string(b))) }
            if let f = string("filter") { m.append(("filter", .string(f))) } else if string("baseDir") != nil && strings("files") == nil {
                m.append(("filter", "*"))
            }
            if let files = strings("files") { m.append(("files", .array(files.map(JSONValue.string)))) }
            source = .object(m)
        case "HTTP":
            guard let uris = strings("uris") else {
                throw HengeError.invalidInput("Table function [http] requires the [uris] argument", range: range)
            }
            var m: [(String, JSONValue)] = [("type", "http"), ("uris", .array(uris.map(JSONValue.string)))]
            if let u = string("userName") { m.append(("httpAuthenticationUsername", .string(u))) }
            if let p = string("password") { m.append(("httpAuthenticationPassword", .object([("type", "default"), ("password", .string(p))]))) }
            if let env = string("passwordEnvVar") {
                m.append(("httpAuthenticationPassword", .object([("type", "environment"), ("variable", .string(env))])))
            }
            source = .object(m)
        default:
            source = .object([("type", .string(name.lowercased()))])
        }
        guard let formatName = string("format")?.lowercased() else {
            throw HengeError.invalidInput("Table function [\(name.lowercased())] requires the [format] argument", range: range)
        }
        var format: [(String, JSONValue)] = [("type", .string(formatName))]
        switch formatName {
        case "csv" where extend == nil, "tsv" where extend == nil:
            // No EXTEND: the columns come from the header, their types from a sample.
            format.append(("findColumnsFromHeader", true))
            if let d = string("delimiter") { format.append(("delimiter", .string(d))) }
            if let d = string("listDelimiter") { format.append(("listDelimiter", .string(d))) }
        case "csv", "tsv":
            format.append(("columns", .array(signature.names.map(JSONValue.string))))
            format.append(("findColumnsFromHeader", false))
            if let d = string("delimiter") { format.append(("delimiter", .string(d))) }
            if let d = string("listDelimiter") { format.append(("listDelimiter", .string(d))) }
            if let skip = named["skipHeaderRows"] {
                let n = skip.intValue ?? (skip.boolValue == true ? 1 : 0)
                format.append(("skipHeaderRows", .int(n)))
            }
        default:
            break
        }
        let sourceSpec = try InputSourceSpec.parse(json: source)
        let formatSpec = try InputFormatSpec.parse(json: .object(format))
        if extend == nil, let infer = context.inferSchema { signature = try inferredSignature(infer, sourceSpec, formatSpec) }
        return ExternalInputSpec(source: sourceSpec, format: formatSpec, signature: signature)
    }

    /// The sampled signature of an input, remembering its notes for DESCRIBE.
    func inferredSignature(_ infer: SchemaInferrer, _ source: InputSourceSpec, _ format: InputFormatSpec) throws(HengeError)
        -> RowSignature
    {
        let schema = try infer(source, format)
        inferredNotes.notes.merge(schema.notes) { a, _ in a }
        inferredNotes.inputs.append(.object([
            ("inputSource", source.json), ("inputFormat", format.json), ("signature", schema.signature.json),
        ]))
        return schema.signature
    }

    /// A table-function argument: a literal, `ARRAY[...]` of literals, or a parameter.
    func argumentValue(_ e: Expr) throws(HengeError) -> JSONValue {
        switch e.kind {
        case .literal(.string(let s)): return .string(s)
        case .literal(.integer(let t)): return Int64(t).map(JSONValue.int) ?? .string(t)
        case .literal(.boolean(let b)): return .bool(b)
        case .literal(.null): return .null
        case .arrayConstructor(let items):
            var out: [JSONValue] = []
            for i in items { out.append(try argumentValue(i)) }
            return .array(out)
        case .parameter(let i) where i < context.parameters.count:
            let p = context.parameters[i]
            switch p.value {
            case .string(let s): return .string(s)
            case .long(let v): return .int(v)
            case .double(let d): return .double(d)
            case .null: return .null
            }
        default:
            throw HengeError.invalidInput("Table function arguments must be literals or ARRAY[...] of literals", range: e.range)
        }
    }
}
