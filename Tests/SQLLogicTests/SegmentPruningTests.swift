import DataModel
import Expressions
import SegmentFormat
import Testing
@testable import Engine

/// Segment pruning from footer statistics (`SegmentPruning`): exact
/// decisions for each kind of condition, and never for arrays or JSON.
struct SegmentPruningTests {
    static let names = ["__time", "k", "n", "tags"]
    static let infos = [
        SegmentColumnInfo(name: "__time", type: .long, nullCount: 0, min: .long(100), max: .long(200), cardinality: nil),
        SegmentColumnInfo(name: "k", type: .string, nullCount: 0, min: .string("b"), max: .string("d"), cardinality: 3),
        SegmentColumnInfo(name: "n", type: .long, nullCount: 2, min: .long(10), max: .long(20), cardinality: nil),
        SegmentColumnInfo(name: "tags", type: .stringArray, nullCount: 0, min: .string("[\"a\"]"), max: .string("[\"z\"]"), cardinality: 2),
    ]

    func k(_ op: String, _ v: String) -> ScalarExpr { .call(op, [.column(1, .varchar), .literal(.string(v), .varchar)], .boolean) }
    func n(_ op: String, _ v: Int64) -> ScalarExpr { .call(op, [.column(2, .bigint), .literal(.long(v), .bigint)], .boolean) }
    func excludes(_ e: ScalarExpr) -> Bool { SegmentPruning.excludes(e, fieldNames: Self.names, infos: Self.infos, rowCount: 10) }

    @Test func equalityAndRanges() {
        #expect(excludes(k("EQUALS", "a")))
        #expect(!excludes(k("EQUALS", "b")))
        #expect(!excludes(k("EQUALS", "c")))
        #expect(excludes(k("EQUALS", "da")))
        #expect(excludes(n("GREATER_THAN", 20)))
        #expect(!excludes(n("GREATER_THAN_OR_EQUAL", 20)))
        #expect(excludes(n("LESS_THAN", 10)))
        #expect(!excludes(n("LESS_THAN_OR_EQUAL", 10)))
        // literal on the left: 25 < n  ⇔  n > 25
        #expect(excludes(.call("LESS_THAN", [.literal(.long(25), .bigint), .column(2, .bigint)], .boolean)))
        #expect(!excludes(.call("LESS_THAN", [.literal(.long(15), .bigint), .column(2, .bigint)], .boolean)))
    }

    @Test func inListsNullsAndConjunctions() {
        let inList = ScalarExpr.call("IN", [.column(1, .varchar), .literal(.string("a"), .varchar), .literal(.string("z"), .varchar)], .boolean)
        #expect(excludes(inList))
        let inHit = ScalarExpr.call("IN", [.column(1, .varchar), .literal(.string("a"), .varchar), .literal(.string("c"), .varchar)], .boolean)
        #expect(!excludes(inHit))
        #expect(excludes(.call("IS_NULL", [.column(1, .varchar)], .boolean)))
        #expect(!excludes(.call("IS_NULL", [.column(2, .bigint)], .boolean)))
        #expect(excludes(.call("AND", [n("GREATER_THAN", 0), k("EQUALS", "z")], .boolean)))
        // OR is not analysed: it never prunes.
        #expect(!excludes(.call("OR", [k("EQUALS", "a"), k("EQUALS", "z")], .boolean)))
    }

    /// A literal of another kind than the segment column is never compared
    /// with its statistics (numeric and text orders differ).
    @Test func mismatchedKindsNeverPrune() {
        #expect(!excludes(.call("GREATER_THAN", [.column(2, .varchar), .literal(.string("100"), .varchar)], .boolean)))
        #expect(!excludes(.call("EQUALS", [.column(1, .bigint), .literal(.long(7), .bigint)], .boolean)))
    }

    @Test func nestedColumnsNeverPrune() {
        #expect(!excludes(.call("EQUALS", [.column(3, .varcharArray), .literal(.string("[\"zz\"]"), .varcharArray)], .boolean)))
    }
}
