internal import Foundation
internal import Inputs
internal import DataModel
internal import MSQKernel

/// How an engine is set up: where it keeps data and how it is reached.
package struct EngineConfig: Sendable {
    /// Root of metadata, deep storage and task temp dirs (default `./var`).
    package var dataDirectory: String
    /// Host and port reported as task locations.
    package var advertisedHost: String
    package var port: Int
    /// Hosts the `http` input source may reach on loopback/private/link-local
    /// addresses (`--allow-http-host`).
    package var allowedHTTPHosts: [String] = []
    /// Directories `local` input may read below (`--allow-local-dir`); nil
    /// means anywhere (embedding and tests), the server sets its working
    /// directory and data directory at least.
    package var allowedLocalDirectories: [String]? = nil
    /// Task slots (`--task-slots`): a task takes `maxNumTasks` of them; tasks
    /// beyond the capacity wait as PENDING.
    package var taskSlots = 8
    /// Memory each MSQ worker may use (`--worker-memory`, default 1 GiB);
    /// sorts and aggregations past their share of it spill to the task's
    /// temp directory (`WorkerMemory`).
    package var workerMemory: Int64 = 1 << 30

    package init(dataDirectory: String, advertisedHost: String = "127.0.0.1", port: Int = 8888) {
        self.dataDirectory = dataDirectory
        self.advertisedHost = advertisedHost
        self.port = port
    }

    /// Parses a byte size such as `512MiB`, `2g` or `1048576`.
    package static func parseByteSize(_ text: String) -> Int64? { WorkerMemory.parseBytes(text) }

    package var metadataPath: String { dataDirectory + "/metadata.sqlite" }
    package var deepStorageRoot: String { dataDirectory + "/deep" }
    package var tasksRoot: String { dataDirectory + "/tasks" }

    var inputPolicy: InputAccessPolicy {
        InputAccessPolicy(allowedHTTPHosts: Set(allowedHTTPHosts), allowedLocalDirectories: allowedLocalDirectories)
    }
}

/// Wall-clock time in epoch millis: the one place the engine reads a clock.
package enum WallClock {
    package static func nowMillis() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}

extension HengeEngine {
    /// Samples external input for EXTERN / table functions without a
    /// signature, under this server's input policy.
    var schemaInferrer: SchemaInferrer {
        let policy = config.inputPolicy
        return { (source: InputSourceSpec, format: InputFormatSpec) throws(HengeError) -> ExternalSchema in
            try SchemaInference.infer(source: source, format: format, policy: policy)
        }
    }
}
