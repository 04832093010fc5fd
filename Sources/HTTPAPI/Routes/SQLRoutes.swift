internal import Hummingbird
internal import HTTPTypes
internal import DataModel
internal import Engine

/// `POST /druid/v2/sql` (queries) and `POST /druid/v2/sql/task` (MSQ tasks).
struct SQLRoutes {
    let engine: HengeEngine

    func register(on router: Router<BasicRequestContext>) {
        // The router ignores a trailing slash, so these also serve `/druid/v2/sql/` (pydruid's default).
        router.post("/druid/v2/sql") { request, _ in await self.query(request) }
        router.post("/druid/v2/sql/task") { request, _ in await self.submit(request) }
        router.get("/druid/v2/sql/task/enabled") { _, _ in HTTPResponses.json(.object([("enabled", true)])) }
        // Druid: 202 when a running query with this id was canceled, 404 when none runs.
        router.delete("/druid/v2/sql/:id") { _, context in
            let id = context.parameters.get("id") ?? ""
            return engine.cancelQuery(id) ? HTTPResponses.bytes([], status: 202) : HTTPResponses.bytes([], status: 404)
        }
    }

    func query(_ request: Request) async -> Response {
        var queryID: String? = nil
        do {
            let bytes = try await request.bodyBytes()
            let decoded = try RequestDecoding.decode(request, bytes: bytes)
            queryID = decoded.request.sqlQueryID
            var sqlRequest = decoded.request
            sqlRequest.context.set("sqlQueryId", .string(queryID!))
            let result = try await engine.query(sqlRequest)
            var extra = [(HTTPResponses.queryIDHeader, result.queryID)]
            if decoded.headers.header { extra.append((HTTPResponses.headerIncludedHeader, "yes")) }
            let body = ResultWriter.write(result, format: decoded.format, headers: decoded.headers)
            return HTTPResponses.bytes(body, contentType: decoded.format.contentType, extra: extra)
        } catch {
            let e = HTTPErrors.asHengeError(error)
            return HTTPResponses.error(e, extra: queryID.map { [(HTTPResponses.queryIDHeader, $0)] } ?? [])
        }
    }

    func submit(_ request: Request) async -> Response {
        var queryID = ""
        do {
            let bytes = try await request.bodyBytes()
            let decoded = try RequestDecoding.decode(request, bytes: bytes)
            queryID = decoded.request.sqlQueryID
            var sqlRequest = decoded.request
            sqlRequest.context.set("sqlQueryId", .string(queryID))
            // EXPLAIN is answered inline, like /druid/v2/sql.
            if let explained = try await engine.explain(sqlRequest) {
                let body = ResultWriter.write(explained, format: decoded.format, headers: decoded.headers)
                return HTTPResponses.bytes(body, contentType: decoded.format.contentType,
                                           extra: [(HTTPResponses.queryIDHeader, queryID)])
            }
            let taskID = try await engine.submitTask(sqlRequest)
            return HTTPResponses.json(.object([("taskId", .string(taskID)), ("state", "RUNNING")]), status: 202)
        } catch {
            let e = HTTPErrors.asHengeError(error)
            return HTTPResponses.json(.object([("taskId", .string(queryID)), ("state", "FAILED"), ("error", e.druidExceptionJSON)]),
                                      status: HTTPResponses.status(of: e))
        }
    }
}

enum HTTPErrors {
    static func asHengeError(_ error: any Error) -> HengeError {
        if let h = error as? HengeError { return h }
        return HengeError(code: "unknownError", category: .uncategorized, persona: .operator, message: String(describing: error))
    }
}
