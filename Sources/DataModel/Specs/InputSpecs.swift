/// Where external rows come from (Druid's `inputSource` JSON).
package enum InputSourceSpec: Hashable, Sendable {
    /// `{"type":"inline","data":"line1\nline2"}`
    case inline(data: String)
    /// `{"type":"local","baseDir":..,"filter":..}` or `{"type":"local","files":[..]}`
    case local(baseDir: String?, filter: String?, files: [String], systemFields: [SystemField] = [])
    /// `{"type":"http","uris":[..],"httpAuthenticationUsername":..,"httpAuthenticationPassword":..}`
    case http(HTTPSourceSpec)

    /// Parses Druid's JSON form; unknown or unreadable types are refused here.
    package static func parse(json: JSONValue) throws(HengeError) -> InputSourceSpec {
        guard let type = json["type"]?.stringValue else {
            throw HengeError.invalidInput("Invalid inputSource: missing property [type]")
        }
        switch type {
        case "inline":
            guard let data = json["data"]?.stringValue else {
                throw HengeError.invalidInput("Invalid inline inputSource: missing property [data]")
            }
            return .inline(data: data)
        case "local":
            let baseDir = json["baseDir"]?.stringValue
            let filter = json["filter"]?.stringValue
            let files = (json["files"]?.arrayValue ?? []).compactMap(\.stringValue)
            if baseDir == nil && files.isEmpty {
                throw HengeError.invalidInput(
                    "Invalid local inputSource: at least one of [baseDir] and [files] must be specified")
            }
            if baseDir != nil && filter == nil && files.isEmpty {
                throw HengeError.invalidInput("Invalid local inputSource: [filter] is required with [baseDir]")
            }
            return .local(baseDir: baseDir, filter: filter, files: files, systemFields: try SystemField.parse(json["systemFields"]))
        case "http":
            return .http(try HTTPSourceSpec(json: json))
        case "s3", "google", "azure", "azureStorage", "hdfs", "druid", "sql", "combining", "delta", "iceberg":
            throw HengeError.unsupported("Input source type [\(type)] is not supported by Henge yet; supported types are [inline, local, http]")
        default:
            throw HengeError.invalidInput("Unknown input source type [\(type)]; supported types are [inline, local, http]")
        }
    }

    package var json: JSONValue {
        switch self {
        case .inline(let data): return .object([("type", "inline"), ("data", .string(data))])
        case .local(let baseDir, let filter, let files, let systemFields):
            var m: [(String, JSONValue)] = [("type", "local")]
            if let baseDir { m.append(("baseDir", .string(baseDir))) }
            if let filter { m.append(("filter", .string(filter))) }
            if !files.isEmpty { m.append(("files", .array(files.map(JSONValue.string)))) }
            if !systemFields.isEmpty { m.append(("systemFields", .array(systemFields.map { .string($0.rawValue) }))) }
            return .object(m)
        case .http(let spec): return spec.json
        }
    }

    /// System fields the source adds to each row (`systemFields`).
    package var systemFields: [SystemField] {
        switch self {
        case .inline: []
        case .local(_, _, _, let fields): fields
        case .http(let spec): spec.systemFields
        }
    }
}

/// Druid's input-source system fields: columns describing where a row came from.
package enum SystemField: String, Hashable, Sendable, CaseIterable {
    case uri = "__file_uri"
    case path = "__file_path"

    /// Parses `systemFields` (an array of names); absent means none.
    package static func parse(_ json: JSONValue?) throws(HengeError) -> [SystemField] {
        guard let json, !json.isNull else { return [] }
        guard let items = json.arrayValue else {
            throw HengeError.invalidInput("Invalid inputSource: [systemFields] must be an array of field names")
        }
        var out: [SystemField] = []
        for item in items {
            guard let name = item.stringValue, let field = SystemField(rawValue: name) else {
                throw HengeError.invalidInput(
                    "Invalid inputSource: unknown system field [\(item.stringValue ?? item.serialized)]; known fields are [__file_uri, __file_path]")
            }
            if !out.contains(field) { out.append(field) }
        }
        return out
    }
}

/// Druid's `http` input source.
package struct HTTPSourceSpec: Hashable, Sendable {
    package var uris: [String]
    package var username: String?
    package var password: PasswordSpec?
    /// `requestHeaders`, in the order given.
    package var headerNames: [String] = []
    package var headerValues: [String] = []
    package var systemFields: [SystemField] = []

    /// Protocols the source may use (Druid's `druid.ingestion.http.allowedProtocols` default).
    package static let allowedProtocols = ["http", "https"]

    package init(uris: [String], username: String? = nil, password: PasswordSpec? = nil) {
        self.uris = uris
        self.username = username
        self.password = password
    }

    init(json: JSONValue) throws(HengeError) {
        guard let items = json["uris"]?.arrayValue, !items.isEmpty else {
            throw HengeError.invalidInput("Invalid http inputSource: Empty URIs")
        }
        var uris: [String] = []
        for item in items {
            guard let uri = item.stringValue else { throw HengeError.invalidInput("Invalid http inputSource: [uris] must hold strings") }
            let scheme = uri.split(separator: ":", maxSplits: 1).first.map { $0.lowercased() } ?? ""
            guard uri.contains("://"), HTTPSourceSpec.allowedProtocols.contains(scheme) else {
                throw HengeError.invalidInput("Only [http, https] protocols are allowed")
            }
            uris.append(uri)
        }
        self.uris = uris
        self.username = json["httpAuthenticationUsername"]?.stringValue
        if let p = json["httpAuthenticationPassword"], !p.isNull { self.password = try PasswordSpec(json: p) }
        if let headers = json["requestHeaders"], !headers.isNull {
            guard let members = headers.objectValue else {
                throw HengeError.invalidInput("Invalid http inputSource: [requestHeaders] must be an object of strings")
            }
            for (name, value) in members {
                guard let v = value.stringValue else {
                    throw HengeError.invalidInput("Invalid http inputSource: request header [\(name)] must be a string")
                }
                let lower = name.lowercased()
                guard !["host", "content-length", "transfer-encoding", "connection", "range"].contains(lower),
                      !name.contains(where: { $0 == ":" || $0 == "\r" || $0 == "\n" }), !v.contains(where: { $0 == "\r" || $0 == "\n" })
                else {
                    throw HengeError.invalidInput("Invalid http inputSource: request header [\(name)] is not allowed")
                }
                headerNames.append(name)
                headerValues.append(v)
            }
        }
        self.systemFields = try SystemField.parse(json["systemFields"])
    }

    /// Druid's JSON form; a literal password is never echoed back.
    package var json: JSONValue {
        var m: [(String, JSONValue)] = [("type", "http"), ("uris", .array(uris.map(JSONValue.string)))]
        if let username { m.append(("httpAuthenticationUsername", .string(username))) }
        if let password { m.append(("httpAuthenticationPassword", password.json)) }
        if !headerNames.isEmpty {
            m.append(("requestHeaders", .object(headerNames.indices.map { (headerNames[$0], .string(headerValues[$0])) })))
        }
        if !systemFields.isEmpty { m.append(("systemFields", .array(systemFields.map { .string($0.rawValue) }))) }
        return .object(m)
    }
}

/// Druid's password providers: a literal (`"pw"` or `{"type":"default","password":"pw"}`)
/// or an environment variable (`{"type":"environment","variable":"NAME"}`).
package enum PasswordSpec: Hashable, Sendable {
    case literal(String)
    case environment(String)

    init(json: JSONValue) throws(HengeError) {
        if let s = json.stringValue { self = .literal(s); return }
        switch json["type"]?.stringValue {
        case "default"?:
            guard let p = json["password"]?.stringValue else {
                throw HengeError.invalidInput("Invalid password provider: [password] is required for type [default]")
            }
            self = .literal(p)
        case "environment"?:
            guard let v = json["variable"]?.stringValue, !v.isEmpty else {
                throw HengeError.invalidInput("Invalid password provider: [variable] is required for type [environment]")
            }
            self = .environment(v)
        case let other:
            throw HengeError.invalidInput("Unknown password provider type [\(other ?? "null")]; supported types are [default, environment]")
        }
    }

    var json: JSONValue {
        switch self {
        case .literal: .object([("type", "default")])
        case .environment(let v): .object([("type", "environment"), ("variable", .string(v))])
        }
    }
}

/// CSV layout options (Druid's `{"type":"csv", ...}`).
package struct CSVFormatSpec: Hashable, Sendable {
    /// Column names in file order; nil with `findColumnsFromHeader`.
    package var columns: [String]?
    package var findColumnsFromHeader: Bool
    package var skipHeaderRows: Int
    package var listDelimiter: String?
    /// TSV's field `delimiter` (default tab); unused for CSV.
    package var delimiter = "\t"

    package init(columns: [String]?, findColumnsFromHeader: Bool, skipHeaderRows: Int = 0, listDelimiter: String? = nil) {
        self.columns = columns
        self.findColumnsFromHeader = findColumnsFromHeader
        self.skipHeaderRows = skipHeaderRows
        self.listDelimiter = listDelimiter
    }
}

/// How external bytes are decoded into rows (Druid's `inputFormat` JSON).
package enum InputFormatSpec: Hashable, Sendable {
    /// JSON lines: one object per line, with the format's options
    /// (`flattenSpec`, `keepNullColumns`).
    case json(JSONFormatSpec = JSONFormatSpec())
    case csv(CSVFormatSpec)
    /// Druid's `tsv`: fields split on `delimiter`, no quoting.
    case tsv(CSVFormatSpec)

    package static func parse(json: JSONValue) throws(HengeError) -> InputFormatSpec {
        guard let type = json["type"]?.stringValue else {
            throw HengeError.invalidInput("Invalid inputFormat: missing property [type]")
        }
        switch type {
        case "json":
            return .json(try JSONFormatSpec(json: json))
        case "csv", "tsv":
            let columns = json["columns"]?.arrayValue?.compactMap(\.stringValue)
            let find = json["findColumnsFromHeader"]?.boolValue ?? false
            let skip = Int(json["skipHeaderRows"]?.intValue ?? 0)
            if !find && (columns ?? []).isEmpty {
                throw HengeError.invalidInput(
                    "Invalid \(type) inputFormat: if [columns] is not set, [findColumnsFromHeader] must be true")
            }
            if find && !(columns ?? []).isEmpty {
                throw HengeError.invalidInput(
                    "Invalid \(type) inputFormat: cannot have both [columns] and [findColumnsFromHeader] set")
            }
            var spec = CSVFormatSpec(columns: find ? nil : columns, findColumnsFromHeader: find, skipHeaderRows: skip,
                                     listDelimiter: json["listDelimiter"]?.stringValue)
            guard type == "tsv" else { return .csv(spec) }
            if let d = json["delimiter"]?.stringValue {
                guard !d.isEmpty else { throw HengeError.invalidInput("Invalid tsv inputFormat: [delimiter] cannot be empty") }
                spec.delimiter = d
            }
            if let list = spec.listDelimiter, list == spec.delimiter {
                throw HengeError.invalidInput("Cannot have same delimiter and list delimiter of [\(list)]")
            }
            return .tsv(spec)
        case "parquet", "orc", "avro_ocf", "avro_stream", "protobuf", "regex", "javascript", "kafka", "delta", "iceberg":
            throw HengeError.unsupported("Input format type [\(type)] is not supported by Henge yet; supported types are [json, csv, tsv]")
        default:
            throw HengeError.invalidInput("Unknown input format type [\(type)]; supported types are [json, csv, tsv]")
        }
    }

    private var isTSV: Bool { if case .tsv = self { true } else { false } }

    package var json: JSONValue {
        switch self {
        case .json(let spec): return spec.json
        case .csv(let c), .tsv(let c):
            var m: [(String, JSONValue)] = [("type", isTSV ? "tsv" : "csv")]
            if isTSV { m.append(("delimiter", .string(c.delimiter))) }
            if let cols = c.columns { m.append(("columns", .array(cols.map(JSONValue.string)))) }
            m.append(("findColumnsFromHeader", .bool(c.findColumnsFromHeader)))
            if c.skipHeaderRows != 0 { m.append(("skipHeaderRows", .int(Int64(c.skipHeaderRows)))) }
            if let d = c.listDelimiter { m.append(("listDelimiter", .string(d))) }
            return .object(m)
        }
    }
}

/// An external table: what `TABLE(EXTERN(source, format, signature))` names.
package struct ExternalInputSpec: Hashable, Sendable {
    package var source: InputSourceSpec
    package var format: InputFormatSpec
    package var signature: RowSignature

    package init(source: InputSourceSpec, format: InputFormatSpec, signature: RowSignature) {
        self.source = source
        self.format = format
        self.signature = signature
    }

    /// The stage-input JSON Druid prints in reports.
    package var json: JSONValue {
        .object([("type", "external"), ("inputSource", source.json), ("inputFormat", format.json), ("signature", signature.json)])
    }
}
