internal import Foundation
internal import Expressions

/// Named time zones (`America/Los_Angeles`, `Asia/Kolkata`) from the system
/// tz database through Foundation. Expressions stays pure: it receives the
/// offsets as `ZoneRules` tables built here, once per zone per process.
enum TimeZoneDatabase {
    /// The resolver handed to planning (`PlanningContext`).
    static let resolver = ZoneResolver(name: "tzdb") { name in cache.zone(name) }

    /// Transitions are tabulated for 1850–2150; instants outside ask Foundation.
    static let tableStart: Int64 = -3_786_825_600_000  // 1850-01-01
    static let tableEnd: Int64 = 5_680_281_600_000  // 2150-01-01

    private static let cache = ZoneCache()

    final class ZoneCache: @unchecked Sendable {
        private var zones: [String: ZoneRules?] = [:]
        private let lock = NSLock()

        func zone(_ name: String) -> ZoneRules? {
            lock.lock()
            defer { lock.unlock() }
            if let hit = zones[name] { return hit }
            let built = TimeZoneDatabase.build(name)
            zones[name] = .some(built)
            return built
        }
    }

    static func build(_ name: String) -> ZoneRules? {
        // Besides tz database ids this accepts abbreviations such as "PST",
        // as Druid does through Java's TimeZone.getTimeZone fallback.
        guard !name.isEmpty, let tz = TimeZone(identifier: name) else { return nil }
        return ZoneRules(id: name, source: FoundationZoneSource(zone: tz), from: tableStart, to: tableEnd)
    }
}

/// Offsets and transitions of a Foundation `TimeZone`.
struct FoundationZoneSource: ZoneOffsetSource {
    let zone: TimeZone

    func offsetMillis(atUTC instant: Int64) -> Int64 {
        Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant) / 1000))) * 1000
    }

    func nextTransition(after instant: Int64) -> Int64? {
        guard let next = zone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: Double(instant) / 1000)) else {
            return nil
        }
        return Int64((next.timeIntervalSince1970 * 1000).rounded())
    }
}
