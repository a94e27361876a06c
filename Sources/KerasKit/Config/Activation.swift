import Foundation

/// A Keras activation function, by its Keras name.
///
/// Element-wise activations apply to each value; `softmax` and `log_softmax` apply to each row
/// of the last axis, as Keras applies them.
public enum Activation: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case linear, tanh, sigmoid, relu, relu6, elu, selu, celu, gelu, silu, mish, softsign, softplus
    case exponential, leakyReLU = "leaky_relu", squareplus
    case hardSigmoid = "hard_sigmoid", hardSilu = "hard_silu", hardTanh = "hard_tanh"
    case hardShrink = "hard_shrink", softShrink = "soft_shrink", tanhShrink = "tanh_shrink"
    case sparsePlus = "sparse_plus", sparseSigmoid = "sparse_sigmoid", logSigmoid = "log_sigmoid"
    case softmax, logSoftmax = "log_softmax"

    /// Parses a Keras activation identifier, including Keras's aliases
    /// (`swish` → `silu`, `hard_swish` → `hard_silu`, `None` → `linear`, TF's `softmax_v2` …).
    /// Returns nil for a name KerasKit does not implement.
    public init?(kerasName: String) {
        let aliases = [
            "swish": "silu", "hard_swish": "hard_silu", "softmax_v2": "softmax",
            "None": "linear", "": "linear", "leaky_relu_v2": "leaky_relu",
        ]
        self.init(rawValue: aliases[kerasName] ?? kerasName)
    }

    /// The name Keras writes.
    public var description: String { rawValue }

    /// Whether the function mixes values along the last axis (and so needs whole rows).
    public var isRowWise: Bool { self == .softmax || self == .logSoftmax }
}

/// The Keras generation whose numerics a model reproduces: the two differ in `hard_sigmoid`.
public enum KerasGeneration: Int, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Keras 1, multi-backend Keras 2, `tf.keras` and tf-keras: `hard_sigmoid(x) = clip(0.2x + 0.5, 0, 1)`.
    case keras2 = 2
    /// Keras 3: `hard_sigmoid(x) = relu6(x + 3) / 6`.
    case keras3 = 3

    /// The generation that wrote a file, from its `keras_version` string (`"2.2.4-tf"`,
    /// `"3.15.1"`); a missing or unreadable version means Keras 1 numerics, i.e. ``keras2``.
    public init(kerasVersion: String?) {
        let major = kerasVersion.flatMap { Int($0.prefix { $0.isNumber }) } ?? 1
        self = major >= 3 ? .keras3 : .keras2
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { "Keras \(rawValue)" }
}

extension Activation {
    /// Applies the activation in place to `count` values that form `count / rowLength` rows,
    /// in the values' own precision.
    ///
    /// Allocation-free, so recurrent layers can call it inside the time loop.
    func apply<Scalar: ComputeScalar>(_ values: UnsafeMutablePointer<Scalar>, count: Int, rowLength: Int, generation: KerasGeneration) {
        switch self {
        case .linear:
            return
        case .tanh:
            Scalar.applyTanh(values, count: count)
        case .sigmoid:
            Scalar.applySigmoid(values, count: count)
        case .exponential:
            Scalar.exponentiate(values, count: count)
        case .softmax, .logSoftmax:
            guard rowLength > 0 else { return }
            var row = 0
            while row + rowLength <= count {
                Activation.softmaxRow(values + row, count: rowLength, log: self == .logSoftmax)
                row += rowLength
            }
            return
        case .relu:
            // Its own loop, which vectorizes; through `scalar` each element would take the switch.
            for index in 0..<count { values[index] = Swift.max(values[index], 0) }
        default:
            for index in 0..<count {
                values[index] = scalar(values[index], generation: generation)
            }
        }
    }

    /// The element-wise function; row-wise activations are not defined here.
    func scalar<Scalar: ComputeScalar>(_ x: Scalar, generation: KerasGeneration) -> Scalar {
        switch self {
        case .linear, .softmax, .logSoftmax: return x
        case .tanh: return Scalar.hyperbolicTangent(x)
        case .sigmoid: return Activation.sigmoid(x)
        case .relu: return Swift.max(x, 0)
        case .relu6: return Swift.min(Swift.max(x, 0), 6)
        case .elu: return Activation.elu(x, alpha: 1)
        case .selu:
            let alpha: Scalar = 1.6732632423543772, scale: Scalar = 1.0507009873554805
            return scale * (x > 0 ? x : alpha * Scalar.exponentialMinusOne(x))
        case .celu: return Activation.celu(x, alpha: 1)
        case .gelu: return Activation.gelu(x, approximate: false)
        case .silu: return x * Activation.sigmoid(x)
        case .mish: return x * Scalar.hyperbolicTangent(Activation.softplus(x))
        case .softsign: return x / (1 + Swift.abs(x))
        case .softplus: return Activation.softplus(x)
        case .exponential: return Scalar.exponential(x)
        case .leakyReLU: return Activation.leakyReLU(x, slope: 0.2)
        case .squareplus: return Activation.squareplus(x, b: 4)
        case .hardSigmoid: return Activation.hardSigmoid(x, generation: generation)
        case .hardSilu: return x * Activation.hardSigmoid(x, generation: .keras3)
        case .hardTanh: return Swift.min(Swift.max(x, -1), 1)
        case .hardShrink: return Activation.hardShrink(x, threshold: 0.5)
        case .softShrink: return Activation.softShrink(x, threshold: 0.5)
        case .tanhShrink: return x - Scalar.hyperbolicTangent(x)
        case .sparsePlus: return x <= -1 ? 0 : (x >= 1 ? x : (x + 1) * (x + 1) / 4)
        case .sparseSigmoid: return x <= -1 ? 0 : (x >= 1 ? 1 : (x + 1) / 2)
        case .logSigmoid: return -Activation.softplus(-x)
        }
    }

    static func sigmoid<Scalar: ComputeScalar>(_ x: Scalar) -> Scalar { 1 / (1 + Scalar.exponential(-x)) }

    // The activations with a parameter; Keras's activation functions and its `keras.ops`
    // operations (Layers/Operations/ActivationOperations.swift) take them with other values.

    /// `x` above 0, `alpha · (eˣ − 1)` below (TensorFlow's `elu`, scaled where `x ≤ 0`).
    static func elu<Scalar: ComputeScalar>(_ x: Scalar, alpha: Scalar) -> Scalar {
        x > 0 ? x : (alpha == 1 ? Scalar.exponentialMinusOne(x) : alpha * Scalar.exponentialMinusOne(x))
    }

    /// `max(x, 0) + alpha · (e^(min(x, 0) / alpha) − 1)`: `x` from 0 up.
    static func celu<Scalar: ComputeScalar>(_ x: Scalar, alpha: Scalar) -> Scalar {
        x >= 0 ? x : alpha * Scalar.exponentialMinusOne(x / alpha)
    }

    /// `tf.nn.gelu`: `0.5 x erfc(−x / √2)`, or with `approximate` the tanh form
    /// `0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³)))`. TensorFlow writes `1/√2` and `0.044715` as
    /// `math_ops.cast(constant, dtype)`, which makes a float32 tensor first: a float64 model
    /// computes with their float32 values.
    static func gelu<Scalar: ComputeScalar>(_ x: Scalar, approximate: Bool) -> Scalar {
        guard approximate else {
            let scaled = -x * Scalar(Float(0.7071067811865476))
            return 0.5 * x * Scalar(Foundation.erfc(Double(scaled)))
        }
        return 0.5 * x * (1 + Scalar.hyperbolicTangent(0.7978845608028654 * (x + Scalar(Float(0.044715)) * (x * x * x))))
    }

    /// `x` from 0 up, `slope · x` below.
    static func leakyReLU<Scalar: ComputeScalar>(_ x: Scalar, slope: Scalar) -> Scalar { x >= 0 ? x : slope * x }

    /// `(x + √(x² + b)) / 2`.
    static func squareplus<Scalar: ComputeScalar>(_ x: Scalar, b: Scalar) -> Scalar { (x + (x * x + b).squareRoot()) / 2 }

    /// `x` where `|x| > threshold`, else 0.
    static func hardShrink<Scalar: ComputeScalar>(_ x: Scalar, threshold: Scalar) -> Scalar { Swift.abs(x) > threshold ? x : 0 }

    /// `x ∓ threshold` outside `[−threshold, threshold]`, else 0.
    static func softShrink<Scalar: ComputeScalar>(_ x: Scalar, threshold: Scalar) -> Scalar {
        x > threshold ? x - threshold : (x < -threshold ? x + threshold : 0)
    }

    /// `log(1 + e^x)` without overflow for large `x`.
    static func softplus<Scalar: ComputeScalar>(_ x: Scalar) -> Scalar {
        Swift.max(x, 0) + Scalar.logarithmOnePlus(Scalar.exponential(-Swift.abs(x)))
    }

    static func hardSigmoid<Scalar: ComputeScalar>(_ x: Scalar, generation: KerasGeneration) -> Scalar {
        let y: Scalar = generation == .keras3 ? x / 6 + 0.5 : 0.2 * x + 0.5
        return Swift.min(Swift.max(y, 0), 1)
    }

    static func softmaxRow<Scalar: ComputeScalar>(_ row: UnsafeMutablePointer<Scalar>, count: Int, log: Bool) {
        var maximum = -Scalar.infinity
        for index in 0..<count { maximum = Swift.max(maximum, row[index]) }
        var sum: Scalar = 0
        for index in 0..<count { sum += Scalar.exponential(row[index] - maximum) }
        if log {
            let offset = maximum + Scalar.logarithm(sum)
            for index in 0..<count { row[index] -= offset }
        } else {
            for index in 0..<count { row[index] = Scalar.exponential(row[index] - maximum) / sum }
        }
    }
}
