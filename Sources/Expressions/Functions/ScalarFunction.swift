package import DataModel

/// Evaluates a function over whole argument columns.
package typealias VectorKernel = @Sendable (_ args: [ColumnVector], _ argTypes: [SQLType], _ resultType: SQLType,
                                            _ rowCount: Int, _ context: EvalContext) throws(HengeError) -> ColumnVector

/// A registered scalar function or operator: its arity, how its result type
/// follows from its argument types, and its vectorized implementation.
package struct ScalarFunction: Sendable {
    package let name: String
    package let arity: ClosedRange<Int>
    /// Result type for the given argument types; throws to refuse them.
    package let returnType: @Sendable ([SQLType]) throws(HengeError) -> SQLType
    package let kernel: VectorKernel

    package init(_ name: String, arity: ClosedRange<Int>, returnType: @escaping @Sendable ([SQLType]) throws(HengeError) -> SQLType,
                 kernel: @escaping VectorKernel) {
        self.name = name
        self.arity = arity
        self.returnType = returnType
        self.kernel = kernel
    }
}

/// Result-type helpers shared by the function definitions.
package enum TypeRules {
    /// BIGINT when every argument is integral (BIGINT/BOOLEAN/TIMESTAMP/NULL), else DOUBLE.
    package static func numeric(_ types: [SQLType]) -> SQLType {
        types.allSatisfy { $0 == .bigint || $0 == .boolean || $0 == .null || $0 == .timestamp } ? .bigint : .double
    }

    /// The common type of branches (CASE, COALESCE): the first non-NULL type,
    /// widened to DOUBLE when numeric types mix.
    package static func common(_ types: [SQLType]) -> SQLType {
        let real = types.filter { $0 != .null }
        guard let first = real.first else { return .varchar }
        if real.allSatisfy({ $0 == first }) { return first }
        if real.allSatisfy({ $0.isNumeric || $0 == .boolean }) { return numeric(real) }
        if real.allSatisfy({ $0 == .timestamp || $0 == .bigint }) { return first }
        return .varchar
    }
}
