import DataModel
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP exchange's outcome: status, headers and the raw body.
struct HTTPResult: Sendable {
    var status: Int
    var headers: [String: String]
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    /// Header value, case-insensitive.
    func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }

    /// `Content-Type` without parameters (`; charset=...`).
    var contentType: String? {
        header("Content-Type")?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// The body parsed with key order kept.
    func json() throws -> JSONValue { try JSONValue.parse(bytes: body) }
}

/// A tiny URLSession wrapper over one server.
struct HTTPClient: Sendable {
    let baseURL: String

    init(_ server: ServerProcess) { baseURL = server.baseURL }

    static let session: URLSession = {
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = 60
        config.timeoutIntervalForResource = 120
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        return URLSession(configuration: config)
    }()

    func request(_ method: String, _ path: String, body: [UInt8]? = nil, contentType: String? = nil,
                 timeout: Double = 60) async throws -> HTTPResult {
        var req = URLRequest(url: URL(string: baseURL + path)!)
        req.httpMethod = method
        req.timeoutInterval = timeout
        if let contentType { req.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        if let body { req.httpBody = Data(body) }
        let (data, response) = try await Self.session.data(for: req)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (k, v) in http.allHeaderFields {
            if let k = k as? String, let v = v as? String { headers[k] = v }
        }
        return HTTPResult(status: http.statusCode, headers: headers, body: Array(data))
    }

    func get(_ path: String, timeout: Double = 60) async throws -> HTTPResult {
        try await request("GET", path, timeout: timeout)
    }

    func post(_ path: String, json: JSONValue) async throws -> HTTPResult {
        try await request("POST", path, body: Array(json.serialized.utf8), contentType: "application/json")
    }

    func post(_ path: String, text: String, contentType: String) async throws -> HTTPResult {
        try await request("POST", path, body: Array(text.utf8), contentType: contentType)
    }

    /// `POST /druid/v2/sql` with a JSON body built from the arguments.
    func sql(_ query: String, resultFormat: String? = nil, header: Bool? = nil, typesHeader: Bool? = nil,
             sqlTypesHeader: Bool? = nil, context: [(String, JSONValue)]? = nil, parameters: [JSONValue]? = nil,
             path: String = "/druid/v2/sql") async throws -> HTTPResult {
        var body: [(String, JSONValue)] = [("query", .string(query))]
        if let resultFormat { body.append(("resultFormat", .string(resultFormat))) }
        if let header { body.append(("header", .bool(header))) }
        if let typesHeader { body.append(("typesHeader", .bool(typesHeader))) }
        if let sqlTypesHeader { body.append(("sqlTypesHeader", .bool(sqlTypesHeader))) }
        if let context { body.append(("context", .object(context))) }
        if let parameters { body.append(("parameters", .array(parameters))) }
        return try await post(path, json: .object(body))
    }

    /// `POST /druid/v2/sql/task`.
    func submitTask(_ query: String, context: [(String, JSONValue)]? = nil, path: String = "/druid/v2/sql/task") async throws
        -> HTTPResult
    {
        var body: [(String, JSONValue)] = [("query", .string(query))]
        if let context { body.append(("context", .object(context))) }
        return try await post(path, json: .object(body))
    }

    func taskStatus(_ id: String) async throws -> HTTPResult { try await get("/druid/indexer/v1/task/\(id)/status") }

    func taskReport(_ id: String) async throws -> HTTPResult { try await get("/druid/indexer/v1/task/\(id)/reports") }

    /// Polls the task status until it leaves RUNNING; returns the final status response body.
    func waitForTask(_ id: String, timeout: Double = 60) async throws -> JSONValue {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let r = try await taskStatus(id)
            guard r.status == 200 else { throw TestFailure("status of \(id): HTTP \(r.status) \(r.text)") }
            let json = try r.json()
            let state = json["status"]?["status"]?.stringValue
            if state != "RUNNING" { return json }
            if Date() > deadline { throw TestFailure("task \(id) still RUNNING after \(timeout) s") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Submits an ingestion, expects 202, waits and expects SUCCESS; returns the task id.
    @discardableResult
    func ingest(_ query: String, queryID: String? = nil, context: [(String, JSONValue)] = []) async throws -> String {
        var ctx = context
        if let queryID { ctx.append(("sqlQueryId", .string(queryID))) }
        let r = try await submitTask(query, context: ctx.isEmpty ? nil : ctx)
        guard r.status == 202, let id = try r.json()["taskId"]?.stringValue else {
            throw TestFailure("submit failed: HTTP \(r.status) \(r.text)")
        }
        let final = try await waitForTask(id)
        guard final["status"]?["status"]?.stringValue == "SUCCESS" else {
            throw TestFailure("task \(id) did not succeed: \(final.serialized)")
        }
        return id
    }

    /// Runs a query (array format) and returns its rows; throws unless HTTP 200.
    func rows(_ query: String) async throws -> [[JSONValue]] {
        let r = try await sql(query, resultFormat: "array")
        guard r.status == 200 else { throw TestFailure("query failed: HTTP \(r.status) \(r.text)") }
        return try (r.json().arrayValue ?? []).map { $0.arrayValue ?? [] }
    }
}

/// A failure raised by the helpers, with the server's answer in the message.
struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
