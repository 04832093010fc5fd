internal import Hummingbird
internal import HTTPTypes
internal import DataModel
internal import Engine

/// Health, status and the coordinator metadata endpoints clients poll.
struct StatusRoutes {
    let engine: HengeEngine

    func register(on router: Router<BasicRequestContext>) {
        router.get("/status/health") { _, _ in HTTPResponses.bytes(Array("true".utf8)) }
        router.get("/status") { _, _ in
            HTTPResponses.json(.object([("version", .string(HengeVersion.string)), ("modules", .array([])), ("memory", .object([]))]))
        }
        router.get("/druid/coordinator/v1/datasources") { _, _ in
            HTTPResponses.json(.array(engine.dataSourceNames().map(JSONValue.string)))
        }
        router.delete("/druid/coordinator/v1/datasources/:ds") { _, context in
            let ds = context.parameters.get("ds") ?? ""
            do {
                guard let changed = try await engine.dropDataSource(ds) else {
                    return HTTPResponses.json(.object([("error", .string("Unknown datasource [\(ds)]"))]), status: 404)
                }
                return HTTPResponses.json(.object([("numChangedSegments", .int(Int64(changed)))]))
            } catch {
                return HTTPResponses.error(HTTPErrors.asHengeError(error))
            }
        }
        router.get("/druid/coordinator/v1/datasources/:ds/loadstatus") { request, context in
            let ds = context.parameters.get("ds") ?? ""
            guard request.uri.queryParameters.get("forceMetadataRefresh") != nil else {
                return HTTPResponses.text("Invalid request. forceMetadataRefresh must be specified", status: 400)
            }
            // Druid: 204 No Content when the datasource has no used segments.
            guard engine.dataSourceNames().contains(ds) else { return HTTPResponses.bytes([], status: 204) }
            // Published segments are queryable at once: nothing is loading.
            return HTTPResponses.json(.object([(ds, .double(100.0))]))
        }
    }
}

/// The version Henge reports.
package enum HengeVersion {
    package static let string = "0.1.0-henge"
}
