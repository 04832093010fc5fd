/// Where the lines of one read sit in their file, for error messages: the
/// file's URI and, for a byte range after the file's start, how many lines
/// and records come before the range's first line.
///
/// Those counts need a pass over the file up to the range, so they are taken
/// on first use: only a failing row asks for them, and a read whose rows all
/// parse never pays for it.
final class RowPosition {
    let uri: String
    private var countPrefix: (() -> (lines: Int, records: Int))?
    private var prefix: (lines: Int, records: Int)?

    /// A read of `uri`; `countPrefix` says what precedes it (nil: nothing).
    init(uri: String, countPrefix: (() -> (lines: Int, records: Int))? = nil) {
        self.uri = uri
        self.countPrefix = countPrefix
        if countPrefix == nil { prefix = (0, 0) }
    }

    /// A line and record number of this read as numbers in the whole file.
    func absolute(line: Int, record: Int) -> (line: Int, record: Int) {
        let base = counted()
        return (line + base.lines, record + base.records)
    }

    /// A line number of this read as a line number in the whole file.
    func absoluteLine(_ line: Int) -> Int { line + counted().lines }

    private func counted() -> (lines: Int, records: Int) {
        if let prefix { return prefix }
        let counts = countPrefix?() ?? (0, 0)
        prefix = counts
        countPrefix = nil
        return counts
    }

    /// The lines of the local file at `path` that start before `offset`, and
    /// the records among them: non-blank lines (`json`: whitespace only is
    /// blank; else empty but for a CR), after the first `skipLines` physical
    /// lines, less one header line when `header`. Right for formats whose
    /// records are single lines (JSON lines, TSV, CSV without quotes — the
    /// only files cut into byte ranges).
    static func countLines(path: String, before offset: Int64, json: Bool, skipLines: Int, header: Bool) -> (lines: Int, records: Int) {
        guard offset > 0, let source = try? FileByteSource(path: path) else { return (0, 0) }
        let splitter = LineSplitter(source: source, readSize: 1 << 20)
        splitter.stopOffset = Int(offset)
        var lines = 0
        var records = 0
        var skip = skipLines
        var needsHeader = header
        while let raw = try? splitter.next() {
            lines += 1
            if skip > 0 {
                skip -= 1
                continue
            }
            let line = lines == 1 ? raw.droppingByteOrderMark() : raw
            let blank = json ? JSONScanner.skipWhitespace(line, 0) == line.count : line.count == 0 || (line.count == 1 && line[0] == 0x0D)
            if blank { continue }
            if needsHeader {
                needsHeader = false
                continue
            }
            records += 1
        }
        return (lines, records)
    }
}
