import Foundation

// The element-wise functions of one tensor that Keras 3 records as operation nodes: `keras.ops`
// math (module `keras.src.ops.numpy` / `keras.src.ops.math`, UnaryOperations.swift) and the
// activation functions applied to a tensor (`keras.src.ops.nn`, ActivationOperations.swift). Each
// class's config names its function; they all run on ``UnaryOperationLayer``.

/// An element-wise function, as Keras's TensorFlow backend computes it.
enum UnaryOperation: Sendable, Equatable {
    case negative, absolute, sign, square, sqrt, rsqrt, reciprocal
    case exp, exp2, expm1, log, log2, log10, log1p, erf, erfc, cbrt
    case sin, cos, tan, arcsin, arccos, arctan, sinh, cosh, tanh, arcsinh, arccosh, arctanh
    case floor, ceil, trunc, round(decimals: Int)
    case logicalNot, isnan, isinf, isfinite
    /// An activation without parameters, by its formula in ``Activation``.
    case activation(Activation)
    case elu(alpha: Double), celu(alpha: Double), leakyReLU(slope: Double), gelu(approximate: Bool)
    case softShrink(threshold: Double), hardShrink(threshold: Double), squareplus(b: Double)
    /// `x` above `threshold`, else `value`.
    case threshold(threshold: Double, value: Double)
    /// `min(max(x, low), high)`.
    case clip(low: Double, high: Double)

    /// Whether the result is exact in any precision (one of the input's values, an integer or a
    /// 0/1 flag), so it may take a tensor Keras holds in a narrower type.
    var isExact: Bool {
        switch self {
        case .negative, .absolute, .sign, .floor, .ceil, .trunc, .round(decimals: 0), .logicalNot, .isnan, .isinf, .isfinite: true
        case .activation(let activation): activation == .relu || activation == .relu6 || activation == .hardTanh
        default: false
        }
    }

    /// Whether the result is a 0/1 flag: such operations compute masks, whose `(batch, steps)`
    /// tensors are sequences.
    var isLogical: Bool {
        switch self {
        case .logicalNot, .isnan, .isinf, .isfinite: true
        default: false
        }
    }

    /// Applies the function to each of `x`, writing `y` (of the same count).
    func apply<Scalar: ComputeScalar>(_ x: UnsafeBufferPointer<Scalar>, into y: UnsafeMutableBufferPointer<Scalar>) {
        // The switch is outside the loop: each case runs one specialized loop.
        @inline(__always) func each(_ function: (Scalar) -> Scalar) {
            for index in 0..<Swift.min(x.count, y.count) { y[index] = function(x[index]) }
        }
        // Functions ComputeScalar doesn't provide run in Double: correctly rounded for Float,
        // within TensorFlow's float32 error, and Foundation's own functions for Double.
        @inline(__always) func viaDouble(_ function: (Double) -> Double) { each { Scalar(function(Double($0))) } }
        switch self {
        case .negative: each { -$0 }
        case .absolute: each { Swift.abs($0) }
        // TensorFlow's sign keeps NaN and zero.
        case .sign: each { $0 > 0 ? 1 : ($0 < 0 ? -1 : $0) }
        case .square: each { $0 * $0 }
        case .sqrt: each { $0.squareRoot() }
        case .rsqrt: each { 1 / $0.squareRoot() }
        case .reciprocal: each { 1 / $0 }
        case .exp: each { Scalar.exponential($0) }
        case .exp2: viaDouble(Foundation.exp2)
        case .expm1: each { Scalar.exponentialMinusOne($0) }
        case .log: each { Scalar.logarithm($0) }
        // Keras's log2 and log10 divide by log(2) and log(10) in the input's type.
        case .log2: each { Scalar.logarithm($0) / Scalar.logarithm(2) }
        case .log10: each { Scalar.logarithm($0) / Scalar.logarithm(10) }
        case .log1p: each { Scalar.logarithmOnePlus($0) }
        case .erf: each { Scalar.errorFunction($0) }
        case .erfc: viaDouble(Foundation.erfc)
        // Keras's cbrt: sign(x) · |x|^(1/3), the exponent in the input's type.
        case .cbrt:
            let third = Double(Scalar(1.0 / 3.0))
            each { x in (x < 0 ? -1 : 1) * Scalar(Foundation.pow(Double(Swift.abs(x)), third)) }
        case .sin: viaDouble(Foundation.sin)
        case .cos: viaDouble(Foundation.cos)
        case .tan: viaDouble(Foundation.tan)
        case .arcsin: viaDouble(Foundation.asin)
        case .arccos: viaDouble(Foundation.acos)
        case .arctan: viaDouble(Foundation.atan)
        case .sinh: viaDouble(Foundation.sinh)
        case .cosh: viaDouble(Foundation.cosh)
        case .tanh: each { Scalar.hyperbolicTangent($0) }
        case .arcsinh: viaDouble(Foundation.asinh)
        case .arccosh: viaDouble(Foundation.acosh)
        case .arctanh: viaDouble(Foundation.atanh)
        case .floor: each { $0.rounded(.down) }
        case .ceil: each { $0.rounded(.up) }
        case .trunc: each { $0.rounded(.towardZero) }
        // TensorFlow rounds half to even; with decimals it scales by 10^decimals in the input's type.
        case .round(let decimals):
            if decimals == 0 {
                each { $0.rounded(.toNearestOrEven) }
            } else {
                let factor = Scalar(Foundation.pow(10, Double(decimals)))
                each { ($0 * factor).rounded(.toNearestOrEven) / factor }
            }
        case .logicalNot: each { $0 == 0 ? 1 : 0 }
        case .isnan: each { $0.isNaN ? 1 : 0 }
        case .isinf: each { $0.isInfinite ? 1 : 0 }
        case .isfinite: each { $0.isFinite ? 1 : 0 }
        case .activation(let activation): each { activation.scalar($0, generation: .keras3) }
        case .elu(let alpha):
            let alpha = Scalar(alpha)
            each { Activation.elu($0, alpha: alpha) }
        case .celu(let alpha):
            let alpha = Scalar(alpha)
            each { Activation.celu($0, alpha: alpha) }
        case .leakyReLU(let slope):
            let slope = Scalar(slope)
            each { Activation.leakyReLU($0, slope: slope) }
        case .gelu(let approximate): each { Activation.gelu($0, approximate: approximate) }
        case .softShrink(let threshold):
            let threshold = Scalar(threshold)
            each { Activation.softShrink($0, threshold: threshold) }
        case .hardShrink(let threshold):
            let threshold = Scalar(threshold)
            each { Activation.hardShrink($0, threshold: threshold) }
        case .squareplus(let b):
            let b = Scalar(b)
            each { Activation.squareplus($0, b: b) }
        case .threshold(let threshold, let value):
            let (threshold, value) = (Scalar(threshold), Scalar(value))
            each { $0 > threshold ? $0 : value }
        // tf.clip_by_value: the maximum with the lower bound, then the minimum with the upper.
        case .clip(let low, let high):
            let (low, high) = (Scalar(low), Scalar(high))
            each { Swift.min(Swift.max($0, low), high) }
        }
    }
}

/// An operation node applying a ``UnaryOperation`` to its one tensor.
protocol UnaryOperationConfiguration: LayerBuilding {
    /// What the operation computes, from its config.
    var operation: UnaryOperation { get }
}

extension UnaryOperationConfiguration {
    public static var isOperation: Bool { true }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let operands = try OperationOperands<Scalar>(arguments: context.arguments, inputCount: inputs.count, layer: common.name)
        guard inputs.count == 1, operands.operands.count == 1 else {
            throw .unsupportedTopology(layer: common.name, reason: "\(Self.className) takes one tensor; the call passes \(inputs.count) tensor(s) and \(operands.operands.count - inputs.count) other argument(s)")
        }
        try operands.checkPrecision(exact: operation.isExact, layer: common.name, className: Self.className)
        return RunnableLayer(UnaryOperationLayer<Scalar>(name: common.name, operation: operation))
    }
}

/// A ``UnaryOperation`` on each element of one tensor. Operations carry no Keras mask.
struct UnaryOperationLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let operation: UnaryOperation

    var parameterCount: Int { 0 }
    var timeBehavior: TimeBehavior { .stepwise }
    var readsRank2Sequences: Bool { operation.isLogical }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] { [inputs[0]] }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        var output = call.outputBuffer(input.scalars.count, zeroed: false)
        input.scalars.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in operation.apply(x, into: y) }
        }
        return [TensorOf(uncheckedShape: input.shape, scalars: output)]
    }
}
