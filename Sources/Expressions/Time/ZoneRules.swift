internal import DataModel

/// Where the offsets of a named (tz database) zone come from. Implemented
/// outside Expressions (the Engine reads the system time zone database);
/// Expressions only asks it questions.
package protocol ZoneOffsetSource: Sendable {
    /// Offset from UTC, in millis, in effect at a UTC instant.
    func offsetMillis(atUTC instant: Int64) -> Int64
    /// The first instant after `instant` at which the offset may change, or
    /// nil when there is none.
    func nextTransition(after instant: Int64) -> Int64?
}

/// The UTC offsets of one time zone: a fixed offset, or a table of
/// transitions (precomputed from a `ZoneOffsetSource` for the years most data
/// lives in, asking the source directly outside that range).
///
/// Conversions follow Joda-Time, which Druid uses: a local time in a DST
/// overlap maps to the earlier instant; a local time in a gap is moved forward
/// by the gap's length.
package struct ZoneRules: Sendable, Hashable, CustomStringConvertible {
    /// The zone's identifier (`UTC`, `America/Los_Angeles`, `+05:30`).
    package let id: String
    /// UTC instants at which the offset changes, ascending.
    let transitions: [Int64]
    /// `offsets[i]` is in effect before `transitions[i]` (and after
    /// `transitions[i - 1]`); one more entry than `transitions`.
    let offsets: [Int64]
    /// The range `[tableStart, tableEnd)` the table describes exactly.
    let tableStart: Int64
    let tableEnd: Int64
    let source: (any ZoneOffsetSource)?

    package static let utc = ZoneRules(id: "UTC", fixedOffsetMillis: 0)

    /// A zone whose offset never changes.
    package init(id: String, fixedOffsetMillis: Int64) {
        self.id = id
        self.transitions = []
        self.offsets = [fixedOffsetMillis]
        self.tableStart = .min
        self.tableEnd = .max
        self.source = nil
    }

    /// A named zone; transitions in `[from, to)` are tabulated up front.
    package init(id: String, source: any ZoneOffsetSource, from: Int64, to: Int64) {
        var transitions: [Int64] = []
        var offsets: [Int64] = [source.offsetMillis(atUTC: from)]
        var t = from
        while let next = source.nextTransition(after: t), next > t, next < to {
            let o = source.offsetMillis(atUTC: next)
            if o != offsets[offsets.count - 1] {
                transitions.append(next)
                offsets.append(o)
            }
            t = next
        }
        self.id = id
        self.transitions = transitions
        self.offsets = offsets
        self.tableStart = from
        self.tableEnd = to
        self.source = source
    }

    package static func == (a: ZoneRules, b: ZoneRules) -> Bool {
        a.id == b.id && a.offsets == b.offsets && a.transitions == b.transitions
    }

    package func hash(into h: inout Hasher) {
        h.combine(id)
    }

    package var description: String { id }

    /// The offset when the zone never changes it.
    package var fixedOffsetMillis: Int64? {
        transitions.isEmpty && source == nil ? offsets[0] : nil
    }

    /// Offset from UTC in millis at a UTC instant.
    @inline(__always)
    package func offset(atUTC t: Int64) -> Int64 {
        if transitions.isEmpty && source == nil { return offsets[0] }
        if t < tableStart || t >= tableEnd, let source { return source.offsetMillis(atUTC: t) }
        // Number of transitions at or before t.
        var lo = 0, hi = transitions.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if transitions[mid] <= t { lo = mid + 1 } else { hi = mid }
        }
        return offsets[lo]
    }

    /// Local wall-clock millis (as if UTC) of a UTC instant.
    @inline(__always)
    package func local(_ t: Int64) -> Int64 { t &+ offset(atUTC: t) }

    /// Offsets in effect around a local time (candidates for its UTC offset).
    private func candidateOffsets(aroundLocal local: Int64) -> [Int64] {
        let window: Int64 = 36 * 3_600_000
        let lo = local &- window, hi = local &+ window
        var out = [offset(atUTC: lo)]
        if lo >= tableStart && hi < tableEnd {
            var i = 0, j = transitions.count
            while i < j {
                let mid = (i + j) >> 1
                if transitions[mid] <= lo { i = mid + 1 } else { j = mid }
            }
            while i < transitions.count, transitions[i] <= hi {
                if !out.contains(offsets[i + 1]) { out.append(offsets[i + 1]) }
                i += 1
            }
        } else {
            for probe in [local &- 86_400_000, local, local &+ 86_400_000, hi] {
                let o = offset(atUTC: probe)
                if !out.contains(o) { out.append(o) }
            }
        }
        return out
    }

    /// The UTC offset to use for a local time (Joda's `getOffsetFromLocal`):
    /// in an overlap the earlier instant wins, in a gap the offset before it.
    package func offset(forLocal local: Int64) -> Int64 {
        if let f = fixedOffsetMillis { return f }
        let candidates = candidateOffsets(aroundLocal: local)
        if candidates.count == 1 { return candidates[0] }
        var best: Int64? = nil
        for o in candidates where offset(atUTC: local &- o) == o {
            if best == nil || o > best! { best = o }
        }
        if let best { return best }
        // A gap: the offset in effect before it.
        return offset(atUTC: local &- candidates.max()!)
    }

    /// The UTC instant of a local time.
    @inline(__always)
    package func utc(fromLocal local: Int64) -> Int64 {
        local &- offset(forLocal: local)
    }

    /// The UTC instant of a local time, or nil when the local time does not
    /// exist (falls into a DST gap) — Joda's strict parsing rule.
    package func utcStrict(fromLocal local: Int64) -> Int64? {
        let o = offset(forLocal: local)
        let t = local &- o
        return offset(atUTC: t) == o ? t : nil
    }

    /// Joda's `convertLocalToUTC(local, false, original)`: keeps the offset of
    /// `original` when it is valid for the local time (so rounding inside an
    /// overlap stays on the same side of it).
    package func utc(fromLocal local: Int64, preferring original: Int64) -> Int64 {
        let o = offset(atUTC: original)
        let t = local &- o
        if offset(atUTC: t) == o { return t }
        return utc(fromLocal: local)
    }
}

/// Resolves zone names (`sqlTimeZone`, and the time zone arguments of
/// `TIME_FLOOR`, `TIME_FORMAT`, ...). Fixed offsets are understood here; named
/// zones come from `lookup`, which the Engine backs with the tz database.
package struct ZoneResolver: Sendable, Hashable {
    package let name: String
    let lookup: @Sendable (String) -> ZoneRules?

    package init(name: String, lookup: @escaping @Sendable (String) -> ZoneRules?) {
        self.name = name
        self.lookup = lookup
    }

    /// Only `UTC` and fixed offsets (`+05:30`, `GMT-8`, `Etc/GMT+3` is named).
    package static let fixedOffsetsOnly = ZoneResolver(name: "fixed") { _ in nil }

    package static func == (a: ZoneResolver, b: ZoneResolver) -> Bool { a.name == b.name }
    package func hash(into h: inout Hasher) { h.combine(name) }

    /// The zone for a name, or nil when it is unknown.
    package func resolve(_ name: String) -> ZoneRules? {
        if let fixed = ZoneRules.fixed(named: name) { return fixed }
        return lookup(name)
    }
}

extension ZoneRules {
    /// `UTC`, `Z`, `GMT` and fixed offsets: `+05:30`, `-08`, `+0800`,
    /// `UTC+8`, `GMT-08:00`. Nil for anything else (named zones).
    package static func fixed(named name: String) -> ZoneRules? {
        let upper = name.uppercased()
        if ["UTC", "Z", "GMT", "ETC/UTC", "ETC/GMT", "UCT", "UNIVERSAL", "ZULU", "ETC/UCT", "ETC/UNIVERSAL", "ETC/ZULU",
            "GMT0", "ETC/GMT0", "GREENWICH", "ETC/GREENWICH"].contains(upper) {
            return .utc
        }
        var s = Substring(upper)
        for prefix in ["UTC", "GMT", "UT"] where s.hasPrefix(prefix) {
            s = s.dropFirst(prefix.count)
            break
        }
        guard let sign = s.first, sign == "+" || sign == "-" else { return nil }
        let body = s.dropFirst()
        var hours = 0, minutes = 0, seconds = 0
        let parts = body.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 1 {
            let digits = parts[0]
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            switch digits.count {
            case 1, 2: hours = Int(digits)!
            case 4: hours = Int(digits.prefix(2))!; minutes = Int(digits.suffix(2))!
            case 6: hours = Int(digits.prefix(2))!; minutes = Int(digits.dropFirst(2).prefix(2))!; seconds = Int(digits.suffix(2))!
            default: return nil
            }
        } else {
            guard parts.count <= 3, parts.allSatisfy({ !$0.isEmpty && $0.count <= 2 && $0.allSatisfy { $0.isASCII && $0.isNumber } })
            else { return nil }
            hours = Int(parts[0])!
            minutes = Int(parts[1])!
            if parts.count == 3 { seconds = Int(parts[2])! }
        }
        guard hours <= 23, minutes < 60, seconds < 60 else { return nil }
        let millis = Int64(((hours * 60 + minutes) * 60 + seconds) * 1000) * (sign == "-" ? -1 : 1)
        if millis == 0 { return .utc }
        return ZoneRules(id: ZoneRules.offsetID(millis), fixedOffsetMillis: millis)
    }

    /// Joda's id for a fixed offset: `+05:30`, `-08:00`.
    package static func offsetID(_ millis: Int64) -> String {
        let total = abs(millis) / 1000
        var s = (millis < 0 ? "-" : "+") + ISOTime.pad(Int(total / 3600), 2) + ":" + ISOTime.pad(Int(total / 60 % 60), 2)
        if total % 60 != 0 { s += ":" + ISOTime.pad(Int(total % 60), 2) }
        return s
    }

    /// Parses an ISO-8601 instant (`2000-01-01`, `2000-01-01 12:00:00`,
    /// `2000-01-01T12:00:00+05:00`); text without an offset is a local time in
    /// this zone. With `strict`, a local time inside a DST gap gives nil.
    package func parseISO(_ text: String, strict: Bool = false) -> Int64? {
        var copy = text
        return copy.withUTF8 { parseISO(bytes: $0, strict: strict) }
    }

    /// `parseISO` of UTF-8 bytes.
    package func parseISO(bytes text: UnsafeBufferPointer<UInt8>, strict: Bool = false) -> Int64? {
        guard let a = ISOTime.parse(bytes: text, defaultOffsetMillis: 0) else { return nil }
        if let fixed = fixedOffsetMillis { return fixed == 0 ? a : ISOTime.parse(bytes: text, defaultOffsetMillis: fixed) }
        // Parsing with two default offsets tells whether the text named its own.
        guard let b = ISOTime.parse(bytes: text, defaultOffsetMillis: 1) else { return nil }
        if a == b { return a }
        return strict ? utcStrict(fromLocal: a) : utc(fromLocal: a)
    }
}
