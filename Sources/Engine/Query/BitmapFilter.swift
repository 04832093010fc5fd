internal import DataModel
internal import Expressions
internal import SegmentFormat

/// Answers the conjuncts of a scan filter that a segment's bitmap indexes
/// decide, before any column is decoded (Druid's use of its inverted index).
///
/// A conjunct is decided when it is built only from `col = 'literal'`,
/// `col <> 'literal'`, `col IN ('a', ...)`, `col IS [NOT] NULL` on a plain
/// VARCHAR field whose segment column is STRING with an index, combined with
/// AND, OR and NOT. The answer is three-valued like the evaluator's: a set
/// of TRUE rows and a set of NULL rows (the rest are FALSE), so `NOT (col =
/// 'x')` keeps no NULL row. Multi-value rows match `=` and `IN` when any
/// value does, as `MultiValueMapping` evaluates them; `<>` is `NOT (=)`.
/// String equality is the evaluator's (Swift `String ==`), which the index
/// lookup reproduces (`SegmentReader.rows(equalTo:in:)`).
enum BitmapFilter {
    /// The rows selected by the decided conjuncts (nil when none was
    /// decided) and the conjuncts left to evaluate row by row.
    struct Split {
        var rows: RowBitmap?
        var remaining: ScalarExpr?
    }

    static func split(_ filter: ScalarExpr, fields: [ColumnSpec], reader: SegmentReader) throws(HengeError) -> Split {
        var rows: RowBitmap? = nil
        var remaining: [ScalarExpr] = []
        let context = Context(fields: fields, reader: reader)
        for conjunct in conjuncts(filter) {
            if let truth = try context.truth(conjunct) {
                if rows == nil { rows = truth.isTrue } else { rows!.formIntersection(truth.isTrue) }
            } else {
                remaining.append(conjunct)
            }
        }
        let rest: ScalarExpr? =
            remaining.isEmpty ? nil : remaining.count == 1 ? remaining[0] : .call("AND", remaining, .boolean)
        return Split(rows: rows, remaining: rest)
    }

    private static func conjuncts(_ e: ScalarExpr) -> [ScalarExpr] {
        if case .call("AND", let args, _) = e { return args.flatMap(conjuncts) }
        return [e]
    }

    /// A predicate's value per row: TRUE rows and NULL rows (disjoint).
    struct Truth {
        var isTrue: RowBitmap
        var isNull: RowBitmap
    }

    private struct Context {
        let fields: [ColumnSpec]
        let reader: SegmentReader

        var all: RowBitmap { .all(rowCount: reader.rowCount) }
        var none: RowBitmap { RowBitmap(rowCount: reader.rowCount) }

        /// The indexed segment column a field reference names, if any.
        func indexedColumn(_ e: ScalarExpr) -> String? {
            guard case .column(let i, let type) = e, type == .varchar, i < fields.count, fields[i].type == .string else {
                return nil
            }
            let name = fields[i].name
            guard let c = reader.signature.index(of: name), reader.signature[c].type == .string,
                  reader.hasBitmapIndex(name) else { return nil }
            return name
        }

        /// The column's NULL rows; the footer's NULL count spares decoding
        /// the bitmap of a column without NULLs.
        func nullRows(_ column: String) throws(HengeError) -> RowBitmap? {
            if let info = reader.columnInfos.first(where: { $0.name == column }), info.nullCount == 0 { return none }
            return try reader.nullRows(column)
        }

        /// A VARCHAR literal's text; `.some(nil)` for a NULL literal.
        func literal(_ e: ScalarExpr) -> String?? {
            guard case .literal(let v, let type) = e else { return nil }
            switch (v, type) {
            case (.null, .varchar), (.null, .null): return .some(nil)
            case (.string(let s), .varchar): return .some(s)
            default: return nil
            }
        }

        func truth(_ e: ScalarExpr) throws(HengeError) -> Truth? {
            guard case .call(let name, let args, _) = e else { return nil }
            switch name {
            case "AND", "OR":
                var parts: [Truth] = []
                for a in args {
                    guard let t = try truth(a) else { return nil }
                    parts.append(t)
                }
                guard var result = parts.first else { return nil }
                for t in parts.dropFirst() {
                    if name == "AND" {
                        // NULL where neither side is FALSE and not both TRUE.
                        let notFalse = result.isTrue.union(result.isNull).intersection(t.isTrue.union(t.isNull))
                        result.isTrue.formIntersection(t.isTrue)
                        result.isNull = notFalse.subtracting(result.isTrue)
                    } else {
                        result.isTrue.formUnion(t.isTrue)
                        result.isNull = result.isNull.union(t.isNull).subtracting(result.isTrue)
                    }
                }
                return result
            case "NOT":
                guard args.count == 1, let t = try truth(args[0]) else { return nil }
                return Truth(isTrue: all.subtracting(t.isTrue).subtracting(t.isNull), isNull: t.isNull)
            case "IS_NULL", "IS_NOT_NULL":
                guard args.count == 1, let column = indexedColumn(args[0]), let nulls = try nullRows(column) else {
                    return nil
                }
                return Truth(isTrue: name == "IS_NULL" ? nulls : nulls.complement(), isNull: none)
            case "EQUALS", "NOT_EQUALS":
                guard args.count == 2 else { return nil }
                var (columnArg, literalArg) = (args[0], args[1])
                if indexedColumn(columnArg) == nil { swap(&columnArg, &literalArg) }
                guard let column = indexedColumn(columnArg), let value = literal(literalArg) else { return nil }
                guard let nulls = try nullRows(column) else { return nil }
                let equals: Truth
                if let value {
                    guard let matches = try reader.rows(equalTo: value, in: column) else { return nil }
                    equals = Truth(isTrue: matches, isNull: nulls)
                } else {
                    equals = Truth(isTrue: none, isNull: all)  // comparing with NULL is NULL
                }
                if name == "EQUALS" { return equals }
                return Truth(isTrue: all.subtracting(equals.isTrue).subtracting(equals.isNull), isNull: equals.isNull)
            case "IN":
                guard args.count >= 2, let column = indexedColumn(args[0]) else { return nil }
                var values: [String] = []
                var listHasNull = false
                for a in args.dropFirst() {
                    guard let v = literal(a) else { return nil }
                    if let v { values.append(v) } else { listHasNull = true }
                }
                guard let nulls = try nullRows(column), let matches = try reader.rows(in: values, column: column) else {
                    return nil
                }
                // No match and a NULL in the list: NULL, as the evaluator's IN.
                let isNull = listHasNull ? all.subtracting(matches) : nulls
                return Truth(isTrue: matches, isNull: isNull)
            default:
                return nil
            }
        }
    }
}
