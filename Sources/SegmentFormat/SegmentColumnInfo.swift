package import DataModel

/// What a segment's footer records about one column: type, NULL count and
/// the range of its non-NULL values (NaN is ignored for FLOAT/DOUBLE).
package struct SegmentColumnInfo: Hashable, Sendable {
    package var name: String
    package var type: ColumnType
    package var nullCount: Int
    /// Smallest non-NULL value; nil when the column has none. STRING values
    /// compare by UTF-8 bytes.
    package var min: ScalarValue?
    /// Largest non-NULL value; nil when the column has none.
    package var max: ScalarValue?
    /// Number of distinct non-NULL values, for STRING columns only.
    package var cardinality: Int?

    package init(
        name: String, type: ColumnType, nullCount: Int, min: ScalarValue?, max: ScalarValue?, cardinality: Int?
    ) {
        self.name = name
        self.type = type
        self.nullCount = nullCount
        self.min = min
        self.max = max
        self.cardinality = cardinality
    }
}
