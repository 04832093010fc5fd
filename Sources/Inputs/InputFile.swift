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
