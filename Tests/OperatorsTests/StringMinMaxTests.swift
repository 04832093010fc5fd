import DataModel
import Expressions
import HengeTestSupport
import Operators
import Testing

/// MIN/MAX over strings order by UTF-8 bytes, per group, across batches
/// (each batch's winner meets the value so far), skipping NULLs.
struct StringMinMaxTests {
    @Test func matchesAByteOrderModelOverRandomBatches() throws {
        var rng = SeededGenerator(seed: 0x5EED)
        let pool = ["", "a", "ab", "b", "Z", "é", "e\u{301}", "z", "日本", "😀", "aaaaaaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaaaab"]
        let spec = AggregateSpec(keys: [.column(0, .bigint)], aggregates: [
            AggregateCall(kind: .min, argument: .column(1, .varchar), type: .varchar),
            AggregateCall(kind: .max, argument: .column(1, .varchar), type: .varchar),
        ])
        var agg = HashAggregator(spec: spec, evaluator: Evaluator(context: EvalContext(nowMillis: 0)))
        var model: [Int64: (min: [UInt8], max: [UInt8])?] = [:]
        var order: [Int64] = []
        for _ in 0..<12 {
            var batchRows: [[ScalarValue]] = []
            for _ in 0..<Int.random(in: 1...60, using: &rng) {
                let key = Int64.random(in: 0..<7, using: &rng)
                if model[key] == nil { model[key] = .some(nil); order.append(key) }
                if Int.random(in: 0..<5, using: &rng) == 0 {
                    batchRows.append([.long(key), .null])
                    continue
                }
                let value = pool.randomElement(using: &rng)!
                batchRows.append([.long(key), .string(value)])
                let bytes = Array(value.utf8)
                if let current = model[key]! {
                    model[key] = (current.min.lexicographicallyPrecedes(bytes) ? current.min : bytes,
                                  current.max.lexicographicallyPrecedes(bytes) ? bytes : current.max)
                } else {
                    model[key] = (bytes, bytes)
                }
            }
            try agg.consume(makeBatch([("k", .long), ("s", .string)], batchRows))
        }
        let out = agg.finish()
        let expected: [[ScalarValue]] = order.map { key in
            guard let m = model[key]! else { return [.long(key), .null, .null] }
            return [.long(key), .string(String(decoding: m.min, as: UTF8.self)), .string(String(decoding: m.max, as: UTF8.self))]
        }
        let got = rows(out)
        #expect(got.count == expected.count)
        for (g, e) in zip(got, expected) {
            // Compare the bytes: "é" and "e\u{301}" are equal Strings.
            #expect(g.map { $0.stringValue.map { Array($0.utf8) } } == e.map { $0.stringValue.map { Array($0.utf8) } }, "\(g) vs \(e)")
            #expect(g[0] == e[0])
        }
    }
}

/// Group keys compare by bytes, as Druid's Java strings do: a precomposed
/// "é" and "e" + U+0301 (equal as Swift `String`s) are two groups, across
/// batches whose dictionaries hold them in different orders.
struct StringGroupKeyTests {
    @Test func canonicallyEquivalentSpellingsAreDifferentGroups() throws {
        let spec = AggregateSpec(keys: [.column(0, .varchar)], aggregates: [AggregateCall(kind: .count, argument: nil, type: .bigint)])
        var agg = HashAggregator(spec: spec, evaluator: Evaluator(context: EvalContext(nowMillis: 0)))
        try agg.consume(makeBatch([("k", .string)], [[.string("é")], [.string("e\u{301}")], [.string("é")]]))
        try agg.consume(makeBatch([("k", .string)], [[.string("e\u{301}")], [.string("x")], [.string("é")]]))
        let out = rows(agg.finish())
        #expect(out.map { Array($0[0].stringValue!.utf8) } == [Array("é".utf8), Array("e\u{301}".utf8), Array("x".utf8)])
        #expect(out.map { $0[1] } == [.long(3), .long(2), .long(1)])
    }
}

/// Exact COUNT(DISTINCT) agrees with GROUP BY: distinct by bytes.
struct StringDistinctTests {
    @Test func exactDistinctCountsCanonicallyEquivalentSpellingsApart() throws {
        let spec = AggregateSpec(keys: [], aggregates: [AggregateCall(kind: .count, argument: .column(0, .varchar), distinct: true, type: .bigint)])
        var agg = HashAggregator(spec: spec, evaluator: Evaluator(context: EvalContext(nowMillis: 0)))
        try agg.consume(makeBatch([("k", .string)], [[.string("é")], [.string("e\u{301}")], [.null], [.string("é")]]))
        try agg.consume(makeBatch([("k", .string)], [[.string("x")], [.string("e\u{301}")]]))
        #expect(rows(agg.finish()) == [[.long(3)]])
    }
}
