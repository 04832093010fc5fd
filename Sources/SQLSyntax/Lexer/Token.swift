package import DataModel

/// The kinds of SQL tokens.
package enum TokenKind: Hashable, Sendable {
    /// An unquoted word: keyword or identifier, decided by the parser.
    case word
    /// A double-quoted identifier (text is unescaped).
    case quotedIdentifier
    /// A single-quoted string literal (text is unescaped).
    case string
    case integer
    case decimal
    /// Operators and punctuation: `(`, `)`, `,`, `.`, `;`, `+`, `-`, `*`, `/`,
    /// `%`, `||`, `=`, `<>`, `!=`, `<`, `<=`, `>`, `>=`, `=>`, `?`, `[`, `]`.
    case symbol
    case end
}

/// One token with its text and where it sits in the SQL.
package struct Token: Hashable, Sendable {
    package var kind: TokenKind
    package var text: String
    package var range: SourceRange

    /// True when this is the unquoted word `keyword` (case-insensitive).
    package func isKeyword(_ keyword: String) -> Bool {
        kind == .word && text.uppercased() == keyword
    }

    package func isSymbol(_ s: String) -> Bool { kind == .symbol && text == s }

    /// How the token is shown in error messages.
    package var display: String {
        switch kind {
        case .end: "<EOF>"
        case .string: "'\(text)'"
        case .quotedIdentifier: "\"\(text)\""
        default: text
        }
    }
}
