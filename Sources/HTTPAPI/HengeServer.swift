internal import Hummingbird
internal import HTTPTypes
internal import Logging
internal import NIOCore
package import Engine

/// The HTTP server: Druid's routes over one engine.
package struct HengeServer: Sendable {
    let engine: HengeEngine
    let host: String
    let port: Int

    package init(engine: HengeEngine, host: String, port: Int) {
        self.engine = engine
        self.host = host
        self.port = port
    }

    /// Serves until SIGTERM/SIGINT. `onListening` receives the bound port
    /// (useful with port 0).
    package func run(onListening: @escaping @Sendable (Int) -> Void) async throws {
        let router = Router()
        SQLRoutes(engine: engine).register(on: router)
        TaskRoutes(engine: engine).register(on: router)
        StatusRoutes(engine: engine).register(on: router)
        var logger = Logger(label: "henge.http")
        logger.logLevel = .warning
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "Henge"),
            onServerRunning: { [engine] channel in
                let bound = channel.localAddress?.port ?? 0
                engine.serverDidBind(port: bound)
                onListening(bound)
            },
            logger: logger)
        try await app.runService()
    }
}
