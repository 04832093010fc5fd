internal import Hummingbird
internal import HTTPTypes
internal import DataModel
internal import Engine

/// Druid's Overlord task endpoints for MSQ tasks.
struct TaskRoutes {
    let engine: HengeEngine

    func register(on router: Router<BasicRequestContext>) {
        router.get("/druid/indexer/v1/task/:id/status") { _, context in
            let id = context.parameters.get("id") ?? ""
            if let status = await engine.taskStatus(id) { return HTTPResponses.json(status) }
            return HTTPResponses.json(.object([("task", .string(id)), ("status", .null)]), status: 404)
        }
        router.get("/druid/indexer/v1/task/:id/reports") { _, context in
            let id = context.parameters.get("id") ?? ""
            if let report = await engine.taskReport(id) { return HTTPResponses.json(report) }
            return HTTPResponses.text(
                "No task reports were found for this task. The task may not exist, or it may not have completed yet.", status: 404)
        }
        router.get("/druid/indexer/v1/task/:id") { _, context in
            let id = context.parameters.get("id") ?? ""
            if let status = await engine.taskStatus(id) {
                return HTTPResponses.json(.object([("task", .string(id)), ("payload", .object([
                    ("type", "query_controller"), ("id", .string(id)),
                    ("dataSource", status["status"]?["dataSource"] ?? .null),
                ]))]))
            }
            return HTTPResponses.json(.object([("task", .string(id)), ("payload", .null)]), status: 404)
        }
        for path in ["/druid/indexer/v1/task/:id/shutdown", "/druid/v2/sql/task/:id/shutdown"] {
            router.post(RouterPath(path)) { _, context in
                let id = context.parameters.get("id") ?? ""
                if await engine.shutdownTask(id) { return HTTPResponses.json(.object([("task", .string(id))])) }
                return HTTPResponses.json(.object([("error", .string("Cannot find task with ID [\(id)]"))]), status: 404)
            }
        }
        router.get("/druid/indexer/v1/tasks") { _, _ in
            HTTPResponses.json(.array(await engine.taskList()))
        }
    }
}
