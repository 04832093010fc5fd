/// DataModel: the shared vocabulary of Henge.
///
/// Column types, `RowSignature`, the columnar `Batch`, `HengeError`, time
/// (`Interval`, `Granularity`, ISO-8601), a small ordered `JSONValue`, and the
/// input/format specs of EXTERN as plain data. It imports nothing of ours and
/// does no I/O.
enum DataModelModule {}
