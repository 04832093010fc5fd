internal import DataModel
internal import Expressions
internal import SegmentFormat

/// Skips segments a filter cannot match, from the footer statistics alone
/// (before any column is decoded): each AND-ed condition of the form
/// `column = literal`, `column IN (literals)`, `column <|<=|>|>= literal`
/// or `column IS NULL` is checked against the column's min/max and NULL
/// count. With range-partitioned segments (REPLACE ... CLUSTERED BY), this
/// is Druid's pruning on the clustering columns.
///
/// Only plain columns of scalar types take part (arrays and JSON are held as
/// text whose order is not theirs); anything else never prunes.
enum SegmentPruning {
    /// True when no row of the segment can satisfy `filter`. `fields` name
    /// the filter's column indexes.
    static func excludes(_ filter: ScalarExpr, fieldNames: [String], infos: [SegmentColumnInfo], rowCount: Int) -> Bool {
        conjuncts(filter).contains { cannotMatch($0, fieldNames: fieldNames, infos: infos, rowCount: rowCount) }
    }

    private static func conjuncts(_ e: ScalarExpr) -> [ScalarExpr] {
        if case .call("AND", let args, _) = e { return args.flatMap(conjuncts) }
        return [e]
    }

    private static func info(_ e: ScalarExpr, _ names: [String], _ infos: [SegmentColumnInfo]) -> SegmentColumnInfo? {
        guard case .column(let i, _) = e, i < names.count else { return nil }
        guard let info = infos.first(where: { $0.name == names[i] }), !info.type.isNested else { return nil }
        return info
    }

    private static func cannotMatch(_ e: ScalarExpr, fieldNames: [String], infos: [SegmentColumnInfo], rowCount: Int) -> Bool {
        guard case .call(let name, let args, _) = e else { return false }
        switch name {
        case "IS_NULL":
            guard args.count == 1, let c = info(args[0], fieldNames, infos) else { return false }
            return c.nullCount == 0
        case "IN":
            guard args.count >= 2, let c = info(args[0], fieldNames, infos) else { return false }
            var values: [ScalarValue] = []
            for a in args.dropFirst() {
                guard case .literal(let v, _) = a else { return false }
                values.append(v)
            }
            return values.allSatisfy { $0.isNull || (comparable($0, c) && outside($0, c, below: true, above: true)) }
        case "EQUALS", "LESS_THAN", "LESS_THAN_OR_EQUAL", "GREATER_THAN", "GREATER_THAN_OR_EQUAL":
            guard args.count == 2 else { return false }
            var op = name
            var column = args[0], literal = args[1]
            if case .literal = column {
                swap(&column, &literal)
                op = flipped(op)
            }
            guard let c = info(column, fieldNames, infos), case .literal(let v, _) = literal else { return false }
            if v.isNull { return true }  // comparisons with NULL are never TRUE
            guard comparable(v, c) else { return false }
            guard let min = c.min, let max = c.max else { return c.nullCount == rowCount }
            switch op {
            case "EQUALS": return outside(v, c, below: true, above: true)
            case "LESS_THAN": return compare(min, v) >= 0
            case "LESS_THAN_OR_EQUAL": return compare(min, v) > 0
            case "GREATER_THAN": return compare(max, v) <= 0
            default: return compare(max, v) < 0
            }
        default:
            return false
        }
    }

    private static func flipped(_ op: String) -> String {
        switch op {
        case "LESS_THAN": "GREATER_THAN"
        case "LESS_THAN_OR_EQUAL": "GREATER_THAN_OR_EQUAL"
        case "GREATER_THAN": "LESS_THAN"
        case "GREATER_THAN_OR_EQUAL": "LESS_THAN_OR_EQUAL"
        default: op
        }
    }

    /// Only a literal of the column's own kind is compared with its
    /// statistics (a segment column whose type differs from the query's
    /// is converted on read, and its order may differ: 20 < 100, "20" > "100").
    private static func comparable(_ v: ScalarValue, _ c: SegmentColumnInfo) -> Bool {
        switch (v, c.type.storage) {
        case (.string, .string): true
        case (.long, .long), (.long, .double), (.long, .float), (.double, .long), (.double, .double), (.double, .float): true
        default: false
        }
    }

    /// Whether `v` lies outside the column's [min, max] (an all-NULL column
    /// matches no value).
    private static func outside(_ v: ScalarValue, _ c: SegmentColumnInfo, below: Bool, above: Bool) -> Bool {
        if v.isNull { return true }
        guard let min = c.min, let max = c.max else { return true }
        return compare(v, min) < 0 || compare(v, max) > 0
    }

    /// Orders two values as the evaluator does: numbers numerically, text by
    /// UTF-8 bytes; mixed kinds compare numerically when both parse.
    private static func compare(_ a: ScalarValue, _ b: ScalarValue) -> Int {
        switch (a, b) {
        case (.string(let x), .string(let y)):
            if x == y { return 0 }
            return x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : 1
        case (.long(let x), .long(let y)):
            return x == y ? 0 : (x < y ? -1 : 1)
        default:
            guard let x = a.doubleValue, let y = b.doubleValue else { return 0 }
            return x == y ? 0 : (x < y ? -1 : 1)
        }
    }
}
