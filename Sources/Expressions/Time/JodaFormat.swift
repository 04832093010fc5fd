internal import DataModel

/// A Joda-Time `DateTimeFormat` pattern (`yyyy-MM-dd HH:mm:ss`,
/// `dd/MMM/yyyy:HH:mm:ss Z`), for `TIME_PARSE` and `TIME_FORMAT`.
///
/// Supports y, M (numeric, MMM, MMMM), d, H, h, a, m, s, S, E (EEE, EEEE),
/// Z/ZZ (offsets), 'quoted' literals and punctuation.
package struct JodaFormat: Sendable, Hashable {
    enum Field: Hashable, Sendable {
        case year(Int), month(Int), day(Int), hour24(Int), hour12(Int), halfday, minute(Int), second(Int), fraction(Int)
        case dayName(Int), offset(Int)
        case literal(String)
    }

    let fields: [Field]

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                             "October", "November", "December"]
    static let dayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    package init(pattern: String) {
        var out: [Field] = []
        let chars = Array(pattern)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "'" {
                var lit = ""
                i += 1
                while i < chars.count {
                    if chars[i] == "'" {
                        if i + 1 < chars.count, chars[i + 1] == "'" { lit.append("'"); i += 2; continue }
                        break
                    }
                    lit.append(chars[i]); i += 1
                }
                i += 1
                out.append(.literal(lit.isEmpty ? "'" : lit))
                continue
            }
            var n = 1
            while i + n < chars.count, chars[i + n] == c { n += 1 }
            switch c {
            case "y", "Y", "x": out.append(.year(n))
            case "M": out.append(.month(n))
            case "d": out.append(.day(n))
            case "H", "k": out.append(.hour24(n))
            case "h", "K": out.append(.hour12(n))
            case "a": out.append(.halfday)
            case "m": out.append(.minute(n))
            case "s": out.append(.second(n))
            case "S": out.append(.fraction(n))
            case "E": out.append(.dayName(n))
            case "Z": out.append(.offset(n))
            default: out.append(.literal(String(repeating: c, count: n)))
            }
            i += n
        }
        fields = out
    }

    /// Formats an instant shifted by `offsetMillis` (the zone's offset).
    package func format(_ ms: Int64, offsetMillis: Int64 = 0) -> String {
        let c = CivilTime(epochMillis: ms + offsetMillis)
        var s = ""
        for f in fields {
            switch f {
            case .year(let n): s += n == 2 ? ISOTime.pad(c.year % 100, 2) : ISOTime.pad(c.year, max(n, 4 > n ? 4 : n))
            case .month(let n):
                s += n >= 4 ? JodaFormat.monthNames[c.month - 1] : n == 3 ? String(JodaFormat.monthNames[c.month - 1].prefix(3)) : ISOTime.pad(c.month, n)
            case .day(let n): s += ISOTime.pad(c.day, n)
            case .hour24(let n): s += ISOTime.pad(c.hour, n)
            case .hour12(let n): s += ISOTime.pad(c.hour % 12 == 0 ? 12 : c.hour % 12, n)
            case .halfday: s += c.hour < 12 ? "AM" : "PM"
            case .minute(let n): s += ISOTime.pad(c.minute, n)
            case .second(let n): s += ISOTime.pad(c.second, n)
            case .fraction(let n):
                let ms3 = ISOTime.pad(c.millisecond, 3)
                s += n <= 3 ? String(ms3.prefix(n)) : ms3 + String(repeating: "0", count: n - 3)
            case .dayName(let n):
                let name = JodaFormat.dayNames[c.isoDayOfWeek - 1]
                s += n >= 4 ? name : String(name.prefix(3))
            case .offset(let n):
                if offsetMillis == 0 && n >= 2 { s += "Z"; continue }
                let total = abs(offsetMillis) / 60_000
                let sign = offsetMillis < 0 ? "-" : "+"
                s += sign + ISOTime.pad(Int(total / 60), 2) + (n >= 2 ? ":" : "") + ISOTime.pad(Int(total % 60), 2)
            case .literal(let l): s += l
            }
        }
        return s
    }

    /// Parses text; fields absent from the pattern default to their
    /// minimum. Returns nil when the text does not match exactly.
    package func parse(_ text: String, defaultOffsetMillis: Int64 = 0) -> Int64? {
        let chars = Array(text)
        var i = 0
        var year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, millis = 0
        var pm: Bool? = nil
        var offset: Int64? = nil
        func number(maxDigits: Int, allowSign: Bool = false) -> Int? {
            var neg = false
            if allowSign, i < chars.count, chars[i] == "-" || chars[i] == "+" { neg = chars[i] == "-"; i += 1 }
            var v = 0, n = 0
            while i < chars.count, n < maxDigits, let d = chars[i].wholeNumberValue, chars[i].isASCII {
                v = v * 10 + d; i += 1; n += 1
            }
            return n == 0 ? nil : (neg ? -v : v)
        }
        for (fi, f) in fields.enumerated() {
            // A numeric field followed directly by another numeric field takes exactly its width.
            let nextIsNumeric: Bool = {
                guard fi + 1 < fields.count else { return false }
                switch fields[fi + 1] { case .literal, .halfday, .dayName, .offset: return false; default: return true }
            }()
            func width(_ n: Int, _ natural: Int) -> Int { nextIsNumeric ? max(n, natural == 4 ? 4 : n) : 9 }
            switch f {
            case .year(let n):
                guard let v = number(maxDigits: width(n, 4), allowSign: true) else { return nil }
                year = n == 2 && v < 100 ? 2000 + v - (v >= 70 ? 100 : 0) : v
            case .month(let n):
                if n >= 3 {
                    guard let m = matchName(JodaFormat.monthNames, chars, &i) else { return nil }
                    month = m + 1
                } else {
                    guard let v = number(maxDigits: width(n, 2)) else { return nil }
                    month = v
                }
            case .day(let n): guard let v = number(maxDigits: width(n, 2)) else { return nil }; day = v
            case .hour24(let n): guard let v = number(maxDigits: width(n, 2)) else { return nil }; hour = v
            case .hour12(let n): guard let v = number(maxDigits: width(n, 2)) else { return nil }; hour = v % 12
            case .halfday:
                guard i + 1 < chars.count else { return nil }
                let t = String(chars[i...i + 1]).uppercased()
                guard t == "AM" || t == "PM" else { return nil }
                pm = t == "PM"; i += 2
            case .minute(let n): guard let v = number(maxDigits: width(n, 2)) else { return nil }; minute = v
            case .second(let n): guard let v = number(maxDigits: width(n, 2)) else { return nil }; second = v
            case .fraction(let n):
                let start = i
                guard let v = number(maxDigits: nextIsNumeric ? n : 9) else { return nil }
                let digits = i - start
                var scaled = Double(v)
                for _ in 0..<max(0, digits - 3) { scaled /= 10 }
                for _ in 0..<max(0, 3 - digits) { scaled *= 10 }
                millis = Int(scaled)
            case .dayName:
                guard matchName(JodaFormat.dayNames, chars, &i) != nil else { return nil }
            case .offset:
                if i < chars.count, chars[i] == "Z" { i += 1; offset = 0; continue }
                guard i < chars.count, chars[i] == "+" || chars[i] == "-" else { return nil }
                let neg = chars[i] == "-"
                i += 1
                guard let h = number(maxDigits: 2) else { return nil }
                if i < chars.count, chars[i] == ":" { i += 1 }
                let m = number(maxDigits: 2) ?? 0
                offset = Int64((h * 60 + m) * 60_000) * (neg ? -1 : 1)
            case .literal(let l):
                for ch in l {
                    guard i < chars.count, chars[i] == ch else { return nil }
                    i += 1
                }
            }
        }
        guard i == chars.count else { return nil }
        if let pm { hour = hour % 12 + (pm ? 12 : 0) }
        guard (1...12).contains(month), day >= 1, day <= CivilTime.daysInMonth(year: year, month: month), hour < 24,
              minute < 60, second < 60 else { return nil }
        let local = CivilTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second, millisecond: millis).epochMillis
        return local - (offset ?? defaultOffsetMillis)
    }

    private func matchName(_ names: [String], _ chars: [Character], _ i: inout Int) -> Int? {
        let rest = String(chars[i...]).lowercased()
        for (idx, name) in names.enumerated() {
            let full = name.lowercased()
            if rest.hasPrefix(full) { i += full.count; return idx }
        }
        for (idx, name) in names.enumerated() {
            let short = String(name.prefix(3)).lowercased()
            if rest.hasPrefix(short) { i += 3; return idx }
        }
        return nil
    }
}
