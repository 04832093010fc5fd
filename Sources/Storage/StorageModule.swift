/// Storage: where segment files live once published.
///
/// `DeepStorage` is the seam; `LocalDeepStorage` keeps files under
/// `<data-dir>/deep`, and an S3-compatible store can follow behind the same
/// protocol. Keys are relative paths such as
/// `wiki/2024-01-01T00:00:00.000Z_2024-01-02T00:00:00.000Z/<version>/0/index.hseg`.
enum StorageModule {}
