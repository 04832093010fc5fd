/// Builds a `StringDictionary` in manually managed memory, for the loops
/// that add an entry per distinct value (reader interning, gathers, the
/// segment writer's interning): an append is a capacity check and a copy —
/// short entries as two overlapping word copies — with no uniqueness check
/// or generic call per entry. `finish` hands the entries over as a
/// `StringDictionary` (two allocations) and starts empty again.
///
/// A class, so copies share it: keep one per owner, and call `copy()` where
/// a value-typed owner may have been copied (`isKnownUniquelyReferenced`).
/// Its state lives behind a pointer rather than in stored properties, which
/// spares every append Swift's dynamic exclusivity checks on class
/// properties (measured: 7% of the JSON reader when they were properties).
/// `public`, not `package`, only so that its `@inlinable` members inline in
/// other modules: Swift 6.3 does not inline `@inlinable` members of a
/// `package` type across modules (checked with objdump); its members stay
/// `package`.
public final class StringDictionaryBuilder: @unchecked Sendable {
    @usableFromInline
    struct State {
        @usableFromInline var bytes: UnsafeMutablePointer<UInt8>
        @usableFromInline var byteCount: Int
        @usableFromInline var byteCapacity: Int
        /// `count + 1` offsets; `offsets[0]` is 0.
        @usableFromInline var offsets: UnsafeMutablePointer<Int>
        @usableFromInline var offsetCapacity: Int
        @usableFromInline var count: Int
    }

    @usableFromInline let state: UnsafeMutablePointer<State>

    /// Bytes kept free past the end, so short entries are copied as whole words.
    @usableFromInline static let slack = 16

    package init(entries: Int = 64, bytes byteCapacity: Int = 1024) {
        let byteCapacity = max(byteCapacity, 64), offsetCapacity = max(entries, 16) + 1
        let offsets = UnsafeMutablePointer<Int>.allocate(capacity: offsetCapacity)
        offsets[0] = 0
        state = .allocate(capacity: 1)
        state.initialize(to: State(bytes: .allocate(capacity: byteCapacity), byteCount: 0, byteCapacity: byteCapacity,
                                   offsets: offsets, offsetCapacity: offsetCapacity, count: 0))
    }

    deinit {
        state.pointee.bytes.deallocate()
        state.pointee.offsets.deallocate()
        state.deallocate()
    }

    /// Entries so far.
    package var count: Int { state.pointee.count }

    /// Bytes of all entries so far.
    package var byteCount: Int { state.pointee.byteCount }

    /// Appends the `n` bytes at `p`, which the caller guarantees are valid UTF-8.
    @inlinable
    package func append(validUTF8 p: UnsafePointer<UInt8>, count n: Int) {
        if state.pointee.byteCount + n + Self.slack > state.pointee.byteCapacity { growBytes(n) }
        if state.pointee.count + 2 > state.pointee.offsetCapacity { growOffsets() }
        let dst = state.pointee.bytes + state.pointee.byteCount
        if n > 32 {
            dst.update(from: p, count: n)
        } else if n > 16 {
            let src = UnsafeRawPointer(p), out = UnsafeMutableRawPointer(dst)
            let a = src.loadUnaligned(as: UInt64.self), b = src.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            let c = src.loadUnaligned(fromByteOffset: n - 16, as: UInt64.self), d = src.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            out.storeBytes(of: a, as: UInt64.self)
            out.storeBytes(of: b, toByteOffset: 8, as: UInt64.self)
            out.storeBytes(of: c, toByteOffset: n - 16, as: UInt64.self)
            out.storeBytes(of: d, toByteOffset: n - 8, as: UInt64.self)
        } else if n >= 8 {
            let a = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self), b = UnsafeRawPointer(p + n - 8).loadUnaligned(as: UInt64.self)
            UnsafeMutableRawPointer(dst).storeBytes(of: a, as: UInt64.self)
            UnsafeMutableRawPointer(dst + n - 8).storeBytes(of: b, as: UInt64.self)
        } else if n >= 4 {
            let a = UnsafeRawPointer(p).loadUnaligned(as: UInt32.self), b = UnsafeRawPointer(p + n - 4).loadUnaligned(as: UInt32.self)
            UnsafeMutableRawPointer(dst).storeBytes(of: a, as: UInt32.self)
            UnsafeMutableRawPointer(dst + n - 4).storeBytes(of: b, as: UInt32.self)
        } else {
            for i in 0..<n { dst[i] = p[i] }
        }
        state.pointee.byteCount += n
        state.pointee.count += 1
        state.pointee.offsets[state.pointee.count] = state.pointee.byteCount
    }

    package func append(_ s: String) {
        var s = s
        s.withUTF8 { b in append(validUTF8: b.baseAddress ?? UnsafePointer(state.pointee.bytes), count: b.count) }
    }

    /// Appends entry `i` of `dictionary`.
    package func append(entry i: Int, of dictionary: StringDictionary) {
        dictionary.withEntries { append($0[i]) }
    }

    /// Appends `utf8`, which the caller guarantees is valid UTF-8.
    @inlinable
    package func append(_ utf8: UnsafeBufferPointer<UInt8>) {
        append(validUTF8: utf8.baseAddress ?? UnsafePointer(state.pointee.bytes), count: utf8.count)
    }

    /// The bytes of entry `i` (valid until the next append).
    @inlinable
    package func entry(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let s = state.pointee
        return UnsafeBufferPointer(start: s.bytes + s.offsets[i], count: s.offsets[i + 1] - s.offsets[i])
    }

    /// The entries so far as a dictionary; the builder keeps them.
    package func snapshot() -> StringDictionary {
        let s = state.pointee
        return StringDictionary(uncheckedOffsets: Array(UnsafeBufferPointer(start: s.offsets, count: s.count + 1)),
                                bytes: Array(UnsafeBufferPointer(start: s.bytes, count: s.byteCount)))
    }

    /// The entries as a dictionary; the builder starts empty again.
    package func finish() -> StringDictionary {
        defer { removeAll() }
        return snapshot()
    }

    package func removeAll() {
        state.pointee.count = 0
        state.pointee.byteCount = 0
    }

    /// An independent builder holding the same entries.
    package func copy() -> StringDictionaryBuilder {
        let s = state.pointee
        let c = StringDictionaryBuilder(entries: s.offsetCapacity, bytes: s.byteCapacity)
        c.state.pointee.bytes.update(from: s.bytes, count: s.byteCount)
        c.state.pointee.offsets.update(from: s.offsets, count: s.count + 1)
        c.state.pointee.byteCount = s.byteCount
        c.state.pointee.count = s.count
        return c
    }

    /// Makes room for `n` more bytes (and the slack).
    @usableFromInline
    func growBytes(_ n: Int) {
        let needed = state.pointee.byteCount + n + Self.slack
        var capacity = state.pointee.byteCapacity * 2
        while capacity < needed { capacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        grown.update(from: state.pointee.bytes, count: state.pointee.byteCount)
        state.pointee.bytes.deallocate()
        state.pointee.bytes = grown
        state.pointee.byteCapacity = capacity
    }

    @usableFromInline
    func growOffsets() {
        let capacity = state.pointee.offsetCapacity * 2
        let grown = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
        grown.update(from: state.pointee.offsets, count: state.pointee.count + 1)
        state.pointee.offsets.deallocate()
        state.pointee.offsets = grown
        state.pointee.offsetCapacity = capacity
    }
}
