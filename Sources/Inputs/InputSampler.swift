internal import DataModel

/// Reads the first lines of an input file — any source, any compression —
/// for schema inference. Ingestion reads through `ExternalReader`.
enum InputSampler {
    /// Calls `body` with each line of `file` until it returns false or the file ends.
    static func forEachLine(
        _ file: InputFile, policy: InputAccessPolicy,
        _ body: (UnsafeBufferPointer<UInt8>) throws(HengeError) -> Bool
    ) throws(HengeError) {
        switch file.location {
        case .inline(let data): try decompress(MemoryByteSource(Array(data.utf8)), file, body)
        case .local(let path): try decompress(FileByteSource(path: path), file, body)
        case .http(let location):
            try decompress(HTTPByteSource(try HTTPRequest(location), allowedHosts: policy.allowedHTTPHosts), file, body)
        }
    }

    private static func decompress<S: ByteSource>(
        _ source: S, _ file: InputFile, _ body: (UnsafeBufferPointer<UInt8>) throws(HengeError) -> Bool
    ) throws(HengeError) {
        let uri = file.uri
        let readSize = 1 << 16
        switch file.compression {
        case .none: try lines(source, uri, body)
        case .gzip: try lines(GzipStream(source, uri: uri, readSize: readSize), uri, body)
        case .bzip2: try lines(Bzip2Stream(source, uri: uri, readSize: readSize), uri, body)
        case .xz: try lines(XzStream(source, uri: uri, readSize: readSize), uri, body)
        case .zstd: try lines(ZstdStream(source, uri: uri, readSize: readSize), uri, body)
        case .zip: try lines(ZipStream(source, uri: uri, readSize: readSize), uri, body)
        case .lz4, .snappy: throw HengeError.unsupportedCompression(file.compression, uri: uri)
        }
    }

    private static func lines<S: ByteSource>(
        _ source: S, _ uri: String, _ body: (UnsafeBufferPointer<UInt8>) throws(HengeError) -> Bool
    ) throws(HengeError) {
        let splitter = LineSplitter(source: source, readSize: 1 << 16, uri: uri)
        while let line = try splitter.next() {
            if !(try body(line)) { return }
        }
    }
}

extension HTTPRequest {
    /// The request for one URI of an `http` source, resolving its password provider.
    init(_ location: HTTPLocation) throws(HengeError) {
        var password: String? = nil
        switch location.password {
        case .literal(let p)?: password = p
        case .environment(let name)?:
            guard let value = POSIX.environment(name) else {
                throw HengeError.fault("UnknownError",
                                       "Cannot read input [\(location.url)]: environment variable [\(name)] holding the password is not set")
            }
            password = value
        case nil: break
        }
        self.init(url: location.url, username: location.username, password: password,
                  headers: Array(zip(location.headerNames, location.headerValues)))
    }
}
