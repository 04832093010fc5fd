internal import DataModel

/// `STRING_FORMAT`: Druid's `StringUtils.nonStrictFormat`, i.e. Java's
/// `String.format(Locale.ENGLISH, ...)`, falling back to
/// `pattern; arg1; arg2` when Java would throw (missing argument, wrong type
/// for the conversion). With no arguments the pattern is returned as is.
///
/// Supports conversions `s S b B d o x X f e E n %`, flags `- + space 0 , ( #`,
/// width, precision and `n$` / `<` argument indexes. Other conversions take
/// the fallback.
enum JavaFormatter {
    struct Failure: Error {}

    static func nonStrictFormat(_ pattern: String, _ args: [ScalarValue]) -> String {
        if args.isEmpty { return pattern }
        if let s = try? format(pattern, args) { return s }
        var out = pattern
        for a in args { out += "; " + valueOf(a) }
        return out
    }

    /// `String.valueOf(arg)`.
    static func valueOf(_ v: ScalarValue) -> String {
        switch v {
        case .null: "null"
        case .long(let x): String(x)
        case .double(let x): JavaDouble.format(x)
        case .string(let s): s
        }
    }

    static func format(_ pattern: String, _ args: [ScalarValue]) throws(Failure) -> String {
        let chars = Array(pattern)
        var out = ""
        var i = 0
        var ordinary = 0
        var last: Int? = nil
        while i < chars.count {
            let c = chars[i]
            guard c == "%" else { out.append(c); i += 1; continue }
            i += 1
            // %[argument_index$][flags][width][.precision]conversion
            var explicitIndex: Int? = nil
            var relative = false
            var j = i
            var num = ""
            while j < chars.count, chars[j].isASCII, chars[j].isNumber { num.append(chars[j]); j += 1 }
            if !num.isEmpty, j < chars.count, chars[j] == "$" {
                explicitIndex = Int(num)
                i = j + 1
            }
            var flags = Set<Character>()
            while i < chars.count, "-#+ 0,(<".contains(chars[i]) {
                if chars[i] == "<" { relative = true } else {
                    if flags.contains(chars[i]) { throw Failure() }
                    flags.insert(chars[i])
                }
                i += 1
            }
            var width: Int? = nil
            var w = ""
            while i < chars.count, chars[i].isASCII, chars[i].isNumber { w.append(chars[i]); i += 1 }
            if !w.isEmpty { width = Int(w) }
            var precision: Int? = nil
            if i < chars.count, chars[i] == "." {
                i += 1
                var p = ""
                while i < chars.count, chars[i].isASCII, chars[i].isNumber { p.append(chars[i]); i += 1 }
                guard !p.isEmpty else { throw Failure() }
                precision = Int(p)
            }
            guard i < chars.count else { throw Failure() }
            let conv = chars[i]
            i += 1
            if conv == "%" {
                out += justify("%", width: width, left: flags.contains("-"))
                continue
            }
            if conv == "n" { out += "\n"; continue }
            if flags.contains("-") && width == nil { throw Failure() }
            if flags.contains("0") && (width == nil || flags.contains("-")) { throw Failure() }
            // Pick the argument.
            let index: Int
            if relative {
                guard let last else { throw Failure() }
                index = last
            } else if let explicitIndex {
                guard explicitIndex >= 1 else { throw Failure() }
                index = explicitIndex - 1
            } else {
                index = ordinary
                ordinary += 1
            }
            guard index < args.count else { throw Failure() }
            last = index
            let arg = args[index]
            var text: String
            switch conv {
            case "s", "S":
                if flags.contains("#") || flags.subtracting(["-"]).count > 0 { throw Failure() }
                text = valueOf(arg)
                if let precision { text = String(text.prefix(precision)) }
                if conv == "S" { text = text.uppercased() }
            case "b", "B":
                if case .null = arg { text = "false" } else { text = "true" }
                if let precision { text = String(text.prefix(precision)) }
                if conv == "B" { text = text.uppercased() }
            case "d":
                if precision != nil { throw Failure() }
                guard case .long(let v) = arg else {
                    if case .null = arg { text = "null"; break }
                    throw Failure()
                }
                var digits = String(v.magnitude)
                if flags.contains(",") { digits = JavaNumbers.group(digits) }
                text = signed(digits, negative: v < 0, flags: flags, width: width)
            case "o", "x", "X":
                if precision != nil || flags.contains(",") || flags.contains("+") || flags.contains(" ") || flags.contains("(") {
                    throw Failure()
                }
                guard case .long(let v) = arg else {
                    if case .null = arg { text = "null"; break }
                    throw Failure()
                }
                let bits = UInt64(bitPattern: v)
                var digits = String(bits, radix: conv == "o" ? 8 : 16, uppercase: conv == "X")
                if flags.contains("#") { digits = (conv == "o" ? "0" : conv == "X" ? "0X" : "0x") + digits }
                if flags.contains("0"), let width, digits.count < width {
                    digits = String(repeating: "0", count: width - digits.count) + digits
                }
                text = digits
            case "f", "e", "E":
                guard case .double(let v) = arg else {
                    if case .null = arg { text = "null"; break }
                    throw Failure()
                }
                if v.isNaN || v.isInfinite {
                    text = v.isNaN ? "NaN" : (v < 0 ? (flags.contains("(") ? "(Infinity)" : "-Infinity")
                                                   : (flags.contains("+") ? "+Infinity" : "Infinity"))
                    break
                }
                let p = precision ?? 6
                var body: String
                if conv == "f" {
                    body = JavaNumbers.fixed(Swift.abs(v), precision: p, grouping: flags.contains(","))
                } else {
                    if flags.contains(",") { throw Failure() }
                    body = scientific(Swift.abs(v), precision: p)
                    if conv == "E" { body = body.uppercased() }
                }
                text = signed(body, negative: v.sign == .minus, flags: flags, width: width)
            default:
                throw Failure()
            }
            out += justify(text, width: width, left: flags.contains("-"))
        }
        return out
    }

    /// Applies `+`, space, `(` and `0` to an unsigned number.
    static func signed(_ digits: String, negative: Bool, flags: Set<Character>, width: Int?) -> String {
        var prefix = ""
        var suffix = ""
        if negative {
            if flags.contains("(") { prefix = "("; suffix = ")" } else { prefix = "-" }
        } else if flags.contains("+") {
            prefix = "+"
        } else if flags.contains(" ") {
            prefix = " "
        }
        var body = digits
        if flags.contains("0"), let width {
            let pad = width - prefix.count - suffix.count - body.count
            if pad > 0 { body = String(repeating: "0", count: pad) + body }
        }
        return prefix + body + suffix
    }

    static func justify(_ s: String, width: Int?, left: Bool) -> String {
        guard let width, s.count < width else { return s }
        let pad = String(repeating: " ", count: width - s.count)
        return left ? s + pad : pad + s
    }

    /// Java's `%e`: `d.ddddde+xx`, HALF_UP on the shortest decimal.
    static func scientific(_ v: Double, precision: Int) -> String {
        if v == 0 { return "0" + (precision > 0 ? "." + String(repeating: "0", count: precision) : "") + "e+00" }
        let (digits, point) = JavaNumbers.decimal(v)
        var (r, p) = JavaNumbers.roundHalfUp(digits, point: 1, scale: precision)
        var exp = point - 1
        if p > 1 { exp += p - 1; p = 1 }
        while r.count < precision + 1 { r.append(0) }
        let ds = r.map { Character(Unicode.Scalar($0 + 0x30)) }
        var s = String(ds[0])
        if precision > 0 { s += "." + String(ds[1...precision]) }
        s += "e" + (exp < 0 ? "-" : "+") + ISOTime.pad(Swift.abs(exp), 2)
        return s
    }
}
