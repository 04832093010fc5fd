package import DataModel

/// Reads input files of one format into `Batch`es of a fixed signature.
///
/// Files are streamed in blocks of about 1 MiB (`.gz`, `.bz2`, `.xz`, `.zst`
/// and `.zip` files are decompressed on the fly), split into lines, and parsed straight from bytes; only the
/// signature's columns are extracted, coerced to the declared types. A
/// value sendable to any worker thread; each `read` call is independent.
package struct ExternalReader: Sendable {
    /// How the bytes are laid out (JSON lines or CSV).
    package let format: InputFormatSpec
    /// The columns to extract, in batch order, with the types to coerce to.
    package let signature: RowSignature
    /// Most rows per emitted batch.
    package let batchSize: Int
    /// Bytes read from storage per block (small values exercise block
    /// boundaries in tests).
    var readSize = 1 << 20
    /// The longest line read; a longer one fails with `RowTooLarge` (small
    /// values in tests).
    var maxLineBytes = LineLimits.defaultMaxLineBytes
    /// What the server may read (http addresses).
    package var accessPolicy = InputAccessPolicy()
    /// System fields the source fills (`__file_uri`, `__file_path`) when the
    /// signature has a column of that name.
    package var systemFields: [SystemField] = []
    /// Called with each row that does not parse (`CannotParseExternalData`);
    /// when it returns, the row is skipped and reading goes on. Nil: the
    /// first such row fails the read.
    package var onUnparseableRow: (@Sendable (HengeError) throws -> Void)? = nil
    /// The gzip inflater: ISA-L where available (`.best`), or zlib.
    package var gzipInflater = GzipInflater.best
    /// First retry delay of the http source, doubled per attempt (tests shorten it).
    var httpBackoffMillis = 200

    /// A reader of `format` producing batches of `signature` with at most
    /// `batchSize` rows each.
    package init(format: InputFormatSpec, signature: RowSignature, batchSize: Int = 4096) {
        precondition(batchSize > 0, "ExternalReader: batchSize must be positive")
        self.format = format
        self.signature = signature
        self.batchSize = batchSize
    }

    /// Reads `file` to the end, calling `onBatch` with each batch of at most
    /// `batchSize` rows, in file order. The batches have exactly `signature`.
    ///
    /// `counters` gains the rows emitted and the bytes read (before each
    /// `onBatch` call and at the end), and one file once the file is done.
    /// Throws `CannotParseExternalData` for a row that does not parse or a
    /// compressed file that cannot be decompressed, `UnknownError` for a file
    /// that cannot be read or a compression Henge does not read;
    /// an error thrown by `onBatch` stops the read and propagates unchanged.
    package func read(_ file: InputFile, counters: inout InputCounters, onBatch: (Batch) throws -> Void) throws {
        switch file.location {
        case .inline(let data):
            try read(MemoryByteSource(Array(data.utf8)), file: file, counters: &counters, onBatch: onBatch)
        case .http(let location):
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
            let request = HTTPRequest(url: location.url, username: location.username, password: password,
                                      headers: Array(zip(location.headerNames, location.headerValues)))
            let source = try HTTPByteSource(request, allowedHosts: accessPolicy.allowedHTTPHosts, backoffMillis: httpBackoffMillis)
            try readDecompressed(source, file: file, counters: &counters, onBatch: onBatch)
        case .local(let path):
            if let range = file.byteRange {
                try readRange(range, path: path, file: file, counters: &counters, onBatch: onBatch)
            } else {
                let source = try FileByteSource(path: path)
                try readDecompressed(source, file: file, counters: &counters, onBatch: onBatch)
            }
        }
        counters.files += 1
    }

    /// Reads the lines of an uncompressed local file that start in `range`
    /// (see `InputFile.splitByteRanges`): from one byte before the range,
    /// dropping the partial line there, until the first line starting at or
    /// after its end.
    private func readRange(
        _ range: Range<Int64>, path: String, file: InputFile, counters: inout InputCounters, onBatch: (Batch) throws -> Void
    ) throws {
        guard file.compression == .none else {
            throw HengeError.fault("UnknownError", "Cannot read [\(file.uri)]: a byte range of a compressed file cannot be read")
        }
        let origin = max(0, range.lowerBound - 1)
        let source = try FileByteSource(path: path, offset: origin, countFrom: range.lowerBound,
                                        countLimit: range.upperBound - range.lowerBound)
        try read(source, file: file, counters: &counters, onBatch: onBatch, configure: { lines in
            lines.skipFirstLine = range.lowerBound > 0
            lines.stopOffset = Int(range.upperBound - origin)
        })
    }

    /// Reads `source` through the decompressor that the file's name calls
    /// for (`InputFile.compression`); the counters' bytes are compressed bytes.
    private func readDecompressed<S: ByteSource>(
        _ source: S, file: InputFile, counters: inout InputCounters, onBatch: (Batch) throws -> Void
    ) throws {
        let uri = file.uri
        switch file.compression {
        case .none:
            try read(source, file: file, counters: &counters, onBatch: onBatch)
        case .gzip:
            try read(GzipStream(source, uri: uri, readSize: readSize, inflater: gzipInflater), file: file,
                     counters: &counters, onBatch: onBatch)
        case .bzip2:
            try read(Bzip2Stream(source, uri: uri, readSize: readSize), file: file, counters: &counters, onBatch: onBatch)
        case .xz:
            try read(XzStream(source, uri: uri, readSize: readSize), file: file, counters: &counters, onBatch: onBatch)
        case .zstd:
            try read(ZstdStream(source, uri: uri, readSize: readSize), file: file, counters: &counters, onBatch: onBatch)
        case .zip:
            try read(ZipStream(source, uri: uri, readSize: readSize), file: file, counters: &counters, onBatch: onBatch)
        case .lz4, .snappy:
            throw HengeError.unsupportedCompression(file.compression, uri: uri)
        }
    }

    private func read<S: ByteSource>(
        _ source: S, file: InputFile, counters: inout InputCounters, onBatch: (Batch) throws -> Void,
        configure: @escaping (LineSplitter<S>) -> Void = { _ in }
    ) throws {
        let uri = file.uri
        let systemColumns = systemColumnValues(file)
        let position = rowPosition(file)
        switch format {
        case .json(let options):
            if let spec = options.flatteningFields {
                var parser = FlatteningJSONParser(spec: spec, signature: signature, position: position)
                try drive(source, &parser, position: position, systemColumns: systemColumns, counters: &counters, onBatch: onBatch,
                          configure: configure)
            } else {
                var parser = JSONLinesParser(signature: signature, position: position)
                try drive(source, &parser, position: position, systemColumns: systemColumns, counters: &counters, onBatch: onBatch,
                          configure: configure)
            }
        case .csv(let spec), .tsv(let spec):
            var tsv = false
            if case .tsv = format { tsv = true }
            var parser = try CSVParser(spec: spec, signature: signature, position: position, tsv: tsv)
            var configureRange = configure
            if let range = file.byteRange, range.lowerBound > 0, let path = file.path {
                // The header belongs to the file: read it from the start, and skip
                // the lines of it that fall inside this range.
                let preambleEnd = try readPreamble(path: path, uri: uri, into: &parser)
                let origin = Int(max(0, range.lowerBound - 1))
                if preambleEnd > origin {
                    configureRange = { lines in
                        configure(lines)
                        lines.skipLinesBefore = preambleEnd - origin
                    }
                }
            }
            try drive(source, &parser, position: position, systemColumns: systemColumns, counters: &counters, onBatch: onBatch,
                      configure: configureRange)
        }
    }

    /// The position of `file`'s rows for error messages: a byte range after
    /// the file's start counts the lines and records before it when a row fails.
    private func rowPosition(_ file: InputFile) -> RowPosition {
        guard let range = file.byteRange, range.lowerBound > 0, let path = file.path else { return RowPosition(uri: file.uri) }
        var json = false
        var skip = 0
        var header = false
        switch format {
        case .json: json = true
        case .csv(let spec), .tsv(let spec):
            skip = spec.skipHeaderRows
            header = spec.findColumnsFromHeader
        }
        return RowPosition(uri: file.uri) {
            RowPosition.countLines(path: path, before: range.lowerBound, json: json, skipLines: skip, header: header)
        }
    }

    /// Feeds a CSV/TSV parser the lines at the start of the file that it
    /// skips or takes the header from, for a byte range after the start;
    /// returns the file offset just past them.
    private func readPreamble(path: String, uri: String, into parser: inout CSVParser) throws -> Int {
        guard parser.needsPreamble else { return 0 }
        let lines = LineSplitter(source: try FileByteSource(path: path), readSize: min(readSize, 1 << 16),
                                 maxLineBytes: maxLineBytes, uri: uri)
        let ignored = BatchAccumulator(signature: signature, capacity: 1)
        while parser.needsPreamble, let line = try lines.next() {
            try parser.consume(line: line, lineNumber: lines.lineNumber, into: ignored)
        }
        return lines.offsetAfterLine
    }

    /// The system-field columns to fill for `file`: column index and value.
    private func systemColumnValues(_ file: InputFile) -> [(Int, ScalarValue)] {
        systemFields.compactMap { field in
            guard let i = signature.index(of: field.rawValue), signature[i].type == .string else { return nil }
            switch field {
            case .uri: return (i, .string(file.uri))
            case .path: return (i, file.systemPath.map(ScalarValue.string) ?? .null)
            }
        }
    }

    /// The read loop: lines into the parser, full batches out.
    private func drive<S: ByteSource, P: RecordParser>(
        _ source: S, _ parser: inout P, position: RowPosition, systemColumns: [(Int, ScalarValue)], counters: inout InputCounters,
        onBatch: (Batch) throws -> Void, configure: (LineSplitter<S>) -> Void
    ) throws {
        func emit(_ batch: Batch) throws {
            var b = batch
            for (i, value) in systemColumns { b.columns[i] = ColumnVector.constant(value, type: .string, count: b.rowCount) }
            try onBatch(b)
        }
        let lines = LineSplitter(source: source, readSize: readSize, maxLineBytes: maxLineBytes, uri: position.uri)
        lines.position = position
        configure(lines)
        let batch = BatchAccumulator(signature: signature, capacity: min(batchSize, 1 << 16))
        let bytesBefore = counters.bytes
        while let line = try lines.next() {
            do {
                try parser.consume(line: line, lineNumber: lines.lineNumber, into: batch)
            } catch {
                guard let skip = onUnparseableRow, error.code == HengeError.unparseableRowCode else { throw error }
                try skip(error)
            }
            if batch.rowCount >= batchSize {
                let full = batch.finish()
                counters.rows += Int64(full.rowCount)
                counters.bytes = bytesBefore + lines.source.storageBytesRead
                try emit(full)
            }
        }
        do {
            try parser.finish(into: batch)
        } catch {
            guard let skip = onUnparseableRow, error.code == HengeError.unparseableRowCode else { throw error }
            try skip(error)
        }
        counters.bytes = bytesBefore + lines.source.storageBytesRead
        if batch.rowCount > 0 {
            let last = batch.finish()
            counters.rows += Int64(last.rowCount)
            try emit(last)
        }
    }
}
