package import DataModel

/// A whole request: leading `SET key = value;` statements, then one statement.
package struct Script: Hashable, Sendable {
    package var settings: [(key: String, value: Literal)]
    package var statement: Statement

    package static func == (a: Script, b: Script) -> Bool {
        a.statement == b.statement && a.settings.map(\.key) == b.settings.map(\.key)
            && a.settings.map(\.value) == b.settings.map(\.value)
    }

    package func hash(into h: inout Hasher) { h.combine(statement) }
}

/// A top-level SQL statement.
package indirect enum Statement: Hashable, Sendable {
    case query(Query)
    case insert(IngestStatement)
    case replace(IngestStatement)
    /// `EXPLAIN PLAN FOR <statement>`.
    case explain(Statement, range: SourceRange)
    /// `DESCRIBE TABLE(EXTERN(...))`, `DESCRIBE TABLE(localfiles(...))`, `DESCRIBE ds`:
    /// the columns and types (Henge's; Druid has no DESCRIBE).
    case describe(FromItem, range: SourceRange)
}

/// `INSERT INTO` / `REPLACE INTO` with its clauses.
package struct IngestStatement: Hashable, Sendable {
    /// The target name parts (`ds` or `druid.ds`).
    package var target: [String]
    package var targetRange: SourceRange
    /// `INSERT INTO t (a, b)` column list, which Druid refuses.
    package var targetColumns: [String]?
    /// REPLACE only: nil when OVERWRITE is missing.
    package var overwrite: Overwrite?
    package var query: Query
    /// Nil when PARTITIONED BY is missing.
    package var partitionedBy: PartitionedBy?
    package var clusteredBy: [OrderItem]
    package var range: SourceRange

    package init(target: [String], targetRange: SourceRange, targetColumns: [String]?, overwrite: Overwrite?, query: Query,
                 partitionedBy: PartitionedBy?, clusteredBy: [OrderItem], range: SourceRange) {
        self.target = target
        self.targetRange = targetRange
        self.targetColumns = targetColumns
        self.overwrite = overwrite
        self.query = query
        self.partitionedBy = partitionedBy
        self.clusteredBy = clusteredBy
        self.range = range
    }
}

package enum Overwrite: Hashable, Sendable {
    case all
    case whereClause(Expr)
    /// `OVERWRITE` with neither ALL nor WHERE (refused by validation, as Druid does).
    case missing
}

/// The PARTITIONED BY argument as written.
package enum PartitionedBy: Hashable, Sendable {
    /// A bare keyword such as `DAY`, `ALL`, `ALL TIME` (upper-cased).
    case keyword(String, SourceRange)
    /// A string such as `'P1D'` or `'hour'`.
    case string(String, SourceRange)
    /// `FLOOR(__time TO DAY)`, `TIME_FLOOR(__time, 'PT1H')` or any other call.
    case expression(Expr)
}

/// `WITH ... SELECT ... [UNION ALL ...] [ORDER BY] [LIMIT] [OFFSET]`.
package struct Query: Hashable, Sendable {
    package var with: [CommonTableExpr]
    package var body: QueryBody
    package var orderBy: [OrderItem]
    package var limit: Expr?
    package var offset: Expr?
    package var range: SourceRange

    package init(with: [CommonTableExpr], body: QueryBody, orderBy: [OrderItem], limit: Expr?, offset: Expr?, range: SourceRange) {
        self.with = with
        self.body = body
        self.orderBy = orderBy
        self.limit = limit
        self.offset = offset
        self.range = range
    }
}

package indirect enum QueryBody: Hashable, Sendable {
    case select(Select)
    /// `UNION ALL` of two bodies.
    case unionAll(QueryBody, QueryBody)
    /// A parenthesised query used as a body.
    case nested(Query)
}

package struct CommonTableExpr: Hashable, Sendable {
    package var name: String
    package var columns: [String]?
    package var query: Query

    package init(name: String, columns: [String]?, query: Query) {
        self.name = name
        self.columns = columns
        self.query = query
    }
}

/// One `SELECT ... FROM ... WHERE ... GROUP BY ... HAVING ...` block.
package struct Select: Hashable, Sendable {
    package var distinct: Bool
    package var items: [SelectItem]
    package var from: FromItem?
    package var whereClause: Expr?
    package var groupBy: [Expr]
    /// `GROUP BY ()`: one group over all rows, even with no aggregates.
    package var groupByEmptySet = false
    package var having: Expr?
    package var range: SourceRange

    package init(distinct: Bool, items: [SelectItem], from: FromItem?, whereClause: Expr?, groupBy: [Expr], having: Expr?, range: SourceRange) {
        self.distinct = distinct
        self.items = items
        self.from = from
        self.whereClause = whereClause
        self.groupBy = groupBy
        self.having = having
        self.range = range
    }
}

package struct SelectItem: Hashable, Sendable {
    package var expr: Expr
    package var alias: String?

    package init(expr: Expr, alias: String?) {
        self.expr = expr
        self.alias = alias
    }
}

/// A column definition of `EXTEND (...)` or a table function schema.
package struct ColumnDefinition: Hashable, Sendable {
    package var name: String
    package var typeName: String
    package var range: SourceRange

    package init(name: String, typeName: String, range: SourceRange) {
        self.name = name
        self.typeName = typeName
        self.range = range
    }
}

package indirect enum FromItem: Hashable, Sendable {
    case table(name: [String], alias: String?, range: SourceRange)
    /// `TABLE(fn(args)) [EXTEND] (cols) [AS alias]`.
    case tableFunction(name: String, args: [CallArgument], extend: [ColumnDefinition]?, alias: String?, range: SourceRange)
    case subquery(Query, alias: String?, range: SourceRange)
    case join(FromItem, FromItem, kind: JoinKind, on: Expr?, range: SourceRange)
}

package enum JoinKind: String, Hashable, Sendable {
    case inner = "INNER", left = "LEFT", right = "RIGHT", full = "FULL", cross = "CROSS"
}

package struct OrderItem: Hashable, Sendable {
    package var expr: Expr
    package var descending: Bool
    /// nil when not written.
    package var nullsFirst: Bool?

    package init(expr: Expr, descending: Bool, nullsFirst: Bool?) {
        self.expr = expr
        self.descending = descending
        self.nullsFirst = nullsFirst
    }
}
