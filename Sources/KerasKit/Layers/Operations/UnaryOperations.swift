// Keras 3's element-wise math on one tensor (`keras.ops.exp(x)`, `keras.ops.abs(x)`), recorded as
// operation nodes of module `keras.src.ops.numpy` (`keras.src.ops.math` for Rsqrt, Erf, Erfc);
// each runs its ``UnaryOperation`` on ``UnaryOperationLayer``.

/// `keras.ops.negative` (class `Negative`): `−x`.
public struct NegativeOperationConfig: UnaryOperationConfiguration {
    public static let className = "Negative"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .negative }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.absolute` (class `Absolute`): `|x|`.
public struct AbsoluteOperationConfig: UnaryOperationConfiguration {
    public static let className = "Absolute"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .absolute }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.abs` (class `Abs`): `|x|`.
public struct AbsOperationConfig: UnaryOperationConfiguration {
    public static let className = "Abs"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .absolute }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.fabs` (class `Fabs`): `|x|`.
public struct FabsOperationConfig: UnaryOperationConfiguration {
    public static let className = "Fabs"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .absolute }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.sign` (class `Sign`): −1, 0 or 1.
public struct SignOperationConfig: UnaryOperationConfiguration {
    public static let className = "Sign"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .sign }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.square` (class `Square`): `x²`.
public struct SquareOperationConfig: UnaryOperationConfiguration {
    public static let className = "Square"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .square }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.sqrt` (class `Sqrt`): `√x`.
public struct SqrtOperationConfig: UnaryOperationConfiguration {
    public static let className = "Sqrt"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .sqrt }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.reciprocal` (class `Reciprocal`): `1 / x`.
public struct ReciprocalOperationConfig: UnaryOperationConfiguration {
    public static let className = "Reciprocal"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .reciprocal }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.exp` (class `Exp`): `eˣ` (also `keras.activations.exponential`).
public struct ExpOperationConfig: UnaryOperationConfiguration {
    public static let className = "Exp"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .exp }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.exp2` (class `Exp2`): `2ˣ`.
public struct Exp2OperationConfig: UnaryOperationConfiguration {
    public static let className = "Exp2"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .exp2 }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.expm1` (class `Expm1`): `eˣ − 1`.
public struct Expm1OperationConfig: UnaryOperationConfiguration {
    public static let className = "Expm1"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .expm1 }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.log` (class `Log`): `ln x`.
public struct LogOperationConfig: UnaryOperationConfiguration {
    public static let className = "Log"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .log }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.log2` (class `Log2`): `ln x / ln 2`.
public struct Log2OperationConfig: UnaryOperationConfiguration {
    public static let className = "Log2"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .log2 }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.log10` (class `Log10`): `ln x / ln 10`.
public struct Log10OperationConfig: UnaryOperationConfiguration {
    public static let className = "Log10"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .log10 }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.log1p` (class `Log1p`): `ln(1 + x)`.
public struct Log1pOperationConfig: UnaryOperationConfiguration {
    public static let className = "Log1p"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .log1p }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.cbrt` (class `Cbrt`): `sign(x) · |x|^(1/3)`.
public struct CbrtOperationConfig: UnaryOperationConfiguration {
    public static let className = "Cbrt"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .cbrt }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.sin` (class `Sin`): `sin x`.
public struct SinOperationConfig: UnaryOperationConfiguration {
    public static let className = "Sin"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .sin }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.cos` (class `Cos`): `cos x`.
public struct CosOperationConfig: UnaryOperationConfiguration {
    public static let className = "Cos"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .cos }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.tan` (class `Tan`): `tan x`.
public struct TanOperationConfig: UnaryOperationConfiguration {
    public static let className = "Tan"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .tan }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.arcsin` (class `Arcsin`): `asin x`.
public struct ArcsinOperationConfig: UnaryOperationConfiguration {
    public static let className = "Arcsin"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .arcsin }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.arccos` (class `Arccos`): `acos x`.
public struct ArccosOperationConfig: UnaryOperationConfiguration {
    public static let className = "Arccos"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .arccos }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.arctan` (class `Arctan`): `atan x`.
public struct ArctanOperationConfig: UnaryOperationConfiguration {
    public static let className = "Arctan"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .arctan }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.sinh` (class `Sinh`): `sinh x`.
public struct SinhOperationConfig: UnaryOperationConfiguration {
    public static let className = "Sinh"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .sinh }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.cosh` (class `Cosh`): `cosh x`.
public struct CoshOperationConfig: UnaryOperationConfiguration {
    public static let className = "Cosh"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .cosh }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.tanh` (class `Tanh`): `tanh x` (also `keras.activations.tanh`).
public struct TanhOperationConfig: UnaryOperationConfiguration {
    public static let className = "Tanh"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .tanh }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.arcsinh` (class `Arcsinh`): `asinh x`.
public struct ArcsinhOperationConfig: UnaryOperationConfiguration {
    public static let className = "Arcsinh"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .arcsinh }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.arccosh` (class `Arccosh`): `acosh x`.
public struct ArccoshOperationConfig: UnaryOperationConfiguration {
    public static let className = "Arccosh"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .arccosh }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.arctanh` (class `Arctanh`): `atanh x`.
public struct ArctanhOperationConfig: UnaryOperationConfiguration {
    public static let className = "Arctanh"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .arctanh }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.floor` (class `Floor`): the largest integer ≤ x.
public struct FloorOperationConfig: UnaryOperationConfiguration {
    public static let className = "Floor"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .floor }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.ceil` (class `Ceil`): the smallest integer ≥ x.
public struct CeilOperationConfig: UnaryOperationConfiguration {
    public static let className = "Ceil"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .ceil }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.trunc` (class `Trunc`): `x` rounded toward zero.
public struct TruncOperationConfig: UnaryOperationConfiguration {
    public static let className = "Trunc"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .trunc }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.logical_not` (class `LogicalNot`): 1 where `x` is 0, else 0.
public struct LogicalNotOperationConfig: UnaryOperationConfiguration {
    public static let className = "LogicalNot"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .logicalNot }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.isnan` (class `Isnan`): 1 where `x` is NaN.
public struct IsnanOperationConfig: UnaryOperationConfiguration {
    public static let className = "Isnan"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .isnan }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.isinf` (class `Isinf`): 1 where `x` is ±∞.
public struct IsinfOperationConfig: UnaryOperationConfiguration {
    public static let className = "Isinf"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .isinf }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.isfinite` (class `Isfinite`): 1 where `x` is finite.
public struct IsfiniteOperationConfig: UnaryOperationConfiguration {
    public static let className = "Isfinite"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .isfinite }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.rsqrt` (class `Rsqrt`): `1 / √x` (module `keras.src.ops.math`).
public struct RsqrtOperationConfig: UnaryOperationConfiguration {
    public static let className = "Rsqrt"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .rsqrt }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.erf` (class `Erf`): the error function (module `keras.src.ops.math`).
public struct ErfOperationConfig: UnaryOperationConfiguration {
    public static let className = "Erf"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .erf }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.erfc` (class `Erfc`): `1 − erf x` (module `keras.src.ops.math`).
public struct ErfcOperationConfig: UnaryOperationConfiguration {
    public static let className = "Erfc"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    var operation: UnaryOperation { .erfc }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.round` (class `Round`): half to even, at `decimals` places (negative: tens,
/// hundreds…), scaled by `10^decimals` in the input's type as TensorFlow does.
public struct RoundOperationConfig: UnaryOperationConfiguration {
    public static let className = "Round"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    /// The decimal places kept.
    public let decimals: Int
    var operation: UnaryOperation { .round(decimals: decimals) }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        decimals = try arguments.integer("decimals", default: 0, in: -30...30)
    }
}

/// `keras.ops.clip` (class `Clip`): `min(max(x, x_min), x_max)`, as `tf.clip_by_value`.
public struct ClipOperationConfig: UnaryOperationConfiguration {
    public static let className = "Clip"
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    /// The bounds.
    public let xMin: Double, xMax: Double
    var operation: UnaryOperation { .clip(low: xMin, high: xMax) }
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        xMin = try arguments.number("x_min", default: nil)
        xMax = try arguments.number("x_max", default: nil)
    }
}
