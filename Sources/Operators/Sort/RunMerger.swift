package import DataModel
package import SegmentFormat

/// One sorted sequence of rows that feeds a merge: batches held in memory,
/// or one partition's section of a run file.
package enum SortedRun: Sendable {
    case memory([Batch])
    case file(RunFile, key: Int64)

    package var rowCount: Int {
        switch self {
        case .memory(let batches): batches.reduce(0) { $0 + $1.rowCount }
        case .file(let file, let key): file.sections[key]?.rows ?? 0
        }
    }
}

/// Reads one `SortedRun` batch by batch (skipping empty batches).
struct RunStream {
    private var memory: [Batch]
    private var index = 0
    private let reader: RunSectionReader?

    init(_ run: SortedRun) throws(HengeError) {
        switch run {
        case .memory(let batches):
            memory = batches
            reader = nil
        case .file(let file, let key):
            memory = []
            reader = try RunSectionReader(file: file, key: key)
        }
    }

    mutating func next() throws(HengeError) -> Batch? {
        if let reader {
            while let b = try reader.next() { if b.rowCount > 0 { return b } }
            return nil
        }
        while index < memory.count {
            index += 1
            if memory[index - 1].rowCount > 0 { return memory[index - 1] }
        }
        return nil
    }
}

/// K-way merge of sorted runs into one sorted stream of batches, through a
/// tournament (loser) tree: each output row costs about log2(k)
/// comparisons of typed column views.
///
/// Rows with equal keys come out in run order (then in their order within a
/// run), so merging runs cut from one input stream keeps that stream's order
/// among ties — what order-sensitive aggregates (EARLIEST, ANY_VALUE) and
/// "identical to an unspilled run" rely on.
package struct RunMerger {
    private let signature: RowSignature
    private let keys: [SortColumn]
    private let batchRows: Int
    private var streams: [RunStream]
    private var batches: [Batch]
    /// Per source, a view of each key column of its current batch (flat: source × key).
    private var views: [SortKeyView?]
    /// Per source, its batch's leading key when that is a LONG column
    /// without NULLs (`__time`): compared as plain integers first.
    private var leads: [[Int64]?]
    private let leadDescending: Bool
    private var rows: [Int]
    private var exhausted: [Bool]
    /// `tree[0]` is the current winner; `tree[1..<k]` hold the losers of the inner matches.
    private var tree: [Int]
    /// Source batches of the output batch being built, and the picked rows.
    private var slots: [Batch] = []
    private var slotOf: [Int]
    private var picks: [RowRef] = []

    /// - Parameter batchRows: rows per output batch.
    package init(_ runs: [SortedRun], signature: RowSignature, keys: [SortColumn], batchRows: Int) throws(HengeError) {
        self.signature = signature
        self.keys = keys
        self.batchRows = max(1, batchRows)
        streams = []
        for run in runs { streams.append(try RunStream(run)) }
        let k = streams.count
        batches = []
        views = []
        leads = []
        leadDescending = keys.first?.descending ?? false
        rows = [Int](repeating: 0, count: k)
        exhausted = [Bool](repeating: false, count: k)
        slotOf = [Int](repeating: 0, count: k)
        tree = [Int](repeating: -1, count: max(k, 1))
        guard k > 1 else { return }
        for i in 0..<k {
            let b = try streams[i].next()
            batches.append(b ?? .empty(signature))
            exhausted[i] = b == nil
            for key in keys { views.append(b.map { SortKeyView($0.columns[key.column], type: $0.signature.columns[key.column].type) }) }
            leads.append(b.flatMap { b in keys.first.flatMap { BatchSorter.leadingLongs(b.columns[$0.column]) } })
            slotOf[i] = slots.count
            slots.append(batches[i])
        }
        for i in stride(from: k - 1, through: 0, by: -1) { adjust(i) }
    }

    /// The next merged batch (at most `batchRows` rows), or nil at the end.
    package mutating func next() throws(HengeError) -> Batch? {
        switch streams.count {
        case 0: return nil
        case 1: return try streams[0].next()
        default: break
        }
        picks.reserveCapacity(batchRows)
        while picks.count < batchRows {
            let w = tree[0]
            if exhausted[w] { break }
            picks.append(RowRef(slot: slotOf[w], row: rows[w]))
            rows[w] += 1
            if rows[w] == batches[w].rowCount { try load(w) }
            adjust(w)
        }
        guard !picks.isEmpty else { return nil }
        let out = BatchGather.gather(slots, picks, signature: signature)
        picks.removeAll(keepingCapacity: true)
        slots.removeAll(keepingCapacity: true)
        for i in 0..<streams.count where !exhausted[i] {
            slotOf[i] = slots.count
            slots.append(batches[i])
        }
        return out
    }

    /// Moves source `i` to its next batch, or marks it exhausted.
    private mutating func load(_ i: Int) throws(HengeError) {
        guard let b = try streams[i].next() else {
            exhausted[i] = true
            for j in keys.indices { views[i * keys.count + j] = nil }
            leads[i] = nil
            return
        }
        batches[i] = b
        rows[i] = 0
        for (j, key) in keys.enumerated() { views[i * keys.count + j] = SortKeyView(b.columns[key.column], type: b.signature.columns[key.column].type) }
        leads[i] = keys.first.flatMap { BatchSorter.leadingLongs(b.columns[$0.column]) }
        slotOf[i] = slots.count
        slots.append(b)
    }

    /// Replays the matches from leaf `leaf` up to the root.
    @inline(__always)
    private mutating func adjust(_ leaf: Int) {
        let k = streams.count
        var s = leaf
        var t = (leaf + k) >> 1
        while t > 0 {
            let other = tree[t]
            // -1 (not yet played) beats everything while the tree is being built.
            if other == -1 || (s != -1 && beats(other, s)) {
                tree[t] = s
                s = other
            }
            t >>= 1
        }
        tree[0] = s
    }

    /// True when source `a`'s current row comes before source `b`'s.
    @inline(__always)
    private func beats(_ a: Int, _ b: Int) -> Bool {
        if exhausted[a] { return false }
        if exhausted[b] { return true }
        let ra = rows[a], rb = rows[b]
        var first = 0
        if let la = leads[a], let lb = leads[b] {
            let x = la[ra], y = lb[rb]
            if x != y { return leadDescending ? x > y : x < y }
            first = 1
        }
        let ka = a * keys.count, kb = b * keys.count
        for i in first..<keys.count {
            let c = SortKeyView.compare(views[ka + i]!, ra, views[kb + i]!, rb, keys[i])
            if c != 0 { return c < 0 }
        }
        return a < b
    }
}
