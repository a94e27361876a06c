import Foundation
import KerasKit
import Testing

/// The committed fixtures made by real Keras (`scripts/make_fixtures.py`), found from this file.
enum Fixtures {
    static let root = ProcessInfo.processInfo.environment["KERASKIT_FIXTURES"].map { URL(fileURLWithPath: $0) }
        ?? URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    struct Manifest: Decodable {
        var fixtures: [Fixture]
        var errors: [ErrorFixture]
    }

    struct Fixture: Decodable, CustomTestStringConvertible, Sendable {
        struct Call: Decodable, Sendable {
            var reset_states_before: Bool
            var inputs: [String]
            var outputs: [String]
        }
        struct Layer: Decodable, Sendable {
            var name: String
            var class_name: String
            var params: Int
        }
        var name: String
        var writer: String
        /// `h5` or `keras`.
        var format: String
        var keras_version: String
        var model: String
        var total_params: Int
        var layers: [Layer]
        var calls: [Call]
        var testDescription: String { "\(name) (\(writer), .\(format))" }
    }

    struct ErrorFixture: Decodable, CustomTestStringConvertible, Sendable {
        var name: String
        var file: String
        var description: String
        var expect: String
        var testDescription: String { "\(name): \(file)" }
    }

    static let manifest: Manifest = {
        do {
            let data = try Data(contentsOf: root.appendingPathComponent("manifest.json"))
            return try JSONDecoder().decode(Manifest.self, from: data)
        } catch {
            // An empty manifest makes every parameterized test vanish; `manifestIsComplete` fails instead.
            return Manifest(fixtures: [], errors: [])
        }
    }()

    static var all: [Fixture] { manifest.fixtures }
    static var errors: [ErrorFixture] { manifest.errors }

    static func array(_ relative: String) throws -> NumpyArray {
        try NumpyArray(contentsOf: path(relative))
    }
}

/// Checks two tensors have one shape and agree to `atol`, reporting at the caller's location.
func expectClose(
    _ actual: Tensor, _ expected: Tensor, atol: Float = 1e-5, _ label: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.shape == expected.shape, "\(label) shape", sourceLocation: sourceLocation)
    guard actual.shape == expected.shape else { return }
    var worst: Float = 0
    var worstIndex = 0
    for index in actual.scalars.indices {
        let difference = abs(actual.scalars[index] - expected.scalars[index])
        if !(difference <= worst) { worst = difference; worstIndex = index }
    }
    #expect(worst <= atol, "\(label) max |diff| \(worst) at flat index \(worstIndex): \(actual.scalars[worstIndex]) vs Keras \(expected.scalars[worstIndex])", sourceLocation: sourceLocation)
}
