/// Strings from dictionary bytes, rejecting invalid UTF-8.
///
/// `String(validating:as:)` is generic over the encoding and looks up its
/// metadata on every call (a fifth of decoding a 127k-entry dictionary);
/// `String(decoding:as:)` on UTF-8 is specialized, and it repairs invalid
/// input, so a string whose UTF-8 differs from the bytes came from invalid
/// bytes.
enum ValidatedUTF8 {
    static func string(_ bytes: UnsafeRawBufferPointer) -> String? {
        let s = String(decoding: bytes, as: UTF8.self)
        let utf8 = UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        return StringInterner.sameBytes(s, utf8) ? s : nil
    }
}
