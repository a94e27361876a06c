import Foundation
import Testing
@testable import KerasKit

@Suite("Activations")
struct ActivationTests {
    @Test("hard_sigmoid follows the writer's Keras generation")
    func hardSigmoidByGeneration() {
        #expect(Activation.hardSigmoid.scalar(Float(1), generation: .keras2) == 0.7)
        #expect(abs(Activation.hardSigmoid.scalar(Float(1), generation: .keras3) - (1.0 / 6 + 0.5)) < 1e-7)
        #expect(Activation.hardSigmoid.scalar(Float(-3), generation: .keras2) == 0)
        #expect(Activation.hardSigmoid.scalar(Float(2.4), generation: .keras2) == 0.98)
        #expect(Activation.hardSigmoid.scalar(Float(3), generation: .keras3) == 1)
        #expect(Activation.hardSigmoid.scalar(2.4 as Double, generation: .keras2) == 0.2 * 2.4 + 0.5)
    }

    /// The inputs: every multiple of 1/8 in [-8, 8] (where the piecewise functions change
    /// branch: ±0.5, ±1, ±2.5, ±3) and magnitudes up to 1e6, where exponentials overflow or
    /// vanish and differences cancel. Every one is a `Float` exactly, so both precisions see the
    /// same input as the reference.
    static let grid: [Double] = {
        let fine = (-64...64).map { Double($0) / 8 }
        let large: [Double] = [10, 15, 20, 30, 40, 50, 80, 88, 89, 100, 500, 710, 1000, 1e4, 1e5, 1e6]
        return fine + large + large.map { -$0 }
    }()

    /// Keras's definition of each activation (keras/src/activations/activations.py and the
    /// backends' `nn` ops; tf-keras for Keras 2's `hard_sigmoid`), evaluated in `Double` with
    /// Foundation's functions, never with KerasKit's. Row-wise ones are in ``referenceRow``.
    static func reference(_ activation: Activation, _ x: Double, generation: KerasGeneration) -> Double {
        func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
        // log(1 + e^x), written so that neither branch overflows or loses e^x to the 1.
        func softplus(_ x: Double) -> Double { x > 0 ? x + log1p(exp(-x)) : log1p(exp(x)) }
        func clip(_ x: Double, _ low: Double, _ high: Double) -> Double { min(max(x, low), high) }
        switch activation {
        case .linear: return x
        case .tanh: return tanh(x)
        case .sigmoid: return sigmoid(x)
        case .relu: return max(x, 0)
        case .relu6: return clip(x, 0, 6)
        case .elu: return x > 0 ? x : expm1(x)  // alpha = 1
        case .selu:
            // Klambauer et al. 2017, the constants Keras uses.
            let alpha = 1.6732632423543772848170429916717, scale = 1.0507009873554804934193349852946
            return scale * (x > 0 ? x : alpha * expm1(x))
        case .celu: return x >= 0 ? x : expm1(x)  // alpha = 1: alpha * (exp(x / alpha) - 1)
        // x Φ(x), approximate=False, as tf.nn.gelu computes it: its 1/√2 is
        // `math_ops.cast(0.7071067811865476, dtype)`, a float32 tensor first (measured: TensorFlow's
        // float64 gelu is 5e-9 from the exact 1/√2 and 5e-18 from the float32 one).
        case .gelu: return 0.5 * x * erfc(-x * Double(Float(0.7071067811865476)))
        case .silu: return x * sigmoid(x)
        case .mish: return x * tanh(softplus(x))
        case .softsign: return x / (1 + abs(x))
        case .softplus: return softplus(x)
        case .exponential: return exp(x)
        case .leakyReLU: return x >= 0 ? x : 0.2 * x  // negative_slope = 0.2
        case .squareplus: return (x + (x * x + 4).squareRoot()) / 2  // b = 4
        case .hardSigmoid:
            // Keras 3: relu6(x + 3) / 6; Keras 2 (tf-keras): 0 below -2.5, 1 above 2.5, else 0.2x + 0.5.
            return generation == .keras3 ? clip(x + 3, 0, 6) / 6 : (x < -2.5 ? 0 : (x > 2.5 ? 1 : 0.2 * x + 0.5))
        case .hardSilu: return x * clip(x + 3, 0, 6) / 6  // Keras 3 only, whatever the generation
        case .hardTanh: return clip(x, -1, 1)
        case .hardShrink: return abs(x) > 0.5 ? x : 0
        case .softShrink: return x > 0.5 ? x - 0.5 : (x < -0.5 ? x + 0.5 : 0)
        case .tanhShrink: return x - tanh(x)
        case .sparsePlus: return x <= -1 ? 0 : (x < 1 ? (x + 1) * (x + 1) / 4 : x)
        case .sparseSigmoid: return x <= -1 ? 0 : (x >= 1 ? 1 : (x + 1) / 2)
        case .logSigmoid: return -softplus(-x)
        case .softmax, .logSoftmax: return .nan  // row-wise: see referenceRow
        }
    }

    /// `softmax` or `log_softmax` of one row, as Keras computes it (the row's maximum subtracted).
    static func referenceRow(_ activation: Activation, _ row: [Double]) -> [Double] {
        let maximum = row.max() ?? 0
        let sum = row.map { exp($0 - maximum) }.reduce(0, +)
        return activation == .logSoftmax ? row.map { $0 - maximum - log(sum) } : row.map { exp($0 - maximum) / sum }
    }

    /// How far a result may be from the reference.
    ///
    /// Relative to the result, `relative`: 1e-12 for `Double` (a few thousand ulps, room for
    /// libm's differences and an operation or two of rounding, and a wrong constant's 1e-9 still
    /// fails), 1e-6 for `Float` (8 ulps: the SIMD exp/sigmoid/tanh are within 3). Plus the same
    /// fraction of `scale`, the magnitude of the terms the formula combines (`max(1, |x|)`, or the
    /// row's largest for softmax): `x - tanh(x)`, `x + sqrt(x² + 4)`, `1 + erf(x/√2)` and
    /// `x - max - log(Σ)` cancel, so their error is a few ulps of the terms whatever the result.
    /// An infinite reference (exp overflowing the precision) must be matched exactly.
    static func expectNear<Scalar: BinaryFloatingPoint>(
        _ actual: Scalar, _ expected: Double, scale: Double, relative: Double, _ label: @autoclosure () -> String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let rounded = Scalar(expected)
        if rounded.isInfinite {
            #expect(actual == rounded, "\(label()): \(actual), expected \(rounded)", sourceLocation: sourceLocation)
            return
        }
        let error = abs(Double(actual) - expected)
        let tolerance = relative * (abs(expected) + scale)
        #expect(error <= tolerance, "\(label()): \(actual), expected \(expected) (error \(error), tolerance \(tolerance))", sourceLocation: sourceLocation)
    }

    /// Runs `activation` in `Scalar` on the grid (in rows of 8 for row-wise activations, each
    /// pairing small and large magnitudes) and compares with ``reference``.
    static func check<Scalar: ComputeScalar>(_ activation: Activation, generation: KerasGeneration, as scalar: Scalar.Type, relative: Double,
                                             sourceLocation: SourceLocation = #_sourceLocation) {
        // Rows of 8 alternating from both ends of the grid; the values left over form no row.
        var inputs: [Double] = []
        var low = 0, high = grid.count - 1
        while low <= high {
            inputs.append(grid[low]); low += 1
            if low <= high { inputs.append(grid[high]); high -= 1 }
        }
        inputs.removeLast(inputs.count % 8)
        var values = inputs.map { Scalar($0) }
        values.withUnsafeMutableBufferPointer { activation.apply($0.baseAddress!, count: $0.count, rowLength: 8, generation: generation) }
        if activation.isRowWise {
            for start in stride(from: 0, to: inputs.count, by: 8) {
                let row = Array(inputs[start..<start + 8])
                let scale = max(1, row.map(abs).max() ?? 0)
                for (offset, expected) in referenceRow(activation, row).enumerated() {
                    expectNear(values[start + offset], expected, scale: scale, relative: relative,
                               "\(activation) in \(Scalar.self), row \(row), element \(offset)", sourceLocation: sourceLocation)
                }
            }
        } else {
            for (x, actual) in zip(inputs, values) {
                expectNear(actual, reference(activation, x, generation: generation), scale: max(1, abs(x)), relative: relative,
                           "\(activation)(\(x)) in \(Scalar.self), \(generation)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test("every activation matches Keras's formula, evaluated independently in Double: to 1e-12 in Double, to float32 rounding in Float",
          arguments: Activation.allCases, [KerasGeneration.keras2, .keras3])
    func matchesReference(activation: Activation, generation: KerasGeneration) {
        Self.check(activation, generation: generation, as: Double.self, relative: 1e-12)
        Self.check(activation, generation: generation, as: Float.self, relative: 1e-6)
    }

    @Test("keras_version picks the generation", arguments: [
        ("2.2.4-tf", KerasGeneration.keras2), ("2.21.0", .keras2), ("3.15.1", .keras3), ("1.2.2", .keras2), ("", .keras2),
    ])
    func generation(version: String, expected: KerasGeneration) {
        #expect(KerasGeneration(kerasVersion: version) == expected)
        #expect(KerasGeneration(kerasVersion: nil) == .keras2)
    }

    @Test("aliases resolve to Keras's functions")
    func aliases() {
        #expect(Activation(kerasName: "swish") == .silu)
        #expect(Activation(kerasName: "hard_swish") == .hardSilu)
        #expect(Activation(kerasName: "softmax_v2") == .softmax)
        #expect(Activation(kerasName: "nonsense") == nil)
    }

    @Test("softmax normalizes each row of the last axis")
    func softmaxRows() {
        var values: [Float] = [1, 2, 3, 1000, 1000, 1000]
        values.withUnsafeMutableBufferPointer { buffer in
            Activation.softmax.apply(buffer.baseAddress!, count: 6, rowLength: 3, generation: .keras3)
        }
        #expect(abs(values[0..<3].reduce(0, +) - 1) < 1e-6)
        #expect(abs(values[3] - 1.0 / 3) < 1e-6, "large logits don't overflow")
    }

    @Test("float16 bit patterns widen exactly")
    func float16() {
        #expect(Float(float16Bits: 0x3c00) == 1)
        #expect(Float(float16Bits: 0xc000) == -2)
        #expect(Float(float16Bits: 0x0001) == 0x1p-24)
        #expect(Float(float16Bits: 0x7c00) == .infinity)
        #expect(Float(float16Bits: 0x7e00).isNaN)
        #expect(Float(float16Bits: 0x3555) == 0.333251953125)
    }
}
