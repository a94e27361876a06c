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
        /// The model's dtype policy: `float32`, or `float64` for a model Keras ran in float64.
        var dtype: String
        /// The largest difference from Keras's outputs accepted (1e-5; 1e-9 for float64 models).
        var atol: Double
        var testDescription: String { "\(name) (\(writer), .\(format))" }

        /// The precision KerasKit must compute the model in.
        var precision: ComputePrecision { dtype == "float64" ? .float64 : .float32 }
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

/// The scalar a fixture's model runs in, with the library calls in that scalar.
protocol FixtureScalar: KerasScalar {
    /// `model.predict(inputs)`.
    static func predict(_ model: KerasModel, _ inputs: [TensorOf<Self>]) throws -> [TensorOf<Self>]
    /// `session.feedStepByStep(inputs)`.
    static func feedStepByStep(_ session: StreamingSession, _ inputs: [TensorOf<Self>]) throws -> [TensorOf<Self>]
}

extension Float: FixtureScalar {
    static func predict(_ model: KerasModel, _ inputs: [Tensor]) throws -> [Tensor] { try model.predict(inputs) }
    static func feedStepByStep(_ session: StreamingSession, _ inputs: [Tensor]) throws -> [Tensor] { try session.feedStepByStep(inputs) }
}

extension Double: FixtureScalar {
    static func predict(_ model: KerasModel, _ inputs: [TensorOf<Double>]) throws -> [TensorOf<Double>] { try model.predict(inputs) }
    static func feedStepByStep(_ session: StreamingSession, _ inputs: [TensorOf<Double>]) throws -> [TensorOf<Double>] {
        try session.feedStepByStep(inputs)
    }
}

extension Fixtures.Fixture {
    /// Calls `body` with `Float` for a float32 fixture and `Double` for a float64 one.
    func withScalar(_ body: (any FixtureScalar.Type) throws -> Void) rethrows {
        switch precision {
        case .float32: try body(Float.self)
        case .float64: try body(Double.self)
        }
    }
}

/// Checks two tensors have one shape and agree to `atol`, reporting at the caller's location.
func expectClose<Scalar: KerasScalar>(
    _ actual: TensorOf<Scalar>, _ expected: TensorOf<Scalar>, atol: Double = 1e-5, _ label: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.shape == expected.shape, "\(label) shape", sourceLocation: sourceLocation)
    guard actual.shape == expected.shape else { return }
    var worst: Scalar = 0
    var worstIndex = 0
    for index in actual.scalars.indices {
        let difference = abs(actual.scalars[index] - expected.scalars[index])
        if !(difference <= worst) { worst = difference; worstIndex = index }
    }
    #expect(Double(worst) <= atol, "\(label) max |diff| \(worst) at flat index \(worstIndex): \(actual.scalars[worstIndex]) vs Keras \(expected.scalars[worstIndex])", sourceLocation: sourceLocation)
}
