extension JSONValue {
    /// Parses JSON text. Errors name the character offset.
    package static func parse(_ text: String) throws(HengeError) -> JSONValue {
        try parse(bytes: Array(text.utf8))
    }

    /// Parses JSON from raw bytes.
    package static func parse(bytes: [UInt8]) throws(HengeError) -> JSONValue {
        let result: Result<JSONValue, HengeError> = bytes.withUnsafeBufferPointer { buf in
            var p = JSONTextParser(bytes: buf)
            do throws(HengeError) {
                p.skipSpace()
                let v = try p.value(depth: 0)
                p.skipSpace()
                guard p.pos == buf.count else { throw p.error("unexpected trailing characters") }
                return .success(v)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

/// Recursive-descent JSON parser over UTF-8 bytes (control plane only).
private struct JSONTextParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var pos = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    func error(_ what: String) -> HengeError {
        HengeError.invalidInput("Malformed JSON at character \(pos + 1): \(what)")
    }

    mutating func skipSpace() {
        while pos < bytes.count, bytes[pos] == 0x20 || bytes[pos] == 0x0A || bytes[pos] == 0x0D || bytes[pos] == 0x09 {
            pos += 1
        }
    }

    mutating func value(depth: Int) throws(HengeError) -> JSONValue {
        guard depth < 512 else { throw error("nesting deeper than 512 levels") }
        guard pos < bytes.count else { throw error("unexpected end of input") }
        switch bytes[pos] {
        case UInt8(ascii: "{"):
            pos += 1
            var members: [(String, JSONValue)] = []
            skipSpace()
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(members) }
            while true {
                skipSpace()
                guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else { throw error("expected a string key") }
                let key = try string()
                skipSpace()
                guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else { throw error("expected ':'") }
                pos += 1
                skipSpace()
                let v = try value(depth: depth + 1)
                members.append((key, v))
                skipSpace()
                guard pos < bytes.count else { throw error("unexpected end of input in object") }
                if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
                if bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(members) }
                throw error("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            pos += 1
            var items: [JSONValue] = []
            skipSpace()
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard pos < bytes.count else { throw error("unexpected end of input in array") }
                if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
                if bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
                throw error("expected ',' or ']'")
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true"); return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false"); return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null"); return .null
        default:
            return try number()
        }
    }

    mutating func literal(_ word: String) throws(HengeError) {
        let w = Array(word.utf8)
        guard pos + w.count <= bytes.count else { throw error("unexpected end of input") }
        for i in 0..<w.count where bytes[pos + i] != w[i] { throw error("unexpected token") }
        pos += w.count
    }

    mutating func number() throws(HengeError) -> JSONValue {
        let start = pos
        var isFloat = false
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "-") { pos += 1 }
        while pos < bytes.count {
            let c = bytes[pos]
            if c >= 0x30 && c <= 0x39 { pos += 1; continue }
            if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") || c == UInt8(ascii: "+")
                || c == UInt8(ascii: "-")
            {
                isFloat = true
                pos += 1
                continue
            }
            break
        }
        guard pos > start else { throw error("unexpected character") }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
        if !isFloat, let i = Int64(text) { return .int(i) }
        guard let d = Double(text) else { throw error("invalid number '\(text)'") }
        return .double(d)
    }

    mutating func string() throws(HengeError) -> String {
        pos += 1  // opening quote
        var out: [UInt8] = []
        while pos < bytes.count {
            let c = bytes[pos]
            if c == UInt8(ascii: "\"") {
                pos += 1
                return String(decoding: out, as: UTF8.self)
            }
            if c == UInt8(ascii: "\\") {
                pos += 1
                guard pos < bytes.count else { break }
                let e = bytes[pos]
                pos += 1
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if scalar >= 0xD800 && scalar < 0xDC00, pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"),
                        bytes[pos + 1] == UInt8(ascii: "u")
                    {
                        pos += 2
                        let low = try hex4()
                        if low >= 0xDC00 && low < 0xE000 {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                    }
                    let u = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default: out.append(e)
                }
                continue
            }
            out.append(c)
            pos += 1
        }
        throw error("unterminated string")
    }

    mutating func hex4() throws(HengeError) -> UInt32 {
        guard pos + 4 <= bytes.count else { throw error("bad \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[pos]
            pos += 1
            v <<= 4
            switch c {
            case 0x30...0x39: v |= UInt32(c - 0x30)
            case 0x41...0x46: v |= UInt32(c - 0x41 + 10)
            case 0x61...0x66: v |= UInt32(c - 0x61 + 10)
            default: throw error("bad \\u escape")
            }
        }
        return v
    }
}
