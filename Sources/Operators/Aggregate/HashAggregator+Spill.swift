package import DataModel
internal import Expressions

extension HashAggregator {
    /// Rough bytes held by the group table (hash index, keys, accumulator
    /// state), for the memory budget: when it is exceeded the scan stage
    /// flushes the partial groups as a sorted run.
    package var estimatedBytes: Int64 {
        let perGroup = 80 + 16 * spec.keys.count + 24 * spec.aggregates.count
        return Int64(groupCount) * Int64(perGroup) + Int64(stringIDs.count) * 64
    }

    /// For input sorted by every group key: returns every group but the one
    /// created last (later rows may still belong to it) and keeps that one
    /// as the only group, so a streaming final aggregation holds a bounded
    /// number of groups. Returns an empty batch while there is one group.
    package mutating func finishAllButLast() -> Batch {
        let all = finish()
        guard groupCount > 0 else { return all }
        guard groupCount > 1 else {
            restore(from: all, group: 0)
            return Batch(signature: all.signature, columns: all.columns.map { $0.gather([]) }, rowCount: 0)
        }
        let last = groupCount - 1
        restore(from: all, group: last)
        return all.gather(Array(0..<last))
    }

    /// Makes group `g` of a finished result the only group.
    private mutating func restore(from all: Batch, group g: Int) {
        let keyCount = spec.keys.count
        keyParts = [all.columns.prefix(keyCount).map { $0.gather([g]) }]
        groupRefs = [RowRef(slot: 0, row: 0)]
        for i in accumulators.indices { accumulators[i].keepOnly(g) }
        // Global string ids restart, so the table of strings stays bounded too.
        stringIDs.removeAll()
        var key = GroupKey()
        for i in 0..<keyCount {
            let column = all.columns[i]
            let isNull = column.isNull(g)
            var word: UInt64 = 0
            if !isNull {
                switch column.data {
                case .long(let v): word = UInt64(bitPattern: v[g])
                case .double(let v): word = v[g].bitPattern
                case .float(let v): word = Double(v[g]).bitPattern
                case .string(let s):
                    let id = s.dictionary.withEntries { stringIDs.id(of: $0[Int(s.ids[g])]) }
                    word = UInt64(UInt32(bitPattern: id))
                case .multiString: preconditionFailure("group keys are single-valued")
                }
            }
            key.set(i, word, isNull: isNull)
        }
        groupIndex = GroupIndex(key, id: 0)
        lastKey = key
        groupCount = 1
    }
}
