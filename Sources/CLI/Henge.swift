internal import ArgumentParser
internal import Foundation
internal import Engine
internal import HTTPAPI

/// The `henge` executable.
@main
struct Henge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "henge",
        abstract: "A Druid-compatible SQL ingestion and query server.",
        subcommands: [Serve.self],
        defaultSubcommand: Serve.self)
}

/// `henge serve`: start the server on the embedded default storage.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start the HTTP server (SQLite metadata, local deep storage).")

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free port).")
    var port = 8888

    @Option(name: .customLong("data-dir"), help: "Directory for metadata, segments and task files.")
    var dataDir = "./var"

    @Option(name: .customLong("allow-http-host"),
            help: "Host (name or IP) the http input source may reach even on loopback/private/link-local addresses (repeatable).")
    var allowHTTPHost: [String] = []

    @Option(name: .customLong("allow-local-dir"),
            help: "Directory local input may read below, besides the working directory and the data directory (repeatable).")
    var allowLocalDir: [String] = []

    @Option(name: .customLong("task-slots"),
            help: "Task slots: an ingestion takes maxNumTasks of them (controller and workers); tasks beyond wait as PENDING.")
    var taskSlots = 8
    @Option(name: .customLong("worker-memory"),
            help: "Memory each ingestion worker may use, e.g. 512MiB or 2GiB (default 1GiB); sorts and aggregations beyond their share spill to disk.")
    var workerMemory = "1GiB"

    func run() async throws {
        guard let workerMemoryBytes = EngineConfig.parseByteSize(workerMemory), workerMemoryBytes > 0 else {
            throw ValidationError("--worker-memory: expected a size such as 512MiB or 2GiB, got [\(workerMemory)]")
        }
        let dir = URL(fileURLWithPath: dataDir).standardizedFileURL.path
        var config = EngineConfig(dataDirectory: dir, advertisedHost: host, port: port)
        config.allowedHTTPHosts = allowHTTPHost
        config.taskSlots = max(1, taskSlots)
        config.workerMemory = workerMemoryBytes
        let cwd = FileManager.default.currentDirectoryPath
        config.allowedLocalDirectories = [cwd, dir] + allowLocalDir.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let armed = try HengeEngine.armFailpointsFromEnvironment()
        if !armed.isEmpty {
            FileHandle.standardError.write(Data("henge: TEST FAILPOINTS ARMED: \(armed.joined(separator: ", "))\n".utf8))
        }
        let engine = try HengeEngine.open(config)
        let server = HengeServer(engine: engine, host: host, port: port)
        try await server.run { bound in
            // One line on stdout that scripts and tests wait for.
            FileHandle.standardOutput.write(Data("henge listening on http://\(host):\(bound) (data dir \(dir))\n".utf8))
        }
    }
}
