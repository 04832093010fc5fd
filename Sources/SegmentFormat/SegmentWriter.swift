package import DataModel

/// Builds one segment file from batches of rows sorted by `__time`.
///
/// Batches are accumulated in memory (strings interned per column) and the
/// whole file is encoded by `write(to:)`. The output is deterministic: the
/// same rows produce the same bytes, whatever the batch boundaries and
/// however the batches' string dictionaries were laid out.
package struct SegmentWriter: Sendable {
    package let signature: RowSignature
    private var columns: [ColumnAccumulator]
    /// Column names the appended rows are sorted by, recorded in the footer.
    /// Rows must be sorted by `__time` only when it comes first (it may not
    /// with `forceSegmentSortByTime: false`).
    package var sortOrder: [String] = [SegmentLayout.timeColumn]
    /// Rows per block of the blocked numeric codecs (smaller in tests).
    var rowsPerBlock = SegmentLayout.rowsPerBlock
    /// Writes the first version's layout: whole-column numeric codecs and
    /// no bitmap indexes (kept so tests can check old files still read).
    var legacyFormat = false

    /// - Precondition: column 0 is `__time` of type LONG, and names are unique.
    package init(signature: RowSignature) {
        precondition(signature.count > 0 && signature[0] == ColumnSpec(name: SegmentLayout.timeColumn, type: .long),
                     "SegmentWriter: column 0 must be LONG [__time], got \(signature.names)")
        precondition(Set(signature.names).count == signature.count,
                     "SegmentWriter: duplicate column names in \(signature.names)")
        self.signature = signature
        self.columns = signature.columns.map { ColumnAccumulator(type: $0.type) }
    }

    /// Rows appended so far.
    package var rowCount: Int { columns[0].count }

    /// Appends a batch; its rows must not sort before those already appended.
    ///
    /// - Precondition: `batch.signature == signature`.
    package mutating func append(_ batch: Batch) {
        precondition(batch.signature == signature,
                     "SegmentWriter: batch signature \(batch.signature.names) differs from \(signature.names)")
        for (i, vector) in batch.columns.enumerated() {
            columns[i].append(vector, name: signature[i].name)
        }
    }

    /// Encodes all appended rows into a new file at `path` (replacing any
    /// file there), fsyncs (unless `sync` is false: a temp file whose
    /// durability comes later, when deep storage syncs what it pushed) and
    /// closes it. On failure the partial file is removed.
    ///
    /// Throws `defensive` when `__time` holds NULLs or is not sorted, and
    /// `SegmentWriteFailed` when the file cannot be written.
    @discardableResult
    package func write(to path: String, sync: Bool = true) throws -> SegmentFileInfo {
        try checkTimeColumn()
        let output: FileOutput
        do {
            output = try FileOutput(creating: path)
        } catch {
            throw HengeError.fault("SegmentWriteFailed", "Cannot write segment file [\(path)]: \(error.reason)")
        }
        do {
            let info = try write(into: output)
            try output.close(sync: sync)
            return info
        } catch {
            POSIX.removeFile(path)
            throw HengeError.fault("SegmentWriteFailed", "Cannot write segment file [\(path)]: \(error.reason)")
        }
    }

    private func checkTimeColumn() throws(HengeError) {
        let time = columns[0]
        if time.nulls.nullCount > 0 {
            throw HengeError.defensive("SegmentWriter: [__time] has \(time.nulls.nullCount) NULL rows")
        }
        let times = time.longs
        guard sortOrder.first == SegmentLayout.timeColumn else { return }
        for i in times.indices.dropFirst() where times[i] < times[i - 1] {
            throw HengeError.defensive("SegmentWriter: rows are not sorted by [__time] at row \(i)")
        }
    }

    private func write(into output: FileOutput) throws(FileIOError) -> SegmentFileInfo {
        var header = ByteSink(capacity: SegmentLayout.headerSize)
        header.append(contentsOf: SegmentLayout.magic)
        header.appendUInt32LE(SegmentLayout.formatVersion)
        header.appendUInt32LE(0)
        try output.write(header.bytes)

        var footerColumns: [FooterColumn] = []
        for (index, spec) in signature.columns.enumerated() {
            var codec = ColumnCodec.forColumn(type: spec.type, index: index, legacy: legacyFormat)
            var dictionary: (values: StringDictionary, rank: [Int32])? = nil
            var bitmapIndex: [UInt8]? = nil
            if codec == .stringDictionary {
                let strings = columns[index].strings
                let sorted = strings.sortedDictionary()
                dictionary = sorted
                if !legacyFormat {
                    bitmapIndex = StringIndexWriter.encode(
                        strings, dictionary: sorted.values, rank: sorted.rank, nulls: columns[index].nulls)
                }
                switch (strings.isMultiValued, bitmapIndex != nil) {
                case (false, false): codec = .stringDictionary
                case (true, false): codec = .multiStringDictionary
                case (false, true): codec = .blockedStringIndexed
                case (true, true): codec = .blockedMultiStringIndexed
                }
            }
            let encoded = ColumnBlockEncoder.encode(
                columns[index], name: spec.name, codec: codec, rowsPerBlock: rowsPerBlock, dictionary: dictionary)
            var block = encoded.block
            let offset = output.offset
            let length = block.count
            let crc = CRC32.checksum(block)
            for shift in stride(from: 0, to: 32, by: 8) { block.append(UInt8(truncatingIfNeeded: crc >> UInt32(shift))) }
            try output.write(block)
            var column = FooterColumn(info: encoded.info, codec: codec, offset: offset, length: length)
            column.blockEncodings = encoded.blockEncodings
            if let bitmapIndex {
                let start = output.offset
                try output.write(bitmapIndex)
                column.bitmapIndex = start..<output.offset
            }
            footerColumns.append(column)
        }

        let times = columns[0].longs
        var footer = SegmentFooter(
            rowCount: rowCount, minTime: times.min() ?? 0, maxTime: times.max() ?? 0, columns: footerColumns)
        footer.sortOrder = sortOrder
        let footerBytes = Array(footer.json.serialized.utf8)
        let footerOffset = output.offset
        try output.write(footerBytes)

        var trailer = ByteSink(capacity: SegmentLayout.trailerSize)
        trailer.appendUInt64LE(UInt64(footerOffset))
        trailer.appendUInt32LE(UInt32(footerBytes.count))
        trailer.appendUInt32LE(CRC32.checksum(footerBytes))
        trailer.append(contentsOf: SegmentLayout.magic)
        try output.write(trailer.bytes)

        return SegmentFileInfo(
            rowCount: rowCount, sizeBytes: Int64(output.offset), minTime: footer.minTime, maxTime: footer.maxTime)
    }
}
