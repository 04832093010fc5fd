internal import DataModel

/// The columns visible to expressions at one point of binding.
struct Scope {
    struct Entry {
        var name: String
        var qualifier: String?
        var type: SQLType
    }

    var entries: [Entry]

    init(_ fields: [Field], qualifier: String? = nil) {
        entries = fields.map { Entry(name: $0.name, qualifier: qualifier, type: $0.type) }
    }

    init(entries: [Entry]) {
        self.entries = entries
    }

    /// Resolves `name` or `qualifier.name`; nil if absent, throws if ambiguous.
    func resolve(_ parts: [String], range: SourceRange) throws(HengeError) -> Int? {
        let name = parts.last!
        let qualifier = parts.count > 1 ? parts.dropLast().joined(separator: ".") : nil
        let hits = entries.indices.filter {
            entries[$0].name == name && (qualifier == nil || entries[$0].qualifier == qualifier || "druid." + (entries[$0].qualifier ?? "") == qualifier)
        }
        if hits.count > 1 {
            throw HengeError.invalidInput("Column '\(name)' is ambiguous (line [\(range.line)], column [\(range.column)])", range: range)
        }
        return hits.first
    }
}
