internal import DataModel
internal import Foundation

/// A HyperLogLog sketch with 2^11 registers (Druid's `hyperUnique` size),
/// fed with 64-bit hashes of values. Estimates are rounded to integers, as
/// Druid's `COUNT(DISTINCT)` does. Small sets keep their exact hashes until
/// they outgrow a sparse list, so tiny cardinalities cost little memory.
struct HyperLogLog: Sendable {
    static let bucketBits = 11
    static let bucketCount = 1 << bucketBits

    private var sparse: Set<UInt64> = []
    private var registers: [UInt8] = []

    mutating func add(hash: UInt64) {
        if registers.isEmpty {
            sparse.insert(hash)
            if sparse.count > 256 { densify() }
            return
        }
        HyperLogLog.update(&registers, hash)
    }

    private mutating func densify() {
        registers = [UInt8](repeating: 0, count: HyperLogLog.bucketCount)
        for h in sparse { HyperLogLog.update(&registers, h) }
        sparse = []
    }

    private static func update(_ registers: inout [UInt8], _ hash: UInt64) {
        let bucket = Int(hash >> UInt64(64 - bucketBits))
        let rest = (hash << UInt64(bucketBits)) | (1 << UInt64(bucketBits - 1))
        let rank = UInt8(rest.leadingZeroBitCount + 1)
        if rank > registers[bucket] { registers[bucket] = rank }
    }

    /// The cardinality estimate (HLL with linear counting for small ranges).
    var estimate: Int64 {
        var regs = registers
        if regs.isEmpty {
            regs = [UInt8](repeating: 0, count: HyperLogLog.bucketCount)
            for h in sparse { HyperLogLog.update(&regs, h) }
        }
        let m = Double(HyperLogLog.bucketCount)
        var sum = 0.0
        var zeros = 0
        for r in regs {
            sum += 1.0 / Double(UInt64(1) << UInt64(r))
            if r == 0 { zeros += 1 }
        }
        let alpha = 0.7213 / (1 + 1.079 / m)
        var e = alpha * m * m / sum
        if e <= 2.5 * m && zeros > 0 { e = m * log(m / Double(zeros)) }
        return Int64(e.rounded())
    }
}

/// 64-bit hashing of values for sketches: FNV-1a over a type tag and the
/// value's bytes, then a murmur-style finalizer to spread the bits.
enum ValueHash {
    static func hash(_ v: ScalarValue) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        switch v {
        case .null: mix(0)
        case .long(let x):
            // Integral doubles and longs hash alike, so 1 and 1.0 count once.
            mix(1)
            withUnsafeBytes(of: x.littleEndian) { for b in $0 { mix(b) } }
        case .double(let d):
            if d == d.rounded(), abs(d) < 9e18 {
                mix(1)
                withUnsafeBytes(of: Int64(d).littleEndian) { for b in $0 { mix(b) } }
            } else {
                mix(2)
                withUnsafeBytes(of: d.bitPattern.littleEndian) { for b in $0 { mix(b) } }
            }
        case .string(let s):
            mix(3)
            for b in s.utf8 { mix(b) }
        }
        // fmix64 finalizer.
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        h = h &* 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return h
    }
}

/// APPROX_COUNT_DISTINCT / approximate COUNT(DISTINCT): one sketch per group.
struct HyperLogLogAccumulator: Accumulator {
    var sketches: [HyperLogLog] = []

    mutating func add(_ values: ColumnVector?, groups: [Int32], include: [Bool]?, groupCount: Int) {
        sketches.grow(to: groupCount, with: HyperLogLog())
        guard let values else { return }
        if case .string(let s) = values.data {
            // Hash each dictionary entry once.
            let hashes = s.dictionary.map { ValueHash.hash(.string($0)) }
            for r in groups.indices where (include?[r] ?? true) && !values.isNull(r) {
                sketches[Int(groups[r])].add(hash: hashes[Int(s.ids[r])])
            }
            return
        }
        for r in groups.indices where (include?[r] ?? true) && !values.isNull(r) {
            sketches[Int(groups[r])].add(hash: ValueHash.hash(values.value(at: r)))
        }
    }

    mutating func keepOnly(_ group: Int) { sketches = sketches.keeping(group) }
    func finish(groupCount: Int) -> ColumnVector {
        ColumnVector(.long((0..<groupCount).map { $0 < sketches.count ? sketches[$0].estimate : 0 }))
    }
}
