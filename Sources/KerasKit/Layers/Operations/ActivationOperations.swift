// The activation functions applied to a tensor (`keras.activations.gelu(x)`, `keras.ops.silu(x)`),
// which Keras 3 records as operation nodes of module `keras.src.ops.nn` (`keras.activations.relu`
// records `ReLU` of module `keras.src.activations.activations`, whose config lives beside the
// `ReLU` layer in ReLU.swift). Each computes its formula in
// ``Activation`` on ``UnaryOperationLayer``; `keras.activations.mish` and `hard_silu` call the
// backend directly and record no node Keras can run.

/// `keras.ops.relu` (class `Relu`): `max(x, 0)`.
public struct ReluOperationConfig: UnaryOperationConfiguration {
    public static let className = "Relu"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .activation(.relu) }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.relu6` (class `Relu6`): `min(max(x, 0), 6)` (also `keras.activations.relu6`).
public struct Relu6OperationConfig: UnaryOperationConfiguration {
    public static let className = "Relu6"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .activation(.relu6) }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.sigmoid` (class `Sigmoid`): `1 / (1 + e⁻ˣ)` (also `keras.activations.sigmoid`).
public struct SigmoidOperationConfig: UnaryOperationConfiguration {
    public static let className = "Sigmoid"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .activation(.sigmoid) }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.sparse_sigmoid` (class `SparseSigmoid`): 0 below −1, 1 above 1, `(x + 1) / 2` between.
public struct SparseSigmoidOperationConfig: UnaryOperationConfiguration {
    public static let className = "SparseSigmoid"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .activation(.sparseSigmoid) }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.softplus` (class `Softplus`): `ln(1 + eˣ)`.
public struct SoftplusOperationConfig: UnaryOperationConfiguration {
    public static let className = "Softplus"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .activation(.softplus) }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.softsign` (class `Softsign`): `x / (1 + |x|)`.
public struct SoftsignOperationConfig: UnaryOperationConfiguration {
    public static let className = "Softsign"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .activation(.softsign) }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.sparse_plus` (class `SparsePlus`): 0 below −1, `x` above 1, `(x + 1)² / 4` between.
public struct SparsePlusOperationConfig: UnaryOperationConfiguration {
    public static let className = "SparsePlus"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .activation(.sparsePlus) }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.silu` (class `Silu`): `x · sigmoid(x)` (also `keras.activations.swish`).
public struct SiluOperationConfig: UnaryOperationConfiguration {
    public static let className = "Silu"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .activation(.silu) }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.log_sigmoid` (class `LogSigmoid`): `−softplus(−x)`.
public struct LogSigmoidOperationConfig: UnaryOperationConfiguration {
    public static let className = "LogSigmoid"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .activation(.logSigmoid) }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.hard_sigmoid` (class `HardSigmoid`): Keras 3's `relu6(x + 3) / 6`.
public struct HardSigmoidOperationConfig: UnaryOperationConfiguration {
    public static let className = "HardSigmoid"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .activation(.hardSigmoid) }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.hard_silu` (class `HardSilu`): `x · hard_sigmoid(x)`.
public struct HardSiluOperationConfig: UnaryOperationConfiguration {
    public static let className = "HardSilu"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .activation(.hardSilu) }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.selu` (class `Selu`): `scale · elu(x, alpha)` with SELU's constants.
public struct SeluOperationConfig: UnaryOperationConfiguration {
    public static let className = "Selu"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .activation(.selu) }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.tanh_shrink` (class `TanhShrink`): `x − tanh x`.
public struct TanhShrinkOperationConfig: UnaryOperationConfiguration {
    public static let className = "TanhShrink"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .activation(.tanhShrink) }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.hard_tanh` (class `HardTanh`): `x` clipped to [−1, 1].
public struct HardTanhOperationConfig: UnaryOperationConfiguration {
    public static let className = "HardTanh"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .activation(.hardTanh) }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.leaky_relu` (class `LeakyRelu`): `x` from 0 up, `negative_slope · x` below.
public struct LeakyReluOperationConfig: UnaryOperationConfiguration {
    public static let className = "LeakyRelu"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    /// The slope below 0.
    public let negativeSlope: Double
    var operation: UnaryOperation { .leakyReLU(slope: negativeSlope) }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        negativeSlope = try arguments.number("negative_slope", default: 0.2)
    }
}

/// `keras.ops.elu` (class `Elu`): `x` above 0, `alpha · (eˣ − 1)` below.
public struct EluOperationConfig: UnaryOperationConfiguration {
    public static let className = "Elu"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    /// The scale below 0.
    public let alpha: Double
    var operation: UnaryOperation { .elu(alpha: alpha) }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        alpha = try arguments.number("alpha", default: 1.0)
    }
}

/// `keras.ops.celu` (class `Celu`): `max(x, 0) + alpha · (e^(min(x, 0) / alpha) − 1)`.
public struct CeluOperationConfig: UnaryOperationConfiguration {
    public static let className = "Celu"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    /// The scale and the input's divisor below 0.
    public let alpha: Double
    var operation: UnaryOperation { .celu(alpha: alpha) }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        alpha = try arguments.number("alpha", default: 1.0)
    }
}

/// `keras.ops.soft_shrink` (class `SoftShrink`): `x ∓ threshold` outside [−threshold, threshold], else 0.
public struct SoftShrinkOperationConfig: UnaryOperationConfiguration {
    public static let className = "SoftShrink"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    /// The half-width of the zeroed band.
    public let threshold: Double
    var operation: UnaryOperation { .softShrink(threshold: threshold) }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        threshold = try arguments.number("threshold", default: 0.5)
    }
}

/// `keras.ops.hard_shrink` (class `HardShrink`): `x` where `|x| > threshold`, else 0.
public struct HardShrinkOperationConfig: UnaryOperationConfiguration {
    public static let className = "HardShrink"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    /// The half-width of the zeroed band.
    public let threshold: Double
    var operation: UnaryOperation { .hardShrink(threshold: threshold) }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        threshold = try arguments.number("threshold", default: 0.5)
    }
}

/// `keras.ops.squareplus` (class `Squareplus`): `(x + √(x² + b)) / 2`.
public struct SquareplusOperationConfig: UnaryOperationConfiguration {
    public static let className = "Squareplus"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    /// The smoothing term.
    public let b: Double
    var operation: UnaryOperation { .squareplus(b: b) }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        b = try arguments.number("b", default: 4)
    }
}

/// `keras.ops.gelu` (class `Gelu`): `0.5 x (1 + erf(x / √2))`, or TensorFlow's tanh form with
/// `approximate` (the class's default; `keras.activations.gelu` writes false).
public struct GeluOperationConfig: UnaryOperationConfiguration {
    public static let className = "Gelu"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    /// Whether the tanh approximation is computed.
    public let approximate: Bool
    var operation: UnaryOperation { .gelu(approximate: approximate) }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        approximate = try arguments.flag("approximate", default: true)
    }
}

/// `keras.ops.threshold` (class `Threshold`): `x` where `x > threshold`, else `default_value`.
public struct ThresholdOperationConfig: UnaryOperationConfiguration {
    public static let className = "Threshold"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    /// Values at or below it are replaced.
    public let threshold: Double
    /// What replaces them.
    public let defaultValue: Double
    var operation: UnaryOperation { .threshold(threshold: threshold, value: defaultValue) }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        threshold = try arguments.number("threshold", default: nil)
        defaultValue = try arguments.number("default_value", default: nil)
    }
}
