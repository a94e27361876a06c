import KerasKit

/// The scalar a fixture's model runs in, with the library calls in that scalar.
public protocol FixtureScalar: KerasScalar {
    /// `model.predict(inputs)`.
    static func predict(_ model: KerasModel, _ inputs: [TensorOf<Self>]) throws -> [TensorOf<Self>]
    /// `session.feedStepByStep(inputs)`.
    static func feedStepByStep(_ session: StreamingSession, _ inputs: [TensorOf<Self>]) throws -> [TensorOf<Self>]
}

extension Float: FixtureScalar {
    public static func predict(_ model: KerasModel, _ inputs: [Tensor]) throws -> [Tensor] { try model.predict(inputs) }
    public static func feedStepByStep(_ session: StreamingSession, _ inputs: [Tensor]) throws -> [Tensor] { try session.feedStepByStep(inputs) }
}

extension Double: FixtureScalar {
    public static func predict(_ model: KerasModel, _ inputs: [TensorOf<Double>]) throws -> [TensorOf<Double>] { try model.predict(inputs) }
    public static func feedStepByStep(_ session: StreamingSession, _ inputs: [TensorOf<Double>]) throws -> [TensorOf<Double>] {
        try session.feedStepByStep(inputs)
    }
}

extension Fixtures.Fixture {
    /// Calls `body` with `Float` for a float32 fixture and `Double` for a float64 one.
    /// - Parameter body: The test, generic over the scalar it is handed.
    /// - Throws: What `body` throws.
    public func withScalar(_ body: (any FixtureScalar.Type) throws -> Void) rethrows {
        switch precision {
        case .float32: try body(Float.self)
        case .float64: try body(Double.self)
        }
    }
}
