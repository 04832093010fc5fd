/// A fast, non-cryptographic 64-bit hash of a byte string, for the hash
/// tables that intern strings by their UTF-8 bytes (input readers, segment
/// writers): word-at-a-time multiply-mix, the last word overlapping the one
/// before it rather than looping over single bytes. Not for anything an
/// attacker could aim collisions at across processes (it is unseeded), but
/// probing stays linear within one table.
/// `public`, not `package`, only so that its `@inlinable` members inline in
/// other modules: Swift 6.3 does not inline `@inlinable` members of a
/// `package` type across modules (checked with objdump); its members stay
/// `package`.
public enum ByteHash {
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

    /// Whether the `n` bytes at `a` and `b` are equal, a word at a time: up
    /// to 32 bytes by overlapping word loads (no loop), longer ones by a word
    /// loop ending on an overlapping last word (DataModel does not import
    /// libc's `memcmp`). The equality of every byte-keyed table: the
    /// readers' interner and key cache, `ByteStringTable`.
    @inlinable @inline(__always)
    package static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        if n > 16 {
            if n > 32 { return equalLong(a, b, n) }
            return load64(a, 0) == load64(b, 0) && load64(a, 8) == load64(b, 8)
                && load64(a, n - 16) == load64(b, n - 16) && load64(a, n - 8) == load64(b, n - 8)
        }
        if n >= 8 { return load64(a, 0) == load64(b, 0) && load64(a, n - 8) == load64(b, n - 8) }
        if n >= 4 { return load32(a, 0) == load32(b, 0) && load32(a, n - 4) == load32(b, n - 4) }
        var i = 0
        while i < n {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }

    /// `equal` past 32 bytes, out of line so that `equal` inlines.
    @usableFromInline @inline(never)
    static func equalLong(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var i = 0
        while i + 8 < n {
            if load64(a, i) != load64(b, i) { return false }
            i += 8
        }
        return load64(a, n - 8) == load64(b, n - 8)
    }

    /// `equal` over two buffers (false when their lengths differ).
    @inlinable @inline(__always)
    package static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        guard let x = a.baseAddress, let y = b.baseAddress else { return true }
        return equal(x, y, a.count)
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
