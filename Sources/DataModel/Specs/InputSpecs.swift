/// Where external rows come from (Druid's `inputSource` JSON).
package enum InputSourceSpec: Hashable, Sendable {
    /// `{"type":"inline","data":"line1\nline2"}`
    case inline(data: String)
    /// `{"type":"local","baseDir":..,"filter":..}` or `{"type":"local","files":[..]}`
    case local(baseDir: String?, filter: String?, files: [String])

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
            return .local(baseDir: baseDir, filter: filter, files: files)
        case "http", "s3", "google", "azure", "azureStorage", "hdfs", "druid", "sql", "combining", "delta", "iceberg":
            throw HengeError.unsupported("Input source type [\(type)] is not supported by Henge yet; supported types are [inline, local]")
        default:
            throw HengeError.invalidInput("Unknown input source type [\(type)]; supported types are [inline, local]")
        }
    }

    package var json: JSONValue {
        switch self {
        case .inline(let data): return .object([("type", "inline"), ("data", .string(data))])
        case .local(let baseDir, let filter, let files):
            var m: [(String, JSONValue)] = [("type", "local")]
            if let baseDir { m.append(("baseDir", .string(baseDir))) }
            if let filter { m.append(("filter", .string(filter))) }
            if !files.isEmpty { m.append(("files", .array(files.map(JSONValue.string)))) }
            return .object(m)
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

    package init(columns: [String]?, findColumnsFromHeader: Bool, skipHeaderRows: Int = 0, listDelimiter: String? = nil) {
        self.columns = columns
        self.findColumnsFromHeader = findColumnsFromHeader
        self.skipHeaderRows = skipHeaderRows
        self.listDelimiter = listDelimiter
    }
}

/// How external bytes are decoded into rows (Druid's `inputFormat` JSON).
package enum InputFormatSpec: Hashable, Sendable {
    /// JSON lines: one object per line.
    case json
    case csv(CSVFormatSpec)

    package static func parse(json: JSONValue) throws(HengeError) -> InputFormatSpec {
        guard let type = json["type"]?.stringValue else {
            throw HengeError.invalidInput("Invalid inputFormat: missing property [type]")
        }
        switch type {
        case "json":
            return .json
        case "csv":
            let columns = json["columns"]?.arrayValue?.compactMap(\.stringValue)
            let find = json["findColumnsFromHeader"]?.boolValue ?? false
            let skip = Int(json["skipHeaderRows"]?.intValue ?? 0)
            if !find && (columns ?? []).isEmpty {
                throw HengeError.invalidInput(
                    "Invalid csv inputFormat: if [columns] is not set, [findColumnsFromHeader] must be true")
            }
            if find && !(columns ?? []).isEmpty {
                throw HengeError.invalidInput(
                    "Invalid csv inputFormat: cannot have both [columns] and [findColumnsFromHeader] set")
            }
            return .csv(CSVFormatSpec(columns: find ? nil : columns, findColumnsFromHeader: find, skipHeaderRows: skip,
                                      listDelimiter: json["listDelimiter"]?.stringValue))
        case "tsv", "parquet", "orc", "avro_ocf", "avro_stream", "protobuf", "regex", "javascript", "kafka", "delta", "iceberg":
            throw HengeError.unsupported("Input format type [\(type)] is not supported by Henge yet; supported types are [json, csv]")
        default:
            throw HengeError.invalidInput("Unknown input format type [\(type)]; supported types are [json, csv]")
        }
    }

    package var json: JSONValue {
        switch self {
        case .json: return .object([("type", "json")])
        case .csv(let c):
            var m: [(String, JSONValue)] = [("type", "csv")]
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
