internal import DataModel

/// Java number semantics Druid's functions inherit: `BigDecimal.valueOf(d)`
/// (the shortest decimal that round-trips), HALF_UP rounding on that decimal,
/// `Formatter`'s `%f`, and fdlibm's `exp`.
enum JavaNumbers {
    /// The shortest round-trip decimal digits of a finite `|v|` and the
    /// position of the decimal point: `v = 0.d1d2... × 10^point`.
    static func decimal(_ v: Double) -> (digits: [UInt8], point: Int) {
        let mag = Swift.abs(v)
        if mag == 0 { return ([0], 1) }
        var d = mag.description  // "1234.5", "1e-05", "1.5e+20"
        var digits: [UInt8] = []
        var point = 0
        var exp = 0
        d.withUTF8 { bytes in
            var seenPoint = false
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                if b == UInt8(ascii: ".") {
                    seenPoint = true
                } else if b == UInt8(ascii: "e") || b == UInt8(ascii: "E") {
                    var neg = false
                    i += 1
                    if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
                        neg = bytes[i] == UInt8(ascii: "-")
                        i += 1
                    }
                    while i < bytes.count { exp = exp * 10 + Int(bytes[i] &- 0x30); i += 1 }
                    if neg { exp = -exp }
                    break
                } else {
                    digits.append(b &- 0x30)
                    if !seenPoint { point += 1 }
                }
                i += 1
            }
        }
        point += exp
        while digits.count > 1, digits.first == 0 { digits.removeFirst(); point -= 1 }
        while digits.count > 1, digits.last == 0 { digits.removeLast() }
        return (digits, point)
    }

    /// Rounds decimal digits HALF_UP to `scale` places after the point.
    /// Returns the kept digits (possibly empty = zero) and the new point.
    static func roundHalfUp(_ digits: [UInt8], point: Int, scale: Int) -> (digits: [UInt8], point: Int) {
        let keep = point + scale  // number of leading digits kept
        if keep >= digits.count { return (digits, point) }
        if keep < 0 { return ([], point) }
        var kept = Array(digits[0..<keep])
        var newPoint = point
        if digits[keep] >= 5 {
            var i = kept.count - 1
            while i >= 0 {
                if kept[i] == 9 { kept[i] = 0; i -= 1 } else { kept[i] += 1; break }
            }
            if i < 0 { kept.insert(1, at: 0); newPoint += 1 }
        }
        return (kept, newPoint)
    }

    static let powersOfTen: [Double] = (0...22).map { Double("1e\($0)")! }

    /// `BigDecimal.valueOf(v).setScale(scale, HALF_UP).doubleValue()`.
    static func roundHalfUp(_ v: Double, scale: Int) -> Double {
        guard v.isFinite, v != 0 else { return v }
        // Fast path: scaling by an exact power of ten and rounding agrees with
        // the decimal rule unless the scaled value is (nearly) a tie; the
        // quotient of two exact values is then the correctly rounded double.
        if scale >= -22 && scale <= 22 {
            let p = powersOfTen[Swift.abs(scale)]
            let scaled = scale >= 0 ? Swift.abs(v) * p : Swift.abs(v) / p
            if scaled < 4.0e15 {
                let whole = scaled.rounded(.down)
                let frac = scaled - whole
                if Swift.abs(frac - 0.5) > Swift.max(1e-9, scaled.ulp * 4) {
                    let r = frac > 0.5 ? whole + 1 : whole
                    if r == 0 { return 0.0 }  // BigDecimal has no negative zero
                    let mag = scale >= 0 ? r / p : r * p
                    return v < 0 ? -mag : mag
                }
            } else if scale >= 0 && Swift.abs(v) >= 4_503_599_627_370_496 {
                return v  // 2^52 and beyond: an integer, unchanged by rounding to decimals
            }
        }
        return roundHalfUpExact(v, scale: scale)
    }

    /// `roundHalfUp` on the decimal digits (the reference the fast path must match).
    static func roundHalfUpExact(_ v: Double, scale: Int) -> Double {
        guard v.isFinite, v != 0 else { return v }
        let (digits, point) = decimal(v)
        let (r, p) = roundHalfUp(digits, point: point, scale: scale)
        if r.isEmpty || r.allSatisfy({ $0 == 0 }) { return 0.0 }
        let text = (v < 0 ? "-0." : "0.") + String(decoding: r.map { $0 &+ 0x30 }, as: UTF8.self) + "e" + String(p)
        return Double(text) ?? v
    }

    /// `String.format("%.nf", v)`: plain decimal with `precision` digits,
    /// HALF_UP on the shortest decimal. `grouping` adds `,` separators.
    static func fixed(_ v: Double, precision: Int, grouping: Bool = false) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-Infinity" : "Infinity" }
        let (digits, point) = decimal(v)
        let (r, p) = roundHalfUp(digits, point: point, scale: precision)
        func ch(_ d: UInt8) -> Character { Character(Unicode.Scalar(d + 0x30)) }
        var intPart = ""
        var frac = ""
        if r.isEmpty {
            intPart = "0"
        } else if p > 0 {
            for i in 0..<p { intPart.append(i < r.count ? ch(r[i]) : "0") }
            if r.count > p { for d in r[p...] { frac.append(ch(d)) } }
        } else {
            intPart = "0"
            frac = String(repeating: "0", count: -p)
            for d in r { frac.append(ch(d)) }
        }
        if frac.count < precision { frac += String(repeating: "0", count: precision - frac.count) }
        if frac.count > precision { frac = String(frac.prefix(precision)) }
        if grouping { intPart = group(intPart) }
        return (v.sign == .minus ? "-" : "") + intPart + (precision > 0 ? "." + frac : "")
    }

    /// Inserts `,` every three digits from the right.
    static func group(_ digits: String) -> String {
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return out
    }

    /// fdlibm's `__ieee754_exp` (Java's `StrictMath.exp`), so `EXP(1)` is
    /// Java's `2.7182818284590455`.
    static func exp(_ x0: Double) -> Double {
        let halF: [Double] = [0.5, -0.5]
        let huge = 1.0e+300
        let twom1000 = 9.33263618503218878990e-302
        let o_threshold = 7.09782712893383973096e+02
        let u_threshold = -7.45133219101941108420e+02
        let ln2HI: [Double] = [6.93147180369123816490e-01, -6.93147180369123816490e-01]
        let ln2LO: [Double] = [1.90821492927058770002e-10, -1.90821492927058770002e-10]
        let invln2 = 1.44269504088896338700e+00
        let P1 = 1.66666666666666019037e-01
        let P2 = -2.77777777770155933842e-03
        let P3 = 6.61375632143793436117e-05
        let P4 = -1.65339022054652515390e-06
        let P5 = 4.13813679705723846039e-08

        var x = x0
        var hi = 0.0, lo = 0.0
        var k: Int32 = 0
        var hx = UInt32(truncatingIfNeeded: x.bitPattern >> 32)
        let xsb = Int((hx >> 31) & 1)
        hx &= 0x7fff_ffff
        if hx >= 0x4086_2E42 {
            if hx >= 0x7ff0_0000 {
                let lowBits = UInt32(truncatingIfNeeded: x.bitPattern)
                if ((hx & 0xfffff) | lowBits) != 0 { return x + x }  // NaN
                return xsb == 0 ? x : 0.0
            }
            if x > o_threshold { return huge * huge }
            if x < u_threshold { return twom1000 * twom1000 }
        }
        if hx > 0x3fd6_2e42 {
            if hx < 0x3FF0_A2B2 {
                hi = x - ln2HI[xsb]
                lo = ln2LO[xsb]
                k = 1 - Int32(xsb) - Int32(xsb)
            } else {
                k = Int32(invln2 * x + halF[xsb])
                let t = Double(k)
                hi = x - t * ln2HI[0]
                lo = t * ln2LO[0]
            }
            x = hi - lo
        } else if hx < 0x3e30_0000 {
            if huge + x > 1.0 { return 1.0 + x }
        } else {
            k = 0
        }
        let t = x * x
        let c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))))
        if k == 0 { return 1.0 - ((x * c) / (c - 2.0) - x) }
        var y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi)
        var bits = y.bitPattern
        if k >= -1021 {
            let high = UInt32(truncatingIfNeeded: bits >> 32) &+ (UInt32(bitPattern: k) << 20)
            bits = (UInt64(high) << 32) | (bits & 0xffff_ffff)
            return Double(bitPattern: bits)
        }
        let high = UInt32(truncatingIfNeeded: bits >> 32) &+ (UInt32(bitPattern: k + 1000) << 20)
        bits = (UInt64(high) << 32) | (bits & 0xffff_ffff)
        y = Double(bitPattern: bits)
        return y * twom1000
    }
}
