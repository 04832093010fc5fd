package import DataModel
package import Expressions


/// Hash aggregation: groups rows by key values and runs one accumulator per
/// aggregate. Output: key columns, then one column per aggregate.
package struct HashAggregator {
    let spec: AggregateSpec
    let evaluator: Evaluator
    var groupIndex = GroupIndex()
    /// Per consumed batch that created groups: the key columns of the rows
    /// that created them (the whole key columns when every row did).
    var keyParts: [[ColumnVector]] = []
    /// Per group, in creation order: where its key values are in `keyParts`
    /// (gathered into the output keys by `finish`, no per-row boxing).
    var groupRefs: [RowRef] = []
    var accumulators: [any Accumulator]
    private var argTypes: [SQLType?]
    package internal(set) var groupCount = 0
    /// Makes every row its own group, without hashing: for a partial
    /// aggregation that does not reduce (the scan stage switches it on when
    /// a full group table held nearly one group per row). Equal keys are
    /// then combined by the final aggregation after the shuffle.
    package var rowPerGroup = false
    /// The input arrives sorted by the group keys (in any key order), so
    /// equal keys are adjacent: a row joins the group of the row before it
    /// or starts a new one, compared without a hash table (the final
    /// aggregation after the shuffle merge).
    package var sortedInput = false
    /// Global string ids, so equal strings from different batches share a
    /// key (by their bytes, as Druid's Java strings compare).
    var stringIDs = ByteStringTable()
    /// The key of the group created last (the one sorted input may still extend).
    var lastKey = GroupKey()

    package init(spec: AggregateSpec, evaluator: Evaluator) {
        self.spec = spec
        self.evaluator = evaluator
        self.argTypes = spec.aggregates.map { $0.argument?.type }
        self.accumulators = spec.aggregates.map { makeAccumulator($0, argType: $0.argument?.type) }
        if spec.keys.isEmpty {
            groupCount = 1
        }
    }

    /// Sizes the group table for `groups` groups up front (say, as many as
    /// the table this one replaces held), sparing the rehashing of growth.
    package mutating func reserveGroups(_ groups: Int) {
        if groupCount == 0 { groupIndex.reserve(groups) }
    }

    package mutating func consume(_ batch: Batch) throws(HengeError) {
        guard batch.rowCount > 0 else { return }
        var keyCols: [ColumnVector] = []
        for k in spec.keys { keyCols.append(try evaluator.evaluate(k, batch)) }
        var batch = batch
        if let k = keyCols.firstIndex(where: \.isMultiValue) {
            guard evaluator.context.multiValueUnnesting else {
                var name = "v\(k)"
                if case .column(let i, _) = spec.keys[k] { name = batch.signature.columns[i].name }
                throw HengeError(code: "UnknownError", category: .runtimeFailure, message:
                    "Encountered multi-value dimension [\(name)] that cannot be processed with 'groupByEnableMultiValueUnnesting' set to false."
                    + " Consider setting 'groupByEnableMultiValueUnnesting' to true in your query context.")
            }
            // Grouping on a multi-value string unnests it (Druid's implicit
            // unnesting): one input row per value, NULL for a row without any.
            let unnested = MultiValueUnnest(keyCols)
            keyCols = unnested.keys
            batch = batch.gather(unnested.sourceRows)
        }
        let n = batch.rowCount
        var groups = [Int32](repeating: 0, count: n)
        if !spec.keys.isEmpty && rowPerGroup {
            let first = groupCount
            for r in 0..<n { groups[r] = Int32(first + r) }
            let part = keyParts.count
            keyParts.append(keyCols)
            groupRefs.append(contentsOf: (0..<n).map { RowRef(slot: part, row: $0) })
            groupCount += n
        } else if !spec.keys.isEmpty {
            // Map each batch-local string id to a global id once per batch.
            stringIDs.makeUnique()
            let localToGlobal: [[Int32]] = keyCols.map { col in
                guard case .string(let s) = col.data else { return [] }
                return s.dictionary.withEntries { entries in (0..<entries.count).map { stringIDs.id(of: entries[$0]) } }
            }
            // Every key as one 64-bit word per row (long bits, double bits, global string id),
            // computed column by column so the row loop touches only flat arrays.
            let words: [[UInt64]] = keyCols.enumerated().map { i, col in
                switch col.data {
                case .long(let v): return v.map { UInt64(bitPattern: $0) }
                case .double(let v): return v.map(\.bitPattern)
                case .float(let v): return v.map { Double($0).bitPattern }
                case .string(let s):
                    let global = localToGlobal[i]
                    return s.ids.map { UInt64(UInt32(bitPattern: global[Int($0)])) }
                case .multiString: preconditionFailure("multi-value keys are unnested above")
                }
            }
            let nullMasks = keyCols.map(\.nulls)
            var newRows: [Int] = []
            let part = keyParts.count
            for r in 0..<n {
                var key = GroupKey()
                for i in words.indices {
                    let isNull = nullMasks[i]?.isNull(r) ?? false
                    key.set(i, isNull ? 0 : words[i][r], isNull: isNull)
                }
                if sortedInput {
                    if groupCount > 0 && key == lastKey {
                        groups[r] = Int32(groupCount - 1)
                    } else {
                        lastKey = key
                        groupCount += 1
                        groupRefs.append(RowRef(slot: part, row: newRows.count))
                        newRows.append(r)
                        groups[r] = Int32(groupCount - 1)
                    }
                } else if let g = groupIndex.findOrInsert(key, Int32(groupCount)) {
                    groups[r] = g
                } else {
                    let g = Int32(groupCount)
                    lastKey = key
                    groupCount += 1
                    groupRefs.append(RowRef(slot: part, row: newRows.count))
                    newRows.append(r)
                    groups[r] = g
                }
            }
            if !newRows.isEmpty {
                keyParts.append(newRows.count == n ? keyCols : keyCols.map { $0.gather(newRows) })
            }
        }
        for (i, a) in spec.aggregates.enumerated() {
            let values = try a.argument.map { (e: ScalarExpr) throws(HengeError) -> ColumnVector in try evaluator.evaluate(e, batch) }
            var include: [Bool]? = nil
            if let f = a.filter {
                let c = try evaluator.evaluate(f, batch)
                let v = c.longs()
                include = (0..<n).map { !c.isNull($0) && v[$0] != 0 }
            }
            if let picker = accumulators[i] as? ValuePickerAccumulator {
                let times = try a.timeArgument.map { (e: ScalarExpr) throws(HengeError) -> ColumnVector in try evaluator.evaluate(e, batch) }
                picker.add(values.map(ValuePickerAccumulator.javaListText) , times: times,
                           groups: groups, include: include, groupCount: groupCount)
                continue
            }
            if let mv = values, mv.isMultiValue {
                if a.distinct || a.approximate {
                    // Distinct counts see each value of a multi-value row (Druid's cardinality over dimension values).
                    let unnest = MultiValueUnnest([mv])
                    accumulators[i].add(unnest.keys[0], groups: unnest.sourceRows.map { groups[$0] },
                                        include: include.map { inc in unnest.sourceRows.map { inc[$0] } }, groupCount: groupCount)
                    continue
                }
                accumulators[i].add(mv.renderedSingleValued(), groups: groups, include: include, groupCount: groupCount)
                continue
            }
            accumulators[i].add(values, groups: groups, include: include, groupCount: groupCount)
        }
    }

    /// The aggregated rows (keys then aggregates).
    package mutating func finish() -> Batch {
        var cols: [ColumnVector] = []
        var sig: [ColumnSpec] = []
        for i in spec.keys.indices {
            let type = spec.keys[i].type.nativeType
            cols.append(BatchGather.gatherColumn(keyParts.map { $0[i] }, groupRefs, type: type))
            sig.append(ColumnSpec(name: "d\(i)", type: type))
        }
        keyParts = []
        groupRefs = []
        for (i, a) in accumulators.enumerated() {
            cols.append(a.finish(groupCount: groupCount))
            sig.append(ColumnSpec(name: "a\(i)", type: spec.aggregates[i].type.nativeType))
        }
        return Batch(signature: RowSignature(sig), columns: cols, rowCount: groupCount)
    }
}

/// The grouping key of one row: a word per key (NULL keys are 0 with their
/// bit set in `nulls`). Up to four keys live inline, so the common group-by
/// hashes and compares a few integers without allocating.
struct GroupKey: Equatable {
    private var w0: UInt64 = 0
    private var w1: UInt64 = 0
    private var w2: UInt64 = 0
    private var w3: UInt64 = 0
    private var nulls: UInt64 = 0
    /// Keys beyond the fourth, and NULL flags beyond the 64th, in order.
    private var rest: [UInt64] = []

    /// A cheap, well-mixed hash of every word (for `GroupIndex`).
    @inline(__always)
    var mixedHash: UInt64 {
        var h = (w0 &* 0x9E37_79B9_7F4A_7C15) ^ (w1 &* 0xC2B2_AE3D_27D4_EB4F)
        h ^= (w2 &* 0x1656_67B1_9E37_79F9) ^ (w3 &* 0x85EB_CA77_C2B2_AE63) ^ nulls
        for word in rest { h = (h ^ word) &* 0x9E37_79B9_7F4A_7C15 }
        h ^= h >> 29
        h = h &* 0xBF58_476D_1CE4_E5B9
        return h ^ (h >> 32)
    }

    @inline(__always)
    mutating func set(_ i: Int, _ word: UInt64, isNull: Bool) {
        switch i {
        case 0: w0 = word
        case 1: w1 = word
        case 2: w2 = word
        case 3: w3 = word
        default: rest.append(word)
        }
        if i < 64 {
            if isNull { nulls |= 1 << UInt64(i) }
        } else {
            rest.append(isNull ? 1 : 0)
        }
    }
}
