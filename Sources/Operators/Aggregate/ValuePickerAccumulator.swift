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

    func keepOnly(_ group: Int) {
        picked = picked.keeping(group)
        times = times.keeping(group)
        seen = seen.keeping(group)
    }

    func finish(groupCount: Int) -> ColumnVector {
        var b = ColumnBuilder(type: call.type.nativeType, capacity: groupCount)
        for g in 0..<groupCount {
            let v = g < picked.count ? picked[g] : .null
            if case .string(let s) = v, s.utf8.count > call.maxStringBytes {
                b.append(string: Self.truncate(s, toUTF8Bytes: call.maxStringBytes))
            } else {
                b.append(v)
            }
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
