/// An ISO-8601 period such as `P1D`, `PT15M`, `P3M`, `P1W`.
package struct Period: Hashable, Sendable, CustomStringConvertible {
    package var years = 0
    package var months = 0
    package var weeks = 0
    package var days = 0
    package var hours = 0
    package var minutes = 0
    package var seconds = 0
    package var millis = 0

    package init(years: Int = 0, months: Int = 0, weeks: Int = 0, days: Int = 0, hours: Int = 0, minutes: Int = 0, seconds: Int = 0, millis: Int = 0) {
        self.years = years
        self.months = months
        self.weeks = weeks
        self.days = days
        self.hours = hours
        self.minutes = minutes
        self.seconds = seconds
        self.millis = millis
    }

    /// Parses `PnYnMnWnDTnHnMnS` (fractional seconds allowed). Nil if invalid.
    package init?(iso text: String) {
        let s = Array(text.uppercased().utf8)
        guard s.first == UInt8(ascii: "P"), s.count > 1 else { return nil }
        var i = 1
        var inTime = false
        var any = false
        while i < s.count {
            if s[i] == UInt8(ascii: "T") {
                guard !inTime else { return nil }
                inTime = true
                i += 1
                continue
            }
            var num = 0
            var frac = 0
            var fracDigits = 0
            var sawDigit = false
            while i < s.count, s[i] >= 0x30, s[i] <= 0x39 { num = num * 10 + Int(s[i] - 0x30); i += 1; sawDigit = true }
            if i < s.count, s[i] == UInt8(ascii: ".") || s[i] == UInt8(ascii: ",") {
                i += 1
                while i < s.count, s[i] >= 0x30, s[i] <= 0x39 {
                    if fracDigits < 3 { frac = frac * 10 + Int(s[i] - 0x30); fracDigits += 1 }
                    i += 1
                }
            }
            guard sawDigit, i < s.count else { return nil }
            let unit = s[i]
            i += 1
            any = true
            switch (unit, inTime) {
            case (UInt8(ascii: "Y"), false): years = num
            case (UInt8(ascii: "M"), false): months = num
            case (UInt8(ascii: "W"), false): weeks = num
            case (UInt8(ascii: "D"), false): days = num
            case (UInt8(ascii: "H"), true): hours = num
            case (UInt8(ascii: "M"), true): minutes = num
            case (UInt8(ascii: "S"), true):
                seconds = num
                while fracDigits < 3 { frac *= 10; fracDigits += 1 }
                millis = frac
            default: return nil
            }
        }
        guard any else { return nil }
    }

    /// Milliseconds, when the period has a fixed length (no years/months).
    package var fixedMillis: Int64? {
        guard years == 0, months == 0 else { return nil }
        return Int64(weeks) * 7 * 86_400_000 + Int64(days) * 86_400_000 + Int64(hours) * 3_600_000
            + Int64(minutes) * 60_000 + Int64(seconds) * 1000 + Int64(millis)
    }

    package var description: String {
        var s = "P"
        if years != 0 { s += "\(years)Y" }
        if months != 0 { s += "\(months)M" }
        if weeks != 0 { s += "\(weeks)W" }
        if days != 0 { s += "\(days)D" }
        if hours != 0 || minutes != 0 || seconds != 0 || millis != 0 {
            s += "T"
            if hours != 0 { s += "\(hours)H" }
            if minutes != 0 { s += "\(minutes)M" }
            if seconds != 0 || millis != 0 {
                s += millis == 0 ? "\(seconds)S" : "\(seconds).\(ISOTime.pad(millis, 3))S"
            }
        }
        return s == "P" ? "PT0S" : s
    }

    /// True when exactly one field is set (the only periods Druid floors by).
    package var isSingleField: Bool {
        [years, months, weeks, days, hours, minutes, seconds, millis].filter { $0 != 0 }.count == 1
    }

    /// Floors an instant to this period in UTC with the default origin
    /// (epoch; ISO weeks start on Monday).
    package func floor(_ t: Int64) -> Int64 {
        if years != 0 || months != 0 {
            let stepMonths = years * 12 + months
            let c = CivilTime(epochMillis: t)
            let index = c.year * 12 + (c.month - 1) - (1970 * 12)
            let floored = Int(CivilTime.floorDiv(Int64(index), Int64(stepMonths))) * stepMonths + 1970 * 12
            let y = Int(CivilTime.floorDiv(Int64(floored), 12))
            return CivilTime(year: y, month: floored - y * 12 + 1, day: 1).epochMillis
        }
        guard let step = fixedMillis, step > 0 else { return t }
        if weeks != 0 {
            // Weeks are aligned to Monday 1970-01-05.
            let origin: Int64 = 4 * 86_400_000
            return CivilTime.floorDiv(t - origin, step) * step + origin
        }
        return CivilTime.floorDiv(t, step) * step
    }

    /// Adds `count` periods to an instant in UTC.
    package func add(_ t: Int64, count: Int = 1) -> Int64 {
        var r = t
        if years != 0 || months != 0 {
            r = CivilTime(epochMillis: r).addingMonths((years * 12 + months) * count).epochMillis
        }
        let fixed = Int64(weeks) * 7 * 86_400_000 + Int64(days) * 86_400_000 + Int64(hours) * 3_600_000
            + Int64(minutes) * 60_000 + Int64(seconds) * 1000 + Int64(millis)
        return r + fixed * Int64(count)
    }
}
