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
    }

    /// Where the bytes are.
    package let location: Location
    /// Bytes on disk (the compressed size for `.gz` files), or the UTF-8
    /// length of inline data. Used to balance slices.
    package let size: Int64

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

    /// The file system path; nil for inline data.
    package var path: String? {
        if case .local(let path) = location { path } else { nil }
    }

    /// How Druid names the input in messages: `file:/abs/path`, or `inline`.
    package var uri: String {
        switch location {
        case .local(let path): "file:" + path
        case .inline: "inline"
        }
    }

    /// True for local files whose name ends in `.gz` (read through gunzip).
    package var isGzip: Bool { path?.hasSuffix(".gz") ?? false }
}
