/// Proleptic-Gregorian calendar arithmetic on epoch milliseconds (UTC).
///
/// Pure integer math (Howard Hinnant's `days_from_civil`/`civil_from_days`),
/// so it reads no clock and needs no Foundation.
package struct CivilTime: Hashable, Sendable {
    package var year: Int
    package var month: Int  // 1...12
    package var day: Int  // 1...31
    package var hour: Int = 0
    package var minute: Int = 0
    package var second: Int = 0
    package var millisecond: Int = 0

    package init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, millisecond: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.millisecond = millisecond
    }

    package static let millisPerDay: Int64 = 86_400_000

    /// Days since 1970-01-01 for a civil date.
    package static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int64 {
        let y = Int64(m <= 2 ? y0 - 1 : y0)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64((m + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(d) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// Civil (year, month, day) for days since 1970-01-01.
    package static func civilFromDays(_ z0: Int64) -> (Int, Int, Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
    }

    /// Floor division that rounds toward negative infinity.
    @inline(__always)
    package static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    package init(epochMillis ms: Int64) {
        let days = CivilTime.floorDiv(ms, CivilTime.millisPerDay)
        let rem = ms - days * CivilTime.millisPerDay
        let (y, m, d) = CivilTime.civilFromDays(days)
        self.init(
            year: y, month: m, day: d, hour: Int(rem / 3_600_000), minute: Int(rem / 60_000 % 60),
            second: Int(rem / 1000 % 60), millisecond: Int(rem % 1000))
    }

    package var epochMillis: Int64 {
        CivilTime.daysFromCivil(year, month, day) * CivilTime.millisPerDay + Int64(hour) * 3_600_000
            + Int64(minute) * 60_000 + Int64(second) * 1000 + Int64(millisecond)
    }

    package static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Adds whole months, clamping the day to the target month's length.
    package func addingMonths(_ n: Int) -> CivilTime {
        var c = self
        let total = (year * 12 + (month - 1)) + n
        c.year = Int(CivilTime.floorDiv(Int64(total), 12))
        c.month = total - c.year * 12 + 1
        c.day = min(day, CivilTime.daysInMonth(year: c.year, month: c.month))
        return c
    }

    /// ISO-8601 day of week: 1 = Monday ... 7 = Sunday.
    package var isoDayOfWeek: Int {
        let days = CivilTime.daysFromCivil(year, month, day)
        // 1970-01-01 was a Thursday (4).
        return Int(((days % 7) + 7 + 3) % 7) + 1
    }
}
