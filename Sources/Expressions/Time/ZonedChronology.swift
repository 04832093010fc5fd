package import DataModel

/// Joda-Time's ISO chronology in one zone: the field arithmetic Druid's
/// `PeriodGranularity`, `TIME_SHIFT` and `TIMESTAMPDIFF` are built on.
///
/// Joda splits units in two: "time" units shorter than 12 hours (millis,
/// seconds, minutes, hours) are added as plain durations, "date" units (days,
/// weeks, months, years) are added to the local wall-clock time and converted
/// back, so `P1D` across a DST change is 23 or 25 hours.
package struct ZonedChronology: Sendable, Hashable {
    package enum Unit: Int, Sendable, CaseIterable {
        case years, months, weeks, days, hours, minutes, seconds, millis

        var fixedMillis: Int64 {
            switch self {
            case .millis: 1
            case .seconds: 1000
            case .minutes: 60_000
            case .hours: 3_600_000
            case .days: 86_400_000
            case .weeks: 604_800_000
            case .months, .years: 0
            }
        }

        var isTimeUnit: Bool { self == .millis || self == .seconds || self == .minutes || self == .hours }
    }

    package let zone: ZoneRules

    package init(zone: ZoneRules) {
        self.zone = zone
    }

    static let day: Int64 = 86_400_000

    // MARK: duration fields

    /// `chronology.<unit>().add(t, value)`.
    package func add(_ t: Int64, _ unit: Unit, _ value: Int64) -> Int64 {
        if value == 0 { return t }
        switch unit {
        case .millis, .seconds, .minutes, .hours:
            return t &+ value &* unit.fixedMillis
        case .days, .weeks:
            if zone.fixedOffsetMillis != nil { return t &+ value &* unit.fixedMillis }
            return zone.utc(fromLocal: zone.local(t) &+ value &* unit.fixedMillis)
        case .months, .years:
            let months = unit == .years ? value &* 12 : value
            let local = ZonedChronology.addMonths(zone.local(t), months)
            return zone.utc(fromLocal: local)
        }
    }

    /// `chronology.<unit>().getDifferenceAsLong(minuend, subtrahend)`.
    package func difference(_ unit: Unit, _ minuend: Int64, _ subtrahend: Int64) -> Int64 {
        switch unit {
        case .millis, .seconds, .minutes, .hours:
            return (minuend &- subtrahend) / unit.fixedMillis
        case .days, .weeks:
            return (zone.local(minuend) &- zone.local(subtrahend)) / unit.fixedMillis
        case .months:
            return ZonedChronology.monthDifference(zone.local(minuend), zone.local(subtrahend))
        case .years:
            return ZonedChronology.yearDifference(zone.local(minuend), zone.local(subtrahend))
        }
    }

    /// `chronology.add(period, t, scalar)`: each field in turn, years first.
    package func add(_ t: Int64, _ period: Period, _ scalar: Int64) -> Int64 {
        var r = t
        for unit in Unit.allCases {
            let v = ZonedChronology.value(period, unit)
            if v != 0 { r = add(r, unit, Int64(v) &* scalar) }
        }
        return r
    }

    static func value(_ p: Period, _ unit: Unit) -> Int {
        switch unit {
        case .years: p.years
        case .months: p.months
        case .weeks: p.weeks
        case .days: p.days
        case .hours: p.hours
        case .minutes: p.minutes
        case .seconds: p.seconds
        case .millis: p.millis
        }
    }

    // MARK: date-time fields

    /// `roundFloor` of a time field (hour of day, minute of hour): floors the
    /// local time with the instant's own offset.
    package func floorTime(_ t: Int64, _ unitMillis: Int64) -> Int64 {
        let o = zone.offset(atUTC: t)
        return CivilTime.floorDiv(t &+ o, unitMillis) &* unitMillis &- o
    }

    /// `roundFloor` of a date field: floors the local time, converting back
    /// with the instant's offset when it is still valid.
    package func floorDate(_ t: Int64, _ unit: Unit) -> Int64 {
        let local = zone.local(t)
        let floored: Int64
        switch unit {
        case .days, .weeks:
            floored = CivilTime.floorDiv(local, ZonedChronology.day) &* ZonedChronology.day
        case .months:
            let c = CivilTime(epochMillis: local)
            floored = CivilTime(year: c.year, month: c.month, day: 1).epochMillis
        case .years:
            let c = CivilTime(epochMillis: local)
            floored = CivilTime(year: c.year, month: 1, day: 1).epochMillis
        default:
            floored = local
        }
        return zone.utc(fromLocal: floored, preferring: t)
    }

    /// `dayOfWeek().set(t, 1)`: the same local time on that week's Monday.
    package func setMonday(_ t: Int64) -> Int64 {
        let local = zone.local(t)
        let days = CivilTime.floorDiv(local, ZonedChronology.day)
        let dow = ((days % 7) + 7 + 3) % 7  // 0 = Monday
        return zone.utc(fromLocal: local &- dow &* ZonedChronology.day, preferring: t)
    }

    /// `millisOfSecond().set(t, 0)`.
    package func zeroMillis(_ t: Int64) -> Int64 {
        let local = zone.local(t)
        return zone.utc(fromLocal: CivilTime.floorDiv(local, 1000) &* 1000, preferring: t)
    }

    // MARK: calendar arithmetic on local millis (Joda's UTC ISO chronology)

    /// Adds months, clamping the day of month (`Jan 31 + 1 month = Feb 29`).
    static func addMonths(_ local: Int64, _ months: Int64) -> Int64 {
        let days = CivilTime.floorDiv(local, day)
        let timeOfDay = local &- days &* day
        let (y, m, d) = CivilTime.civilFromDays(days)
        let total = Int64(y) * 12 + Int64(m - 1) + months
        let ny = Int(CivilTime.floorDiv(total, 12))
        let nm = Int(total - Int64(ny) * 12) + 1
        let nd = min(d, CivilTime.daysInMonth(year: ny, month: nm))
        return CivilTime.daysFromCivil(ny, nm, nd) &* day &+ timeOfDay
    }

    static func monthStart(_ year: Int, _ month: Int) -> Int64 {
        CivilTime.daysFromCivil(year, month, 1) &* day
    }

    /// Joda's `BasicMonthOfYearDateTimeField.getDifferenceAsLong`.
    static func monthDifference(_ minuend: Int64, _ subtrahend: Int64) -> Int64 {
        if minuend < subtrahend { return -monthDifference(subtrahend, minuend) }
        let (my, mm, md) = CivilTime.civilFromDays(CivilTime.floorDiv(minuend, day))
        var (sy, sm, sd) = CivilTime.civilFromDays(CivilTime.floorDiv(subtrahend, day))
        var difference = Int64(my - sy) * 12 + Int64(mm - sm)
        var sub = subtrahend
        if md == CivilTime.daysInMonth(year: my, month: mm), sd > md {
            // The minuend is on the last day of a shorter month.
            sub = sub &- Int64(sd - md) &* day
            (sy, sm, sd) = CivilTime.civilFromDays(CivilTime.floorDiv(sub, day))
        }
        let minuendRem = minuend &- monthStart(my, mm)
        let subtrahendRem = sub &- monthStart(sy, sm)
        if minuendRem < subtrahendRem { difference -= 1 }
        return difference
    }

    static func isLeap(_ y: Int) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }

    /// Joda's `BasicGJChronology.getYearDifference`.
    static func yearDifference(_ minuend: Int64, _ subtrahend: Int64) -> Int64 {
        if minuend < subtrahend { return -yearDifference(subtrahend, minuend) }
        let my = CivilTime.civilFromDays(CivilTime.floorDiv(minuend, day)).0
        let sy = CivilTime.civilFromDays(CivilTime.floorDiv(subtrahend, day)).0
        var minuendRem = minuend &- CivilTime.daysFromCivil(my, 1, 1) &* day
        var subtrahendRem = subtrahend &- CivilTime.daysFromCivil(sy, 1, 1) &* day
        let feb29: Int64 = (31 + 29 - 1) * day
        if subtrahendRem >= feb29 {
            if isLeap(sy) {
                if !isLeap(my) { subtrahendRem -= day }
            } else if minuendRem >= feb29 && isLeap(my) {
                minuendRem -= day
            }
        }
        var difference = Int64(my - sy)
        if minuendRem < subtrahendRem { difference -= 1 }
        return difference
    }
}

/// Druid's `PeriodGranularity`: buckets instants by an ISO period in a zone,
/// aligned to an origin (default: local midnight of 1970-01-01 in the zone).
/// Used by `TIME_FLOOR`, `TIME_CEIL`, `FLOOR(.. TO ..)`, `DATE_TRUNC`.
package struct PeriodGranularity: Sendable {
    package let period: Period
    package let chronology: ZonedChronology
    let origin: Int64
    let hasOrigin: Bool
    let isCompound: Bool
    /// Fixed length in millis when the period can be truncated arithmetically.
    let compoundMillis: Int64?
    /// Fast path for one fixed-length unit in a fixed-offset zone: buckets are
    /// `fastOrigin + k × fastStep` (for instants before the origin only when
    /// `fastBeforeOrigin`, as Druid rounds those differently for multiples).
    package let fastStep: Int64?
    package let fastOrigin: Int64
    package let fastBeforeOrigin: Bool

    package init(period: Period, origin: Int64?, zone: ZoneRules) throws(HengeError) {
        let values = ZonedChronology.Unit.allCases.map { ZonedChronology.value(period, $0) }
        guard values.contains(where: { $0 != 0 }) else {
            throw HengeError.invalidInput("zero period is not acceptable in PeriodGranularity!")
        }
        self.period = period
        self.chronology = ZonedChronology(zone: zone)
        if let origin {
            self.origin = origin
            self.hasOrigin = true
        } else {
            self.origin = zone.utc(fromLocal: 0, preferring: 0)
            self.hasOrigin = false
        }
        self.isCompound = values.filter { $0 > 0 }.count > 1
        if isCompound, zone.fixedOffsetMillis != nil, period.years == 0, period.months == 0 {
            compoundMillis = period.fixedMillis
        } else {
            compoundMillis = nil
        }
        let single = values.filter { $0 != 0 }.count == 1
        if !isCompound, single, let offset = zone.fixedOffsetMillis, period.years == 0, period.months == 0,
           let step = period.fixedMillis, step > 0 {
            let unitCount = values.first { $0 != 0 }!
            fastStep = step
            if period.weeks == 1 && !hasOrigin {
                fastOrigin = 4 * ZonedChronology.day - offset  // Monday 1970-01-05, local
            } else {
                fastOrigin = self.origin
            }
            fastBeforeOrigin = unitCount == 1 && !hasOrigin
        } else {
            fastStep = nil
            fastOrigin = 0
            fastBeforeOrigin = false
        }
    }

    /// The start of the bucket holding `t` (`bucketStart`).
    package func floor(_ t0: Int64) -> Int64 {
        if let step = fastStep, t0 >= fastOrigin || fastBeforeOrigin {
            return fastOrigin &+ CivilTime.floorDiv(t0 &- fastOrigin, step) &* step
        }
        var t = t0
        let c = chronology
        if isCompound {
            if let millis = compoundMillis, millis > 0 {
                var offset = t % millis - origin % millis
                if offset < 0 { offset += millis }
                return t - offset
            }
            return floorCompound(t)
        }
        let p = period
        if p.years > 0 {
            let years = Int64(p.years)
            if years > 1 || hasOrigin {
                var y = c.difference(.years, t, origin)
                y -= y % years
                let tt = c.add(origin, .years, y)
                return t < tt ? c.add(origin, .years, y - years) : tt
            }
            return c.floorDate(t, .years)
        }
        if p.months > 0 {
            let months = Int64(p.months)
            if months > 1 || hasOrigin {
                var m = c.difference(.months, t, origin)
                m -= m % months
                let tt = c.add(origin, .months, m)
                return t < tt ? c.add(origin, .months, m - months) : tt
            }
            return c.floorDate(t, .months)
        }
        if p.weeks > 0 {
            let weeks = Int64(p.weeks)
            if weeks > 1 || hasOrigin {
                var w = c.difference(.weeks, t, origin)
                w -= w % weeks
                let tt = c.add(origin, .weeks, w)
                return t < tt ? c.add(origin, .weeks, w - weeks) : tt
            }
            t = c.floorDate(t, .days)
            return c.setMonday(t)
        }
        if p.days > 0 {
            let days = Int64(p.days)
            if days > 1 || hasOrigin {
                var d = c.difference(.days, t, origin)
                d -= d % days
                let tt = c.add(origin, .days, d)
                return t < tt ? c.add(origin, .days, d - days) : tt
            }
            return c.floorDate(t, .days)
        }
        if p.hours > 0 {
            let hours = Int64(p.hours)
            if hours > 1 || hasOrigin {
                var h = c.difference(.hours, t, origin)
                h -= h % hours
                let tt = c.add(origin, .hours, h)
                // Druid's own rounding rule, kept as is (it differs for
                // instants before the origin in zones east of UTC).
                if t < tt && origin > 0 {
                    return c.add(tt, .hours, -hours)
                } else if t > tt && origin < 0 {
                    return c.floorTime(tt, 3_600_000)
                }
                return tt
            }
            return c.floorTime(t, 3_600_000)
        }
        if p.minutes > 0 {
            let minutes = Int64(p.minutes)
            if minutes > 1 || hasOrigin {
                var m = c.difference(.minutes, t, origin)
                m -= m % minutes
                let tt = c.add(origin, .minutes, m)
                return t < tt ? c.add(tt, .minutes, -minutes) : tt
            }
            return c.floorTime(t, 60_000)
        }
        if p.seconds > 0 {
            let seconds = Int64(p.seconds)
            if seconds > 1 || hasOrigin {
                var s = c.difference(.seconds, t, origin)
                s -= s % seconds
                let tt = c.add(origin, .seconds, s)
                return t < tt ? c.add(tt, .seconds, -seconds) : tt
            }
            return c.zeroMillis(t)
        }
        if p.millis > 1 {
            let millis = Int64(p.millis)
            var ms = t &- origin
            ms -= ms % millis
            let tt = origin &+ ms
            return t < tt ? tt &- millis : tt
        }
        return t
    }

    /// The start of the next bucket (`increment`).
    package func next(_ t: Int64) -> Int64 {
        chronology.add(t, period, 1)
    }

    /// `TIME_CEIL`: the bucket start when `t` is on one, else the next one.
    package func ceil(_ t: Int64) -> Int64 {
        let f = floor(t)
        return f == t ? f : next(f)
    }

    /// Druid's `truncateCompoundPeriod`: steps from the origin one period at
    /// a time (callers cache the last bucket, see `TimeFunctions`).
    private func floorCompound(_ t: Int64) -> Int64 {
        var current: Int64
        if t >= origin {
            var next = origin
            repeat {
                current = next
                next = chronology.add(current, period, 1)
            } while t >= next
        } else {
            current = origin
            repeat {
                current = chronology.add(current, period, -1)
            } while t < current
        }
        return current
    }
}
