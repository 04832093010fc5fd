// swift-tools-version:6.1
// Henge: a Druid-compatible SQL ingestion and query server.
// Module graph and import rules: DESIGN.md §3 (checked by scripts/check-imports.sh).
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "henge",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "henge", targets: ["CLI"]),
        // Release-build benchmark of the input readers (bench/read_inputs.sh).
        .executable(name: "henge-input-bench", targets: ["InputsBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        // Leaf: shared vocabulary. Imports nothing of ours.
        .target(name: "DataModel", swiftSettings: strict),
        // Thin C shim over the system zlib (gzip inflate, CRC32).
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // The system bzip2 and xz (liblzma) decoders, for `.bz2` and `.xz` inputs.
        .systemLibrary(name: "CBzip2", providers: [.apt(["libbz2-dev"])]),
        .systemLibrary(name: "CLzma", pkgConfig: "liblzma", providers: [.apt(["liblzma-dev"])]),
        // ISA-L's streaming gunzip for `.gz` inputs, loaded at run time (zlib otherwise).
        .target(name: "CIsal"),
        // Our own C loops over integer columns, compiled for AVX2 and AVX-512 too and picked at run time.
        .target(name: "CKernels"),
        // libcurl for the `http` input source (http/https, redirects, a hook on every connect).
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),

        .target(name: "SQLSyntax", dependencies: ["DataModel"], swiftSettings: strict),
        .target(name: "Expressions", dependencies: ["DataModel"], swiftSettings: strict),
        .target(name: "SQLPlanner", dependencies: ["DataModel", "SQLSyntax", "Expressions"], swiftSettings: strict),
        .target(name: "MSQKernel", dependencies: ["DataModel", "Expressions"], swiftSettings: strict),
        .target(name: "MSQPlanner", dependencies: ["DataModel", "SQLPlanner", "MSQKernel", "Expressions"], swiftSettings: strict),
        .target(name: "Storage", dependencies: ["DataModel"], swiftSettings: strict),
        .target(name: "Inputs", dependencies: ["DataModel", "CZlib", "CIsal", "CCurl", "CBzip2", "CLzma"], swiftSettings: strict),
        .target(name: "SegmentFormat", dependencies: ["DataModel", "CZlib", "CIsal", "CKernels"], swiftSettings: strict),
        .target(name: "Operators", dependencies: ["DataModel", "Expressions", "SegmentFormat"], swiftSettings: strict),
        .target(name: "MSQExec",
                dependencies: ["DataModel", "MSQKernel", "Operators", "Inputs", "SegmentFormat", "Storage", "Expressions"],
                swiftSettings: strict),
        .target(name: "Metadata",
                dependencies: ["DataModel", .product(name: "GRDB", package: "GRDB.swift")],
                swiftSettings: strict),
        .target(name: "Engine",
                dependencies: ["DataModel", "SQLSyntax", "SQLPlanner", "MSQPlanner", "MSQKernel", "MSQExec",
                               "Metadata", "Storage", "SegmentFormat", "Operators", "Expressions",
                               .product(name: "Logging", package: "swift-log")],
                swiftSettings: strict),
        .target(name: "HTTPAPI",
                dependencies: ["DataModel", "Engine",
                               .product(name: "Hummingbird", package: "hummingbird"),
                               .product(name: "NIOCore", package: "swift-nio"),
                               .product(name: "HTTPTypes", package: "swift-http-types"),
                               .product(name: "Logging", package: "swift-log")],
                swiftSettings: strict),
        .executableTarget(name: "InputsBench", dependencies: ["Inputs", "DataModel"], swiftSettings: strict),
        .executableTarget(name: "CLI",
                          dependencies: ["HTTPAPI", "Engine", "DataModel",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser"),
                                         .product(name: "Logging", package: "swift-log")],
                          swiftSettings: strict),

        .testTarget(name: "DataModelTests", dependencies: ["DataModel", "HengeTestSupport"]),
        .testTarget(name: "SQLSyntaxTests", dependencies: ["SQLSyntax", "DataModel"]),
        .testTarget(name: "SQLPlannerTests", dependencies: ["SQLPlanner", "SQLSyntax", "Expressions", "DataModel"]),
        .testTarget(name: "MSQKernelTests", dependencies: ["MSQKernel", "DataModel"]),
        // Shared by the test targets: a misbehaving-on-purpose HTTP server on loopback, a seeded generator.
        .target(name: "HengeTestSupport", path: "Tests/Support"),
        .testTarget(name: "InputsTests", dependencies: ["Inputs", "DataModel", "HengeTestSupport"]),
        .testTarget(name: "SegmentFormatTests", dependencies: ["SegmentFormat", "DataModel", "CKernels", "HengeTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "MetadataTests", dependencies: ["Metadata", "DataModel"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "DataModel"]),
        .testTarget(name: "OperatorsTests", dependencies: ["Operators", "Expressions", "DataModel", "SegmentFormat", "HengeTestSupport"]),
        .testTarget(name: "ExpressionsTests", dependencies: ["Expressions", "DataModel"]),
        .testTarget(name: "SQLLogicTests", dependencies: ["Engine", "DataModel", "Expressions", "SegmentFormat", "HengeTestSupport"], exclude: ["slt", "data"]),
        .testTarget(name: "HTTPAPITests", dependencies: ["DataModel", "HengeTestSupport"]),
    ]
)
