/// A segment (time-chunk) granularity: how `PARTITIONED BY` buckets rows.
package enum Granularity: Hashable, Sendable, CustomStringConvertible {
    /// One chunk covering all of time (`ALL`, `ALL TIME`).
    case all
    /// A UTC period with the default origin (`DAY` = `P1D`, `PT15M`, ...).
    case period(Period)

    /// Druid's standard granularities (`GranularityType`) and their periods.
    /// Only these are accepted after `PARTITIONED BY`.
    package static let standard: [(name: String, period: Period)] = [
        ("SECOND", Period(seconds: 1)),
        ("MINUTE", Period(minutes: 1)),
        ("FIVE_MINUTE", Period(minutes: 5)),
        ("TEN_MINUTE", Period(minutes: 10)),
        ("FIFTEEN_MINUTE", Period(minutes: 15)),
        ("THIRTY_MINUTE", Period(minutes: 30)),
        ("HOUR", Period(hours: 1)),
        ("SIX_HOUR", Period(hours: 6)),
        ("EIGHT_HOUR", Period(hours: 8)),
        ("DAY", Period(days: 1)),
        ("WEEK", Period(weeks: 1)),
        ("MONTH", Period(months: 1)),
        ("QUARTER", Period(months: 3)),
        ("YEAR", Period(years: 1)),
    ]

    /// Looks a name up case-insensitively (`day`, `HOUR`, `all`, `ALL TIME`).
    package init?(name: String) {
        let upper = name.uppercased()
        if upper == "ALL" || upper == "ALL TIME" {
            self = .all
            return
        }
        guard let hit = Granularity.standard.first(where: { $0.name == upper }) else { return nil }
        self = .period(hit.period)
    }

    /// Accepts a standard name or an ISO period equal to a standard one.
    package init?(nameOrPeriod text: String) {
        if let g = Granularity(name: text) {
            self = g
            return
        }
        guard let p = Period(iso: text), Granularity.standard.contains(where: { $0.period == p }) else { return nil }
        self = .period(p)
    }

    /// The time chunk that holds `t`.
    package func bucket(_ t: Int64) -> Interval {
        switch self {
        case .all: return .eternity
        case .period(let p):
            let s = p.floor(t)
            return Interval(start: s, end: p.add(s))
        }
    }

    /// True when `t` is a chunk boundary of this granularity.
    package func isAligned(_ t: Int64) -> Bool {
        switch self {
        case .all: false
        case .period(let p): p.floor(t) == t
        }
    }

    /// Java's `toString()` of Druid's granularity object, as validation
    /// messages print it (`{type=period, period=P1D, timeZone=UTC, origin=null}`, `AllGranularity`).
    package var javaDescription: String {
        switch self {
        case .all: "AllGranularity"
        case .period(let p): "{type=period, period=\(p.description), timeZone=UTC, origin=null}"
        }
    }

    /// Druid's name when standard (`DAY`), else the ISO period.
    package var description: String {
        switch self {
        case .all: return "ALL"
        case .period(let p): return Granularity.standard.first { $0.period == p }?.name ?? p.description
        }
    }

    /// The JSON form Druid uses in specs: `"DAY"`, `{"type":"all"}`.
    package var json: JSONValue {
        switch self {
        case .all: .object([("type", "all")])
        case .period(let p): .object([("type", "period"), ("period", .string(p.description))])
        }
    }
}
