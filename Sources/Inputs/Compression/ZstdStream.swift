internal import DataModel

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// The part of libzstd's stable API that streaming decompression needs,
/// bound at run time with `dlopen`.
///
/// zstd's headers are not on a fresh machine but its shared library is
/// (Debian's dpkg depends on libzstd1), so Henge builds without a zstd
/// package and `.zst` inputs work wherever libzstd is installed; where it
/// is not, reading one fails with a message saying what to install.
final class ZstdLibrary: @unchecked Sendable {
    /// `ZSTD_inBuffer` and `ZSTD_outBuffer`: a pointer, a size and a
    /// position (both C structs have this layout).
    struct Buffer {
        var pointer: UnsafeRawPointer?
        var size: Int
        var pos: Int
    }

    typealias CreateFn = @convention(c) () -> OpaquePointer?
    typealias FreeFn = @convention(c) (OpaquePointer?) -> Int
    typealias InitFn = @convention(c) (OpaquePointer?) -> Int
    typealias DecompressFn = @convention(c) (OpaquePointer?, UnsafeMutableRawPointer, UnsafeMutableRawPointer) -> Int
    typealias IsErrorFn = @convention(c) (Int) -> UInt32
    typealias ErrorNameFn = @convention(c) (Int) -> UnsafePointer<CChar>?
    typealias VersionFn = @convention(c) () -> UInt32

    let createDStream: CreateFn
    let freeDStream: FreeFn
    let initDStream: InitFn
    let decompressStream: DecompressFn
    let isError: IsErrorFn
    let errorName: ErrorNameFn
    /// `ZSTD_versionNumber()`, e.g. 10504 for 1.5.4.
    let version: UInt32

    /// The library names tried in order.
    static let defaultNames = [
        "libzstd.so.1", "libzstd.so",
        "libzstd.1.dylib", "/opt/homebrew/lib/libzstd.1.dylib", "/usr/local/lib/libzstd.1.dylib",
    ]

    /// libzstd, loaded on first use; nil when it is not installed.
    static let shared: ZstdLibrary? = load(names: defaultNames)

    /// The first of `names` that `dlopen` finds and that has every function
    /// needed; nil when none does.
    static func load(names: [String]) -> ZstdLibrary? {
        for name in names {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { continue }
            if let library = ZstdLibrary(handle: handle) { return library }
            dlclose(handle)
        }
        return nil
    }

    /// Binds the functions from an open library; nil if one is missing.
    /// The handle is never closed: the functions stay in use.
    private init?(handle: UnsafeMutableRawPointer) {
        func symbol<F>(_ name: String, as type: F.Type) -> F? {
            guard let p = dlsym(handle, name) else { return nil }
            return unsafeBitCast(p, to: type)
        }
        guard let create = symbol("ZSTD_createDStream", as: CreateFn.self),
              let free = symbol("ZSTD_freeDStream", as: FreeFn.self),
              let initialize = symbol("ZSTD_initDStream", as: InitFn.self),
              let decompress = symbol("ZSTD_decompressStream", as: DecompressFn.self),
              let isError = symbol("ZSTD_isError", as: IsErrorFn.self),
              let errorName = symbol("ZSTD_getErrorName", as: ErrorNameFn.self),
              let version = symbol("ZSTD_versionNumber", as: VersionFn.self)
        else { return nil }
        self.createDStream = create
        self.freeDStream = free
        self.initDStream = initialize
        self.decompressStream = decompress
        self.isError = isError
        self.errorName = errorName
        self.version = version()
    }

    /// libzstd's name for an error code.
    func describe(_ code: Int) -> String {
        errorName(code).map { String(cString: $0) } ?? "zstd error \(code)"
    }
}

/// Decompresses a `.zst` byte source on the fly with libzstd (loaded at run
/// time, see `ZstdLibrary`).
///
/// Reads every frame of the file in turn, skipping skippable frames, as
/// Druid's `ZstdCompressorInputStream` does. libzstd refuses frames whose
/// window exceeds 128 MiB (its default limit), so memory stays bounded by
/// that plus the input block. A missing libzstd is an `UnknownError` saying
/// what to install; corrupt, truncated or empty input is a
/// `CannotParseExternalData` fault naming the file and zstd.
final class ZstdStream<Inner: ByteSource>: ByteSource {
    private var inner: Inner
    private let uri: String
    private let library: ZstdLibrary
    private let dstream: OpaquePointer
    private let input: UnsafeMutableRawBufferPointer
    private var inBuffer = ZstdLibrary.Buffer(pointer: nil, size: 0, pos: 0)
    private var innerAtEnd = false
    private var sawInput = false
    /// libzstd's last hint: 0 once a frame is completely decoded and flushed.
    private var frameOpen = false
    private var finished = false

    /// Wraps `inner`; `uri` names the file in error messages. `library` is
    /// libzstd as loaded (nil when missing: then this throws).
    init(_ inner: Inner, uri: String, readSize: Int = 1 << 20,
         library: ZstdLibrary? = ZstdLibrary.shared) throws(HengeError) {
        guard let library else {
            throw HengeError.fault(
                "UnknownError",
                "Cannot decompress zstd file [\(uri)]: libzstd is not installed on this server"
                    + " (looked for libzstd.so.1); install it (Debian and Ubuntu: apt-get install libzstd1) to read .zst files")
        }
        guard let dstream = library.createDStream() else {
            throw HengeError.fault("UnknownError", "Cannot initialize zstd decompression for [\(uri)]: out of memory")
        }
        let rc = library.initDStream(dstream)
        if library.isError(rc) != 0 {
            _ = library.freeDStream(dstream)
            throw HengeError.fault("UnknownError", "Cannot initialize zstd decompression for [\(uri)] (\(library.describe(rc)))")
        }
        self.inner = inner
        self.uri = uri
        self.library = library
        self.dstream = dstream
        self.input = .allocate(byteCount: max(readSize, 1), alignment: 16)
    }

    deinit {
        _ = library.freeDStream(dstream)
        input.deallocate()
    }

    var storageBytesRead: Int64 { inner.storageBytesRead }

    func read(into out: UnsafeMutableRawBufferPointer) throws(HengeError) -> Int {
        guard !finished, let outBase = out.baseAddress, out.count > 0 else { return 0 }
        var outBuffer = ZstdLibrary.Buffer(pointer: UnsafeRawPointer(outBase), size: out.count, pos: 0)
        while outBuffer.pos < outBuffer.size {
            if inBuffer.pos == inBuffer.size && !innerAtEnd {
                let n = try inner.read(into: input)
                if n == 0 {
                    innerAtEnd = true
                } else {
                    sawInput = true
                    inBuffer = ZstdLibrary.Buffer(pointer: UnsafeRawPointer(input.baseAddress!), size: n, pos: 0)
                }
            }
            let atEnd = inBuffer.pos == inBuffer.size && innerAtEnd
            if atEnd && !frameOpen {
                if !sawInput { throw failure(DecompressionText.empty(.zstd)) }
                finished = true
                break
            }
            let (inPos, outPos) = (inBuffer.pos, outBuffer.pos)
            let rc = decompress(&outBuffer)
            if library.isError(rc) != 0 {
                throw failure("corrupt compressed data (\(library.describe(rc)))")
            }
            frameOpen = rc != 0
            if inBuffer.pos == inPos && outBuffer.pos == outPos {
                // libzstd takes all input it is given and fills the output
                // when it can; neither means the input ended inside a frame.
                throw failure(atEnd ? DecompressionText.truncated : "corrupt compressed data (no progress)")
            }
        }
        return outBuffer.pos
    }

    private func decompress(_ outBuffer: inout ZstdLibrary.Buffer) -> Int {
        withUnsafeMutablePointer(to: &outBuffer) { outPointer in
            withUnsafeMutablePointer(to: &inBuffer) { inPointer in
                library.decompressStream(dstream, UnsafeMutableRawPointer(outPointer), UnsafeMutableRawPointer(inPointer))
            }
        }
    }

    private func failure(_ detail: String) -> HengeError {
        .cannotDecompress(.zstd, uri: uri, detail)
    }
}
