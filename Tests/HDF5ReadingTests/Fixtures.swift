import Foundation
import HDF5Reading

/// The HDF5 files written by `scripts/make_hdf5_test_files.py` into `Fixtures/hdf5/`.
enum Fixtures {
    /// `Fixtures/hdf5` in the repository: this file is `Tests/HDF5ReadingTests/Fixtures.swift`.
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures/hdf5")

    static func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    static func attributes() throws -> HDF5File { try HDF5File(path: path("attributes.h5")) }
    static func datasets() throws -> HDF5File { try HDF5File(path: path("datasets.h5")) }
}

/// Runs `body` and returns the `HDF5Error` it throws, or nil if it succeeds.
/// (The API throws only `HDF5Error`; the closure is untyped because Swift infers `any Error`
/// for closure bodies.)
func expectHDF5Error(_ body: () throws -> Void) -> HDF5Error? {
    do {
        try body()
        return nil
    } catch let error as HDF5Error {
        return error
    } catch {
        return .readFailed(file: "test", path: "test", reason: "not an HDF5Error: \(error)")
    }
}
