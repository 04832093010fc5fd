/// Says where and why a JSON-lines row is not one JSON object, for the
/// detail of its `CannotParseExternalData` message. A slow second pass over
/// the line, run only for rows that failed.
enum JSONRowDiagnosis {
    /// A phrase such as `invalid JSON at character 23, in the value of field
    /// [x]`; characters are counted from 1 in the line (UTF-8 decoded).
    static func describe(_ b: UnsafeBufferPointer<UInt8>) -> String {
        let n = b.count
        var i = JSONScanner.skipWhitespace(b, 0)
        func at(_ k: Int, _ place: String = "") -> String {
            "invalid JSON at character \(character(b, k))" + (place.isEmpty ? "" : ", " + place)
        }
        guard i < n, b[i] == UInt8(ascii: "{") else {
            let end = i < n ? JSONScanner.skipValue(b, i, depth: 0) : -1
            if end >= 0 && JSONScanner.skipWhitespace(b, end) == n { return "the row is JSON but not an object" }
            return at(i)
        }
        i = JSONScanner.skipWhitespace(b, i + 1)
        var key: String? = nil
        if i < n && b[i] == UInt8(ascii: "}") {
            i += 1
        } else {
            while true {
                guard i < n, b[i] == UInt8(ascii: "\"") else {
                    return at(i, key.map { "where a field name should follow field [\($0)]" } ?? "where a field name should start")
                }
                var escaped = false
                let keyEnd = JSONScanner.string(b, i + 1, escaped: &escaped)
                guard keyEnd >= 0 else { return at(i, "in a field name") }
                var name: [UInt8] = []
                JSONScanner.unescape(b, i + 1, keyEnd - 1, into: &name)
                let field = String(decoding: name, as: UTF8.self)
                key = field
                i = JSONScanner.skipWhitespace(b, keyEnd)
                guard i < n, b[i] == UInt8(ascii: ":") else { return at(i, "after field name [\(field)]") }
                i = JSONScanner.skipWhitespace(b, i + 1)
                let end = i < n ? JSONScanner.skipValue(b, i, depth: 0) : -1
                guard end >= 0 else { return at(i, "in the value of field [\(field)]") }
                i = JSONScanner.skipWhitespace(b, end)
                if i < n && b[i] == UInt8(ascii: ",") {
                    i = JSONScanner.skipWhitespace(b, i + 1)
                } else if i < n && b[i] == UInt8(ascii: "}") {
                    i += 1
                    break
                } else {
                    return at(i, "after the value of field [\(field)]")
                }
            }
        }
        i = JSONScanner.skipWhitespace(b, i)
        return i < n ? at(i, "after the end of the object") : "invalid JSON"
    }

    /// The 1-based character position of byte `k` (UTF-8 lead bytes counted).
    static func character(_ b: UnsafeBufferPointer<UInt8>, _ k: Int) -> Int {
        var count = 1
        for j in 0..<min(k, b.count) where b[j] & 0xC0 != 0x80 { count += 1 }
        return count
    }
}
