import Foundation
import KerasKit

/// The committed fixtures made by real Keras (`scripts/make_fixtures.py`): the manifest, decoded
/// once for every test target, and the files it names.
///
/// The directory is the top-level `Fixtures/`, found from this file, or the one the
/// `KERASKIT_FIXTURES` environment variable names.
public enum Fixtures {
    /// The fixture directory.
    public static let root = ProcessInfo.processInfo.environment["KERASKIT_FIXTURES"].map { URL(fileURLWithPath: $0) }
        ?? URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// The absolute path of a file the manifest names.
    /// - Parameter relative: A path relative to ``root``, as the manifest writes it.
    /// - Returns: The file's absolute path.
    public static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// The manifest, or why it could not be read.
    ///
    /// A manifest that fails to decode becomes an empty one, so parameterized tests get no
    /// arguments instead of trapping; the manifest checks of each target fail on ``manifestError``.
    private static let decoded: (manifest: Manifest, error: String?) = {
        let url = root.appendingPathComponent("manifest.json")
        do {
            return (try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: url)), nil)
        } catch {
            return (Manifest(fixtures: [], errors: []), "\(url.path): \(error)")
        }
    }()

    /// The decoded `manifest.json`.
    public static var manifest: Manifest { decoded.manifest }
    /// Why `manifest.json` could not be read or decoded; nil when it was.
    public static var manifestError: String? { decoded.error }

    /// Every model fixture: one entry per fixture, writer and file format.
    public static var all: [Fixture] { manifest.fixtures.filter { $0.unsupported == nil } }
    /// Every fixture of the manifest, the models KerasKit must refuse included.
    public static var everything: [Fixture] { manifest.fixtures }
    /// The models KerasKit must refuse, each naming the classes it must name.
    public static var unsupportedModels: [Fixture] { manifest.fixtures.filter { $0.unsupported != nil } }
    /// The broken files that must be refused.
    public static var errors: [ErrorFixture] { manifest.errors }

    /// Reads a `.npy` file the manifest names.
    /// - Parameter relative: A path relative to ``root``.
    /// - Returns: The array.
    /// - Throws: `NumpyError` when the file is missing or malformed.
    public static func array(_ relative: String) throws -> NumpyArray {
        try NumpyArray(contentsOf: path(relative))
    }
}

// MARK: Files on disk

extension Fixtures {
    /// The model files on disk, independently of the manifest: every `NAME/WRITER/model.h5` and
    /// `NAME/WRITER/model.keras` under ``root``, as paths relative to it, sorted.
    public static var modelFilesOnDisk: [String] {
        let manager = FileManager.default
        var result: [String] = []
        for name in (try? manager.contentsOfDirectory(atPath: root.path)) ?? [] {
            for writer in (try? manager.contentsOfDirectory(atPath: path(name))) ?? [] {
                for file in (try? manager.contentsOfDirectory(atPath: path("\(name)/\(writer)"))) ?? []
                where file == "model.h5" || file == "model.keras" {
                    result.append("\(name)/\(writer)/\(file)")
                }
            }
        }
        return result.sorted()
    }

    /// The broken files on disk: every file in `errors/`, as paths relative to ``root``, sorted.
    public static var errorFilesOnDisk: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path("errors"))) ?? []).map { "errors/\($0)" }.sorted()
    }
}
