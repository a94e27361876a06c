// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "KerasKit",
    platforms: [.macOS(.v13), .iOS(.v16)],
    products: [
        .library(name: "KerasKit", targets: ["KerasKit"]),
        .library(name: "KerasKitImport", targets: ["KerasKitImport"]),
        .executable(name: "keraskit", targets: ["KerasKitCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
    ],
    targets: [
        // MARK: Public API

        /// Tensors, Keras config types, layers, models and predict. No C library dependency.
        .target(name: "KerasKit", dependencies: ["_KerasKitKernels"]),
        /// Keras `.h5` files and Keras 3 `.keras` archives (and `.npz` input archives) into `KerasKit` values.
        .target(name: "KerasKitImport", dependencies: ["KerasKit", "HDF5Reading", "ZIPFoundation"]),
        /// The `keraskit` command-line tool: argument parsing only.
        .executableTarget(
            name: "KerasKitCLI",
            dependencies: [
                "KerasKit", "KerasKitImport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Implementation details

        /// SIMD kernels in C (matrix product, exp/sigmoid/tanh, LSTM recurrence), compiled for the
        /// baseline and, on x86-64, for AVX2 and AVX-512 too, picked at run time. No library.
        .target(name: "_KerasKitKernels"),

        /// libhdf5 from the system, with a shim turning its macros into functions.
        .systemLibrary(
            name: "CHDF5",
            pkgConfig: "hdf5",
            providers: [.apt(["libhdf5-dev"]), .brew(["hdf5"])]
        ),
        /// The only Swift code that imports `CHDF5`: files, groups, attributes, datasets.
        .target(name: "HDF5Reading", dependencies: ["CHDF5"]),

        // MARK: Tests

        /// The fixture manifest decoded once, and the helpers the test targets share
        /// (`expectClose`, `FixtureScalar`). Core only: no HDF5, so the core's tests can use it.
        .target(name: "KerasKitTestSupport", dependencies: ["KerasKit"], path: "Tests/KerasKitTestSupport"),
        .testTarget(name: "KerasKitTests", dependencies: ["KerasKit", "KerasKitTestSupport"]),
        .testTarget(name: "HDF5ReadingTests", dependencies: ["HDF5Reading"]),
        .testTarget(name: "KerasKitImportTests", dependencies: ["KerasKit", "KerasKitImport", "KerasKitTestSupport"]),
        /// Runs the built `keraskit` binary; depends on `KerasKitCLI` so `swift test` builds it first.
        .testTarget(name: "KerasKitCLITests", dependencies: ["KerasKit", "KerasKitImport", "KerasKitCLI", "KerasKitTestSupport"]),
    ]
)
