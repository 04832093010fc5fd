package import DataModel

/// A parsed SQL expression with its source range.
///
/// Equality and hashing ignore the range: two expressions are equal when
/// they are written the same way anywhere in the statement (what GROUP BY,
/// ORDER BY and DISTINCT matching need).
package struct Expr: Hashable, Sendable {
    package var kind: ExprKind
    package var range: SourceRange

    package init(_ kind: ExprKind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }

    package static func == (a: Expr, b: Expr) -> Bool { a.kind == b.kind }

    package func hash(into hasher: inout Hasher) { hasher.combine(kind) }
}

/// Literal values as written.
package enum Literal: Hashable, Sendable {
    case null
    case boolean(Bool)
    /// Integer text, kept exact.
    case integer(String)
    /// Decimal or exponent text.
    case decimal(String)
    case string(String)
    /// `TIMESTAMP '...'` with the quoted text.
    case timestamp(String)
    /// `DATE '...'`.
    case date(String)
    /// `INTERVAL '<text>' <unit> [TO <unit>]`.
    case interval(String, unit: String, toUnit: String?)
}

/// Binary operators, by SQL spelling.
package enum BinaryOp: String, Hashable, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%", concat = "||"
    case eq = "=", ne = "<>", lt = "<", le = "<=", gt = ">", ge = ">="
    case and = "AND", or = "OR"
}

package enum UnaryOp: String, Hashable, Sendable {
    case not = "NOT", negate = "-", plus = "+"
}

/// What `IS [NOT] ...` tests.
package enum IsTest: String, Hashable, Sendable {
    case null = "NULL", `true` = "TRUE", `false` = "FALSE", unknown = "UNKNOWN"
}

/// One argument of a function call; `name` is set for `name => value`.
package struct CallArgument: Hashable, Sendable {
    package var name: String?
    package var value: Expr

    package init(name: String?, value: Expr) {
        self.name = name
        self.value = value
    }
}

/// The shapes an expression can take.
package indirect enum ExprKind: Hashable, Sendable {
    /// A possibly qualified name: `a`, `t.a`.
    case identifier([String])
    /// `*` or `t.*` (in select lists and `COUNT(*)`).
    case star(qualifier: String?)
    case literal(Literal)
    /// `?`, numbered from 0 in order of appearance.
    case parameter(Int)
    case unary(UnaryOp, Expr)
    case binary(BinaryOp, Expr, Expr)
    /// A function call; `name` upper-cased. `filter` is `FILTER (WHERE ...)`.
    case call(name: String, args: [CallArgument], distinct: Bool, filter: Expr?)
    /// `CAST(x AS type)`; the type name upper-cased (`VARCHAR`, `BIGINT`...).
    case cast(Expr, typeName: String)
    /// `FLOOR(x TO unit)` / `CEIL(x TO unit)`; `function` is FLOOR or CEIL.
    case floorCeilTo(function: String, Expr, unit: String)
    /// `EXTRACT(unit FROM x)`.
    case extract(unit: String, Expr)
    /// `CASE [operand] WHEN .. THEN .. [ELSE ..] END`.
    case caseWhen(operand: Expr?, whens: [CaseBranch], elseResult: Expr?)
    case inList(Expr, [Expr], negated: Bool)
    case inSubquery(Expr, Query, negated: Bool)
    case between(Expr, low: Expr, high: Expr, negated: Bool)
    case like(Expr, pattern: Expr, escape: Expr?, negated: Bool)
    case isTest(Expr, IsTest, negated: Bool)
    case isDistinctFrom(Expr, Expr, negated: Bool)
    /// `ARRAY[a, b]`.
    case arrayConstructor([Expr])
    /// A scalar subquery `(SELECT ...)`.
    case subquery(Query)
}

package struct CaseBranch: Hashable, Sendable {
    package var condition: Expr
    package var result: Expr

    package init(condition: Expr, result: Expr) {
        self.condition = condition
        self.result = result
    }
}
