package import DataModel

/// A bound, typed scalar expression over the columns of an input `Batch`.
///
/// Produced by the binder, evaluated a whole column at a time by
/// `Evaluator`. Function calls name a registry entry (`FunctionRegistry`).
package indirect enum ScalarExpr: Hashable, Sendable, CustomStringConvertible {
    /// Input column by position, with its SQL type.
    case column(Int, SQLType)
    case literal(ScalarValue, SQLType)
    /// A registered function or operator (upper-case name) applied to arguments.
    case call(String, [ScalarExpr], SQLType)

    package var type: SQLType {
        switch self {
        case .column(_, let t), .literal(_, let t), .call(_, _, let t): t
        }
    }

    /// Input columns the expression reads.
    package var referencedColumns: Set<Int> {
        switch self {
        case .column(let i, _): [i]
        case .literal: []
        case .call(_, let args, _): args.reduce(into: Set<Int>()) { $0.formUnion($1.referencedColumns) }
        }
    }

    /// Rewrites column indexes (after a projection pushes down).
    package func remapColumns(_ f: (Int) -> Int) -> ScalarExpr {
        switch self {
        case .column(let i, let t): .column(f(i), t)
        case .literal: self
        case .call(let n, let args, let t): .call(n, args.map { $0.remapColumns(f) }, t)
        }
    }

    package var isLiteral: Bool { if case .literal = self { true } else { false } }

    package var description: String {
        switch self {
        case .column(let i, _): "$\(i)"
        case .literal(let v, let t):
            switch v {
            case .string(let s): "'\(s)'"
            case .null: "null"
            default: t == .timestamp ? ISOTime.format(v.longValue ?? 0) : v.renderedString
            }
        case .call(let n, let args, _): "\(n)(\(args.map(\.description).joined(separator: ", ")))"
        }
    }
}
