package import DataModel

/// Turns SQL text into tokens with line/column ranges.
///
/// Handles `--` and `/* */` comments, `''` inside strings, `""` inside quoted
/// identifiers, `U&'...'` Unicode strings, and numbers with exponents.
package struct Lexer {
    private let chars: [Character]
    private var pos = 0
    private var line = 1
    private var column = 1

    package init(_ sql: String) {
        self.chars = Array(sql)
    }

    /// All tokens, ending with one `.end` token.
    package static func tokenize(_ sql: String) throws(HengeError) -> [Token] {
        var lexer = Lexer(sql)
        var tokens: [Token] = []
        while true {
            let t = try lexer.next()
            tokens.append(t)
            if t.kind == .end { return tokens }
        }
    }

    private func peek(_ offset: Int = 0) -> Character? {
        pos + offset < chars.count ? chars[pos + offset] : nil
    }

    private mutating func advance() {
        if chars[pos] == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        pos += 1
    }

    private mutating func skipSpaceAndComments() throws(HengeError) {
        while let c = peek() {
            if c.isWhitespace {
                advance()
            } else if c == "-" && peek(1) == "-" {
                while let d = peek(), d != "\n" { _ = d; advance() }
            } else if c == "/" && peek(1) == "*" {
                let (l, col) = (line, column)
                advance(); advance()
                var closed = false
                while peek() != nil {
                    if peek() == "*" && peek(1) == "/" { advance(); advance(); closed = true; break }
                    advance()
                }
                if !closed {
                    throw HengeError.invalidInput(
                        "Unterminated comment (line [\(l)], column [\(col)])",
                        range: SourceRange(line: l, column: col, endLine: line, endColumn: column))
                }
            } else {
                return
            }
        }
    }

    package mutating func next() throws(HengeError) -> Token {
        try skipSpaceAndComments()
        let startLine = line
        let startColumn = column
        func make(_ kind: TokenKind, _ text: String) -> Token {
            Token(kind: kind, text: text,
                  range: SourceRange(line: startLine, column: startColumn, endLine: line, endColumn: max(column - 1, startColumn)))
        }
        guard let c = peek() else { return make(.end, "") }

        if c == "'" || ((c == "U" || c == "u") && peek(1) == "&" && peek(2) == "'") {
            let unicode = c != "'"
            if unicode { advance(); advance() }
            var text = ""
            advance()
            while true {
                guard let d = peek() else {
                    throw HengeError.invalidInput(
                        "Unterminated string literal (line [\(startLine)], column [\(startColumn)])",
                        range: SourceRange(line: startLine, column: startColumn, endLine: line, endColumn: column))
                }
                advance()
                if d == "'" {
                    if peek() == "'" { text.append("'"); advance(); continue }
                    break
                }
                text.append(d)
            }
            if unicode { text = Lexer.decodeUnicodeEscapes(text) }
            return make(.string, text)
        }
        if c == "\"" {
            var text = ""
            advance()
            while true {
                guard let d = peek() else {
                    throw HengeError.invalidInput(
                        "Unterminated quoted identifier (line [\(startLine)], column [\(startColumn)])",
                        range: SourceRange(line: startLine, column: startColumn, endLine: line, endColumn: column))
                }
                advance()
                if d == "\"" {
                    if peek() == "\"" { text.append("\""); advance(); continue }
                    break
                }
                text.append(d)
            }
            return make(.quotedIdentifier, text)
        }
        if c.isLetter || c == "_" || c == "$" {
            var text = ""
            while let d = peek(), d.isLetter || d.isNumber || d == "_" || d == "$" {
                text.append(d)
                advance()
            }
            return make(.word, text)
        }
        if c.isASCII && c.isNumber || (c == "." && (peek(1)?.isNumber ?? false)) {
            var text = ""
            var isDecimal = false
            while let d = peek(), d.isASCII && d.isNumber { text.append(d); advance() }
            if peek() == ".", peek(1).map({ $0.isASCII && $0.isNumber }) ?? true {
                isDecimal = true
                text.append("."); advance()
                while let d = peek(), d.isASCII && d.isNumber { text.append(d); advance() }
            }
            if let e = peek(), e == "e" || e == "E",
               let n = peek(1), n.isNumber || ((n == "+" || n == "-") && (peek(2)?.isNumber ?? false)) {
                isDecimal = true
                text.append("E"); advance()
                if peek() == "+" || peek() == "-" { text.append(peek()!); advance() }
                while let d = peek(), d.isASCII && d.isNumber { text.append(d); advance() }
            }
            return make(isDecimal ? .decimal : .integer, text)
        }
        let two = peek(1).map { String([c, $0]) } ?? ""
        if ["<>", "!=", "<=", ">=", "||", "=>"].contains(two) {
            advance(); advance()
            return make(.symbol, two == "!=" ? "<>" : two)
        }
        if "(),.;:+-*/%=<>?[]".contains(c) {
            advance()
            return make(.symbol, String(c))
        }
        throw HengeError.invalidInput(
            "Lexical error at line \(startLine), column \(startColumn).  Encountered: \"\(c)\"",
            range: SourceRange(line: startLine, column: startColumn, endLine: startLine, endColumn: startColumn))
    }

    /// Decodes `\XXXX` and `\+XXXXXX` escapes of a `U&'...'` literal.
    static func decodeUnicodeEscapes(_ s: String) -> String {
        var out = ""
        let a = Array(s)
        var i = 0
        while i < a.count {
            if a[i] == "\\" {
                if i + 1 < a.count, a[i + 1] == "\\" { out.append("\\"); i += 2; continue }
                let plus = i + 1 < a.count && a[i + 1] == "+"
                let len = plus ? 6 : 4
                let start = i + (plus ? 2 : 1)
                if start + len <= a.count, let v = UInt32(String(a[start..<start + len]), radix: 16), let u = Unicode.Scalar(v) {
                    out.unicodeScalars.append(u)
                    i = start + len
                    continue
                }
            }
            out.append(a[i])
            i += 1
        }
        return out
    }
}
