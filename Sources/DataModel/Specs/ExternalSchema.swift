/// A row signature found by sampling external input (EXTERN or a table
/// function given without a signature), with a note per column where the
/// sample says something worth knowing (a timestamp-looking text column,
/// nested JSON read as text, an array read as a multi-value string).
package struct ExternalSchema: Hashable, Sendable {
    package var signature: RowSignature
    package var notes: [String: String]

    package init(signature: RowSignature, notes: [String: String] = [:]) {
        self.signature = signature
        self.notes = notes
    }
}

/// Finds the schema of an external input by reading a sample of it. The
/// planner calls it for EXTERN without a signature; the engine supplies it
/// (the planner itself does no I/O).
package typealias SchemaInferrer = @Sendable (InputSourceSpec, InputFormatSpec) throws(HengeError) -> ExternalSchema
