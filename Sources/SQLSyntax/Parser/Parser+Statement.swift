internal import DataModel

extension Parser {
    mutating func statement() throws(HengeError) -> Statement {
        let start = current.range
        if accept("EXPLAIN") {
            try expect("PLAN")
            try expect("FOR")
            return .explain(try statement(), range: start)
        }
        if current.kind == .word && current.text.uppercased() == "DESCRIBE" {
            advance()
            return .describe(try fromPrimary(), range: start)
        }
        if current.isKeyword("INSERT") || current.isKeyword("REPLACE") {
            let isReplace = current.isKeyword("REPLACE")
            advance()
            return isReplace ? .replace(try ingest(isReplace: true, start: start)) : .insert(try ingest(isReplace: false, start: start))
        }
        if current.isKeyword("UPSERT") {
            throw error(at: current.range, "UPSERT is not supported.")
        }
        if current.isKeyword("SELECT") || current.isKeyword("WITH") || current.isSymbol("(") {
            return .query(try query())
        }
        if current.kind == .word, ["UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "MERGE"].contains(current.text.uppercased()) {
            throw HengeError.invalidInput(
                "Unsupported SQL statement [\(current.text.uppercased())]", range: current.range)
        }
        throw unexpected(expecting: ["SELECT", "INSERT", "REPLACE", "WITH", "EXPLAIN", "SET"])
    }

    mutating func ingest(isReplace: Bool, start: SourceRange) throws(HengeError) -> IngestStatement {
        try expect("INTO")
        let targetStart = current.range
        let target = try compoundName()
        let targetRange = span(targetStart, previousRange)
        var columns: [String]? = nil
        if current.isSymbol("("), !peek().isKeyword("SELECT") {
            advance()
            var cols: [String] = []
            repeat { cols.append(try identifierName()) } while acceptSymbol(",")
            try expectSymbol(")")
            columns = cols
        }
        var overwrite: Overwrite? = nil
        if accept("OVERWRITE") {
            if accept("ALL") {
                overwrite = .all
            } else if accept("WHERE") {
                overwrite = .whereClause(try expression())
            } else if current.isKeyword("SELECT") || current.isKeyword("WITH") || current.isSymbol("(") {
                overwrite = .missing
            } else {
                throw unexpected(expecting: ["ALL", "WHERE"])
            }
        }
        if current.isKeyword("VALUES") {
            throw error(at: current.range, "VALUES is not supported within an INSERT statement.")
        }
        let q = try query()
        var partitioned: PartitionedBy? = nil
        var clustered: [OrderItem] = []
        if accept("PARTITIONED") {
            try expect("BY")
            partitioned = try partitionedBy()
        }
        if partitioned == nil && current.isKeyword("CLUSTERED") {
            throw error(at: current.range,
                        "CLUSTERED BY found before PARTITIONED BY, CLUSTERED BY must come after the PARTITIONED BY clause")
        }
        if accept("CLUSTERED") {
            try expect("BY")
            repeat { clustered.append(try orderItem()) } while acceptSymbol(",")
        }
        if partitioned == nil, accept("PARTITIONED") {
            try expect("BY")
            partitioned = try partitionedBy()
        }
        return IngestStatement(target: target, targetRange: targetRange, targetColumns: columns, overwrite: overwrite, query: q,
                               partitionedBy: partitioned, clusteredBy: clustered, range: span(start, previousRange))
    }

    mutating func partitionedBy() throws(HengeError) -> PartitionedBy {
        let t = current
        if t.kind == .string {
            advance()
            return .string(t.text, t.range)
        }
        if t.isKeyword("ALL") {
            advance()
            if current.isKeyword("TIME") {
                advance()
                return .keyword("ALL TIME", span(t.range, previousRange))
            }
            return .keyword("ALL", t.range)
        }
        if t.kind == .word, !peek().isSymbol("(") {
            advance()
            return .keyword(t.text.uppercased(), t.range)
        }
        return .expression(try expression())
    }

    mutating func query() throws(HengeError) -> Query {
        let start = current.range
        var ctes: [CommonTableExpr] = []
        if accept("WITH") {
            repeat {
                let name = try identifierName()
                var cols: [String]? = nil
                if acceptSymbol("(") {
                    var c: [String] = []
                    repeat { c.append(try identifierName()) } while acceptSymbol(",")
                    try expectSymbol(")")
                    cols = c
                }
                try expect("AS")
                try expectSymbol("(")
                let q = try query()
                try expectSymbol(")")
                ctes.append(CommonTableExpr(name: name, columns: cols, query: q))
            } while acceptSymbol(",")
        }
        var body = try queryTerm()
        while current.isKeyword("UNION") {
            advance()
            guard accept("ALL") else {
                throw error(at: previousRange, "UNION is not supported; use UNION ALL")
            }
            body = .unionAll(body, try queryTerm())
        }
        var orderBy: [OrderItem] = []
        if accept("ORDER") {
            try expect("BY")
            repeat { orderBy.append(try orderItem()) } while acceptSymbol(",")
        }
        var limit: Expr? = nil
        var offset: Expr? = nil
        if accept("LIMIT") { limit = try expression() }
        if accept("OFFSET") {
            offset = try expression()
            if !accept("ROWS") { accept("ROW") }
        }
        if accept("FETCH") {
            guard accept("FIRST") || accept("NEXT") else { throw unexpected(expecting: ["FIRST", "NEXT"]) }
            limit = try expression()
            guard accept("ROWS") || accept("ROW") else { throw unexpected(expecting: ["ROWS"]) }
            try expect("ONLY")
        }
        return Query(with: ctes, body: body, orderBy: orderBy, limit: limit, offset: offset, range: span(start, previousRange))
    }

    mutating func queryTerm() throws(HengeError) -> QueryBody {
        if current.isSymbol("(") {
            advance()
            let q = try query()
            try expectSymbol(")")
            return .nested(q)
        }
        return .select(try select())
    }

    mutating func select() throws(HengeError) -> Select {
        let start = current.range
        try expect("SELECT")
        var distinct = false
        if accept("DISTINCT") { distinct = true } else { accept("ALL") }
        var items: [SelectItem] = []
        repeat {
            let e = try expression()
            var alias: String? = nil
            if accept("AS") {
                alias = try identifierName()
            } else if isIdentifierToken {
                alias = try identifierName()
            }
            items.append(SelectItem(expr: e, alias: alias))
        } while acceptSymbol(",")
        var from: FromItem? = nil
        if accept("FROM") { from = try fromClause() }
        var whereClause: Expr? = nil
        if accept("WHERE") { whereClause = try expression() }
        var groupBy: [Expr] = []
        if accept("GROUP") {
            try expect("BY")
            if current.kind == .word, ["GROUPING", "ROLLUP", "CUBE"].contains(current.text.uppercased()) {
                throw HengeError.unsupported("\(current.text.uppercased()) is not supported yet", range: current.range)
            }
            if current.isSymbol("("), peek().isSymbol(")") {
                advance(); advance()
                var s = Select(distinct: distinct, items: items, from: from, whereClause: whereClause, groupBy: [], having: nil,
                               range: span(start, previousRange))
                s.groupByEmptySet = true
                if accept("HAVING") { s.having = try expression() }
                s.range = span(start, previousRange)
                return s
            }
            repeat { groupBy.append(try expression()) } while acceptSymbol(",")
        }
        var having: Expr? = nil
        if accept("HAVING") { having = try expression() }
        return Select(distinct: distinct, items: items, from: from, whereClause: whereClause, groupBy: groupBy, having: having,
                      range: span(start, previousRange))
    }

    mutating func fromClause() throws(HengeError) -> FromItem {
        var left = try fromPrimary()
        while true {
            let start = current.range
            var kind: JoinKind? = nil
            if acceptSymbol(",") {
                left = .join(left, try fromPrimary(), kind: .cross, on: nil, range: start)
                continue
            }
            if accept("CROSS") { try expect("JOIN"); kind = .cross }
            else if accept("INNER") { try expect("JOIN"); kind = .inner }
            else if accept("JOIN") { kind = .inner }
            else if accept("LEFT") { accept("OUTER"); try expect("JOIN"); kind = .left }
            else if accept("RIGHT") { accept("OUTER"); try expect("JOIN"); kind = .right }
            else if accept("FULL") { accept("OUTER"); try expect("JOIN"); kind = .full }
            guard let kind else { return left }
            let right = try fromPrimary()
            var on: Expr? = nil
            if kind != .cross {
                try expect("ON")
                on = try expression()
            }
            left = .join(left, right, kind: kind, on: on, range: span(start, previousRange))
        }
    }

    mutating func tableAlias() throws(HengeError) -> String? {
        if accept("AS") { return try identifierName() }
        if isIdentifierToken, !current.isKeyword("EXTEND") { return try identifierName() }
        return nil
    }

    mutating func fromPrimary() throws(HengeError) -> FromItem {
        let start = current.range
        if accept("TABLE") {
            try expectSymbol("(")
            let nameTok = current
            let name = try identifierName().uppercased()
            try expectSymbol("(")
            var args: [CallArgument] = []
            if !current.isSymbol(")") {
                repeat { args.append(try callArgument()) } while acceptSymbol(",")
            }
            try expectSymbol(")")
            try expectSymbol(")")
            _ = nameTok
            var extend: [ColumnDefinition]? = nil
            if accept("EXTEND") {
                extend = try columnDefinitions()
            } else if current.isSymbol("(") {
                extend = try columnDefinitions()
            }
            let alias = try tableAlias()
            return .tableFunction(name: name, args: args, extend: extend, alias: alias, range: span(start, previousRange))
        }
        if current.isSymbol("(") {
            advance()
            if current.isKeyword("SELECT") || current.isKeyword("WITH") || current.isSymbol("(") {
                let q = try query()
                try expectSymbol(")")
                let alias = try tableAlias()
                return .subquery(q, alias: alias, range: span(start, previousRange))
            }
            let inner = try fromClause()
            try expectSymbol(")")
            return inner
        }
        let name = try compoundName()
        let nameRange = span(start, previousRange)
        let alias = try tableAlias()
        return .table(name: name, alias: alias, range: nameRange)
    }

    mutating func columnDefinitions() throws(HengeError) -> [ColumnDefinition] {
        try expectSymbol("(")
        var defs: [ColumnDefinition] = []
        repeat {
            let start = current.range
            let name = try identifierName()
            let type = try typeName()
            defs.append(ColumnDefinition(name: name, typeName: type, range: span(start, previousRange)))
        } while acceptSymbol(",")
        try expectSymbol(")")
        return defs
    }

    /// A SQL type name: `VARCHAR`, `BIGINT ARRAY`, `DOUBLE PRECISION`, `TYPE('COMPLEX<json>')`, `VARCHAR(10)`.
    mutating func typeName() throws(HengeError) -> String {
        guard current.kind == .word || current.kind == .quotedIdentifier else { throw unexpected(expecting: ["<TYPE>"]) }
        if current.isKeyword("TYPE"), peek().isSymbol("(") {
            advance(); advance()
            guard current.kind == .string else { throw unexpected(expecting: ["<STRING>"]) }
            let t = current.text
            advance()
            try expectSymbol(")")
            return t
        }
        var name = current.text.uppercased()
        advance()
        if name == "DOUBLE" { accept("PRECISION") }
        if name == "CHARACTER" || name == "CHAR", accept("VARYING") { name = "VARCHAR" }
        if acceptSymbol("(") {
            while !current.isSymbol(")") && current.kind != .end { advance() }
            try expectSymbol(")")
        }
        if accept("ARRAY") { name += " ARRAY" }
        return name
    }

    mutating func orderItem() throws(HengeError) -> OrderItem {
        let e = try expression()
        var desc = false
        if accept("DESC") { desc = true } else { accept("ASC") }
        var nullsFirst: Bool? = nil
        if accept("NULLS") {
            if accept("FIRST") { nullsFirst = true } else if accept("LAST") { nullsFirst = false } else {
                throw unexpected(expecting: ["FIRST", "LAST"])
            }
        }
        return OrderItem(expr: e, descending: desc, nullsFirst: nullsFirst)
    }

    mutating func callArgument() throws(HengeError) -> CallArgument {
        if (current.kind == .word || current.kind == .quotedIdentifier), peek().isSymbol("=>") {
            let name = current.text
            advance(); advance()
            return CallArgument(name: name, value: try expression())
        }
        return CallArgument(name: nil, value: try expression())
    }
}
