/// A per-batch step of a stage's processor: keep matching rows, or compute
/// new columns.
package enum RowOperation: Hashable, Sendable {
    case filter(ScalarExpr)
    case project([ScalarExpr])
}

/// Group keys and aggregates over a batch's columns.
package struct AggregateSpec: Hashable, Sendable {
    package var keys: [ScalarExpr]
    package var aggregates: [AggregateCall]

    package init(keys: [ScalarExpr], aggregates: [AggregateCall]) {
        self.keys = keys
        self.aggregates = aggregates
    }
}
