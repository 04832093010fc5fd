internal import Foundation
package import DataModel

/// Runs blocking, CPU-bound work on a thread of its own, off Swift's
/// cooperative pool, so HTTP handlers keep answering while an ingest
/// saturates the cores (DESIGN.md §4).
package enum DedicatedThread {
    package static func run<T: Sendable>(name: String, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (cont: CheckedContinuation<T, any Error>) in
            let thread = Thread {
                do {
                    cont.resume(returning: try work())
                } catch {
                    cont.resume(throwing: error)
                }
            }
            thread.name = name
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}

/// A cancellation flag shared between a controller and its workers;
/// workers check it between batches.
package final class CancellationFlag: Sendable {
    private let state = Mutex(false)

    package init() {}

    package var isCanceled: Bool { state.withLock { $0 } }

    package func cancel() { state.withLock { $0 = true } }

    /// Throws the `Canceled` fault when set.
    package func check() throws(HengeError) {
        if isCanceled { throw MSQFaultCanceled.error }
    }
}

enum MSQFaultCanceled {
    static var error: HengeError {
        var e = HengeError.fault("Canceled", "Query canceled by user or by task shutdown.")
        e.category = .canceled
        return e
    }
}

/// A minimal lock-protected box (Synchronization's Mutex needs macOS 15+;
/// this keeps the module portable).
package final class Mutex<Value: Sendable>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    package init(_ value: Value) {
        self.value = value
    }

    package func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
