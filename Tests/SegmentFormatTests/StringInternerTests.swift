import DataModel
import Testing
@testable import SegmentFormat

/// The segment writer's string interning: values keyed by their exact
/// bytes, sorted by bytes, and a copied interner independent of the original.
struct SegmentStringInternerTests {
    @Test func internsAcrossBatchesByBytesAndSortsByBytes() {
        var interner = StringInterner()
        interner.append(StringColumn(ids: [0, 1, 0, 2], dictionary: ["b", "é", "a"]), nulls: nil)
        var nulls = NullMask(count: 3)
        nulls.setNull(1)
        // "e" + combining acute equals "é" as a String but not as bytes: a value of its own.
        interner.append(StringColumn(ids: [1, 0, 2], dictionary: ["a", "e\u{301}", "b"]), nulls: nulls)
        #expect(interner.ids == [0, 1, 0, 2, 3, -1, 0])
        let sorted = interner.sortedDictionary()
        #expect(Array(sorted.values).map { Array($0.utf8) } == [Array("a".utf8), Array("b".utf8), Array("e\u{301}".utf8), Array("é".utf8)])
        #expect(sorted.rank == [1, 3, 0, 2])
    }

    @Test func aCopyAddsValuesWithoutChangingTheOriginal() {
        var original = StringInterner()
        original.append(StringColumn(ids: [0, 1], dictionary: ["x", "y"]), nulls: nil)
        var copy = original
        copy.append(StringColumn(ids: [0, 1], dictionary: ["z", "x"]), nulls: nil)
        original.append(StringColumn(ids: [0], dictionary: ["w"]), nulls: nil)
        #expect(Array(original.sortedDictionary().values) == ["w", "x", "y"])
        #expect(Array(copy.sortedDictionary().values) == ["x", "y", "z"])
        #expect(original.ids == [0, 1, 2] && copy.ids == [0, 1, 2, 0])
    }
}
