#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Interns strings by their UTF-8 bytes, creating a `String` only for the
/// first occurrence of each distinct value.
///
/// An open-addressing hash table over a byte arena; ids are dense from 0 in
/// order of first appearance, and `dictionary[id]` is the decoded value.
/// Invalid UTF-8 decodes with replacement characters, so two distinct byte
/// sequences may map to equal strings (the dictionary need not be minimal).
struct StringInterner {
    private(set) var dictionary: [String] = []
    private var arena: [UInt8] = []
    /// Entry `id` occupies `arena[ends[id - 1] ..< ends[id]]` (from 0 for id 0).
    private var ends: [Int] = []
    private var hashes: [UInt64] = []
    /// Ids by hash slot; -1 is empty. Power-of-two sized, at most half full.
    private var slots = [Int32](repeating: -1, count: 64)

    var count: Int { dictionary.count }

    /// The id of `bytes`, adding it when new.
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        intern(bytes, decoded: nil)
    }

    /// The id of `string`, adding it when new.
    mutating func intern(_ string: String) -> Int32 {
        var s = string
        return s.withUTF8 { intern($0, decoded: string) }
    }

    private mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>, decoded: String?) -> Int32 {
        let h = Self.hash(bytes)
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let id = slots[s]
            if id < 0 { break }
            if hashes[Int(id)] == h && equals(Int(id), bytes) { return id }
            s = (s + 1) & mask
        }
        let id = Int32(dictionary.count)
        dictionary.append(decoded ?? String(decoding: bytes, as: UTF8.self))
        arena.append(contentsOf: bytes)
        ends.append(arena.count)
        hashes.append(h)
        slots[s] = id
        if dictionary.count * 2 > slots.count { grow() }
        return id
    }

    private func equals(_ id: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = id == 0 ? 0 : ends[id - 1]
        let length = ends[id] - start
        guard length == bytes.count else { return false }
        if length == 0 { return true }
        return arena.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, bytes.baseAddress!, length) == 0 }
    }

    private mutating func grow() {
        var bigger = [Int32](repeating: -1, count: slots.count * 2)
        let mask = bigger.count - 1
        for id in 0..<hashes.count {
            var s = Int(truncatingIfNeeded: hashes[id]) & mask
            while bigger[s] >= 0 { s = (s + 1) & mask }
            bigger[s] = Int32(id)
        }
        slots = bigger
    }

    /// A fast 64-bit hash of a byte string (word-at-a-time multiply-mix).
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let k: UInt64 = 0x9E37_79B9_7F4A_7C15
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(bytes.count)
        guard let base = bytes.baseAddress else { return h &* k }
        let raw = UnsafeRawPointer(base)
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ w) &* k
            h ^= h >> 29
            i += 8
        }
        if i < n {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                w |= UInt64(base[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ w) &* k
            h ^= h >> 29
        }
        h = (h ^ (h >> 32)) &* 0xD6E8_FEB8_6659_FD93
        return h ^ (h >> 32)
    }
}
