package import DataModel

/// The aggregate functions Henge evaluates.
package enum AggregateKind: String, Hashable, Sendable {
    case count = "COUNT"
    case sum = "SUM"
    case min = "MIN"
    case max = "MAX"
    case avg = "AVG"
    /// Any one value of the group (the first one met, NULL included).
    case anyValue = "ANY_VALUE"
    /// The value at the earliest / latest time (`__time`, or the BY expression).
    case earliest = "EARLIEST"
    case latest = "LATEST"
    case earliestBy = "EARLIEST_BY"
    case latestBy = "LATEST_BY"

    /// True for the kinds that pick one value of the group and keep its type.
    package var picksValue: Bool {
        switch self {
        case .anyValue, .earliest, .latest, .earliestBy, .latestBy: true
        default: false
        }
    }
}

/// One bound aggregate: `COUNT(*)`, `SUM(x)`, `MIN(x) FILTER (WHERE ...)`.
package struct AggregateCall: Hashable, Sendable, CustomStringConvertible {
    package var kind: AggregateKind
    /// Nil for `COUNT(*)`.
    package var argument: ScalarExpr?
    package var distinct: Bool
    /// COUNT(DISTINCT) estimated with HyperLogLog (Druid's default, `useApproximateCountDistinct`).
    package var approximate = false
    package var filter: ScalarExpr?
    /// The time EARLIEST/LATEST order by: `__time` of the input, or the BY
    /// expression; nil means input order.
    package var timeArgument: ScalarExpr?
    /// EARLIEST/LATEST/ANY_VALUE on strings: values are cut to this many
    /// UTF-8 bytes (Druid's `maxBytesPerValue`, default 1024).
    package var maxStringBytes = 1024
    /// Result type.
    package var type: SQLType
    /// EARLIEST/LATEST over a pair column (`SQLType.pair`): each value
    /// carries its own time, which orders the pick instead of `timeArgument`.
    package var pairInput = false
    /// EARLIEST/LATEST keeping its intermediate state (`finalizeAggregations:
    /// false`): the result is the picked time and value as a pair.
    package var pairOutput = false

    package init(kind: AggregateKind, argument: ScalarExpr?, distinct: Bool = false, filter: ScalarExpr? = nil, type: SQLType) {
        self.kind = kind
        self.argument = argument
        self.distinct = distinct
        self.filter = filter
        self.type = type
    }

    /// Druid's result type rules: COUNT → BIGINT; SUM/MIN/MAX keep integer
    /// vs floating; AVG is always DOUBLE.
    package static func resultType(_ kind: AggregateKind, argument: SQLType?) -> SQLType {
        switch kind {
        case .anyValue, .earliest, .latest, .earliestBy, .latestBy: return argument ?? .null
        case .count: return .bigint
        case .avg:
            // Druid 28+ (apache/druid#15089): AVG is DOUBLE even over integers.
            return .double
        case .sum:
            switch argument {
            case .double?, .float?, .varchar?: return .double
            default: return .bigint
            }
        case .min, .max:
            switch argument {
            case .timestamp?: return .timestamp
            case .double?, .float?: return .double
            case .varchar?: return .varchar
            default: return .bigint
            }
        }
    }

    package var description: String {
        var s = approximate ? "APPROX_COUNT_DISTINCT(\(argument?.description ?? "*"))"
            : "\(kind.rawValue)(\(distinct ? "DISTINCT " : "")\(argument?.description ?? "*"))"
        if let timeArgument { s = String(s.dropLast()) + " BY \(timeArgument))" }
        if let filter { s += " FILTER(\(filter))" }
        return s
    }
}
