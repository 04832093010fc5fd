/// Metadata: the durable record of tasks and published segments.
///
/// `MetadataStore` is the seam (PostgreSQL can come later behind it);
/// `SQLiteMetadataStore` implements it on GRDB, which stays private to this
/// module: no GRDB type appears in its package API, and database errors are
/// turned into `HengeError`s.
enum MetadataModule {}
