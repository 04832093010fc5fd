package import DataModel

/// A sorted-run file: rows spilled by a sort or shuffle that outgrew its
/// memory budget, as frames (`FrameEncoder`) grouped in sections, one
/// section per partition key, each section sorted on its own.
///
/// ```
/// header   "HENGRUN1" | u32 version (2: LONG columns narrowed) | u32 column count
/// frame    u32 payload length | u32 CRC32 of the payload | payload (one frame)
/// ...      the frames of one section are contiguous; sections follow in key order
/// ```
///
/// The file has no footer: the index (`sections`) travels in memory with
/// this value, as shuffle metadata does between workers. Run files are
/// temporary (under the task's temp directory), written without fsync and
/// deleted when their stage finishes.
package struct RunFile: Hashable, Sendable {
    package var path: String
    package var signature: RowSignature
    /// Frame ranges by partition key.
    package var sections: [Int64: RunSection]
    /// File size in bytes.
    package var sizeBytes: Int64

    /// Rows in every section.
    package var rowCount: Int { sections.values.reduce(0) { $0 + $1.rows } }

    /// Deletes the file (errors ignored: it may already be gone with its directory).
    package func delete() { POSIX.removeFile(path) }

    static let magic: [UInt8] = Array("HENGRUN1".utf8)
    static let version: UInt32 = 2
    static let headerSize = 16
    static let frameHeaderSize = 8
}

/// Where one partition's frames lie in a run file.
package struct RunSection: Hashable, Sendable {
    /// Offset of the first frame header.
    package var offset: Int64
    /// Bytes of all the section's frames, headers included.
    package var length: Int64
    package var frames: Int
    package var rows: Int
}

/// Writes a run file section by section, frame by frame. Writes are
/// buffered; `finish` closes the file, `abandon` deletes it.
package final class RunFileWriter {
    package let path: String
    package let signature: RowSignature
    private let output: FileOutput
    private var pending: [UInt8] = []
    private var sections: [Int64: RunSection] = [:]
    private var currentKey: Int64? = nil
    private var written: Int64 = 0
    private var closed = false
    /// Flush threshold of the write buffer.
    private static let bufferSize = 1 << 20

    package init(path: String, signature: RowSignature) throws(HengeError) {
        self.path = path
        self.signature = signature
        do {
            output = try FileOutput(creating: path)
        } catch {
            throw RunFileWriter.failure(path, error.reason)
        }
        pending.reserveCapacity(RunFileWriter.bufferSize + 4096)
        pending.append(contentsOf: RunFile.magic)
        appendUInt32(RunFile.version)
        appendUInt32(UInt32(signature.count))
    }

    deinit {
        if !closed { POSIX.removeFile(path) }
    }

    /// Bytes written so far (including buffered ones).
    package var sizeBytes: Int64 { written + Int64(pending.count) }

    /// Starts the section of partition `key`; keys must not repeat.
    package func beginSection(_ key: Int64) {
        precondition(sections[key] == nil, "RunFileWriter: section \(key) written twice")
        currentKey = key
        sections[key] = RunSection(offset: sizeBytes, length: 0, frames: 0, rows: 0)
    }

    /// Appends `batch` as one frame of the current section.
    package func write(_ batch: Batch) throws(HengeError) {
        try writeFrame(rows: batch.rowCount) { FrameEncoder.encode(batch, into: &$0) }
    }

    /// Appends one frame of `rows` rows to the current section: `encode`
    /// appends its payload (`FrameEncoder`'s bytes) to the buffer it is
    /// given, straight into the write buffer.
    package func writeFrame(rows: Int, _ encode: (inout [UInt8]) -> Void) throws(HengeError) {
        guard let key = currentKey else { preconditionFailure("RunFileWriter: write before beginSection") }
        guard rows > 0 else { return }
        let header = pending.count
        appendUInt32(0)
        appendUInt32(0)
        let payload = pending.count
        encode(&pending)
        let length = pending.count - payload
        let crc = pending.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[payload...])) }
        pending.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: UInt32(length).littleEndian, toByteOffset: header, as: UInt32.self)
            raw.storeBytes(of: crc.littleEndian, toByteOffset: header + 4, as: UInt32.self)
        }
        sections[key]!.length = sizeBytes - sections[key]!.offset
        sections[key]!.frames += 1
        sections[key]!.rows += rows
        if pending.count >= RunFileWriter.bufferSize { try flush() }
    }

    /// Flushes and closes the file; returns its index.
    package func finish() throws(HengeError) -> RunFile {
        try flush()
        do { try output.close() } catch { throw RunFileWriter.failure(path, error.reason) }
        closed = true
        return RunFile(path: path, signature: signature, sections: sections.filter { $0.value.rows > 0 }, sizeBytes: written)
    }

    /// Closes and deletes the file (after a failure or a cancel).
    package func abandon() {
        guard !closed else { return }
        try? output.close()
        closed = true
        POSIX.removeFile(path)
    }

    private func flush() throws(HengeError) {
        guard !pending.isEmpty else { return }
        let failure: FileIOError? = pending.withUnsafeBytes { raw in
            do { try output.write(raw) } catch let e as FileIOError { return e } catch { return FileIOError("\(error)") }
            return nil
        }
        if let failure { throw RunFileWriter.failure(path, failure.reason) }
        written += Int64(pending.count)
        pending.removeAll(keepingCapacity: true)
    }

    private func appendUInt32(_ v: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { pending.append(UInt8(truncatingIfNeeded: v >> UInt32(shift))) }
    }

    static func failure(_ path: String, _ reason: String) -> HengeError {
        .fault("UnknownError", "Cannot write sorted-run file [\(path)]: \(reason)", fields: [("message", .string(reason))])
    }
}

/// Reads the frames of one section of a run file, in order, one `pread`
/// per frame into a reused buffer.
package final class RunSectionReader {
    package let file: RunFile
    private let input: FileInput
    private var position: Int64
    private let end: Int64
    private var buffer: [UInt8] = []
    /// The header of the next frame when the previous read fetched it too.
    private var nextLength: Int? = nil
    private var nextCRC: UInt32 = 0

    package init(file: RunFile, key: Int64) throws(HengeError) {
        self.file = file
        let section = file.sections[key] ?? RunSection(offset: Int64(RunFile.headerSize), length: 0, frames: 0, rows: 0)
        position = section.offset
        end = section.offset + section.length
        do {
            input = try FileInput(path: file.path)
        } catch {
            throw HengeError.defensive("Cannot open sorted-run file [\(file.path)]: \(error.reason)")
        }
    }

    /// The next frame as a batch, or nil after the section's last frame.
    package func next() throws(HengeError) -> Batch? {
        guard position < end else { return nil }
        do {
            var length: Int
            var crc: UInt32
            if let known = nextLength {
                length = known
                crc = nextCRC
            } else {
                try input.read(at: position, count: RunFile.frameHeaderSize, into: &buffer)
                length = Int(RunSectionReader.uint32(buffer, 0))
                crc = RunSectionReader.uint32(buffer, 4)
                position += Int64(RunFile.frameHeaderSize)
            }
            // Read the next frame's header along with this payload when the section continues.
            let more = position + Int64(length) < end
            try input.read(at: position, count: length + (more ? RunFile.frameHeaderSize : 0), into: &buffer)
            position += Int64(length)
            if more {
                nextLength = Int(RunSectionReader.uint32(buffer, length))
                nextCRC = RunSectionReader.uint32(buffer, length + 4)
                position += Int64(RunFile.frameHeaderSize)
            } else {
                nextLength = nil
            }
            return try buffer.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws(HengeError) -> Batch in
                let payload = UnsafeRawBufferPointer(rebasing: raw[0..<length])
                guard CRC32.checksum(payload) == crc else {
                    throw HengeError.defensive("Corrupted run frame in [\(file.path)]: checksum mismatch")
                }
                return try FrameDecoder.decode(payload, signature: file.signature)
            }
        } catch let error as FileIOError {
            throw HengeError.defensive("Cannot read sorted-run file [\(file.path)]: \(error.reason)")
        } catch let error as HengeError {
            throw error
        } catch {
            throw HengeError.defensive("Cannot read sorted-run file [\(file.path)]: \(error)")
        }
    }

    private static func uint32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }
}
