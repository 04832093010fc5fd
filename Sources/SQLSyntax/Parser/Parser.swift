package import DataModel

/// Recursive-descent parser for the Druid SQL dialect Henge accepts.
///
/// Entry point: `Parser.parseScript(sql)`. Errors are `invalidInput`
/// HengeErrors carrying the offending token's line and column.
package struct Parser {
    var tokens: [Token]
    var pos = 0
    var parameterCount = 0

    /// Words that can never be bare identifiers.
    static let reserved: Set<String> = [
        "SELECT", "FROM", "WHERE", "GROUP", "BY", "HAVING", "ORDER", "LIMIT", "OFFSET", "INSERT", "INTO", "REPLACE",
        "OVERWRITE", "PARTITIONED", "CLUSTERED", "AS", "AND", "OR", "NOT", "IN", "IS", "NULL", "TRUE", "FALSE", "CASE",
        "WHEN", "THEN", "ELSE", "END", "BETWEEN", "LIKE", "ESCAPE", "CAST", "DISTINCT", "ALL", "TABLE", "WITH", "UNION",
        "JOIN", "ON", "LEFT", "RIGHT", "INNER", "OUTER", "CROSS", "FULL", "EXPLAIN", "SET", "ASC", "DESC", "NULLS",
        "EXTEND", "FETCH", "VALUES", "UPSERT", "EXCEPT", "INTERSECT", "USING", "NATURAL", "FILTER", "OVER",
    ]

    package init(tokens: [Token]) {
        self.tokens = tokens
    }

    /// Parses `{SET k = v;} statement [;]`.
    package static func parseScript(_ sql: String) throws(HengeError) -> Script {
        var p = Parser(tokens: try Lexer.tokenize(sql))
        var settings: [(key: String, value: Literal)] = []
        while p.current.isKeyword("SET") {
            p.advance()
            let key = try p.identifierName()
            try p.expectSymbol("=")
            let negative = p.current.isSymbol("-")
            if negative { p.advance() }
            let valueExpr = try p.primary()
            guard case .literal(var lit) = valueExpr.kind else {
                throw p.error(at: valueExpr.range, "SET value must be a literal")
            }
            if negative {
                switch lit {
                case .integer(let t): lit = .integer("-" + t)
                case .decimal(let t): lit = .decimal("-" + t)
                default: throw p.error(at: valueExpr.range, "SET value must be a literal")
                }
            }
            try p.expectSymbol(";")
            settings.append((key, lit))
        }
        let statement = try p.statement()
        while p.current.isSymbol(";") { p.advance() }
        if p.current.kind != .end {
            if p.current.isKeyword("SET") || p.current.isKeyword("SELECT") || p.current.isKeyword("INSERT")
                || p.current.isKeyword("REPLACE")
            {
                throw HengeError.invalidInput(
                    "Multiple statements detected in SQL string[\(sql)]; only SET statements may precede the final statement",
                    range: p.current.range)
            }
            throw p.unexpected()
        }
        return Script(settings: settings, statement: statement)
    }

    /// Parses a single expression (for tests and tools).
    package static func parseExpression(_ sql: String) throws(HengeError) -> Expr {
        var p = Parser(tokens: try Lexer.tokenize(sql))
        let e = try p.expression()
        guard p.current.kind == .end else { throw p.unexpected() }
        return e
    }

    // MARK: token helpers

    var current: Token { tokens[pos] }
    func peek(_ n: Int = 1) -> Token { tokens[min(pos + n, tokens.count - 1)] }

    mutating func advance() {
        if pos < tokens.count - 1 { pos += 1 }
    }

    @discardableResult
    mutating func accept(_ keyword: String) -> Bool {
        if current.isKeyword(keyword) {
            advance()
            return true
        }
        return false
    }

    @discardableResult
    mutating func acceptSymbol(_ s: String) -> Bool {
        if current.isSymbol(s) {
            advance()
            return true
        }
        return false
    }

    mutating func expect(_ keyword: String) throws(HengeError) {
        guard accept(keyword) else { throw unexpected(expecting: [keyword]) }
    }

    mutating func expectSymbol(_ s: String) throws(HengeError) {
        guard acceptSymbol(s) else { throw unexpected(expecting: ["\"\(s)\""]) }
    }

    func error(at range: SourceRange, _ message: String) -> HengeError {
        HengeError.invalidInput(message, range: range)
    }

    /// Druid-style parse error naming the token, line and column.
    func unexpected(expecting: [String] = []) -> HengeError {
        let t = current
        var msg: String
        if t.kind == .word && Parser.reserved.contains(t.text.uppercased()) {
            msg = "Incorrect syntax near the keyword '\(t.text.uppercased())' at line \(t.range.line), column \(t.range.column)."
        } else {
            msg = "Received an unexpected token [\(t.display)] (line [\(t.range.line)], column [\(t.range.column)])"
            if !expecting.isEmpty { msg += ", acceptable options: [\(expecting.joined(separator: ", "))]" }
        }
        if t.kind == .end && !msg.hasSuffix(".") {
            // Calcite reports a statement cut short from the last token it
            // consumed: `select a from ` → `[from <EOF>] (line [1], column [10])`.
            var range = t.range
            var display = "<EOF>"
            if pos > 0 {
                let last = tokens[pos - 1]
                display = "\(last.display) <EOF>"
                range = last.range
            }
            msg = "Received an unexpected token [\(display)] (line [\(range.line)], column [\(range.column)])"
            if !expecting.isEmpty { msg += ", acceptable options: [\(expecting.joined(separator: ", "))]" }
            return HengeError.invalidInput(msg, range: range)
        }
        return HengeError.invalidInput(msg, range: t.range)
    }

    func span(_ a: SourceRange, _ b: SourceRange) -> SourceRange {
        SourceRange(line: a.line, column: a.column, endLine: b.endLine, endColumn: b.endColumn)
    }

    var previousRange: SourceRange { tokens[max(pos - 1, 0)].range }

    /// True when the current token can be an identifier.
    var isIdentifierToken: Bool {
        current.kind == .quotedIdentifier
            || (current.kind == .word && !Parser.reserved.contains(current.text.uppercased()))
    }

    mutating func identifierName() throws(HengeError) -> String {
        guard isIdentifierToken else { throw unexpected(expecting: ["<IDENTIFIER>"]) }
        let t = current.text
        advance()
        return t
    }

    /// `a.b.c` name parts.
    mutating func compoundName() throws(HengeError) -> [String] {
        var parts = [try identifierName()]
        while current.isSymbol("."), peek().kind == .word || peek().kind == .quotedIdentifier {
            advance()
            parts.append(try identifierName())
        }
        return parts
    }
}
