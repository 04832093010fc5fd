package import DataModel

/// One unit of external input that a worker reads whole: a local file, or
/// the data of an inline input source.
///
/// Produced by `InputFileLister`, distributed by `InputSlicer`, read by
/// `ExternalReader`.
package struct InputFile: Hashable, Sendable {
    /// Where the bytes of an input file live.
    package enum Location: Hashable, Sendable {
        /// A file on the local file system (absolute, normalized path).
        case local(path: String)
        /// The text of an inline input source.
        case inline(data: String)
        /// One URI of an `http` input source.
        case http(HTTPLocation)
    }

    /// Where the bytes are.
    package let location: Location
    /// Bytes on disk (the compressed size for compressed files), or the UTF-8
    /// length of inline data; for a byte-range slice, the length of its range.
    /// Used to balance slices.
    package let size: Int64
    /// The part of a local, uncompressed file this input stands for: the rows
    /// whose line starts at a byte offset in the range. Nil: the whole file.
    /// Made by `splitByteRanges(parts:minimumBytes:)`.
    package private(set) var byteRange: Range<Int64>? = nil

    /// A local file of `size` bytes at the absolute `path`.
    package init(path: String, size: Int64) {
        self.location = .local(path: path)
        self.size = size
    }

    /// The data of an inline input source.
    package init(inlineData: String) {
        self.location = .inline(data: inlineData)
        self.size = Int64(inlineData.utf8.count)
    }

    /// One URI of an `http` source; its size is unknown (0).
    package init(http: HTTPLocation) {
        self.location = .http(http)
        self.size = 0
    }

    /// The file system path; nil for inline data.
    package var path: String? {
        if case .local(let path) = location { path } else { nil }
    }

    /// How Druid names the input in messages: `file:/abs/path`, or `inline`.
    package var uri: String {
        switch location {
        case .local(let path): "file:" + path
        case .inline: "inline"
        case .http(let h): h.url
        }
    }

    /// The name whose extension decides the compression: the path of a
    /// local file, the path part of a URL; nil for inline data.
    package var compressionName: String? {
        switch location {
        case .local(let path): path
        case .inline: nil
        case .http(let h): h.urlPath
        }
    }

    /// Druid's `__file_path` system field: the file's path, or the URL's path.
    package var systemPath: String? {
        switch location {
        case .local(let path): path
        case .inline: nil
        case .http(let h): h.urlPath
        }
    }

    /// How the bytes are compressed, from the name's extension as in Druid
    /// (`.gz`, `.bz2`, `.xz`, `.zst`, `.zip`; inline data never is).
    package var compression: InputCompression {
        compressionName.map(InputCompression.init(fileName:)) ?? .none
    }

    /// True for files whose name ends in `.gz` (read through gunzip).
    package var isGzip: Bool { compression == .gzip }

    /// Whether `splitByteRanges` can cut this input: a whole local file that
    /// is not compressed.
    package var isSplittable: Bool { path != nil && compression == .none && byteRange == nil }

    /// This file cut into at most `parts` byte ranges of about equal size (no
    /// range shorter than `minimumBytes`), in file order; `[self]` when the
    /// file is not splittable or too small to cut.
    ///
    /// The cuts fall anywhere; the reader aligns them to lines: a range reads
    /// every line that starts inside it (a line starts at offset 0 or after a
    /// `\n`), to its end even past the range. So the slices together read
    /// each line exactly once, and only formats whose rows are single lines
    /// (JSON lines, TSV, CSV without quotes) may be split. A CSV/TSV header
    /// (`skipHeaderRows`, `findColumnsFromHeader`) belongs to the file: every
    /// range reads it from the file's start, and a range skips the lines of
    /// it that it holds. Record and line numbers in parse errors are the
    /// file's (counted up to the range when a row fails).
    package func splitByteRanges(parts: Int, minimumBytes: Int64 = 1 << 20) -> [InputFile] {
        guard isSplittable, parts > 1, size > 0 else { return [self] }
        let count = Int(max(1, min(Int64(parts), size / max(1, minimumBytes))))
        guard count > 1 else { return [self] }
        var slices: [InputFile] = []
        var start: Int64 = 0
        for k in 1...count {
            let end = k == count ? size : size * Int64(k) / Int64(count)
            slices.append(InputFile(slicing: self, start..<end))
            start = end
        }
        return slices
    }

    /// The lines of `file` starting in `range` (`splitByteRanges` picks the ranges).
    init(slicing file: InputFile, _ range: Range<Int64>) {
        self.location = file.location
        self.size = range.upperBound - range.lowerBound
        self.byteRange = range
    }
}

/// Where one URI of an `http` input source is, and how to ask for it.
package struct HTTPLocation: Hashable, Sendable {
    package var url: String
    package var username: String?
    package var password: PasswordSpec?
    package var headerNames: [String]
    package var headerValues: [String]

    /// The URL's path without query or fragment (`/data/file.json.gz`).
    package var urlPath: String {
        let chars = Array(url)
        var i = 0
        while i + 2 < chars.count && !(chars[i] == ":" && chars[i + 1] == "/" && chars[i + 2] == "/") { i += 1 }
        guard i + 2 < chars.count else { return url }
        guard let slash = chars[(i + 3)...].firstIndex(of: "/") else { return "/" }
        return String(chars[slash...].prefix { $0 != "?" && $0 != "#" })
    }
}

extension InputFile {
    /// Files smaller than this are never cut into byte ranges.
    package static let minimumSplitBytes: Int64 = 64 << 20

    /// The units a stage's workers read: whole files, except that a large
    /// uncompressed local file whose rows are single lines is cut at line
    /// boundaries into up to `workers` byte ranges, so one big file keeps
    /// every worker busy. JSON lines and TSV always qualify; CSV only when the
    /// file holds no `"` at all (`hasNoQuoteCharacter`), since a quoted field
    /// may span lines. The controller and the workers compute the same list.
    package static func readUnits(_ files: [InputFile], format: InputFormatSpec, workers: Int,
                                  minimumBytes: Int64 = minimumSplitBytes) -> [InputFile] {
        guard workers > 1 else { return files }
        var isCSV = false
        if case .csv = format { isCSV = true }
        return files.flatMap { file in
            guard file.isSplittable, file.size >= 2 * minimumBytes, !isCSV || file.hasNoQuoteCharacter else { return [file] }
            return file.splitByteRanges(parts: workers, minimumBytes: minimumBytes)
        }
    }

    /// True for the unit that stands for its file in the `files` counters
    /// (a whole file, or the first byte range of one).
    package var countsAsFile: Bool { (byteRange?.lowerBound ?? 0) == 0 }
}
