/// Deterministic crash points for the crash-safety tests (DESIGN.md §5).
///
/// The publish path calls `Failpoints.hit(name)` before and after each of its
/// steps. Nothing happens unless the process armed that name at start-up —
/// `henge serve` does so only from the `HENGE_FAILPOINTS` environment
/// variable, which the tests set — and then the process dies on the spot
/// (the CLI's `crash` handler sends itself SIGKILL), exactly like a power cut
/// at that step.
package enum Failpoints {
    /// Every failpoint, in the order the publish path reaches them.
    package static let all = [
        "segment.write.before", "segment.write.after",
        "publish.push.before", "publish.push.partial", "publish.push.after",
        "publish.commit.before", "publish.commit.after",
        "task.status.after",
    ]

    /// Armed names and the crash handler; set once at start-up, before any
    /// task runs, and only read afterwards.
    nonisolated(unsafe) private static var armed: Set<String> = []
    nonisolated(unsafe) private static var crash: (@Sendable (String) -> Void)? = nil

    /// Arms `names` (unknown names are refused so a typo cannot silently
    /// disable a test).
    package static func arm(_ names: [String], crash handler: @escaping @Sendable (String) -> Void) throws(HengeError) {
        for n in names where !all.contains(n) {
            throw HengeError.invalidInput("Unknown failpoint [\(n)]; known: \(all.joined(separator: ", "))")
        }
        armed = Set(names)
        crash = handler
    }

    /// Crashes the process if `name` is armed.
    @inline(__always)
    package static func hit(_ name: String) {
        if !armed.isEmpty, armed.contains(name), let crash { crash(name) }
    }
}
