import DataModel
import Foundation
import Testing

/// Health, the MSQ probe and the coordinator endpoints clients poll.
struct StatusRouteTests {
    @Test func healthIsJSONTrue() async throws {
        try await ServerProcess.with { server in
            let http = HTTPClient(server)
            let r = try await http.get("/status/health")
            #expect(r.status == 200)
            #expect(r.text == "true")
            #expect(try r.json() == .bool(true))
        }
    }

    @Test func sqlTaskEngineIsEnabled() async throws {
        try await ServerProcess.with { server in
            let r = try await HTTPClient(server).get("/druid/v2/sql/task/enabled")
            #expect(r.status == 200)
            #expect(r.contentType == "application/json")
            #expect(r.text == #"{"enabled":true}"#)
        }
    }

    @Test func datasourcesAndLoadStatus() async throws {
        try await ServerProcess.with { server in
            let http = HTTPClient(server)
            #expect(try await http.get("/druid/coordinator/v1/datasources").text == "[]")
            let file = try Inputs.writeJSONLines(Inputs.smallRows, to: server.workDir + "/small.json")
            try await http.ingest(Inputs.insertSmall("wiki_b", file: file))
            try await http.ingest(Inputs.insertSmall("wiki_a", file: file))
            let list = try await http.get("/druid/coordinator/v1/datasources")
            #expect(list.status == 200)
            #expect(try list.json() == .array(["wiki_a", "wiki_b"]))

            // druidapi's sql.wait_until_ready() poll.
            let load = try await http.get(
                "/druid/coordinator/v1/datasources/wiki_a/loadstatus?forceMetadataRefresh=true&interval=1970-01-01/2999-01-01")
            #expect(load.status == 200)
            #expect(load.text == #"{"wiki_a":100.0}"#)

            // Druid answers 204 No Content for a datasource without used segments (DataSourcesResource).
            let unknown = try await http.get("/druid/coordinator/v1/datasources/nope/loadstatus?forceMetadataRefresh=true")
            #expect(unknown.status == 204, "body: \(unknown.text)")

            // forceMetadataRefresh is required: 400 text `Invalid request. forceMetadataRefresh must be specified`.
            let noFlag = try await http.get("/druid/coordinator/v1/datasources/wiki_a/loadstatus")
            #expect(noFlag.status == 400, "body: \(noFlag.text)")
        }
    }
}
