package import DataModel

/// Reads input files of one format into `Batch`es of a fixed signature.
///
/// Files are streamed in blocks of about 1 MiB (`.gz` files are gunzipped
/// on the fly), split into lines, and parsed straight from bytes; only the
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
    /// corrupt gzip file, `UnknownError` for a file that cannot be read;
    /// an error thrown by `onBatch` stops the read and propagates unchanged.
    package func read(_ file: InputFile, counters: inout InputCounters, onBatch: (Batch) throws -> Void) throws {
        switch file.location {
        case .inline(let data):
            try read(MemoryByteSource(Array(data.utf8)), uri: file.uri, counters: &counters, onBatch: onBatch)
        case .local(let path):
            let source = try FileByteSource(path: path)
            if file.isGzip {
                let gunzip = try GzipStream(source, uri: file.uri, readSize: readSize)
                try read(gunzip, uri: file.uri, counters: &counters, onBatch: onBatch)
            } else {
                try read(source, uri: file.uri, counters: &counters, onBatch: onBatch)
            }
        }
        counters.files += 1
    }

    private func read<S: ByteSource>(
        _ source: S, uri: String, counters: inout InputCounters, onBatch: (Batch) throws -> Void
    ) throws {
        switch format {
        case .json:
            var parser = JSONLinesParser(signature: signature, uri: uri)
            try drive(source, &parser, counters: &counters, onBatch: onBatch)
        case .csv(let spec):
            var parser = try CSVParser(spec: spec, signature: signature, uri: uri)
            try drive(source, &parser, counters: &counters, onBatch: onBatch)
        }
    }

    /// The read loop: lines into the parser, full batches out.
    private func drive<S: ByteSource, P: RecordParser>(
        _ source: S, _ parser: inout P, counters: inout InputCounters, onBatch: (Batch) throws -> Void
    ) throws {
        let lines = LineSplitter(source: source, readSize: readSize)
        var batch = BatchAccumulator(signature: signature, capacity: min(batchSize, 1 << 16))
        let bytesBefore = counters.bytes
        while let line = try lines.next() {
            try parser.consume(line: line, lineNumber: lines.lineNumber, into: &batch)
            if batch.rowCount >= batchSize {
                let full = batch.finish()
                counters.rows += Int64(full.rowCount)
                counters.bytes = bytesBefore + lines.source.storageBytesRead
                try onBatch(full)
            }
        }
        try parser.finish(into: &batch)
        counters.bytes = bytesBefore + lines.source.storageBytesRead
        if batch.rowCount > 0 {
            let last = batch.finish()
            counters.rows += Int64(last.rowCount)
            try onBatch(last)
        }
    }
}
