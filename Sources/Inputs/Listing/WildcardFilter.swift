/// A file-name wildcard as Druid's local input source `filter` uses it
/// (commons-io `WildcardFileFilter`): `*` matches any run of characters,
/// `?` exactly one; everything else matches itself, case-sensitively.
struct WildcardFilter: Sendable {
    private let pattern: [Unicode.Scalar]

    init(_ pattern: String) {
        self.pattern = Array(pattern.unicodeScalars)
    }

    /// True when the whole of `name` matches the pattern.
    func matches(_ name: String) -> Bool {
        let text = Array(name.unicodeScalars)
        var p = 0, t = 0
        var starP = -1, starT = 0
        while t < text.count {
            if p < pattern.count && (pattern[p] == "?" || (pattern[p] != "*" && pattern[p] == text[t])) {
                p += 1
                t += 1
            } else if p < pattern.count && pattern[p] == "*" {
                starP = p
                starT = t
                p += 1
            } else if starP >= 0 {
                // Let the last `*` absorb one more character and retry.
                p = starP + 1
                starT += 1
                t = starT
            } else {
                return false
            }
        }
        while p < pattern.count && pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
