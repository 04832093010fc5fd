package import DataModel
internal import Foundation

/// A memory-mapped, validated segment file.
///
/// Opening checks the header, the trailer, the footer's CRC and its
/// structure; each block's CRC is checked when the block is decoded. Any
/// mismatch throws the `SegmentCorrupted` fault naming the file; a file
/// that cannot be opened or mapped throws `SegmentUnreadable`.
package final class SegmentReader: Sendable {
    package let path: String
    package let signature: RowSignature
    package let rowCount: Int
    /// Smallest `__time`; 0 when the segment has no rows.
    package let minTime: Int64
    /// Largest `__time`; 0 when the segment has no rows.
    package let maxTime: Int64
    /// The footer's per-column statistics, in signature order.
    package let columnInfos: [SegmentColumnInfo]
    /// Size of the file in bytes.
    package let sizeBytes: Int64
    let file: MappedFile
    let footer: SegmentFooter
    /// Each STRING column's bitmap index, opened (CRC-checked, dictionary
    /// inflated) once, on first use, for lookups and decoding alike.
    private let indexViews = IndexViews()

    package init(path: String) throws(HengeError) {
        self.path = path
        do {
            file = try MappedFile(path: path)
        } catch {
            throw HengeError.fault("SegmentUnreadable", "Cannot read segment file [\(path)]: \(error.reason)")
        }
        do {
            footer = try Self.readFooter(file.bytes)
        } catch {
            throw HengeError.segmentCorrupted(path: path, reason: error.reason)
        }
        signature = footer.signature
        rowCount = footer.rowCount
        minTime = footer.minTime
        maxTime = footer.maxTime
        columnInfos = footer.columns.map(\.info)
        sizeBytes = Int64(file.count)
    }

    private static func readFooter(_ bytes: UnsafeRawBufferPointer) throws(SegmentCorruption) -> SegmentFooter {
        let headerSize = SegmentLayout.headerSize
        let trailerSize = SegmentLayout.trailerSize
        guard bytes.count >= headerSize + trailerSize else {
            throw SegmentCorruption("file is truncated (\(bytes.count) bytes)")
        }
        var header = ByteCursor(bytes)
        guard try header.read(count: 8).elementsEqual(SegmentLayout.magic) else {
            throw SegmentCorruption("bad magic at the start of the file")
        }
        let version = try header.readUInt32LE()
        guard version == SegmentLayout.formatVersion else {
            throw SegmentCorruption("unsupported format version \(version)")
        }
        guard try header.readUInt32LE() == 0 else { throw SegmentCorruption("unknown header flags") }

        var trailer = ByteCursor(UnsafeRawBufferPointer(rebasing: bytes[(bytes.count - trailerSize)...]))
        let footerOffset = try trailer.readUInt64LE()
        let footerLength = Int(try trailer.readUInt32LE())
        let footerCRC = try trailer.readUInt32LE()
        guard try trailer.read(count: 8).elementsEqual(SegmentLayout.magic) else {
            throw SegmentCorruption("bad magic at the end of the file (truncated?)")
        }
        let footerEnd = bytes.count - trailerSize
        guard footerOffset >= UInt64(headerSize), footerOffset + UInt64(footerLength) == UInt64(footerEnd) else {
            throw SegmentCorruption("trailer points outside the file")
        }
        let footerBytes = UnsafeRawBufferPointer(rebasing: bytes[Int(footerOffset)..<footerEnd])
        guard CRC32.checksum(footerBytes) == footerCRC else { throw SegmentCorruption("footer checksum mismatch") }
        return try SegmentFooter.parse(Array(footerBytes), footerOffset: Int(footerOffset))
    }

    /// Decodes the named columns of every row (or of `rows` only: ascending,
    /// distinct, below `rowCount`), in the order given. Blocked columns then
    /// decode only the blocks that hold those rows.
    ///
    /// Throws `SegmentCorrupted` when a block fails its CRC or decoding, and
    /// `defensive` for a name the segment does not have.
    package func read(columns names: [String], rows: [Int]? = nil) throws(HengeError) -> Batch {
        if let rows {
            precondition(zip(rows, rows.dropFirst()).allSatisfy { $0 < $1 } && (rows.last ?? -1) < rowCount && (rows.first ?? 0) >= 0,
                         "SegmentReader.read: rows must be ascending, distinct and within the segment")
        }
        var specs: [ColumnSpec] = []
        var vectors: [ColumnVector] = []
        for name in names {
            guard let index = signature.index(of: name) else {
                throw HengeError.defensive("Segment file [\(path)] has no column [\(name)]; it has \(signature.names)")
            }
            specs.append(signature[index])
            vectors.append(try decodeColumn(index, rows: rows))
        }
        return Batch(signature: RowSignature(specs), columns: vectors, rowCount: rows?.count ?? rowCount)
    }

    /// Decodes every column of every row.
    package func readAll() throws(HengeError) -> Batch {
        try read(columns: signature.names)
    }

    private func decodeColumn(_ index: Int, rows: [Int]?) throws(HengeError) -> ColumnVector {
        let column = footer.columns[index]
        do throws(SegmentCorruption) {
            let bytes = file.bytes
            let block = UnsafeRawBufferPointer(rebasing: bytes[column.offset..<(column.offset + column.length)])
            var crcCursor = ByteCursor(
                UnsafeRawBufferPointer(rebasing: bytes[(column.offset + column.length)...]))
            guard CRC32.checksum(block) == (try crcCursor.readUInt32LE()) else {
                throw SegmentCorruption("checksum mismatch in the block of column [\(column.info.name)]")
            }
            var dictionary: StringDictionary? = nil
            if column.codec.readsIndexDictionary, let region = column.bitmapIndex {
                dictionary = try indexView(index, region: region).dictionary.allValues()
            }
            return try ColumnBlockDecoder.decode(block, column: column, rowCount: rowCount, dictionary: dictionary, rows: rows)
        } catch {
            let reason = error.reason.contains("[\(column.info.name)]")
                ? error.reason : "\(error.reason) in the block of column [\(column.info.name)]"
            throw HengeError.segmentCorrupted(path: path, reason: reason)
        }
    }
}

extension SegmentReader {
    /// Column `i`'s bitmap index (at `region`), opened on first use.
    func indexView(_ i: Int, region: Range<Int>) throws(SegmentCorruption) -> StringIndexView {
        try indexViews.view(i) { () throws(SegmentCorruption) in
            try StringIndexView(UnsafeRawBufferPointer(rebasing: file.bytes[region]), rowCount: rowCount)
        }
    }
}

/// Opened index views by column; views are immutable, so threads share them.
private final class IndexViews: @unchecked Sendable {
    private let lock = NSLock()
    private var views: [Int: StringIndexView] = [:]

    func view(_ i: Int, open: () throws(SegmentCorruption) -> StringIndexView) throws(SegmentCorruption) -> StringIndexView {
        lock.lock()
        defer { lock.unlock() }
        if let view = views[i] { return view }
        let view = try open()
        views[i] = view
        return view
    }
}
