internal import DataModel

/// A Joda-Time `DateTimeFormat` pattern (`yyyy-MM-dd HH:mm:ss`,
/// `dd/MMM/yyyy:HH:mm:ss Z`), for `TIME_PARSE`, `TIME_FORMAT` and casts.
///
/// Tokens follow Joda's `DateTimeFormat.parsePatternTo`: a run of one letter
/// is a field, other text (and `'quoted'` text, `''` for a quote) is literal.
/// Printing supports every Joda field letter; parsing supports the calendar
/// fields, `a`, `E`, `MMM`/`MMMM` and `Z` offsets.
package struct JodaFormat: Sendable, Hashable {
    enum Field: Hashable, Sendable {
        case era, centuryOfEra(Int), weekyear(Int), year(Int), yearOfEra(Int), twoDigitYear, twoDigitWeekyear
        case month(Int), day(Int), halfday, clockhourOfHalfday(Int), hourOfDay(Int), clockhourOfDay(Int), hourOfHalfday(Int)
        case minute(Int), second(Int), fraction(Int), dayOfWeek(Int), dayOfWeekText(Int), dayOfYear(Int), weekOfWeekyear(Int)
        case zoneName(Int), zoneOffset(Int)
        case literal(String)

        /// Joda's `isNumericToken`: fields that consume digits when parsing.
        var isNumeric: Bool {
            switch self {
            case .centuryOfEra, .weekyear, .year, .yearOfEra, .twoDigitYear, .twoDigitWeekyear, .day, .clockhourOfHalfday,
                 .hourOfDay, .clockhourOfDay, .hourOfHalfday, .minute, .second, .fraction, .dayOfWeek, .dayOfYear,
                 .weekOfWeekyear:
                return true
            case .month(let n): return n <= 2
            default: return false
            }
        }
    }

    let fields: [Field]
    /// Set when the pattern has a letter Joda rejects (`Illegal pattern component: q`).
    package let illegalComponent: String?

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                             "October", "November", "December"]
    static let dayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    package init(pattern: String) {
        var out: [Field] = []
        var illegal: String? = nil
        let chars = Array(pattern)
        var i = 0
        func isLetter(_ c: Character) -> Bool { c.isASCII && c.isLetter }
        while i < chars.count {
            let c = chars[i]
            if isLetter(c) {
                var n = 1
                while i + n < chars.count, chars[i + n] == c { n += 1 }
                i += n
                switch c {
                case "G": out.append(.era)
                case "C": out.append(.centuryOfEra(n))
                case "x": out.append(n == 2 ? .twoDigitWeekyear : .weekyear(n))
                case "y", "Y":
                    if n == 2 { out.append(.twoDigitYear) } else { out.append(c == "y" ? .year(n) : .yearOfEra(n)) }
                case "M": out.append(.month(n))
                case "d": out.append(.day(n))
                case "a": out.append(.halfday)
                case "h": out.append(.clockhourOfHalfday(n))
                case "H": out.append(.hourOfDay(n))
                case "k": out.append(.clockhourOfDay(n))
                case "K": out.append(.hourOfHalfday(n))
                case "m": out.append(.minute(n))
                case "s": out.append(.second(n))
                case "S": out.append(.fraction(n))
                case "e": out.append(.dayOfWeek(n))
                case "E": out.append(.dayOfWeekText(n))
                case "D": out.append(.dayOfYear(n))
                case "w": out.append(.weekOfWeekyear(n))
                case "z": out.append(.zoneName(n))
                case "Z": out.append(.zoneOffset(n))
                default:
                    if illegal == nil { illegal = String(repeating: c, count: n) }
                }
                continue
            }
            // Literal text up to the next unquoted letter.
            var lit = ""
            var inQuote = false
            while i < chars.count {
                let ch = chars[i]
                if ch == "'" {
                    if i + 1 < chars.count, chars[i + 1] == "'" { lit.append("'"); i += 2; continue }
                    inQuote.toggle(); i += 1; continue
                }
                if !inQuote && isLetter(ch) { break }
                lit.append(ch); i += 1
            }
            if !lit.isEmpty { out.append(.literal(lit)) }
        }
        fields = out
        illegalComponent = illegal
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        if v < 0 { return "-" + ISOTime.pad(-v, width) }
        return ISOTime.pad(v, width)
    }

    /// Formats an instant in a zone.
    package func format(_ ms: Int64, zone: ZoneRules) -> String {
        format(ms, offsetMillis: zone.offset(atUTC: ms), zoneID: zone.id)
    }

    /// Formats an instant whose zone offset is `offsetMillis`.
    package func format(_ ms: Int64, offsetMillis: Int64 = 0, zoneID: String = "UTC") -> String {
        let capacity = maxLength + zoneID.utf8.count * fields.count
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            var w = Writer(base: buffer.baseAddress!, count: 0)
            write(&w, ms, offsetMillis: offsetMillis, zoneID: zoneID)
            return String(decoding: UnsafeBufferPointer(start: buffer.baseAddress!, count: w.count), as: UTF8.self)
        }
    }

    /// An upper bound of the printed length, zone ids aside.
    var maxLength: Int {
        fields.reduce(0) { n, f in
            switch f {
            case .literal(let l): n + l.utf8.count
            case .month(let m) where m >= 3: n + max(m, 9)
            case .dayOfWeekText(let m): n + max(m, 9)
            default: n + 24
            }
        }
    }

    struct Writer {
        let base: UnsafeMutablePointer<UInt8>
        var count: Int

        @inline(__always)
        mutating func byte(_ b: UInt8) { base[count] = b; count += 1 }

        @inline(__always)
        mutating func text(_ s: String) {
            for b in s.utf8 { byte(b) }
        }

        @inline(__always)
        mutating func number(_ v: Int, _ width: Int) {
            var x = v
            if x < 0 { byte(0x2D); x = -x }
            var digits = 1, scale = 1
            while scale <= x / 10 { scale *= 10; digits += 1 }
            var pad = width - digits
            while pad > 0 { byte(0x30); pad -= 1 }
            while scale > 0 { byte(UInt8(truncatingIfNeeded: x / scale % 10) &+ 0x30); scale /= 10 }
        }
    }

    private func write(_ w: inout Writer, _ ms: Int64, offsetMillis: Int64, zoneID: String) {
        let local = ms &+ offsetMillis
        let days = CivilTime.floorDiv(local, 86_400_000)
        let msOfDay = Int(local &- days &* 86_400_000)
        let (year, month, day) = CivilTime.civilFromDays(days)
        let hour = msOfDay / 3_600_000, minute = msOfDay / 60_000 % 60, second = msOfDay / 1000 % 60, millis = msOfDay % 1000
        let dow = Int(((days % 7) + 7 + 3) % 7) + 1  // 1 = Monday
        for f in fields {
            switch f {
            case .era: w.text(year > 0 ? "AD" : "BC")
            case .centuryOfEra(let n): w.number((year > 0 ? year : 1 - year) / 100, n)
            case .weekyear(let n): w.number(IsoWeek.of(days).year, n)
            case .twoDigitWeekyear: w.number(((IsoWeek.of(days).year % 100) + 100) % 100, 2)
            case .year(let n): w.number(year, n)
            case .yearOfEra(let n): w.number(year > 0 ? year : 1 - year, n)
            case .twoDigitYear: w.number(((year % 100) + 100) % 100, 2)
            case .month(let n):
                if n >= 4 {
                    w.text(JodaFormat.monthNames[month - 1])
                } else if n == 3 {
                    for b in JodaFormat.monthNames[month - 1].utf8.prefix(3) { w.byte(b) }
                } else {
                    w.number(month, n)
                }
            case .day(let n): w.number(day, n)
            case .halfday: w.text(hour < 12 ? "AM" : "PM")
            case .clockhourOfHalfday(let n): w.number(hour % 12 == 0 ? 12 : hour % 12, n)
            case .hourOfDay(let n): w.number(hour, n)
            case .clockhourOfDay(let n): w.number(hour == 0 ? 24 : hour, n)
            case .hourOfHalfday(let n): w.number(hour % 12, n)
            case .minute(let n): w.number(minute, n)
            case .second(let n): w.number(second, n)
            case .fraction(let n):
                let digits = (UInt8(millis / 100) &+ 0x30, UInt8(millis / 10 % 10) &+ 0x30, UInt8(millis % 10) &+ 0x30)
                for i in 0..<n { w.byte(i == 0 ? digits.0 : i == 1 ? digits.1 : i == 2 ? digits.2 : 0x30) }
            case .dayOfWeek(let n): w.number(dow, n)
            case .dayOfWeekText(let n):
                let name = JodaFormat.dayNames[dow - 1]
                if n >= 4 { w.text(name) } else { for b in name.utf8.prefix(3) { w.byte(b) } }
            case .dayOfYear(let n): w.number(Int(days - CivilTime.daysFromCivil(year, 1, 1)) + 1, n)
            case .weekOfWeekyear(let n): w.number(IsoWeek.of(days).week, n)
            case .zoneName: w.text(zoneID)
            case .zoneOffset(let n):
                if n >= 3 { w.text(zoneID); continue }
                // Joda prints a zero offset as +00:00 / +0000 in patterns.
                let total = Int(abs(offsetMillis) / 60_000)
                w.byte(offsetMillis < 0 ? 0x2D : 0x2B)
                w.number(total / 60, 2)
                if n >= 2 { w.byte(0x3A) }
                w.number(total % 60, 2)
            case .literal(let l): w.text(l)
            }
        }
    }

    /// Parses text: the local time it names and the offset it states, if any.
    /// Fields absent from the pattern default to 1970-01-01T00:00:00.000.
    /// `pivotYear` resolves two-digit years (Joda: the current year - 30).
    /// Nil when the text does not match the pattern exactly or names an
    /// impossible date.
    package func parseLocal(_ text: String, pivotYear: Int = 1996) -> (local: Int64, offset: Int64?)? {
        if illegalComponent != nil { return nil }
        let chars = Array(text.utf16)
        var i = 0
        var year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, millis = 0
        var pm: Bool? = nil
        var hour12: Int? = nil
        var offset: Int64? = nil
        func isDigit(_ u: UInt16) -> Bool { u >= 0x30 && u <= 0x39 }
        func number(maxDigits: Int, signed: Bool = false) -> Int? {
            let save = i
            var neg = false
            if signed, i < chars.count, chars[i] == 0x2D || chars[i] == 0x2B {
                neg = chars[i] == 0x2D
                i += 1
            }
            let start = i
            var v = 0
            while i < chars.count, i - start < maxDigits, isDigit(chars[i]) {
                v = v * 10 + Int(chars[i] - 0x30)
                i += 1
            }
            if i == start { i = save; return nil }
            return neg ? -v : v
        }
        func matchText(_ names: [String], shortLength: Int?) -> Int? {
            let rest = String(decoding: chars[i...], as: UTF16.self).lowercased()
            var best: (Int, Int)? = nil
            for (idx, name) in names.enumerated() {
                for cand in [name, shortLength.map { String(name.prefix($0)) } ?? name] {
                    let lower = cand.lowercased()
                    if rest.hasPrefix(lower), best == nil || lower.utf16.count > best!.1 { best = (idx, lower.utf16.count) }
                }
            }
            guard let best else { return nil }
            i += best.1
            return best.0
        }
        for (fi, f) in fields.enumerated() {
            let nextIsNumeric = fi + 1 < fields.count && fields[fi + 1].isNumeric
            switch f {
            case .year(let n), .yearOfEra(let n):
                guard let v = number(maxDigits: nextIsNumeric ? max(n, 1) : 9, signed: true) else { return nil }
                year = v
            case .twoDigitYear:
                let start = i
                let signed = i < chars.count && (chars[i] == 0x2D || chars[i] == 0x2B)
                guard let v = number(maxDigits: nextIsNumeric ? 2 : 9, signed: !nextIsNumeric) else { return nil }
                if i - start == 2 && !signed {
                    // Joda: the year in [pivot - 50, pivot + 49] ending in these digits.
                    let low = pivotYear - 50
                    var y = low - ((low % 100) + 100) % 100 + v
                    if y < low { y += 100 }
                    year = y
                } else if nextIsNumeric {
                    return nil
                } else {
                    year = v
                }
            case .month(let n):
                if n >= 3 {
                    guard let m = matchText(JodaFormat.monthNames, shortLength: 3) else { return nil }
                    month = m + 1
                } else {
                    guard let v = number(maxDigits: 2) else { return nil }
                    month = v
                }
            case .day: guard let v = number(maxDigits: 2) else { return nil }; day = v
            case .hourOfDay: guard let v = number(maxDigits: 2) else { return nil }; hour = v
            case .clockhourOfDay: guard let v = number(maxDigits: 2), v >= 1, v <= 24 else { return nil }; hour = v % 24
            case .clockhourOfHalfday: guard let v = number(maxDigits: 2), v >= 1, v <= 12 else { return nil }; hour12 = v % 12
            case .hourOfHalfday: guard let v = number(maxDigits: 2), v <= 11 else { return nil }; hour12 = v
            case .halfday:
                guard let h = matchText(["AM", "PM"], shortLength: nil) else { return nil }
                pm = h == 1
            case .minute: guard let v = number(maxDigits: 2) else { return nil }; minute = v
            case .second: guard let v = number(maxDigits: 2) else { return nil }; second = v
            case .fraction(let n):
                let start = i
                guard let v = number(maxDigits: n) else { return nil }
                let digits = i - start
                var scaled = v
                if digits > 3 {
                    for _ in 0..<(digits - 3) { scaled /= 10 }
                } else {
                    for _ in 0..<(3 - digits) { scaled *= 10 }
                }
                millis = scaled
            case .dayOfWeekText:
                guard matchText(JodaFormat.dayNames, shortLength: 3) != nil else { return nil }
            case .zoneOffset(let n):
                if n >= 3 { return nil }
                if i < chars.count, chars[i] == 0x5A { i += 1; offset = 0; continue }  // "Z"
                guard i < chars.count, chars[i] == 0x2B || chars[i] == 0x2D else { return nil }
                let neg = chars[i] == 0x2D
                i += 1
                guard let h = number(maxDigits: 2) else { return nil }
                var m = 0
                if i < chars.count, chars[i] == 0x3A {
                    i += 1
                    guard let mm = number(maxDigits: 2) else { return nil }
                    m = mm
                } else if i + 1 < chars.count, isDigit(chars[i]) {
                    guard let mm = number(maxDigits: 2) else { return nil }
                    m = mm
                }
                guard h <= 23, m <= 59 else { return nil }
                offset = Int64((h * 60 + m) * 60_000) * (neg ? -1 : 1)
            case .literal(let l):
                for u in l.utf16 {
                    guard i < chars.count, chars[i] == u else { return nil }
                    i += 1
                }
            case .era, .centuryOfEra, .weekyear, .twoDigitWeekyear, .dayOfWeek, .dayOfYear, .weekOfWeekyear, .zoneName:
                return nil
            }
        }
        guard i == chars.count else { return nil }
        if let hour12 { hour = hour12 + ((pm ?? false) ? 12 : 0) } else if let pm { hour = hour % 12 + (pm ? 12 : 0) }
        guard (1...12).contains(month), day >= 1, day <= CivilTime.daysInMonth(year: year, month: month), hour < 24,
              minute < 60, second < 60 else { return nil }
        let local = CivilTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                              millisecond: millis).epochMillis
        return (local, offset)
    }

    /// Parses text into an instant: a stated offset wins, else the local time
    /// is read in `zone` (nil inside a DST gap, as Joda refuses it).
    package func parse(_ text: String, zone: ZoneRules, pivotYear: Int = 1996) -> Int64? {
        guard let (local, offset) = parseLocal(text, pivotYear: pivotYear) else { return nil }
        if let offset { return local &- offset }
        return zone.utcStrict(fromLocal: local)
    }

    /// Parses text with a fixed default offset (for callers without a zone).
    package func parse(_ text: String, defaultOffsetMillis: Int64 = 0) -> Int64? {
        guard let (local, offset) = parseLocal(text) else { return nil }
        return local &- (offset ?? defaultOffsetMillis)
    }
}

/// ISO-8601 week dates: the week-based year and week number of a day.
package enum IsoWeek {
    /// `days` since 1970-01-01.
    package static func of(_ days: Int64) -> (year: Int, week: Int) {
        let dow = Int64(((days % 7) + 7 + 3) % 7) + 1  // 1 = Monday
        let thursday = days - dow + 4
        let (ty, _, _) = CivilTime.civilFromDays(thursday)
        let week = (thursday - CivilTime.daysFromCivil(ty, 1, 1)) / 7 + 1
        return (ty, Int(week))
    }
}
