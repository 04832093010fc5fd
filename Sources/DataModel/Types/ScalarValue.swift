/// A single value, used on slow paths only: literals, constant folding,
/// result rendering, tests. Operators work on `ColumnVector`s instead.
///
/// Booleans are `.long(1)` / `.long(0)`, timestamps `.long(epochMillis)`,
/// FLOATs widen to `.double` (Druid does the same in expressions).
package enum ScalarValue: Hashable, Sendable, CustomStringConvertible {
    case null
    case long(Int64)
    case double(Double)
    case string(String)

    package var isNull: Bool { if case .null = self { true } else { false } }

    package var longValue: Int64? {
        switch self {
        case .long(let v): v
        case .double(let v): v.isFinite && abs(v) < 9.2e18 ? Int64(v) : nil
        case .string(let s): ScalarValue.parseLong(s)
        case .null: nil
        }
    }

    package var doubleValue: Double? {
        switch self {
        case .long(let v): Double(v)
        case .double(let v): v
        case .string(let s): Double(s.trimmingSpaces)
        case .null: nil
        }
    }

    package var stringValue: String? {
        switch self {
        case .null: nil
        case .string(let s): s
        default: renderedString
        }
    }

    /// How Druid prints this value as text (Java's `Long.toString` /
    /// `Double.toString`).
    package var renderedString: String {
        switch self {
        case .null: "null"
        case .long(let v): String(v)
        case .double(let v): JavaDouble.format(v)
        case .string(let s): s
        }
    }

    package var description: String { renderedString }

    /// Druid's text-to-long rule: an integer, else a decimal truncated toward
    /// zero, else NULL.
    package static func parseLong(_ text: String) -> Int64? {
        let t = text.trimmingSpaces
        if let v = Int64(t) { return v }
        if let d = Double(t), d.isFinite, abs(d) < 9.2e18 { return Int64(d) }
        return nil
    }

    /// Converts to the storage form of a native column type (NULL when the
    /// value does not convert, as Druid does for mistyped input).
    package func cast(to type: ColumnType) -> ScalarValue {
        if case .null = self { return .null }
        if let element = type.arrayElement {
            // A scalar read into an ARRAY column is a one-element array; text
            // is taken to be an array's canonical text already.
            if case .string = self { return self }
            return .string(NestedValue.encodeArray([self], element: element))
        }
        switch type.storage {
        case .string: return .string(stringValue!)
        case .long: return longValue.map(ScalarValue.long) ?? .null
        case .float, .double: return doubleValue.map(ScalarValue.double) ?? .null
        }
    }
}

extension String {
    /// The string without leading/trailing ASCII spaces, tabs and newlines.
    package var trimmingSpaces: String {
        // Scalars, not Characters: "\r\n" is one Character and must still be trimmed.
        var s = Substring.UnicodeScalarView(unicodeScalars)
        func isSpace(_ u: Unicode.Scalar) -> Bool { u == " " || u == "\t" || u == "\n" || u == "\r" }
        while let f = s.first, isSpace(f) { s.removeFirst() }
        while let l = s.last, isSpace(l) { s.removeLast() }
        return String(s)
    }
}

/// Formats doubles the way Java's `Double.toString` (and so Druid's JSON
/// output) does: `1.0`, `0.001`, `1.0E7`, `1.234E-5`, `NaN`, `Infinity`.
package enum JavaDouble {
    package static func format(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-Infinity" : "Infinity" }
        if v == 0 { return v.sign == .minus ? "-0.0" : "0.0" }
        // Shortest round-trip digits from Swift, then re-laid out Java style.
        var (digits, exp10) = shortestDigits(abs(v))
        let neg = v < 0 ? "-" : ""
        let mag = abs(v)
        if mag >= 1e-3 && mag < 1e7 {
            // Plain decimal notation with at least one fractional digit.
            let pointPos = exp10 + 1  // digits before the decimal point
            var out: String
            if pointPos <= 0 {
                out = "0." + String(repeating: "0", count: -pointPos) + digits
            } else if pointPos >= digits.count {
                out = digits + String(repeating: "0", count: pointPos - digits.count) + ".0"
            } else {
                let i = digits.index(digits.startIndex, offsetBy: pointPos)
                out = String(digits[..<i]) + "." + String(digits[i...])
            }
            return neg + out
        }
        if digits.count == 1 { digits += "0" }
        let head = digits.prefix(1)
        let tail = digits.dropFirst()
        return neg + head + "." + tail + "E" + String(exp10)
    }

    /// Decimal digits (no leading/trailing zeros) and the base-10 exponent of
    /// the first digit, from Swift's shortest round-trip description.
    private static func shortestDigits(_ v: Double) -> (String, Int) {
        let d = v.description  // e.g. "1234.5", "1e-05", "1.5e+20"
        var mantissa = d
        var exp = 0
        if let e = d.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = String(d[..<e])
            exp = Int(d[d.index(after: e)...]) ?? 0
        }
        var intPart = mantissa
        var frac = ""
        if let dot = mantissa.firstIndex(of: ".") {
            intPart = String(mantissa[..<dot])
            frac = String(mantissa[mantissa.index(after: dot)...])
        }
        var all = intPart + frac
        var firstExp = intPart.count - 1 + exp
        while all.first == "0" && all.count > 1 {
            all.removeFirst()
            firstExp -= 1
        }
        while all.last == "0" && all.count > 1 { all.removeLast() }
        return (all, firstExp)
    }
}
