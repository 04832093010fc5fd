internal import DataModel

extension Parser {
    /// expression := or
    mutating func expression() throws(HengeError) -> Expr {
        try orExpr()
    }

    mutating func orExpr() throws(HengeError) -> Expr {
        var left = try andExpr()
        while accept("OR") {
            let right = try andExpr()
            left = Expr(.binary(.or, left, right), span(left.range, right.range))
        }
        return left
    }

    mutating func andExpr() throws(HengeError) -> Expr {
        var left = try notExpr()
        while accept("AND") {
            let right = try notExpr()
            left = Expr(.binary(.and, left, right), span(left.range, right.range))
        }
        return left
    }

    mutating func notExpr() throws(HengeError) -> Expr {
        let start = current.range
        if accept("NOT") {
            let e = try notExpr()
            return Expr(.unary(.not, e), span(start, e.range))
        }
        return try comparison()
    }

    mutating func comparison() throws(HengeError) -> Expr {
        var left = try additive()
        while true {
            if current.kind == .symbol, let op = BinaryOp(rawValue: current.text),
               [.eq, .ne, .lt, .le, .gt, .ge].contains(op) {
                advance()
                let right = try additive()
                left = Expr(.binary(op, left, right), span(left.range, right.range))
                continue
            }
            if current.isKeyword("IS") {
                advance()
                let negated = accept("NOT")
                if accept("DISTINCT") {
                    try expect("FROM")
                    let right = try additive()
                    left = Expr(.isDistinctFrom(left, right, negated: negated), span(left.range, right.range))
                    continue
                }
                let test: IsTest
                if accept("NULL") { test = .null }
                else if accept("TRUE") { test = .true }
                else if accept("FALSE") { test = .false }
                else if accept("UNKNOWN") { test = .unknown }
                else { throw unexpected(expecting: ["NULL", "TRUE", "FALSE", "UNKNOWN", "DISTINCT"]) }
                left = Expr(.isTest(left, test, negated: negated), span(left.range, previousRange))
                continue
            }
            let negated: Bool
            if current.isKeyword("NOT"), peek().isKeyword("IN") || peek().isKeyword("BETWEEN") || peek().isKeyword("LIKE") {
                advance()
                negated = true
            } else {
                negated = false
            }
            if accept("IN") {
                try expectSymbol("(")
                if current.isKeyword("SELECT") || current.isKeyword("WITH") {
                    let q = try query()
                    try expectSymbol(")")
                    left = Expr(.inSubquery(left, q, negated: negated), span(left.range, previousRange))
                } else {
                    var items: [Expr] = []
                    repeat { items.append(try expression()) } while acceptSymbol(",")
                    try expectSymbol(")")
                    left = Expr(.inList(left, items, negated: negated), span(left.range, previousRange))
                }
                continue
            }
            if accept("BETWEEN") {
                if !accept("SYMMETRIC") { accept("ASYMMETRIC") }
                let low = try additive()
                try expect("AND")
                let high = try additive()
                left = Expr(.between(left, low: low, high: high, negated: negated), span(left.range, high.range))
                continue
            }
            if accept("LIKE") {
                let pattern = try additive()
                var escape: Expr? = nil
                if accept("ESCAPE") { escape = try additive() }
                left = Expr(.like(left, pattern: pattern, escape: escape, negated: negated), span(left.range, previousRange))
                continue
            }
            if negated { throw unexpected(expecting: ["IN", "BETWEEN", "LIKE"]) }
            return left
        }
    }

    mutating func additive() throws(HengeError) -> Expr {
        var left = try multiplicative()
        while current.kind == .symbol, let op = BinaryOp(rawValue: current.text), [.add, .subtract, .concat].contains(op) {
            advance()
            let right = try multiplicative()
            left = Expr(.binary(op, left, right), span(left.range, right.range))
        }
        return left
    }

    mutating func multiplicative() throws(HengeError) -> Expr {
        var left = try unary()
        while current.kind == .symbol, let op = BinaryOp(rawValue: current.text), [.multiply, .divide, .modulo].contains(op) {
            advance()
            let right = try unary()
            left = Expr(.binary(op, left, right), span(left.range, right.range))
        }
        return left
    }

    mutating func unary() throws(HengeError) -> Expr {
        let start = current.range
        if acceptSymbol("-") {
            let e = try unary()
            // Fold negative numeric literals so they stay literals.
            if case .literal(.integer(let t)) = e.kind { return Expr(.literal(.integer("-" + t)), span(start, e.range)) }
            if case .literal(.decimal(let t)) = e.kind { return Expr(.literal(.decimal("-" + t)), span(start, e.range)) }
            return Expr(.unary(.negate, e), span(start, e.range))
        }
        if acceptSymbol("+") {
            return try unary()
        }
        return try primary()
    }

    mutating func primary() throws(HengeError) -> Expr {
        let t = current
        switch t.kind {
        case .integer:
            advance()
            return Expr(.literal(.integer(t.text)), t.range)
        case .decimal:
            advance()
            return Expr(.literal(.decimal(t.text)), t.range)
        case .string:
            advance()
            var text = t.text
            // Adjacent string literals concatenate (SQL standard).
            while current.kind == .string { text += current.text; advance() }
            return Expr(.literal(.string(text)), span(t.range, previousRange))
        case .quotedIdentifier:
            return try identifierExpr()
        case .symbol:
            if t.isSymbol("?") {
                advance()
                parameterCount += 1
                return Expr(.parameter(parameterCount - 1), t.range)
            }
            if t.isSymbol("*") {
                advance()
                return Expr(.star(qualifier: nil), t.range)
            }
            if t.isSymbol("(") {
                advance()
                if current.isKeyword("SELECT") || current.isKeyword("WITH") {
                    let q = try query()
                    try expectSymbol(")")
                    return Expr(.subquery(q), span(t.range, previousRange))
                }
                var e = try expression()
                try expectSymbol(")")
                e.range = span(t.range, previousRange)
                return e
            }
            throw unexpected()
        case .end:
            throw unexpected()
        case .word:
            return try wordExpr()
        }
    }

    mutating func identifierExpr() throws(HengeError) -> Expr {
        let start = current.range
        var parts = [current.text]
        advance()
        while current.isSymbol(".") {
            advance()
            if current.isSymbol("*") {
                advance()
                return Expr(.star(qualifier: parts.joined(separator: ".")), span(start, previousRange))
            }
            guard current.kind == .word || current.kind == .quotedIdentifier else { throw unexpected(expecting: ["<IDENTIFIER>"]) }
            parts.append(current.text)
            advance()
        }
        return Expr(.identifier(parts), span(start, previousRange))
    }

    mutating func wordExpr() throws(HengeError) -> Expr {
        let t = current
        let upper = t.text.uppercased()
        switch upper {
        case "NULL":
            advance()
            return Expr(.literal(.null), t.range)
        case "TRUE", "FALSE":
            advance()
            return Expr(.literal(.boolean(upper == "TRUE")), t.range)
        case "TIMESTAMP" where peek().kind == .string, "DATE" where peek().kind == .string:
            advance()
            let s = current.text
            advance()
            return Expr(.literal(upper == "DATE" ? .date(s) : .timestamp(s)), span(t.range, previousRange))
        case "INTERVAL":
            advance()
            var negative = false
            if acceptSymbol("-") { negative = true }
            guard current.kind == .string || current.kind == .integer else { throw unexpected(expecting: ["<STRING>"]) }
            let text = (negative ? "-" : "") + current.text
            advance()
            let unit = try identifierWord()
            var toUnit: String? = nil
            if accept("TO") { toUnit = try identifierWord() }
            return Expr(.literal(.interval(text, unit: unit, toUnit: toUnit)), span(t.range, previousRange))
        case "CASE":
            return try caseExpr()
        case "CAST":
            advance()
            try expectSymbol("(")
            let e = try expression()
            try expect("AS")
            let type = try typeName()
            try expectSymbol(")")
            return Expr(.cast(e, typeName: type), span(t.range, previousRange))
        case "ARRAY" where peek().isSymbol("["):
            advance(); advance()
            var items: [Expr] = []
            if !current.isSymbol("]") {
                repeat { items.append(try expression()) } while acceptSymbol(",")
            }
            try expectSymbol("]")
            return Expr(.arrayConstructor(items), span(t.range, previousRange))
        case "CURRENT_TIMESTAMP" where !peek().isSymbol("("), "CURRENT_DATE" where !peek().isSymbol("("),
             "LOCALTIMESTAMP" where !peek().isSymbol("("):
            advance()
            return Expr(.call(name: upper, args: [], distinct: false, filter: nil), t.range)
        default:
            break
        }
        if peek().isSymbol("(") && !Parser.reserved.contains(upper) || ["LEFT", "RIGHT", "REPLACE"].contains(upper) && peek().isSymbol("(") {
            return try functionCall()
        }
        guard isIdentifierToken else { throw unexpected() }
        return try identifierExpr()
    }

    mutating func identifierWord() throws(HengeError) -> String {
        guard current.kind == .word else { throw unexpected(expecting: ["<UNIT>"]) }
        let w = current.text.uppercased()
        advance()
        return w
    }

    mutating func caseExpr() throws(HengeError) -> Expr {
        let start = current.range
        try expect("CASE")
        var operand: Expr? = nil
        if !current.isKeyword("WHEN") { operand = try expression() }
        var whens: [CaseBranch] = []
        while accept("WHEN") {
            let c = try expression()
            try expect("THEN")
            let r = try expression()
            whens.append(CaseBranch(condition: c, result: r))
        }
        if whens.isEmpty { throw unexpected(expecting: ["WHEN"]) }
        var elseResult: Expr? = nil
        if accept("ELSE") { elseResult = try expression() }
        try expect("END")
        return Expr(.caseWhen(operand: operand, whens: whens, elseResult: elseResult), span(start, previousRange))
    }

    mutating func functionCall() throws(HengeError) -> Expr {
        let start = current.range
        let name = current.text.uppercased()
        advance()
        try expectSymbol("(")
        switch name {
        case "FLOOR", "CEIL":
            let e = try expression()
            if accept("TO") {
                let unit = try identifierWord()
                try expectSymbol(")")
                return Expr(.floorCeilTo(function: name, e, unit: unit), span(start, previousRange))
            }
            var args = [CallArgument(name: nil, value: e)]
            while acceptSymbol(",") { args.append(try callArgument()) }
            try expectSymbol(")")
            return Expr(.call(name: name, args: args, distinct: false, filter: nil), span(start, previousRange))
        case "EXTRACT":
            let unit = try identifierWord()
            try expect("FROM")
            let e = try expression()
            try expectSymbol(")")
            return Expr(.extract(unit: unit, e), span(start, previousRange))
        case "TIMESTAMPADD", "TIMESTAMPDIFF":
            let unitRange = current.range
            let unit = try identifierWord()
            var args = [CallArgument(name: nil, value: Expr(.literal(.string(unit)), unitRange))]
            while acceptSymbol(",") { args.append(try callArgument()) }
            try expectSymbol(")")
            return Expr(.call(name: name, args: args, distinct: false, filter: nil), span(start, previousRange))
        case "POSITION":
            let needle = try additive()
            if accept("IN") {
                let hay = try expression()
                var args = [CallArgument(name: nil, value: needle), CallArgument(name: nil, value: hay)]
                if accept("FROM") { args.append(CallArgument(name: nil, value: try expression())) }
                try expectSymbol(")")
                return Expr(.call(name: name, args: args, distinct: false, filter: nil), span(start, previousRange))
            }
            var args = [CallArgument(name: nil, value: needle)]
            while acceptSymbol(",") { args.append(try callArgument()) }
            try expectSymbol(")")
            return Expr(.call(name: name, args: args, distinct: false, filter: nil), span(start, previousRange))
        case "TRIM":
            var mode = "BOTH"
            if current.isKeyword("BOTH") || current.isKeyword("LEADING") || current.isKeyword("TRAILING") {
                mode = current.text.uppercased()
                advance()
            }
            var chars: Expr? = nil
            var value: Expr
            if accept("FROM") {
                value = try expression()
            } else {
                let first = try expression()
                if accept("FROM") {
                    chars = first
                    value = try expression()
                } else {
                    value = first
                }
            }
            try expectSymbol(")")
            let fn = mode == "LEADING" ? "LTRIM" : mode == "TRAILING" ? "RTRIM" : "BTRIM"
            var args = [CallArgument(name: nil, value: value)]
            if let chars { args.append(CallArgument(name: nil, value: chars)) }
            return Expr(.call(name: fn, args: args, distinct: false, filter: nil), span(start, previousRange))
        case "JSON_VALUE":
            // JSON_VALUE(expr, path [RETURNING type]): the type travels as a
            // third argument, CAST(NULL AS type), whose type the binder reads.
            var args = [try callArgument()]
            while acceptSymbol(",") { args.append(try callArgument()) }
            if accept("RETURNING") {
                let typeStart = current.range
                let typeName = try typeName()
                let typed = Expr(.cast(Expr(.literal(.null), typeStart), typeName: typeName), span(typeStart, previousRange))
                args.append(CallArgument(name: nil, value: typed))
            }
            try expectSymbol(")")
            return Expr(.call(name: name, args: args, distinct: false, filter: nil), span(start, previousRange))
        case "JSON_OBJECT":
            // JSON_OBJECT(KEY k VALUE v, ...) or JSON_OBJECT(k: v, ...): keys and
            // values alternate as the call's arguments.
            var args: [CallArgument] = []
            if !current.isSymbol(")") {
                repeat {
                    let keyed = accept("KEY")
                    args.append(CallArgument(name: nil, value: try additive()))
                    if keyed { try expect("VALUE") } else if !accept("VALUE") { try expectSymbol(":") }
                    args.append(CallArgument(name: nil, value: try expression()))
                } while acceptSymbol(",")
            }
            try expectSymbol(")")
            return Expr(.call(name: name, args: args, distinct: false, filter: nil), span(start, previousRange))
        case "SUBSTRING":
            let value = try expression()
            var args = [CallArgument(name: nil, value: value)]
            if accept("FROM") {
                args.append(CallArgument(name: nil, value: try expression()))
                if accept("FOR") { args.append(CallArgument(name: nil, value: try expression())) }
            } else {
                while acceptSymbol(",") { args.append(try callArgument()) }
            }
            try expectSymbol(")")
            return Expr(.call(name: name, args: args, distinct: false, filter: nil), span(start, previousRange))
        default:
            break
        }
        var distinct = false
        var args: [CallArgument] = []
        if !current.isSymbol(")") {
            if accept("DISTINCT") { distinct = true } else { accept("ALL") }
            repeat { args.append(try callArgument()) } while acceptSymbol(",")
        }
        try expectSymbol(")")
        var filter: Expr? = nil
        if current.isKeyword("FILTER"), peek().isSymbol("(") {
            advance(); advance()
            try expect("WHERE")
            filter = try expression()
            try expectSymbol(")")
        }
        if current.isKeyword("OVER") {
            throw HengeError.unsupported("Window functions (OVER) are not supported yet", range: current.range)
        }
        return Expr(.call(name: name, args: args, distinct: distinct, filter: filter), span(start, previousRange))
    }
}
