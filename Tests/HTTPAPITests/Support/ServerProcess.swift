import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A `henge serve` child process on a free port, for black-box HTTP tests.
///
/// The binary comes from `HENGE_BIN`, else `<package root>/.build/debug/henge`
/// (the default scratch path CI builds into). Each server gets its own data
/// directory under a fresh temp directory unless one is passed in (restarts).
/// Use `ServerProcess.with { server in ... }` so the process is stopped on every path.
final class ServerProcess: @unchecked Sendable {
    /// The bound port, parsed from the `henge listening on ...` stdout line.
    let port: Int
    /// `--data-dir` of this server.
    let dataDir: String
    /// Scratch directory of the test (input files, logs, the default data dir).
    let workDir: String
    let baseURL: String
    private let process: Process
    private let stdoutPath: String
    private let stderrPath: String
    private let lock = NSLock()
    private var stopped = false

    private init(process: Process, port: Int, dataDir: String, workDir: String, stdoutPath: String, stderrPath: String) {
        self.process = process
        self.port = port
        self.dataDir = dataDir
        self.workDir = workDir
        self.baseURL = "http://127.0.0.1:\(port)"
        self.stdoutPath = stdoutPath
        self.stderrPath = stderrPath
    }

    deinit {
        // Safety net: never leave a server behind, even when a test forgot to stop it.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    struct StartError: Error, CustomStringConvertible {
        var description: String
    }

    /// The henge executable to test.
    static var binaryPath: String {
        if let env = ProcessInfo.processInfo.environment["HENGE_BIN"], !env.isEmpty { return env }
        // #filePath = <root>/Tests/HTTPAPITests/Support/ServerProcess.swift
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/henge").path
    }

    /// A new empty scratch directory for one test.
    static func makeWorkDir() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("henge-http-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Starts `henge serve --port 0` and waits (up to `timeout`) for its listening line.
    /// The server runs in `workDir`, so local input files written there are
    /// readable under the default `--allow-local-dir` policy.
    static func start(workDir: String? = nil, dataDir: String? = nil, timeout: Double = 60,
                      extraArguments: [String] = [], environment: [String: String] = [:]) async throws -> ServerProcess {
        let binary = binaryPath
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw StartError(description: "henge binary not found at \(binary); build it first or set HENGE_BIN")
        }
        let work = try workDir ?? makeWorkDir()
        let data = dataDir ?? work + "/data"
        let tag = UUID().uuidString.prefix(6)
        let stdoutPath = "\(work)/server-\(tag).out"
        let stderrPath = "\(work)/server-\(tag).err"
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", data] + extraArguments
        process.currentDirectoryURL = URL(fileURLWithPath: work)
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        process.standardInput = FileHandle.nullDevice
        try process.run()

        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let out = (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? ""
            if let port = parsePort(out) {
                return ServerProcess(process: process, port: port, dataDir: data, workDir: work,
                                     stdoutPath: stdoutPath, stderrPath: stderrPath)
            }
            if !process.isRunning {
                let err = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
                throw StartError(description: "henge exited with status \(process.terminationStatus) before listening: \(err)")
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        throw StartError(description: "henge did not print its listening line within \(timeout) s")
    }

    /// The port of `henge listening on http://127.0.0.1:PORT (data dir DIR)`.
    static func parsePort(_ stdout: String) -> Int? {
        for line in stdout.split(separator: "\n") where line.hasPrefix("henge listening on http://") {
            let rest = line.dropFirst("henge listening on http://".count)
            guard let colon = rest.firstIndex(of: ":") else { continue }
            let digits = rest[rest.index(after: colon)...].prefix { $0.isNumber }
            if let port = Int(digits), port > 0 { return port }
        }
        return nil
    }

    /// Runs `body` against a fresh server and always stops it (SIGTERM) afterwards;
    /// the scratch directory is removed when the test passes.
    static func with<T>(_ body: (ServerProcess) async throws -> T) async throws -> T {
        let server = try await start()
        let result = try await server.use(body)
        server.removeWorkDir()
        return result
    }

    /// Runs `body` and stops this server (SIGTERM) on every path.
    func use<T>(_ body: (ServerProcess) async throws -> T) async throws -> T {
        do {
            let result = try await body(self)
            await stop()
            return result
        } catch {
            await stop()
            throw error
        }
    }

    var isRunning: Bool { process.isRunning }

    /// Graceful stop: SIGTERM, then SIGKILL if it has not exited within `grace` seconds.
    /// Returns the exit status (or the terminating signal). Stopping twice is harmless.
    @discardableResult
    func stop(grace: Double = 15) async -> Int32 {
        await send(SIGTERM, grace: grace)
    }

    /// Crash: SIGKILL, no chance to clean up.
    @discardableResult
    func kill9() async -> Int32 {
        await send(SIGKILL, grace: 15)
    }

    private func send(_ sig: Int32, grace: Double) async -> Int32 {
        let first = lock.withLock {
            defer { stopped = true }
            return !stopped
        }
        if first && process.isRunning { kill(process.processIdentifier, sig) }
        let deadline = Date().addingTimeInterval(grace)
        while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Whether the process ended by a signal rather than a normal exit.
    var endedBySignal: Bool { !process.isRunning && process.terminationReason == .uncaughtSignal }

    /// The server's stderr so far (for failure messages).
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    func removeWorkDir() {
        if ProcessInfo.processInfo.environment["HENGE_KEEP_TEST_DIRS"] != nil { return }
        try? FileManager.default.removeItem(atPath: workDir)
    }
}
