/// The values of a dictionary-encoded string column, stored end to end as
/// UTF-8: entry `i` is `bytes[offsets[i] ..< offsets[i + 1]]`.
///
/// Two allocations however many entries, so building one, copying entries
/// between batches, writing it to a frame and reading it back are byte
/// copies — not a `String` (an allocation past 15 bytes, and a reference
/// count) per entry. Entries are valid UTF-8: every way in either takes a
/// `String` or checks the bytes (`UTF8Check`).
///
/// As a collection it holds `String`s, each created when read; loops over
/// rows read bytes (`withEntries`) or work once per entry, and loops adding
/// entries use a `StringDictionaryBuilder`.
package struct StringDictionary: Hashable, Sendable, RandomAccessCollection, ExpressibleByArrayLiteral {
    /// `count + 1` ascending offsets into `bytes`, from 0 to `bytes.count`.
    package private(set) var offsets: [Int]
    package private(set) var bytes: [UInt8]

    package init() {
        offsets = [0]
        bytes = []
    }

    package init<S: Sequence>(_ strings: S) where S.Element == String {
        self.init()
        for s in strings { append(s) }
    }

    package init(arrayLiteral elements: String...) { self.init(elements) }

    /// Entries already laid out; the caller guarantees valid UTF-8 and
    /// offsets ascending from 0 to `bytes.count`.
    package init(uncheckedOffsets offsets: [Int], bytes: [UInt8]) {
        self.offsets = offsets
        self.bytes = bytes
    }

    package var startIndex: Int { 0 }
    package var endIndex: Int { offsets.count - 1 }
    package var count: Int { offsets.count - 1 }
    package var isEmpty: Bool { offsets.count == 1 }

    /// Bytes of all entries together.
    package var byteCount: Int { bytes.count }

    /// Entry `i` as a `String` (created on every read).
    package subscript(i: Int) -> String {
        withEntry(i) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the UTF-8 bytes of entry `i`.
    @inlinable
    package func withEntry<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let start = offsets[i], end = offsets[i + 1]
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    package mutating func reserveCapacity(entries: Int, bytes byteCount: Int) {
        offsets.reserveCapacity(offsets.count + entries)
        bytes.reserveCapacity(bytes.count + byteCount)
    }

    package mutating func append(_ s: String) {
        bytes.append(contentsOf: s.utf8)
        offsets.append(bytes.count)
    }

    /// Appends `utf8`, which the caller guarantees is valid UTF-8.
    package mutating func append(validUTF8 utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: utf8)
        offsets.append(bytes.count)
    }

    /// Appends every entry of `other`.
    package mutating func append(contentsOf other: StringDictionary) {
        let shift = bytes.count
        bytes.append(contentsOf: other.bytes)
        offsets.reserveCapacity(offsets.count + other.count)
        for i in 1..<other.offsets.count { offsets.append(other.offsets[i] + shift) }
    }

    /// The entries with `transform` applied to each.
    package func mapEntries(_ transform: (String) throws -> String) rethrows -> StringDictionary {
        var out = StringDictionary()
        out.reserveCapacity(entries: count, bytes: bytes.count)
        for s in self { out.append(try transform(s)) }
        return out
    }

    /// Estimated heap bytes: the arena and the offsets.
    package var heapBytes: Int { bytes.count + offsets.count * MemoryLayout<Int>.stride }
}

/// UTF-8 validity of raw bytes, eight ASCII bytes at a time.
package enum UTF8Check {
    /// Whether the `n` bytes at `p` are well-formed UTF-8 (no overlong
    /// forms, surrogates or values past U+10FFFF).
    package static func isValid(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var i = 0
        while i < n {
            if i + 8 <= n && UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            let b0 = p[i]
            if b0 < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: return false
            }
            guard i + length <= n else { return false }
            guard p[i + 1] >= lower && p[i + 1] <= upper else { return false }
            for k in 2..<length where p[i + k] & 0xC0 != 0x80 { return false }
            i += length
        }
        return true
    }

    package static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        return isValid(base, bytes.count)
    }
}

/// Byte order of UTF-8 strings (= Unicode code point order), the order of
/// sorted segment dictionaries and of string sort keys.
package enum UTF8Order {
    /// The first 8 bytes as a big-endian integer (zero-padded): integer order
    /// agrees with byte order wherever two prefixes differ.
    @inlinable
    package static func prefix(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        if n >= 8 { return UInt64(bigEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)) }
        var v: UInt64 = 0
        for i in 0..<8 { v = v << 8 | UInt64(i < n ? p[i] : 0) }
        return v
    }

    /// Whether the `n` bytes at `a` order before the `m` bytes at `b`.
    @inlinable
    package static func less(_ a: UnsafePointer<UInt8>, _ n: Int, _ b: UnsafePointer<UInt8>, _ m: Int) -> Bool {
        let common = min(n, m)
        var i = 0
        while i < common {
            if a[i] != b[i] { return a[i] < b[i] }
            i += 1
        }
        return n < m
    }

    /// Whether entry `i` of `a` and entry `j` of `b` hold the same bytes.
    package static func equal(_ a: StringDictionary, _ i: Int, _ b: StringDictionary, _ j: Int) -> Bool {
        a.withEntry(i) { x in b.withEntry(j) { y in x.elementsEqual(y) } }
    }

    /// The entry indexes of `dictionary` in byte order (equal entries in any order).
    package static func sortedEntries(_ dictionary: StringDictionary) -> [Int32] {
        let offsets = dictionary.offsets
        return dictionary.bytes.withUnsafeBufferPointer { all in
            let base = all.baseAddress ?? UnsafePointer(bitPattern: 1)!
            var entries: [(prefix: UInt64, id: Int32)] = []
            entries.reserveCapacity(dictionary.count)
            for i in 0..<dictionary.count {
                entries.append((prefix(base + offsets[i], offsets[i + 1] - offsets[i]), Int32(i)))
            }
            entries.sort { x, y in
                if x.prefix != y.prefix { return x.prefix < y.prefix }
                let (i, j) = (Int(x.id), Int(y.id))
                return less(base + offsets[i], offsets[i + 1] - offsets[i], base + offsets[j], offsets[j + 1] - offsets[j])
            }
            return entries.map(\.id)
        }
    }
}

/// Unchecked access to a dictionary's entries by raw pointers, for loops
/// that read an entry per row; valid only inside `withEntries`.
/// `public`, not `package`, only so that its `@inlinable` members inline in
/// other modules: Swift 6.3 does not inline `@inlinable` members of a
/// `package` type across modules (checked with objdump); its members stay
/// `package`.
public struct StringDictionaryEntries {
    @usableFromInline let bytes: UnsafePointer<UInt8>
    @usableFromInline let offsets: UnsafePointer<Int>
    @usableFromInline package let count: Int

    /// Over `bytes` (the entries end to end) and `count + 1` `offsets`.
    @inlinable
    package init(bytes: UnsafePointer<UInt8>, offsets: UnsafePointer<Int>, count: Int) {
        self.bytes = bytes
        self.offsets = offsets
        self.count = count
    }

    /// The bytes of entry `i`; `i` must be below `count` (not checked).
    @inlinable
    package subscript(i: Int) -> UnsafeBufferPointer<UInt8> {
        assert(i >= 0 && i < count, "StringDictionaryEntries: entry \(i) of \(count)")
        return UnsafeBufferPointer(start: bytes + offsets[i], count: offsets[i + 1] - offsets[i])
    }
}

extension StringDictionary {
    /// Calls `body` with raw access to the entries.
    package func withEntries<R>(_ body: (StringDictionaryEntries) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { b in
            try offsets.withUnsafeBufferPointer { o in
                // An empty arena has no address; no entry then has bytes to read.
                let base = b.baseAddress ?? UnsafeRawPointer(o.baseAddress!).assumingMemoryBound(to: UInt8.self)
                return try body(StringDictionaryEntries(bytes: base, offsets: o.baseAddress!, count: count))
            }
        }
    }
}
