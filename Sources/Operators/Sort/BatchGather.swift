package import DataModel
internal import Expressions

/// A row of one of several batches: the batch's index (`slot`) in the high
/// 32 bits, the row in the low 32 bits.
package typealias RowRef = UInt64

extension RowRef {
    @inline(__always) package init(slot: Int, row: Int) { self = UInt64(slot) << 32 | UInt64(UInt32(truncatingIfNeeded: row)) }
    @inline(__always) package var slot: Int { Int(self >> 32) }
    @inline(__always) package var row: Int { Int(self & 0xFFFF_FFFF) }
}

/// Builds one batch out of rows of several batches with the same signature.
///
/// Column by column, typed: numbers are copied, strings keep only the
/// dictionary entries the picked rows use (remapped per source batch, no
/// hashing; equal strings from two sources may get two entries, which every
/// consumer tolerates), multi-value rows keep their values.
package enum BatchGather {
    /// Most sources whose buffers `withBasePointers` pins by nesting closures.
    static let maxNesting = 256

    package static func gather(_ sources: [Batch], _ picks: [RowRef], signature: RowSignature) -> Batch {
        var columns: [ColumnVector] = []
        columns.reserveCapacity(signature.count)
        for c in signature.columns.indices {
            columns.append(gatherColumn(sources.map { $0.columns[c] }, picks, type: signature[c].type))
        }
        return Batch(signature: signature, columns: columns, rowCount: picks.count)
    }

    static func gatherColumn(_ parts: [ColumnVector], _ picks: [RowRef], type: ColumnType) -> ColumnVector {
        let mask = gatherNulls(parts, picks)
        switch type.storage {
        case .long: return ColumnVector(.long(gatherValues(parts.map { $0.longs() }, picks)), nulls: mask)
        case .double: return ColumnVector(.double(gatherValues(parts.map { $0.doubles() }, picks)), nulls: mask)
        case .float:
            let src: [[Float]] = parts.map { p in
                if case .float(let f) = p.data { return f }
                return p.doubles().map(Float.init)
            }
            return ColumnVector(.float(gatherValues(src, picks)), nulls: mask)
        case .string where parts.contains(where: \.isMultiValue):
            return gatherMultiValue(parts, picks, mask: mask)
        case .string:
            return ColumnVector(.string(gatherStrings(parts.map { $0.strings(type: .varchar) }, picks, mask: mask)), nulls: mask)
        }
    }

    /// The NULL mask of `picks` of `parts`, nil when no part has one.
    static func gatherNulls(_ parts: [ColumnVector], _ picks: [RowRef]) -> NullMask? {
        guard parts.contains(where: { $0.nulls != nil }) else { return nil }
        let n = picks.count
        // Every part's NULL words (a part without a mask gets zero words), read through raw pointers.
        let words: [[UInt64]] = parts.map { $0.nulls?.words ?? [UInt64](repeating: 0, count: ($0.count + 63) >> 6) }
        var out = [UInt64](repeating: 0, count: (n + 63) >> 6)
        withBasePointers(words) { base in
            out.withUnsafeMutableBufferPointer { o in
                for (i, p) in picks.enumerated() where base[p.slot][p.row >> 6] & (1 << UInt64(p.row & 63)) != 0 {
                    o[i >> 6] |= 1 << UInt64(i & 63)
                }
            }
        }
        return NullMask(words: out, count: n)
    }

    /// `picks` of several arrays, read through raw pointers (no reference
    /// counting per row).
    static func gatherValues<T>(_ sources: [[T]], _ picks: [RowRef]) -> [T] {
        withBasePointers(sources) { base in
            [T](unsafeUninitializedCapacity: picks.count) { out, initialized in
                for (i, p) in picks.enumerated() { (out.baseAddress! + i).initialize(to: base[p.slot][p.row]) }
                initialized = picks.count
            }
        }
    }

    /// `picks` of several string columns: one output dictionary of the
    /// entries the picked rows use, each source's ids remapped through its
    /// `DictionaryRemap`.
    static func gatherStrings(_ sources: [StringColumn], _ picks: [RowRef], mask: NullMask?) -> StringColumn {
        let n = picks.count
        let dictionary = StringDictionaryBuilder(entries: min(n, 1024), bytes: 16 * min(n, 1024))
        var remaps = sources.map { DictionaryRemap(size: $0.dictionary.count, picks: n) }
        defer { for r in remaps { r.release() } }
        let ids = withBasePointers(sources.map(\.ids)) { base in
            withEntries(sources.map(\.dictionary)) { entries in
                remaps.withUnsafeMutableBufferPointer { remap in
                    [Int32](unsafeUninitializedCapacity: n) { out, initialized in
                        for (i, p) in picks.enumerated() {
                            out[i] = 0
                            if let mask, mask.isNull(i) { continue }
                            let local = base[p.slot][p.row]
                            out[i] = remap[p.slot].id(local) {
                                dictionary.append(entries[p.slot][Int(local)])
                                return Int32(dictionary.count - 1)
                            }
                        }
                        initialized = n
                    }
                }
            }
        }
        return StringColumn(ids: ids, dictionary: dictionary.finish())
    }

    /// Calls `body` with raw access to every dictionary's entries.
    static func withEntries<R>(_ dictionaries: [StringDictionary], _ body: ([StringDictionaryEntries]) -> R) -> R {
        withBasePointers(dictionaries.map(\.bytes)) { bytes in
            withBasePointers(dictionaries.map(\.offsets)) { offsets in
                body(dictionaries.indices.map { StringDictionaryEntries(bytes: bytes[$0], offsets: offsets[$0], count: dictionaries[$0].count) })
            }
        }
    }

    /// A non-null, aligned address standing for an empty array's storage (never read).
    private static func emptyBase<T>(_: T.Type) -> UnsafePointer<T> {
        UnsafePointer(bitPattern: MemoryLayout<T>.alignment)!
    }

    /// Calls `body` with the base address of every array, all valid for the
    /// call (an empty array's is a dummy never read). Nests one closure per
    /// array; past `maxNesting` arrays they are copied end to end instead.
    static func withBasePointers<T, R>(_ arrays: [[T]], _ body: ([UnsafePointer<T>]) -> R) -> R {
        if arrays.count > maxNesting {
            let flat = arrays.flatMap { $0 }
            return flat.withUnsafeBufferPointer { buffer in
                var start = 0
                let base = buffer.baseAddress ?? emptyBase(T.self)
                let pointers = arrays.map { a -> UnsafePointer<T> in
                    defer { start += a.count }
                    return base + start
                }
                return body(pointers)
            }
        }
        var pointers: [UnsafePointer<T>] = []
        pointers.reserveCapacity(arrays.count)
        func nest(_ i: Int) -> R {
            if i == arrays.count { return body(pointers) }
            return arrays[i].withUnsafeBufferPointer { buffer in
                pointers.append(buffer.baseAddress ?? emptyBase(T.self))
                return nest(i + 1)
            }
        }
        return nest(0)
    }

    /// String columns of which at least one is multi-valued.
    private static func gatherMultiValue(_ parts: [ColumnVector], _ picks: [RowRef], mask: NullMask?) -> ColumnVector {
        let multi: [MultiStringColumn?] = parts.map { if case .multiString(let m) = $0.data { m } else { nil } }
        let single: [StringColumn?] = parts.indices.map { multi[$0] == nil ? parts[$0].strings(type: .varchar) : nil }
        var remap = parts.indices.map { DictionaryRemap(size: multi[$0]?.dictionary.count ?? single[$0]!.dictionary.count, picks: picks.count) }
        defer { for r in remap { r.release() } }
        let dictionary = StringDictionaryBuilder()
        var ids: [Int32] = []
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(picks.count + 1)
        func global(_ slot: Int, _ local: Int32) -> Int32 {
            remap[slot].id(local) {
                dictionary.append(entry: Int(local), of: multi[slot]?.dictionary ?? single[slot]!.dictionary)
                return Int32(dictionary.count - 1)
            }
        }
        for (i, p) in picks.enumerated() {
            if !(mask?.isNull(i) ?? false) {
                if let m = multi[p.slot] {
                    for id in m.rowIDs(p.row) { ids.append(global(p.slot, id)) }
                } else {
                    ids.append(global(p.slot, single[p.slot]!.ids[p.row]))
                }
            }
            offsets.append(Int32(ids.count))
        }
        return ColumnVector(.multiString(MultiStringColumn(offsets: offsets, ids: ids, dictionary: dictionary.finish())), nulls: mask)
    }
}

/// Source dictionary id → output id for one source batch of a gather: a
/// dense table when the dictionary is small next to the rows picked, a
/// hash map when it is big (gathering a few thousand rows out of a batch
/// with millions of distinct strings must not touch every entry).
///
/// The table is allocated on first use: a gather of a sorted frame usually
/// picks from a few of its many sources, and the others cost nothing.
struct DictionaryRemap {
    /// Output ids by source id (-1: not yet), allocated on first use.
    private var dense: UnsafeMutablePointer<Int32>? = nil
    private var sparse: [Int32: Int32] = [:]
    private let isDense: Bool
    private let size: Int

    init(size: Int, picks: Int) {
        isDense = size <= 4 * picks + 64
        self.size = size
    }

    /// Frees the dense table; the remap must not be used afterwards.
    func release() { dense?.deallocate() }

    /// The output id of `local`, assigned by `add` the first time.
    @inline(__always)
    mutating func id(_ local: Int32, add: () -> Int32) -> Int32 {
        if isDense {
            if dense == nil {
                dense = .allocate(capacity: max(1, size))
                dense!.initialize(repeating: -1, count: max(1, size))
            }
            let known = dense![Int(local)]
            if known >= 0 { return known }
            let id = add()
            dense![Int(local)] = id
            return id
        }
        if let known = sparse[local] { return known }
        let id = add()
        sparse[local] = id
        return id
    }
}
