/// Inputs: external data into `Batch`es.
///
/// The path of one EXTERN input through this module:
///
/// ```
/// InputSourceSpec --InputFileLister.list--> [InputFile]      (sorted by path)
///                 --InputFile.readUnits--> byte ranges of a big plain file (JSON lines, TSV, quote-free CSV)
///                 --InputSlicer.slice-----> [[InputFile]]    (one list per worker)
/// InputFile --ExternalReader.read--> ByteSource (file | file range | inline | http)
///           --InputCompression by extension--> Gzip (ISA-L or zlib)/Bzip2/Xz/Zstd/ZipStream
///           --LineSplitter (1 MiB blocks)--> lines
///           --JSONLinesParser | FlatteningJSONParser | CSVParser--> BatchAccumulator --> Batch
/// ```
///
/// Parsers work on bytes: they extract only the signature's columns,
/// coerce values the way Druid does, and intern strings from their UTF-8
/// bytes (`StringInterner`: one dictionary per batch, a `String` made only
/// for a value not seen recently). The per-row path has no existentials and
/// no ARC traffic: column buffers, slots and field lists are manually
/// managed memory owned by a class that frees them. A row that does not
/// parse fails the read with `CannotParseExternalData` naming the file,
/// record and line (the file's, also in a byte range: `RowPosition`) and
/// what is wrong in which field or column. Foundation is not used; file access is plain POSIX
/// (`POSIX`). `henge-input-bench` (bench/read_inputs.sh) measures the readers.
enum InputsModule {}
