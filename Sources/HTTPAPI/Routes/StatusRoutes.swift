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
        router.get("/druid/coordinator/v1/datasources/:ds/loadstatus") { _, context in
            let ds = context.parameters.get("ds") ?? ""
            guard engine.dataSourceNames().contains(ds) else {
                return HTTPResponses.json(.object([("error", .string("Unknown datasource [\(ds)]"))]), status: 404)
            }
            // Published segments are queryable at once: nothing is loading.
            return HTTPResponses.json(.object([(ds, .double(100.0))]))
        }
    }
}

/// The version Henge reports.
package enum HengeVersion {
    package static let string = "0.1.0-henge"
}
