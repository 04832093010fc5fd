package import DataModel

/// How a scalar function meets a multi-value string argument, as Druid's
/// expressions do: the function is applied to each value ("implicit
/// mapping"). A predicate is TRUE for the row when it is TRUE for any value
/// (NULL when no value makes it TRUE and some makes it NULL); `<>` is the
/// negation of `=`, so `dim <> 'a'` keeps rows none of whose values is `a`.
/// Other functions produce a multi-value result. Two uses of the same input
/// pair their values (`CONCAT(dim3, '-', dim3)` → `["a-a","b-b"]`).
enum MultiValueMapping {
    /// Functions that receive multi-value arguments as they are.
    static let awareFunctions: Set<String> = [
        "IS_NULL", "IS_NOT_NULL", "ARRAY", "STRING_TO_MV", "MV_CONTAINS", "MV_OVERLAP", "MV_LENGTH", "MV_TO_STRING",
        "MV_FILTER_ONLY", "MV_FILTER_NONE", "MV_OFFSET", "MV_ORDINAL", "MV_OFFSET_OF", "MV_ORDINAL_OF",
        "MV_APPEND", "MV_PREPEND", "MV_CONCAT", "MV_SLICE", "MV_TO_ARRAY",
    ]

    static func apply(_ name: String, _ function: ScalarFunction, _ args: [ColumnVector], _ argTypes: [SQLType],
                      _ resultType: SQLType, _ rowCount: Int, _ context: EvalContext,
                      sameAs: [Int?]) throws(HengeError) -> ColumnVector {
        if name == "NOT_EQUALS", let equals = FunctionRegistry.functions["EQUALS"] {
            let any = try apply("EQUALS", equals, args, argTypes, resultType, rowCount, context, sameAs: sameAs)
            let v = any.longs()
            return ColumnVector(.long(v.map { $0 == 0 ? 1 : 0 }), nulls: any.nulls)
        }
        let unnest = MultiValueUnnest(args, sameAs: sameAs)
        let perValue = try function.kernel(unnest.keys, argTypes, resultType, unnest.sourceRows.count, context)
        if resultType == .boolean { return anyMatch(perValue, sourceRows: unnest.sourceRows, rowCount: rowCount) }
        return try regroup(perValue, sourceRows: unnest.sourceRows, rowCount: rowCount, name: name, resultType: resultType)
    }

    /// TRUE where any value's result is TRUE; else NULL where any is NULL; else FALSE.
    private static func anyMatch(_ perValue: ColumnVector, sourceRows: [Int], rowCount: Int) -> ColumnVector {
        let v = perValue.longs()
        var matched = [Int64](repeating: 0, count: rowCount)
        var sawNull = [Bool](repeating: false, count: rowCount)
        for (i, row) in sourceRows.enumerated() {
            if perValue.isNull(i) { sawNull[row] = true } else if v[i] != 0 { matched[row] = 1 }
        }
        var mask = NullMask(count: rowCount)
        for r in 0..<rowCount where matched[r] == 0 && sawNull[r] { mask.setNull(r) }
        return ColumnVector(.long(matched), nulls: mask)
    }

    /// Gathers the per-value results back into rows: a multi-value string
    /// where a row has several non-NULL results, else a plain column.
    private static func regroup(_ perValue: ColumnVector, sourceRows: [Int], rowCount: Int,
                                name: String, resultType: SQLType) throws(HengeError) -> ColumnVector {
        var firstValue = [Int](repeating: -1, count: rowCount)
        var valueCount = [Int](repeating: 0, count: rowCount)
        for (i, row) in sourceRows.enumerated() where !perValue.isNull(i) {
            if firstValue[row] < 0 { firstValue[row] = i }
            valueCount[row] += 1
        }
        if valueCount.allSatisfy({ $0 <= 1 }) {
            var rows = [Int](repeating: 0, count: rowCount)
            var mask = NullMask(count: rowCount)
            for r in 0..<rowCount {
                if firstValue[r] < 0 { mask.setNull(r) } else { rows[r] = firstValue[r] }
            }
            let gathered = perValue.gather(rows)
            return ColumnVector(gathered.data, nulls: mask)
        }
        guard resultType.nativeType == .string else {
            throw HengeError.invalidInput(
                "Function [\(name)] over a multi-value string yields several \(resultType) values per row; "
                    + "only functions returning VARCHAR may be applied to each value of a multi-value string")
        }
        var lists = [[String]?](repeating: nil, count: rowCount)
        for (i, row) in sourceRows.enumerated() where !perValue.isNull(i) {
            lists[row] = (lists[row] ?? []) + [perValue.value(at: i).stringValue ?? ""]
        }
        return MultiStringColumn.build(lists)
    }
}
