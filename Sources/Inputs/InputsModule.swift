/// Inputs: external data into `Batch`es.
///
/// The path of one EXTERN input through this module:
///
/// ```
/// InputSourceSpec --InputFileLister.list--> [InputFile]      (sorted by path)
///                 --InputSlicer.slice-----> [[InputFile]]    (one list per worker)
/// InputFile --ExternalReader.read--> ByteSource (file | inline | http)
///           --InputCompression by extension--> Gzip/Bzip2/Xz/Zstd/ZipStream
///           --LineSplitter (1 MiB blocks)--> lines
///           --JSONLinesParser | CSVParser--> BatchAccumulator --> Batch
/// ```
///
/// Parsers work on bytes: they extract only the signature's columns,
/// coerce values the way Druid does, and intern strings per batch from
/// their UTF-8 bytes (`StringInterner`). A row that does not parse fails the
/// read with `CannotParseExternalData` naming the file, record and line.
/// Foundation is not used; file access is plain POSIX (`POSIX`).
enum InputsModule {}
