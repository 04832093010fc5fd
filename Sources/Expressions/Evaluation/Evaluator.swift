package import DataModel

/// Evaluates bound expressions over a `Batch`, one column at a time.
package struct Evaluator: Sendable {
    package let context: EvalContext

    package init(context: EvalContext) {
        self.context = context
    }

    /// The expression's value for every row of `batch`.
    package func evaluate(_ expr: ScalarExpr, _ batch: Batch) throws(HengeError) -> ColumnVector {
        switch expr {
        case .column(let i, _):
            return batch.columns[i]
        case .literal(let v, let t):
            return ColumnVector.constant(v.cast(to: t.nativeType), type: t.nativeType, count: batch.rowCount)
        case .call(let name, let args, let type):
            guard let f = FunctionRegistry.functions[name] else {
                throw HengeError.defensive("unbound function \(name)")
            }
            var cols: [ColumnVector] = []
            cols.reserveCapacity(args.count)
            for a in args { cols.append(try evaluate(a, batch)) }
            if !MultiValueMapping.awareFunctions.contains(name), cols.contains(where: \.isMultiValue) {
                let sameAs: [Int?] = args.indices.map { k in args[..<k].firstIndex(of: args[k]) }
                let mapped = try MultiValueMapping.apply(name, f, cols, args.map(\.type), type, batch.rowCount, context,
                                                         sameAs: sameAs)
                return mapped.isMultiValue ? mapped : conform(mapped, to: type)
            }
            let result = try f.kernel(cols, args.map(\.type), type, batch.rowCount, context)
            return result.isMultiValue ? result : conform(result, to: type)
        }
    }

    /// Ensures the physical column matches the SQL type's native storage.
    private func conform(_ c: ColumnVector, to type: SQLType) -> ColumnVector {
        switch (c.data, type.nativeType.storage) {
        case (.long, .long), (.double, .double), (.string, .string), (.float, .float): return c
        case (_, .long): return ColumnVector(.long(c.longs()), nulls: c.nulls)
        case (_, .double): return ColumnVector(.double(c.doubles()), nulls: c.nulls)
        case (_, .float): return ColumnVector(.float(c.doubles().map { Float($0) }), nulls: c.nulls)
        case (_, .string): return ColumnVector(.string(c.strings(type: type)), nulls: c.nulls)
        }
    }

    /// Evaluates a predicate and returns the rows where it is TRUE.
    package func selectedRows(_ predicate: ScalarExpr, _ batch: Batch) throws(HengeError) -> [Int] {
        let c = try evaluate(predicate, batch)
        let v = c.longs()
        var out: [Int] = []
        out.reserveCapacity(batch.rowCount)
        for r in 0..<batch.rowCount where v[r] != 0 && !c.isNull(r) { out.append(r) }
        return out
    }

    /// Folds an expression without column references to a single value.
    package func constantValue(_ expr: ScalarExpr) throws(HengeError) -> ScalarValue {
        let one = Batch(signature: RowSignature([]), columns: [], rowCount: 1)
        return try evaluate(expr, one).value(at: 0)
    }
}
