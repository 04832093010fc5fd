internal import DataModel

/// Text-to-number coercions on UTF-8 bytes, with the semantics of
/// `ScalarValue.parseLong` (LONG) and `Double(String)` after trimming
/// (FLOAT/DOUBLE), but without creating a `String` in the common cases.
enum TextNumber {
    /// The bytes without leading and trailing spaces, tabs, CRs and LFs.
    @inline(__always)
    static func trimmed(_ b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var lo = 0
        var hi = b.count
        while lo < hi && isSpace(b[lo]) { lo += 1 }
        while hi > lo && isSpace(b[hi - 1]) { hi -= 1 }
        return UnsafeBufferPointer(rebasing: b[lo..<hi])
    }

    @inline(__always)
    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }

    /// `[+-]?[0-9]+` as an `Int64`; nil when the bytes are not exactly that
    /// or the value overflows.
    @inline(__always)
    static func integer(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        let n = b.count
        var i = 0
        var negative = false
        if n > 0 && (b[0] == 0x2D || b[0] == 0x2B) {
            negative = b[0] == 0x2D
            i = 1
        }
        guard i < n else { return nil }
        // Up to 18 digits cannot overflow.
        if n - i <= 18 {
            var v: Int64 = 0
            while i < n {
                let d = b[i] &- 0x30
                guard d < 10 else { return nil }
                v = v &* 10 &+ Int64(d)
                i += 1
            }
            return negative ? -v : v
        }
        // Accumulate negatively so that Int64.min parses.
        var v: Int64 = 0
        while i < n {
            let d = b[i] &- 0x30
            guard d < 10 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.subtractingReportingOverflow(Int64(d))
            if o1 || o2 { return nil }
            v = s
            i += 1
        }
        if negative { return v }
        return v == .min ? nil : -v
    }

    /// Druid's text-to-long rule: an integer, else a decimal truncated
    /// toward zero, else nil.
    @inline(__always)
    static func parseLong(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        // Untrimmed plain integers inline; everything else out of line.
        if let f = b.first, f > 0x20, b[b.count - 1] > 0x20, let v = integer(b) { return v }
        return parseLongSlowly(b)
    }

    private static func parseLongSlowly(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        let t = trimmed(b)
        if t.isEmpty { return nil }
        if let v = integer(t) { return v }
        return ScalarValue.parseLong(String(decoding: t, as: UTF8.self))
    }

    /// Text to a double, as `Double(String)` after trimming; nil when not a number.
    static func parseDouble(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        let t = trimmed(b)
        if t.isEmpty { return nil }
        // Int64 -> Double rounds to nearest like strtod; keep "-0" negative.
        if let v = integer(t), v != 0 { return Double(v) }
        if let v = exactDecimal(t) { return v }
        return Double(String(decoding: t, as: UTF8.self))
    }

    /// Powers of ten that a `Double` holds exactly.
    private static let exactPowers: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// `[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?` as a double when it can be
    /// computed exactly-rounded without `strtod`: at most 2^53 as an integer
    /// of all its digits, and a power of ten up to 10^22 to scale by (Clinger's
    /// fast path: one correctly rounded multiplication or division of exact
    /// values). Nil for any other text, which the caller parses the slow way.
    static func exactDecimal(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = b.count
        var i = 0
        var negative = false
        if n > 0 && (b[0] == 0x2D || b[0] == 0x2B) {
            negative = b[0] == 0x2D
            i = 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var scale = 0
        while i < n, case let d = b[i] &- 0x30, d < 10 {
            if mantissa >= 1 << 53 / 10 { return nil }
            mantissa = mantissa * 10 + UInt64(d)
            digits += 1
            i += 1
        }
        guard digits > 0 else { return nil }
        if i < n && b[i] == 0x2E {
            i += 1
            var fraction = 0
            while i < n, case let d = b[i] &- 0x30, d < 10 {
                if mantissa >= 1 << 53 / 10 { return nil }
                mantissa = mantissa * 10 + UInt64(d)
                fraction += 1
                i += 1
            }
            guard fraction > 0 else { return nil }
            scale -= fraction
        }
        if i < n && (b[i] == 0x65 || b[i] == 0x45) {
            i += 1
            var expNegative = false
            if i < n && (b[i] == 0x2D || b[i] == 0x2B) {
                expNegative = b[i] == 0x2D
                i += 1
            }
            var exponent = 0
            var expDigits = 0
            while i < n, case let d = b[i] &- 0x30, d < 10 {
                if exponent > 1000 { return nil }
                exponent = exponent * 10 + Int(d)
                expDigits += 1
                i += 1
            }
            guard expDigits > 0 else { return nil }
            scale += expNegative ? -exponent : exponent
        }
        guard i == n, scale >= -22, scale <= 22 else { return nil }
        var v = Double(mantissa)
        if scale < 0 { v /= exactPowers[-scale] } else if scale > 0 { v *= exactPowers[scale] }
        return negative ? -v : v
    }
}
