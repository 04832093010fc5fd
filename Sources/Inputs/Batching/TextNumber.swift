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
    static func integer(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        let n = b.count
        var i = 0
        var negative = false
        if n > 0 && (b[0] == 0x2D || b[0] == 0x2B) {
            negative = b[0] == 0x2D
            i = 1
        }
        guard i < n else { return nil }
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
    static func parseLong(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
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
        return Double(String(decoding: t, as: UTF8.self))
    }
}
