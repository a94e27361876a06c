import KerasKit
import Testing

/// Checks two tensors have one shape and agree to `atol` (largest absolute difference; a NaN
/// anywhere fails), reporting at the caller's location.
/// - Parameters:
///   - actual: What KerasKit computed.
///   - expected: What Keras computed.
///   - atol: The largest absolute difference accepted.
///   - label: Text that names the values in a failure.
///   - sourceLocation: The caller's location, where a failure is reported.
public func expectClose<Scalar: KerasScalar>(
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
