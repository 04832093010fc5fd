package import DataModel

/// What the binder knows about a published datasource.
package struct DataSourceInfo: Sendable, Hashable {
    package var name: String
    /// Columns, `__time` first.
    package var signature: RowSignature

    package init(name: String, signature: RowSignature) {
        self.name = name
        self.signature = signature
    }
}

/// Resolves table names while binding. Implemented by the Engine over the
/// published segments; tests provide their own.
package protocol Catalog: Sendable {
    func dataSource(_ name: String) -> DataSourceInfo?
}
