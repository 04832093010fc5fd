import CKernels
import HengeTestSupport
import Testing

/// The C loops behind the block statistics are compiled three times (plain,
/// AVX2, AVX-512): every implementation this CPU runs must give what a
/// plain Swift loop gives, including vector tails and wrapping deltas.
struct CKernelsTests {
    static func blocks() -> [[Int64]] {
        var rng = SeededGenerator(seed: 23)
        var blocks: [[Int64]] = [[Int64.min, Int64.max], [Int64.max, Int64.min, 0], [5, 5]]
        for n in [1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 1000] {
            blocks.append((0..<n).map { _ in Int64.random(in: Int64.min...Int64.max, using: &rng) })
            blocks.append((0..<n).map { _ in Int64.random(in: -3...3, using: &rng) })
            blocks.append((0..<n).map { Int64($0) * 60_000 + 1_700_000_000_000 })
            blocks.append((0..<n).map { $0 % 9 == 4 ? Int64.min : Int64(n - $0) })
        }
        return blocks
    }

    @Test func everyImplementationEqualsAPlainLoop() {
        let levels = Array(0...Int(henge_simd_level()))
        #expect(!levels.isEmpty)
        for block in Self.blocks() {
            var lo = block[0], hi = block[0], dlo = Int64.max, dhi = Int64.min, changes: Int64 = 0
            for i in block.indices {
                lo = min(lo, block[i])
                hi = max(hi, block[i])
                guard i > 0 else { continue }
                let d = block[i] &- block[i - 1]
                dlo = min(dlo, d)
                dhi = max(dhi, d)
                if d != 0 { changes += 1 }
            }
            for level in levels {
                block.withUnsafeBufferPointer { b in
                    var mn: Int64 = 0, mx: Int64 = 0
                    henge_i64_min_max_at_level(Int32(level), b.baseAddress!, b.count, &mn, &mx)
                    #expect(mn == lo && mx == hi, "min/max, level \(level), \(b.count) values")
                    guard b.count >= 2 else { return }
                    var s = henge_i64_stats()
                    henge_i64_stats_at_level(Int32(level), b.baseAddress!, b.count, &s)
                    #expect(s.min == lo && s.max == hi && s.min_delta == dlo && s.max_delta == dhi && s.changes == changes,
                            "stats, level \(level), \(b.count) values")
                }
            }
        }
    }
}
