import Testing
@testable import Operators

/// `GroupIndex` finds every key it was given, across growth, for keys that
/// differ only in a NULL flag, in a word past the fourth, or not at all.
struct GroupIndexTests {
    static func key(_ words: [UInt64], nulls: [Bool]) -> GroupKey {
        var key = GroupKey()
        for (i, w) in words.enumerated() { key.set(i, w, isNull: nulls[i]) }
        return key
    }

    @Test func findsEveryKeyAcrossGrowth() {
        var index = GroupIndex()
        var keys: [GroupKey] = []
        for i in 0..<20_000 {
            let w = UInt64(i / 4)
            switch i % 4 {
            case 0: keys.append(Self.key([w, 7], nulls: [false, false]))
            case 1: keys.append(Self.key([w, 7], nulls: [false, true]))  // same words, one NULL flag
            case 2: keys.append(Self.key([w, 7, 0, 0, 1], nulls: [false, false, false, false, false]))  // a fifth word
            default: keys.append(Self.key([0, 0, 0, 0, w], nulls: [true, true, true, true, false]))
            }
        }
        for (i, key) in keys.enumerated() {
            #expect(index.findOrInsert(key, Int32(i)) == nil)
        }
        #expect(index.count == keys.count)
        for (i, key) in keys.enumerated() where i % 7 == 0 {
            #expect(index.findOrInsert(key, -5) == Int32(i))
        }
        #expect(index.count == keys.count)
        var single = GroupIndex(keys[3], id: 0)
        #expect(single.findOrInsert(keys[3], 9) == 0)
        #expect(single.findOrInsert(keys[2], 1) == nil)
        #expect(single.count == 2)
    }
}
