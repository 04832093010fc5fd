/// A fast, non-cryptographic 64-bit hash of a byte string, for the hash
/// tables that intern strings by their UTF-8 bytes (input readers, segment
/// writers): word-at-a-time multiply-mix, the last word overlapping the one
/// before it rather than looping over single bytes. Not for anything an
/// attacker could aim collisions at across processes (it is unseeded), but
/// probing stays linear within one table.
package enum ByteHash {
    @inlinable @inline(__always)
    package static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        let k: UInt64 = 0x9E37_79B9_7F4A_7C15
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(truncatingIfNeeded: n)
        if n >= 8 {
            var i = 0
            while i + 8 < n {
                h = (h ^ load64(p, i)) &* k
                h ^= h >> 29
                i += 8
            }
            h = (h ^ load64(p, n - 8)) &* k
        } else if n >= 4 {
            h = (h ^ (load32(p, 0) | load32(p, n - 4) << 32)) &* k
        } else if n > 0 {
            h = (h ^ (UInt64(p[0]) | UInt64(p[n >> 1]) << 8 | UInt64(p[n - 1]) << 16)) &* k
        }
        h ^= h >> 29
        h = (h ^ (h >> 32)) &* 0xD6E8_FEB8_6659_FD93
        return h ^ (h >> 32)
    }

    @inlinable @inline(__always)
    package static func load64(_ p: UnsafePointer<UInt8>, _ i: Int) -> UInt64 {
        UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
    }

    @inlinable @inline(__always)
    package static func load32(_ p: UnsafePointer<UInt8>, _ i: Int) -> UInt64 {
        UInt64(UnsafeRawPointer(p + i).loadUnaligned(as: UInt32.self))
    }
}
