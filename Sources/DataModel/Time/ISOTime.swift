/// ISO-8601 parsing and formatting of instants, in UTC.
package enum ISOTime {
    /// Formats epoch millis as `yyyy-MM-ddTHH:mm:ss.SSSZ` (Druid's rendering).
    package static func format(_ ms: Int64) -> String {
        let c = CivilTime(epochMillis: ms)
        var s = ""
        s.reserveCapacity(24)
        if c.year < 0 {
            s += "-" + pad(-c.year, 4)
        } else {
            s += pad(c.year, 4)
        }
        s += "-" + pad(c.month, 2) + "-" + pad(c.day, 2) + "T" + pad(c.hour, 2) + ":" + pad(c.minute, 2) + ":"
            + pad(c.second, 2) + "." + pad(c.millisecond, 3) + "Z"
        return s
    }

    @inline(__always)
    package static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// Parses an ISO-8601 instant as Druid's default `TIME_PARSE` does:
    /// `2024-01-01`, `2024-01-01T12`, `2024-01-01T12:00:00Z`,
    /// `2024-01-01 12:00:00.123+05:30`, `2024-01-01T12:00:00,5-08:00`.
    /// A string without an offset is read in `defaultOffsetMillis` (UTC by
    /// default). Returns nil when the text is not such an instant.
    package static func parse(_ text: String, defaultOffsetMillis: Int64 = 0) -> Int64? {
        var copy = text
        return copy.withUTF8 { parse(bytes: $0, defaultOffsetMillis: defaultOffsetMillis) }
    }

    package static func parse(bytes b: UnsafeBufferPointer<UInt8>, defaultOffsetMillis: Int64 = 0) -> Int64? {
        var p = 0
        let n = b.count
        var sign = 1
        if peek(b, p, "-") { sign = -1; p += 1 } else if peek(b, p, "+") { p += 1 }
        guard let y = digits(b, &p, 4) else { return nil }
        var year = y
        // Extended years with more than four digits.
        while p < n, b[p] >= 0x30, b[p] <= 0x39 { year = year * 10 + Int(b[p] - 0x30); p += 1 }
        year *= sign
        var month = 1
        var day = 1
        if peek(b, p, "-") {
            p += 1
            guard let m = digits(b, &p, 2) else { return nil }
            month = m
            if peek(b, p, "-") {
                p += 1
                guard let d = digits(b, &p, 2) else { return nil }
                day = d
            }
        }
        guard (1...12).contains(month), day >= 1, day <= CivilTime.daysInMonth(year: year, month: month) else {
            return nil
        }
        var hour = 0, minute = 0, second = 0, millis = 0
        var offset: Int64? = nil
        if peek(b, p, "T") || peek(b, p, " ") {
            p += 1
            guard let h = digits(b, &p, 2) else { return nil }
            hour = h
            if peek(b, p, ":") {
                p += 1
                guard let mi = digits(b, &p, 2) else { return nil }
                minute = mi
                if peek(b, p, ":") {
                    p += 1
                    guard let s = digits(b, &p, 2) else { return nil }
                    second = s
                    if peek(b, p, ".") || peek(b, p, ",") {
                        p += 1
                        var scale = 100
                        var any = false
                        while p < n, b[p] >= 0x30, b[p] <= 0x39 {
                            millis += Int(b[p] - 0x30) * scale
                            scale /= 10
                            p += 1
                            any = true
                        }
                        guard any else { return nil }
                    }
                }
            }
            guard hour <= 24, minute < 60, second < 60 else { return nil }
        }
        if peek(b, p, "Z") {
            p += 1
            offset = 0
        } else if peek(b, p, "+") || peek(b, p, "-") {
            let neg = peek(b, p, "-")
            p += 1
            guard let oh = digits(b, &p, 2) else { return nil }
            var om = 0
            if peek(b, p, ":") { p += 1 }
            if p < n { guard let m = digits(b, &p, 2) else { return nil }; om = m }
            offset = Int64((oh * 60 + om) * 60_000) * (neg ? -1 : 1)
        }
        guard p == n else { return nil }
        let local = CivilTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second, millisecond: millis)
            .epochMillis
        return local - (offset ?? defaultOffsetMillis)
    }

    /// `count` ASCII digits at `p` as a number, advancing `p`; nil if any is not a digit.
    /// (Static with `inout`, not a nested function capturing `p`: a captured
    /// `var` is boxed and checked for exclusive access on every call.)
    @inline(__always)
    private static func digits(_ b: UnsafeBufferPointer<UInt8>, _ p: inout Int, _ count: Int) -> Int? {
        guard p + count <= b.count else { return nil }
        var v = 0
        for i in 0..<count {
            let c = b[p + i]
            guard c >= 0x30 && c <= 0x39 else { return nil }
            v = v * 10 + Int(c - 0x30)
        }
        p += count
        return v
    }

    /// Whether the byte at `p` is `c`. (Unicode.Scalar literals:
    /// `Character.asciiValue` would decode the character on every call.)
    @inline(__always)
    private static func peek(_ b: UnsafeBufferPointer<UInt8>, _ p: Int, _ c: Unicode.Scalar) -> Bool {
        p < b.count && b[p] == UInt8(ascii: c)
    }

    /// Parses a SQL timestamp literal body, `yyyy-MM-dd[ HH:mm:ss[.fff]]`
    /// (ISO `T` and a trailing `Z` are accepted too).
    package static func parseSQLTimestamp(_ text: String) -> Int64? {
        parse(text.trimmingSpaces)
    }
}
