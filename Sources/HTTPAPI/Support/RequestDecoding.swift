internal import Hummingbird
internal import HTTPTypes
internal import DataModel
internal import Engine

/// A decoded SQL request body plus its result-format options.
struct DecodedSQLRequest {
    var request: SQLRequest
    var format: ResultFormat
    var headers: HeaderOptions
}

enum RequestDecoding {
    /// Marks the one request error Druid answers with 415 instead of its category's status.
    static let unsupportedMediaTypeCode = "unsupportedMediaType"

    /// Decodes a `/druid/v2/sql` or `/sql/task` body by Content-Type, as Druid does.
    static func decode(_ request: Request, bytes: [UInt8]) throws(HengeError) -> DecodedSQLRequest {
        let contentType = (request.headers[.contentType] ?? "").split(separator: ";").first.map {
            String($0).trimmingSpaces.lowercased()
        } ?? ""
        switch contentType {
        case "application/json":
            let json: JSONValue
            do { json = try JSONValue.parse(bytes: bytes) } catch {
                throw HengeError.invalidInput("Malformed SQL request: \(error.message)")
            }
            guard case .object = json else { throw HengeError.invalidInput("Malformed SQL request: expected a JSON object") }
            guard let query = json["query"]?.stringValue, !query.trimmingSpaces.isEmpty else {
                throw HengeError.invalidInput("Malformed SQL request: missing field [query]")
            }
            var format = ResultFormat.object
            if let f = json["resultFormat"], !f.isNull {
                guard let name = f.stringValue, let parsed = ResultFormat(name: name) else {
                    throw HengeError.invalidInput("Unsupported resultFormat [\(f.stringValue ?? f.serialized)]; use one of object, array, objectLines, arrayLines, csv")
                }
                format = parsed
            }
            var headers = HeaderOptions()
            headers.header = json["header"]?.boolValue ?? false
            headers.typesHeader = json["typesHeader"]?.boolValue ?? false
            headers.sqlTypesHeader = json["sqlTypesHeader"]?.boolValue ?? false
            if headers.typesHeader && !headers.header { throw HengeError.invalidInput("Cannot include 'typesHeader' without 'header'") }
            if headers.sqlTypesHeader && !headers.header { throw HengeError.invalidInput("Cannot include 'sqlTypesHeader' without 'header'") }
            var context = QueryContext()
            if let c = json["context"], !c.isNull {
                guard let members = c.objectValue else { throw HengeError.invalidInput("Malformed SQL request: [context] must be an object") }
                context = QueryContext(members)
            }
            headers.stringifyArrays = try context.bool("sqlStringifyArrays") ?? true
            let params = try SQLRequest.parameters(from: json["parameters"])
            return DecodedSQLRequest(request: SQLRequest(query: query, context: context, parameters: params), format: format, headers: headers)
        case "text/plain":
            let sql = String(decoding: bytes, as: UTF8.self)
            guard !sql.trimmingSpaces.isEmpty else { throw HengeError.invalidInput("No SQL given") }
            return DecodedSQLRequest(request: SQLRequest(query: sql), format: .object, headers: HeaderOptions())
        case "application/x-www-form-urlencoded":
            let sql = formDecode(String(decoding: bytes, as: UTF8.self))
            guard !sql.trimmingSpaces.isEmpty else { throw HengeError.invalidInput("No SQL given") }
            return DecodedSQLRequest(request: SQLRequest(query: sql), format: .object, headers: HeaderOptions())
        default:
            throw HengeError(code: RequestDecoding.unsupportedMediaTypeCode, category: .invalidInput,
                             message: "Unsupported Content-Type: \(contentType.isEmpty ? "null" : contentType). Only application/json, text/plain or application/x-www-form-urlencoded is supported.")
        }
    }

    /// Decodes `+` and `%XX` of a URL-encoded form body.
    static func formDecode(_ s: String) -> String {
        var bytes: [UInt8] = []
        var it = Array(s.utf8).makeIterator()
        while let b = it.next() {
            if b == UInt8(ascii: "+") {
                bytes.append(0x20)
            } else if b == UInt8(ascii: "%"), let h = it.next(), let l = it.next(),
                      let v = UInt8(String(decoding: [h, l], as: UTF8.self), radix: 16) {
                bytes.append(v)
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
