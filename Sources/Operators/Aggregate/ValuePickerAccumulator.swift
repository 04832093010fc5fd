internal import DataModel
internal import Expressions

/// ANY_VALUE, EARLIEST/LATEST and EARLIEST_BY/LATEST_BY: per group, the
/// value of one chosen row. EARLIEST keeps the first row with the smallest
/// time, LATEST the last row with the largest (Druid's first/last
/// aggregators compare with `<` and `>=`); ANY_VALUE the first row met.
/// NULL values are picked like any other (Druid's SQL-compatible mode).
/// Rows whose time is NULL are skipped. Strings are cut to
/// `maxStringBytes` UTF-8 bytes.
///
/// A class so `HashAggregator` can feed it the time column besides the values.
final class ValuePickerAccumulator: Accumulator {
    let call: AggregateCall
    private var picked: [ScalarValue] = []
    private var times: [Int64] = []
    private var seen: [Bool] = []
    /// Input order stands in for time when the call has no time argument.
    private var rowsSeen: Int64 = 0

    init(call: AggregateCall) {
        self.call = call
    }

    func add(_ values: ColumnVector?, groups: [Int32], include: [Bool]?, groupCount: Int) {
        add(values, times: nil, groups: groups, include: include, groupCount: groupCount)
    }

    func add(_ values: ColumnVector?, times timeColumn: ColumnVector?, groups: [Int32], include: [Bool]?, groupCount: Int) {
        picked.grow(to: groupCount, with: .null)
        times.grow(to: groupCount, with: 0)
        seen.grow(to: groupCount, with: false)
        guard let values else { return }
        if call.pairInput { return addPairs(values, groups: groups, include: include) }
        let timeValues = timeColumn?.longs()
        let latest = call.kind == .latest || call.kind == .latestBy
        for r in groups.indices where include?[r] ?? true {
            let t: Int64
            if let timeColumn, let timeValues {
                if timeColumn.isNull(r) { continue }
                t = timeValues[r]
            } else {
                t = rowsSeen + Int64(r)
            }
            let g = Int(groups[r])
            let take: Bool
            if !seen[g] {
                take = true
            } else if call.kind == .anyValue {
                take = false
            } else {
                take = latest ? t >= times[g] : t < times[g]
            }
            if take {
                seen[g] = true
                times[g] = t
                picked[g] = values.value(at: r)
            }
        }
        rowsSeen += Int64(groups.count)
    }

    /// Stored pairs (`{"lhs":time,"rhs":value}`): each one's time orders
    /// the pick, as Druid folds first/last pairs. NULL pairs are skipped.
    private func addPairs(_ values: ColumnVector, groups: [Int32], include: [Bool]?) {
        guard case .string(let s) = values.data else { return }
        let latest = call.kind == .latest || call.kind == .latestBy
        let valueType = call.type.pairValue ?? call.type
        var decoded = [(time: Int64, value: ScalarValue)?](repeating: nil, count: s.dictionary.count)
        var done = [Bool](repeating: false, count: s.dictionary.count)
        for r in groups.indices where include?[r] ?? true {
            if values.isNull(r) { continue }
            let id = Int(s.ids[r])
            if !done[id] {
                decoded[id] = Self.parsePair(s.dictionary[id], valueType: valueType)
                done[id] = true
            }
            guard let (t, v) = decoded[id] else { continue }
            let g = Int(groups[r])
            if !seen[g] || (latest ? t >= times[g] : t < times[g]) {
                seen[g] = true
                times[g] = t
                picked[g] = v
            }
        }
    }

    /// The time and value of a stored pair; nil when the text is not one.
    static func parsePair(_ text: String, valueType: SQLType) -> (time: Int64, value: ScalarValue)? {
        guard case .object(let members)? = try? JSONValue.parse(text),
              let lhs = members.first(where: { $0.0 == "lhs" })?.1, case .int(let t) = lhs else { return nil }
        let rhs = members.first(where: { $0.0 == "rhs" })?.1 ?? .null
        let value: ScalarValue
        switch rhs {
        case .int(let i): value = valueType == .double || valueType == .float ? .double(Double(i)) : .long(i)
        case .double(let d): value = valueType == .bigint ? .long(Int64(exactly: d.rounded(.towardZero)) ?? 0) : .double(d)
        case .string(let str): value = .string(str)
        default: value = .null
        }
        return (t, value)
    }

    /// The pair text Druid's `serializablePairLong*` types serialize to.
    static func pairText(time: Int64, value: ScalarValue) -> String {
        let rhs: JSONValue
        switch value {
        case .long(let l): rhs = .int(l)
        case .double(let d): rhs = .double(d)
        case .string(let s): rhs = .string(s)
        case .null: rhs = .null
        }
        return JSONValue.object([("lhs", .int(time)), ("rhs", rhs)]).serialized
    }

    func keepOnly(_ group: Int) {
        picked = picked.keeping(group)
        times = times.keeping(group)
        seen = seen.keeping(group)
    }

    func finish(groupCount: Int) -> ColumnVector {
        var b = ColumnBuilder(type: call.type.nativeType, capacity: groupCount)
        for g in 0..<groupCount {
            var v = g < picked.count ? picked[g] : .null
            if case .string(let s) = v, s.utf8.count > call.maxStringBytes { v = .string(Self.truncate(s, toUTF8Bytes: call.maxStringBytes)) }
            if call.pairOutput {
                // A group that saw no row has no pair (NULL), as Druid's empty first/last state.
                if g < seen.count && seen[g] { b.append(string: Self.pairText(time: times[g], value: v)) } else { b.appendNull() }
                continue
            }
            b.append(v)
        }
        return b.finish()
    }

    /// A multi-value column as Druid's string first/last/any aggregators
    /// store it: several values as Java's list text (`[b, c]`), one value
    /// as itself. Other columns unchanged.
    static func javaListText(_ column: ColumnVector) -> ColumnVector {
        guard case .multiString(let m) = column.data else { return column }
        var b = ColumnBuilder(type: .string, capacity: column.count)
        for r in 0..<column.count {
            if column.isNull(r) {
                b.appendNull()
            } else {
                let values = m.values(r)
                b.append(string: values.count == 1 ? values[0] : "[" + values.joined(separator: ", ") + "]")
            }
        }
        return b.finish()
    }

    /// The longest prefix of whole characters that fits in `limit` UTF-8 bytes.
    static func truncate(_ s: String, toUTF8Bytes limit: Int) -> String {
        var bytes = 0
        var end = s.unicodeScalars.startIndex
        for i in s.unicodeScalars.indices {
            let n = s.unicodeScalars[i].utf8.count
            if bytes + n > limit { break }
            bytes += n
            end = s.unicodeScalars.index(after: i)
        }
        return String(s.unicodeScalars[..<end])
    }
}
