#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// One-shot zstd compression of segment blocks through libzstd, loaded at
/// run time (`libzstd.so.1` ships with every Debian: dpkg depends on it).
/// At level 1 it compresses several times faster than zlib's fastest level
/// and to smaller blocks, and inflates faster, so blocks written since it
/// came use it; zlib stays readable (and is the writer's fallback when the
/// library cannot be loaded).
enum Zstd {
    private typealias BoundFn = @convention(c) (Int) -> Int
    private typealias CompressFn = @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeRawPointer?, Int, Int32) -> Int
    private typealias DecompressFn = @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeRawPointer?, Int) -> Int
    private typealias IsErrorFn = @convention(c) (Int) -> UInt32

    private struct Library: @unchecked Sendable {
        let bound: BoundFn
        let compress: CompressFn
        let decompress: DecompressFn
        let isError: IsErrorFn
    }

    private static let library: Library? = {
        for name in ["libzstd.so.1", "libzstd.so", "libzstd.1.dylib", "/opt/homebrew/lib/libzstd.1.dylib"] {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { continue }
            func symbol<F>(_ name: String, as type: F.Type) -> F? {
                dlsym(handle, name).map { unsafeBitCast($0, to: type) }
            }
            if let bound = symbol("ZSTD_compressBound", as: BoundFn.self),
               let compress = symbol("ZSTD_compress", as: CompressFn.self),
               let decompress = symbol("ZSTD_decompress", as: DecompressFn.self),
               let isError = symbol("ZSTD_isError", as: IsErrorFn.self) {
                return Library(bound: bound, compress: compress, decompress: decompress, isError: isError)
            }
            dlclose(handle)
        }
        return nil
    }()

    /// True when libzstd could be loaded.
    static var isAvailable: Bool { library != nil }

    /// `bytes` compressed at `level`; nil when libzstd is missing or fails.
    static func compress(_ bytes: [UInt8], level: Int32 = 1) -> [UInt8]? {
        guard let z = library else { return nil }
        var failed = false
        // Written into uninitialized capacity: the bound is larger than the input, and zero-filling it cost as
        // much as a small block's compression.
        let out = [UInt8](unsafeUninitializedCapacity: z.bound(bytes.count)) { dst, initialized in
            let n = bytes.withUnsafeBytes { src in z.compress(dst.baseAddress, dst.count, src.baseAddress, src.count, level) }
            failed = z.isError(n) != 0
            initialized = failed ? 0 : n
        }
        return failed ? nil : out
    }

    /// Inflates `bytes`, which must expand to exactly `expectedCount` bytes.
    static func decompress(_ bytes: UnsafeRawBufferPointer, expectedCount: Int) throws(SegmentCorruption) -> [UInt8] {
        guard let z = library else {
            throw SegmentCorruption("the block is zstd-compressed and libzstd (libzstd.so.1) cannot be loaded")
        }
        var out = [UInt8](repeating: 0, count: max(expectedCount, 1))
        let n = out.withUnsafeMutableBytes { dst in z.decompress(dst.baseAddress, expectedCount, bytes.baseAddress, bytes.count) }
        guard z.isError(n) == 0, n == expectedCount else {
            throw SegmentCorruption("compressed block does not inflate to \(expectedCount) bytes (zstd)")
        }
        out.removeSubrange(expectedCount...)
        return out
    }
}
