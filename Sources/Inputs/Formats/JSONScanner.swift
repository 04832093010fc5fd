/// What a JSON value recorded for a signature column is.
enum JSONValueKind: UInt8 {
    /// The key did not appear in the object.
    case missing
    case null
    /// A string without escapes: its content bytes can be used as is.
    case plainString
    /// A string with at least one `\` escape: needs `unescape`.
    case escapedString
    /// A number without fraction or exponent (`-12`).
    case integer
    /// A number with fraction or exponent (`1.5`, `1e3`).
    case decimal
    case `true`
    case `false`
    /// An object or array; `start..<end` covers its full text.
    case nested
}

/// A value located in a line: its kind and byte range (string content
/// without the quotes; the full token otherwise), and for an integer of at
/// most 18 digits its value (`hasValue`).
struct JSONValueSlot {
    var kind: JSONValueKind = .missing
    var hasValue = false
    var start = 0
    var end = 0
    var value: Int64 = 0

    init() {}

    init(kind: JSONValueKind, start: Int, end: Int) {
        self.kind = kind
        self.start = start
        self.end = end
    }
}

/// Validating byte-level JSON scanning over one line.
///
/// Every function takes the index where to start and returns the index just
/// past what it scanned, or -1 when the text is not valid JSON (RFC 8259,
/// as strict as Jackson's defaults: no comments, no control characters in
/// strings, no leading zeros, no NaN).
enum JSONScanner {
    /// Deeper nesting than this is refused rather than risking the stack.
    static let maxDepth = 512

    @inline(__always)
    static func isWhitespace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }

    @inline(__always)
    static func skipWhitespace(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        var i = i
        // Most tokens follow each other directly: one comparison settles it.
        while i < b.count, case let c = b[i], c <= 0x20, isWhitespace(c) { i += 1 }
        return i
    }

    @inline(__always)
    static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case 0x30...0x39: UInt32(c - 0x30)
        case 0x41...0x46: UInt32(c - 0x41 + 10)
        case 0x61...0x66: UInt32(c - 0x61 + 10)
        default: nil
        }
    }

    /// Scans a string whose opening quote is at `i - 1`; returns the index
    /// past the closing quote. Sets `escaped` when it contains a `\` escape.
    ///
    /// Small enough to inline: a string without escapes or control
    /// characters is found eight bytes at a time; the rest goes out of line.
    @inline(__always)
    static func string(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, escaped: inout Bool) -> Int {
        let j = skipPlainStringBytes(b, i)
        if j < b.count && b[j] == 0x22 { return j &+ 1 }
        return stringTail(b, j, escaped: &escaped)
    }

    /// `string` from `i`, the first quote, backslash or control character
    /// (or the end).
    @inline(never)
    private static func stringTail(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, escaped: inout Bool) -> Int {
        var i = i
        let n = b.count
        while i < n {
            let c = b[i]
            if c == 0x22 { return i + 1 }
            if c == 0x5C {
                escaped = true
                guard i + 1 < n else { return -1 }
                switch b[i + 1] {
                case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74:  // " \ / b f n r t
                    i += 2
                case 0x75:  // u
                    guard i + 5 < n, hexValue(b[i + 2]) != nil, hexValue(b[i + 3]) != nil,
                          hexValue(b[i + 4]) != nil, hexValue(b[i + 5]) != nil
                    else { return -1 }
                    i += 6
                default:
                    return -1
                }
                continue
            }
            if c < 0x20 { return -1 }
            i += 1
        }
        return -1
    }

    /// The index of the first byte at or after `i` that is a quote, a
    /// backslash or a control character (or `b.count`), eight bytes at a time.
    @inline(__always)
    static func skipPlainStringBytes(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        var i = i
        let n = b.count
        guard let base = b.baseAddress else { return i }
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while i + 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            // A byte of `x` is zero -> its high bit in `(x - ones) & ~x & highs`
            // (the lowest flagged byte is exact, which is all that is used).
            let quote = w ^ (ones &* 0x22)
            let backslash = w ^ (ones &* 0x5C)
            let hits = ((quote &- ones) & ~quote | (backslash &- ones) & ~backslash | (w &- ones &* 0x20) & ~w) & highs
            if hits != 0 { return i + hits.trailingZeroBitCount >> 3 }
            i += 8
        }
        return i
    }

    /// The index of the first byte at or after `i` that is not an ASCII
    /// digit (or `b.count`), eight bytes at a time.
    @inline(__always)
    static func digitRunEnd(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        var i = i
        let n = b.count
        let raw = UnsafeRawPointer(b.baseAddress!)
        let nibbles: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
        let threes: UInt64 = 0x3030_3030_3030_3030
        while i &+ 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            // A byte is a digit when its high nibble is 3 both as is and plus 6
            // (0x30...0x39). Carries of `+ 6` only reach later bytes, so the
            // lowest flagged byte is exact, which is all that is used.
            let nonDigits = ((w & nibbles) ^ threes) | (((w &+ 0x0606_0606_0606_0606) & nibbles) ^ threes)
            if nonDigits != 0 { return i &+ nonDigits.trailingZeroBitCount &>> 3 }
            i &+= 8
        }
        while i < n && b[i] &- 0x30 < 10 { i &+= 1 }
        return i
    }

    /// The value of the `count` (1...8) ASCII digits at `i`, which must have
    /// eight readable bytes: one load and three multiplications.
    @inline(__always)
    static func eightDigitValue(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, count: Int) -> Int64 {
        let w = UnsafeRawPointer(b.baseAddress!).loadUnaligned(fromByteOffset: i, as: UInt64.self)
        // Digits to 0...9 (bytes past them become garbage and are shifted out),
        // the first digit's byte up to position 8 - count: leading zero bytes.
        var v = ((w &- 0x3030_3030_3030_3030) & 0x0F0F_0F0F_0F0F_0F0F) &<< UInt64(64 &- 8 &* count)
        v = (v &* 2561) &>> 8 & 0x00FF_00FF_00FF_00FF
        v = (v &* 6_553_601) &>> 16 & 0x0000_FFFF_0000_FFFF
        return Int64((v &* 42_949_672_960_001) &>> 32 & 0xFFFF_FFFF)
    }

    /// Scans a number starting at `i` and computes its value when it is an
    /// integer of at most 18 digits (`slot.hasValue`); sets `slot`'s kind
    /// and range.
    @inline(__always)
    static func numberValue(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, into slot: inout JSONValueSlot) -> Int {
        let n = b.count
        let start = i
        var i = i
        let negative = b[i] == 0x2D
        if negative {
            i &+= 1
            guard i < n else { return -1 }
        }
        let first = b[i] &- 0x30
        guard first < 10 else { return -1 }
        var v: Int64 = 0
        if first == 0 {  // no leading zeros: "0" stands alone
            i &+= 1
        } else {
            let end = digitRunEnd(b, i &+ 1)
            let count = end &- i
            if count <= 8 && i &+ 8 <= n {
                v = eightDigitValue(b, i, count: count)
            } else if count <= 18 {
                for j in i..<end { v = v &* 10 &+ Int64(b[j] &- 0x30) }
            }
            i = end
        }
        if i < n, case let c = b[i], c == 0x2E || c == 0x65 || c == 0x45 {  // . e E
            return decimalTail(b, start, i, into: &slot)
        }
        slot.kind = .integer
        slot.start = start
        slot.end = i
        slot.hasValue = i &- start <= 18
        slot.value = negative ? 0 &- v : v
        return i
    }

    /// The rest of a number with a fraction or an exponent, from `i`.
    private static func decimalTail(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ i: Int, into slot: inout JSONValueSlot) -> Int {
        let n = b.count
        var i = i
        if i < n && b[i] == 0x2E {  // .
            i += 1
            guard i < n && b[i] &- 0x30 < 10 else { return -1 }
            while i < n && b[i] &- 0x30 < 10 { i += 1 }
        }
        if i < n && (b[i] == 0x65 || b[i] == 0x45) {  // e E
            i += 1
            if i < n && (b[i] == 0x2B || b[i] == 0x2D) { i += 1 }
            guard i < n && b[i] &- 0x30 < 10 else { return -1 }
            while i < n && b[i] &- 0x30 < 10 { i += 1 }
        }
        slot.kind = .decimal
        slot.start = start
        slot.end = i
        slot.hasValue = false
        return i
    }

    /// Scans a number starting at `i`. Sets `isInteger` to false when it has
    /// a fraction or an exponent.
    ///
    /// Small enough to inline: an integer without sign or leading zero is
    /// its digit run; the full grammar goes out of line.
    @inline(__always)
    static func number(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, isInteger: inout Bool) -> Int {
        if i < b.count && b[i] &- 0x31 < 9 {
            let end = digitRunEnd(b, i &+ 1)
            if end >= b.count { isInteger = true; return end }
            let c = b[end]
            if c != 0x2E && c | 0x20 != 0x65 { isInteger = true; return end }  // not . e E
        }
        return numberTail(b, i, isInteger: &isInteger)
    }

    /// `number` with its whole grammar: sign, zero, fraction, exponent.
    @inline(never)
    private static func numberTail(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, isInteger: inout Bool) -> Int {
        var i = i
        let n = b.count
        if i < n && b[i] == 0x2D { i += 1 }
        guard i < n else { return -1 }
        if b[i] == 0x30 {
            i += 1
        } else if b[i] >= 0x31 && b[i] <= 0x39 {
            i = digitRunEnd(b, i + 1)
        } else {
            return -1
        }
        isInteger = true
        if i < n && b[i] == 0x2E {  // .
            i += 1
            guard i < n && b[i] &- 0x30 < 10 else { return -1 }
            while i < n && b[i] &- 0x30 < 10 { i += 1 }
            isInteger = false
        }
        if i < n && (b[i] == 0x65 || b[i] == 0x45) {  // e E
            i += 1
            if i < n && (b[i] == 0x2B || b[i] == 0x2D) { i += 1 }
            guard i < n && b[i] &- 0x30 < 10 else { return -1 }
            while i < n && b[i] &- 0x30 < 10 { i += 1 }
            isInteger = false
        }
        return i
    }

    /// Matches the literal `true`, `false` or `null` starting at `i`.
    @inline(__always)
    static func literal(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> (end: Int, kind: JSONValueKind) {
        let n = b.count
        switch b[i] {
        case 0x74 where i + 4 <= n && b[i + 1] == 0x72 && b[i + 2] == 0x75 && b[i + 3] == 0x65:
            return (i + 4, .true)
        case 0x66 where i + 5 <= n && b[i + 1] == 0x61 && b[i + 2] == 0x6C && b[i + 3] == 0x73 && b[i + 4] == 0x65:
            return (i + 5, .false)
        case 0x6E where i + 4 <= n && b[i + 1] == 0x75 && b[i + 2] == 0x6C && b[i + 3] == 0x6C:
            return (i + 4, .null)
        default:
            return (-1, .missing)
        }
    }

    /// Scans the value at `i` (no leading whitespace) and describes it.
    @inline(__always)
    static func value(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, into slot: inout JSONValueSlot) -> Int {
        switch b[i] {
        case 0x22:
            var escaped = false
            let end = string(b, i + 1, escaped: &escaped)
            guard end >= 0 else { return -1 }
            slot = JSONValueSlot(kind: escaped ? .escapedString : .plainString, start: i + 1, end: end - 1)
            return end
        case 0x2D, 0x30...0x39:
            return numberValue(b, i, into: &slot)
        case 0x7B, 0x5B:
            let end = skipValue(b, i, depth: 0)
            guard end >= 0 else { return -1 }
            slot = JSONValueSlot(kind: .nested, start: i, end: end)
            return end
        default:
            let (end, kind) = literal(b, i)
            guard end >= 0 else { return -1 }
            slot = JSONValueSlot(kind: kind, start: i, end: end)
            return end
        }
    }

    /// Scans (validates and skips) the value at `i` (no leading whitespace).
    static func skipValue(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, depth: Int) -> Int {
        let n = b.count
        switch b[i] {
        case 0x22:
            var escaped = false
            return string(b, i + 1, escaped: &escaped)
        case 0x2D, 0x30...0x39:
            var isInteger = true
            return number(b, i, isInteger: &isInteger)
        case 0x7B:  // {
            guard depth < maxDepth else { return -1 }
            var j = skipWhitespace(b, i + 1)
            guard j < n else { return -1 }
            if b[j] == 0x7D { return j + 1 }
            while true {
                guard j < n && b[j] == 0x22 else { return -1 }
                var escaped = false
                j = string(b, j + 1, escaped: &escaped)
                guard j >= 0 else { return -1 }
                j = skipWhitespace(b, j)
                guard j < n && b[j] == 0x3A else { return -1 }
                j = skipWhitespace(b, j + 1)
                guard j < n else { return -1 }
                j = skipValue(b, j, depth: depth + 1)
                guard j >= 0 else { return -1 }
                j = skipWhitespace(b, j)
                guard j < n else { return -1 }
                if b[j] == 0x2C {
                    j = skipWhitespace(b, j + 1)
                } else if b[j] == 0x7D {
                    return j + 1
                } else {
                    return -1
                }
            }
        case 0x5B:  // [
            guard depth < maxDepth else { return -1 }
            var j = skipWhitespace(b, i + 1)
            guard j < n else { return -1 }
            if b[j] == 0x5D { return j + 1 }
            while true {
                guard j < n else { return -1 }
                j = skipValue(b, j, depth: depth + 1)
                guard j >= 0 else { return -1 }
                j = skipWhitespace(b, j)
                guard j < n else { return -1 }
                if b[j] == 0x2C {
                    j = skipWhitespace(b, j + 1)
                } else if b[j] == 0x5D {
                    return j + 1
                } else {
                    return -1
                }
            }
        default:
            return literal(b, i).end
        }
    }

    /// Appends the decoded content of a validated string (`start..<end`,
    /// without quotes) to `out` as UTF-8. Lone surrogates become U+FFFD.
    static func unescape(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, into out: inout [UInt8]) {
        var i = start
        while i < end {
            let c = b[i]
            if c != 0x5C {
                out.append(c)
                i += 1
                continue
            }
            let e = b[i + 1]
            i += 2
            switch e {
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                var code = hex4(b, i)
                i += 4
                if (0xD800...0xDBFF).contains(code) {
                    if i + 6 <= end && b[i] == 0x5C && b[i + 1] == 0x75,
                       case let low = hex4(b, i + 2), (0xDC00...0xDFFF).contains(low) {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    } else {
                        code = 0xFFFD
                    }
                } else if (0xDC00...0xDFFF).contains(code) {
                    code = 0xFFFD
                }
                appendUTF8(code, to: &out)
            default: out.append(e)  // " \ /
            }
        }
    }

    private static func hex4(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt32 {
        (hexValue(b[i])! << 12) | (hexValue(b[i + 1])! << 8) | (hexValue(b[i + 2])! << 4) | hexValue(b[i + 3])!
    }

    private static func appendUTF8(_ code: UInt32, to out: inout [UInt8]) {
        switch code {
        case 0..<0x80:
            out.append(UInt8(code))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (code >> 6)))
            out.append(UInt8(0x80 | (code & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (code >> 12)))
            out.append(UInt8(0x80 | ((code >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (code & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (code >> 18)))
            out.append(UInt8(0x80 | ((code >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((code >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (code & 0x3F)))
        }
    }

    /// Appends the validated value `start..<end` to `out` without the
    /// whitespace outside strings (its compact JSON text).
    static func compact(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, into out: inout [UInt8]) {
        var i = start
        var inString = false
        while i < end {
            let c = b[i]
            if inString {
                out.append(c)
                if c == 0x5C {
                    out.append(b[i + 1])
                    i += 2
                    continue
                }
                if c == 0x22 { inString = false }
            } else if c == 0x22 {
                inString = true
                out.append(c)
            } else if !isWhitespace(c) {
                out.append(c)
            }
            i += 1
        }
    }
}
