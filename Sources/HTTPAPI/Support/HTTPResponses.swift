internal import Hummingbird
internal import HTTPTypes
internal import DataModel

/// Small helpers to build responses from bytes and JSON.
enum HTTPResponses {
    static let queryIDHeader = HTTPField.Name("X-Druid-SQL-Query-Id")!
    static let headerIncludedHeader = HTTPField.Name("X-Druid-SQL-Header-Included")!

    static func bytes(_ bytes: [UInt8], status: Int = 200, contentType: String = "application/json",
                      extra: [(HTTPField.Name, String)] = []) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        for (k, v) in extra { headers[k] = v }
        return Response(status: HTTPResponse.Status(code: status), headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func json(_ value: JSONValue, status: Int = 200, extra: [(HTTPField.Name, String)] = []) -> Response {
        var out: [UInt8] = []
        value.write(into: &out)
        return bytes(out, status: status, extra: extra)
    }

    static func text(_ s: String, status: Int) -> Response {
        bytes(Array(s.utf8), status: status, contentType: "text/plain")
    }

    /// A DruidException error response with the category's HTTP status.
    static func error(_ e: HengeError, extra: [(HTTPField.Name, String)] = []) -> Response {
        json(e.druidExceptionJSON, status: status(of: e), extra: extra)
    }

    /// The HTTP status for an error: its category's, except 415 for an unsupported Content-Type.
    static func status(of e: HengeError) -> Int {
        e.code == RequestDecoding.unsupportedMediaTypeCode ? 415 : e.category.httpStatus
    }
}

extension Request {
    /// The whole body (bounded), as bytes.
    func bodyBytes(limit: Int = 64 << 20) async throws -> [UInt8] {
        let buffer = try await body.collect(upTo: limit)
        return Array(buffer.readableBytesView)
    }
}
