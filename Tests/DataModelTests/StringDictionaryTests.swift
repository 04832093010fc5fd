import DataModel
import HengeTestSupport
import Testing

/// The byte-arena dictionary of string columns: every way in stores the
/// value's exact UTF-8 and every way out reads it back.
struct StringDictionaryTests {
    static let samples = ["", "a", "Zürich", "日本語", "🙂 emoji", "a\u{0}b", "", "e\u{301}", "é", "longer than fifteen bytes"]

    @Test func entriesReadBackAsAppended() {
        var d = StringDictionary()
        for s in Self.samples { d.append(s) }
        #expect(Array(d) == Self.samples)
        #expect(d.count == Self.samples.count)
        #expect(d.byteCount == Self.samples.reduce(0) { $0 + $1.utf8.count })
        for (i, s) in Self.samples.enumerated() {
            #expect(d.withEntry(i) { Array($0) } == Array(s.utf8))
            #expect(d.withEntries { Array($0[i]) } == Array(s.utf8))
        }
        // "e" + combining acute and "é" are equal Strings but different bytes: entries keep the bytes.
        #expect(!UTF8Order.equal(d, 7, d, 8) && UTF8Order.equal(d, 8, StringDictionary(["é"]), 0))
        #expect(StringDictionary(Self.samples) == d)
        #expect(StringDictionary() != d)
        #expect(StringDictionary().isEmpty && StringDictionary().count == 0)
    }

    @Test func copiesEntriesBetweenDictionaries() {
        let source = StringDictionary(Self.samples)
        var picked = StringDictionary(["x"])
        for i in [3, 0, 9, 5] { source.withEntries { picked.append(validUTF8: $0[i]) } }
        #expect(Array(picked) == ["x", "日本語", "", "longer than fifteen bytes", "a\u{0}b"])
        var both = StringDictionary(["first"])
        both.append(contentsOf: source)
        #expect(Array(both) == ["first"] + Self.samples)
        #expect(Array(source.mapEntries { $0.uppercased() }) == Self.samples.map { $0.uppercased() })
    }

    /// Byte order is code point order, not `String`'s: random strings over a
    /// pool with shared prefixes, multi-byte characters and equal values.
    @Test func sortedEntriesFollowUTF8ByteOrder() {
        var rng = SeededGenerator(seed: 77)
        let pool = ["a", "b", "ab", "é", "e\u{301}", "\u{FFFF}", "😀", "Z", "\u{0}", "aaaaaaaa", "aaaaaaab", "aaaaaaa"]
        for _ in 0..<50 {
            let values = (0..<Int.random(in: 0...40, using: &rng)).map { _ in
                (0..<Int.random(in: 0...4, using: &rng)).map { _ in pool.randomElement(using: &rng)! }.joined()
            }
            let d = StringDictionary(values)
            let order = UTF8Order.sortedEntries(d).map { values[Int($0)] }
            #expect(order.map { Array($0.utf8) } == values.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) })
        }
    }

    /// Entries of every length from 0 to 40 (each copy path: bytes, two
    /// 4-byte words, two 8-byte words, memcpy), through growth of both
    /// buffers, read back exactly; `finish` starts over and `copy` is independent.
    @Test func builderAppendsEntriesOfEveryLength() {
        func letters(_ n: Int) -> String {
            var bytes: [UInt8] = []
            for i in 0..<n { bytes.append(UInt8(0x41 + (i * 7 + n) % 26)) }
            return String(decoding: bytes, as: UTF8.self)
        }
        let values: [String] = (0...40).map(letters) + ["ü", "日本語", "🙂"]
        let builder = StringDictionaryBuilder(entries: 1, bytes: 1)
        for v in values { builder.append(v) }
        #expect(builder.count == values.count)
        #expect(builder.byteCount == values.reduce(0) { $0 + $1.utf8.count })
        #expect(Array(builder.entry(17)) == Array(values[17].utf8))
        let copy = builder.copy()
        let first = builder.finish()
        #expect(Array(first) == values)
        #expect(builder.count == 0 && builder.byteCount == 0)
        builder.append(entry: 20, of: first)
        builder.append("x")
        #expect(Array(builder.snapshot()) == [values[20], "x"])
        #expect(Array(builder.finish()) == [values[20], "x"])
        copy.append("more")
        #expect(Array(copy.finish()) == values + ["more"])
        #expect(Array(StringDictionaryBuilder().finish()).isEmpty)
    }
}
