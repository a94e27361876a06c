// swift-tools-version: 6.0
// Fuzz targets for KerasKit's readers. Not part of the main package: `swift build` and
// `swift test` at the repository root never see this folder. Build and run them with
// `scripts/fuzz.sh` (Linux, Swift's libFuzzer integration: `-sanitize=fuzzer,address`).
import PackageDescription

/// Each target defines `LLVMFuzzerTestOneInput`; libFuzzer supplies `main`.
func fuzzTarget(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport"] + dependencies,
        swiftSettings: [.unsafeFlags(["-parse-as-library"])]
    )
}

let package = Package(
    name: "KerasKitFuzz",
    dependencies: [.package(name: "KerasKit", path: "..")],
    targets: [
        // MARK: Implementation details

        /// Runs a loaded model once on zeros, so fuzzing reaches shape inference and predict.
        .target(name: "FuzzSupport", dependencies: [.product(name: "KerasKit", package: "KerasKit")]),

        // MARK: Fuzz targets

        /// KerasKit native files (safetensors + metadata): `KerasModel.load(nativeData:name:)`.
        fuzzTarget("FuzzNative", [.product(name: "KerasKit", package: "KerasKit")]),
        /// `.npy` arrays: `NumpyArray(npy:)`.
        fuzzTarget("FuzzNumpy", [.product(name: "KerasKit", package: "KerasKit")]),
        /// Model config JSON: `ModelConfig(json:)`, then building a weightless model from it.
        fuzzTarget("FuzzConfig", [.product(name: "KerasKit", package: "KerasKit")]),
        /// Keras `.h5` files: `KerasModel.load(h5Bytes:name:)` (libhdf5 underneath).
        fuzzTarget("FuzzH5", [
            .product(name: "KerasKit", package: "KerasKit"),
            .product(name: "KerasKitImport", package: "KerasKit"),
        ]),
        /// Keras 3 `.keras` zip archives: `KerasModel.load(kerasArchiveData:name:)`.
        fuzzTarget("FuzzKerasArchive", [
            .product(name: "KerasKit", package: "KerasKit"),
            .product(name: "KerasKitImport", package: "KerasKit"),
        ]),
    ]
)
