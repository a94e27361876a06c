import Foundation

// Keras 3's reductions over axes of one tensor (`keras.ops.mean(x, axis=-1)`, `x.max(axis=1)`,
// `keras.ops.argmax(x, axis=-1)`), recorded as operation nodes of module `keras.src.ops.numpy`
// (`keras.src.ops.math` for Logsumexp). A reduction over the batch axis (`axis=None` included)
// mixes the samples of a batch, so its result depends on `predict`'s batch size: it is refused.

/// What a reduction computes from the values along its axes.
enum Reduction: Sendable, Equatable {
    case mean, sum, max, min, prod, all, std, variance, logsumexp, argmax, argmin
}

/// An operation node reducing its one tensor over `axis`.
protocol ReductionOperationConfiguration: LayerBuilding {
    /// What the operation computes.
    static var reduction: Reduction { get }
    /// The reduced axes (batch axis counted; negative from the end); nil is every axis.
    var axis: [Int]? { get }
    /// Whether reduced axes stay, with size 1.
    var keepdims: Bool { get }
    /// `initial` of Max and Min: a bound the result never passes; nil for none.
    var initial: Double? { get }
}

extension ReductionOperationConfiguration {
    public static var isOperation: Bool { true }
    var initial: Double? { nil }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let operands = try OperationOperands<Scalar>(arguments: context.arguments, inputCount: inputs.count, layer: common.name)
        guard inputs.count == 1, operands.operands.count == 1 else {
            throw .unsupportedTopology(layer: common.name, reason: "\(Self.className) takes one tensor; the call passes \(inputs.count) tensor(s) and \(operands.operands.count - inputs.count) other argument(s)")
        }
        let exact = [.max, .min, .all, .argmax, .argmin].contains(Self.reduction)
        try operands.checkPrecision(exact: exact, layer: common.name, className: Self.className)
        return RunnableLayer(try ReductionLayer<Scalar>(name: common.name, className: Self.className, reduction: Self.reduction, axis: axis,
                                                        input: inputs[0], keepdims: keepdims, initial: initial.map { Scalar($0) }))
    }
}

/// Reads `axis` (null, an integer or a list) and `keepdims`, each with Keras's default.
private func reductionAxes(_ arguments: inout LayerArguments) throws(KerasConfigError) -> (axis: [Int]?, keepdims: Bool) {
    let axis: [Int]?
    if arguments.contains("axis"), arguments.json("axis") != .null {
        axis = try arguments.axes("axis", default: [])
    } else {
        arguments.record("axis", .null)
        axis = nil
    }
    return (axis, try arguments.flag("keepdims", default: false))
}

/// `keras.ops.mean` (class `Mean`): the sum over the axes divided by their size.
public struct MeanOperationConfig: ReductionOperationConfiguration {
    public static let className = "Mean"
    static let reduction = Reduction.mean
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public let axis: [Int]?, keepdims: Bool
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        (axis, keepdims) = try reductionAxes(&arguments)
    }
}

/// `keras.ops.sum` (class `Sum`).
public struct SumOperationConfig: ReductionOperationConfiguration {
    public static let className = "Sum"
    static let reduction = Reduction.sum
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public let axis: [Int]?, keepdims: Bool
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        (axis, keepdims) = try reductionAxes(&arguments)
    }
}

/// `keras.ops.max` (class `Max`): the largest value, and at least `initial` when given.
public struct MaxOperationConfig: ReductionOperationConfiguration {
    public static let className = "Max"
    static let reduction = Reduction.max
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public let axis: [Int]?, keepdims: Bool, initial: Double?
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        (axis, keepdims) = try reductionAxes(&arguments)
        initial = try arguments.optionalNumber("initial")
    }
}

/// `keras.ops.min` (class `Min`): the smallest value, and at most `initial` when given.
public struct MinOperationConfig: ReductionOperationConfiguration {
    public static let className = "Min"
    static let reduction = Reduction.min
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public let axis: [Int]?, keepdims: Bool, initial: Double?
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        (axis, keepdims) = try reductionAxes(&arguments)
        initial = try arguments.optionalNumber("initial")
    }
}

/// `keras.ops.amax` (class `Amax`): `Max` without `initial`.
public struct AmaxOperationConfig: ReductionOperationConfiguration {
    public static let className = "Amax"
    static let reduction = Reduction.max
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public let axis: [Int]?, keepdims: Bool
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        (axis, keepdims) = try reductionAxes(&arguments)
    }
}

/// `keras.ops.amin` (class `Amin`): `Min` without `initial`.
public struct AminOperationConfig: ReductionOperationConfiguration {
    public static let className = "Amin"
    static let reduction = Reduction.min
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public let axis: [Int]?, keepdims: Bool
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        (axis, keepdims) = try reductionAxes(&arguments)
    }
}

/// `keras.ops.prod` (class `Prod`): the product; `dtype` (an accumulation type) must be null.
public struct ProdOperationConfig: ReductionOperationConfiguration {
    public static let className = "Prod"
    static let reduction = Reduction.prod
    /// Fields every layer has (only `name` is written; `dtype` must be null).
    public let common: LayerCommonConfig
    public let axis: [Int]?, keepdims: Bool
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        // LayerCommonConfig reads `dtype`; Prod's names the product's type, which KerasKit keeps.
        if let dtype = common.dtype {
            throw arguments.invalid("dtype", "'\(dtype.name)' is not supported (KerasKit computes the product in the input's type: dtype None)")
        }
        self.common = common
        (axis, keepdims) = try reductionAxes(&arguments)
    }
}

/// `keras.ops.all` (class `All`): 1 where every value along the axes is non-zero, else 0.
public struct AllOperationConfig: ReductionOperationConfiguration {
    public static let className = "All"
    static let reduction = Reduction.all
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public let axis: [Int]?, keepdims: Bool
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        (axis, keepdims) = try reductionAxes(&arguments)
    }
}

/// `keras.ops.var` (class `Var`): the mean squared deviation from the mean (`tf.math.reduce_variance`).
public struct VarOperationConfig: ReductionOperationConfiguration {
    public static let className = "Var"
    static let reduction = Reduction.variance
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public let axis: [Int]?, keepdims: Bool
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        (axis, keepdims) = try reductionAxes(&arguments)
    }
}

/// `keras.ops.std` (class `Std`): the square root of `Var`.
public struct StdOperationConfig: ReductionOperationConfiguration {
    public static let className = "Std"
    static let reduction = Reduction.std
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public let axis: [Int]?, keepdims: Bool
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        (axis, keepdims) = try reductionAxes(&arguments)
    }
}

/// `keras.ops.logsumexp` (class `Logsumexp`, module `keras.src.ops.math`): `ln Σ eˣ`, the
/// maximum taken out first as `tf.math.reduce_logsumexp` does.
public struct LogsumexpOperationConfig: ReductionOperationConfiguration {
    public static let className = "Logsumexp"
    static let reduction = Reduction.logsumexp
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public let axis: [Int]?, keepdims: Bool
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        (axis, keepdims) = try reductionAxes(&arguments)
    }
}

/// `keras.ops.argmax` (class `Argmax`): the index of the first largest value along `axis` (−0
/// counts below +0, as Keras's TensorFlow backend makes it). Keras returns int32; KerasKit
/// holds the index as a float.
public struct ArgmaxOperationConfig: ReductionOperationConfiguration {
    public static let className = "Argmax"
    static let reduction = Reduction.argmax
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public let axis: [Int]?, keepdims: Bool
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        axis = try arguments.optionalInteger("axis", in: -KerasLimits.maxRank...KerasLimits.maxRank).map { [$0] }
        keepdims = try arguments.flag("keepdims", default: false)
    }
}

/// `keras.ops.argmin` (class `Argmin`): the index of the first smallest value along `axis`,
/// held as a float (Keras returns int32).
public struct ArgminOperationConfig: ReductionOperationConfiguration {
    public static let className = "Argmin"
    static let reduction = Reduction.argmin
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public let axis: [Int]?, keepdims: Bool
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        axis = try arguments.optionalInteger("axis", in: -KerasLimits.maxRank...KerasLimits.maxRank).map { [$0] }
        keepdims = try arguments.flag("keepdims", default: false)
    }
}

/// A reduction over some axes of one tensor: those axes are moved last and each row of their
/// combined length reduced to one value.
struct ReductionLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let reduction: Reduction
    /// The reduced axes, resolved and sorted (never the batch axis).
    let axes: [Int]
    let rank: Int
    let keepdims: Bool
    let initial: Scalar?

    var parameterCount: Int { 0 }

    /// Resolves `axis` (nil: every axis) against the input, refusing the batch axis.
    init(name: String, className: String, reduction: Reduction, axis: [Int]?, input: [Int?], keepdims: Bool, initial: Scalar?) throws(WeightLoadingError) {
        guard let axis else {
            throw .unsupportedTopology(layer: name, reason: "\(className) with axis=None reduces over the batch axis too, mixing samples (its result depends on the batch size), which KerasKit doesn't run")
        }
        var axes: [Int] = []
        for entry in axis {
            let resolved = try resolvedInputAxis(entry, input: input, layer: name)
            guard resolved != 0 else {
                throw .unsupportedTopology(layer: name, reason: "\(className) over axis \(entry), the batch axis, mixes samples, which KerasKit doesn't run")
            }
            if !axes.contains(resolved) { axes.append(resolved) }
        }
        self.init(name: name, reduction: reduction, axes: axes.sorted(), rank: input.count, keepdims: keepdims, initial: initial)
    }

    init(name: String, reduction: Reduction, axes: [Int], rank: Int, keepdims: Bool, initial: Scalar?) {
        self.name = name
        self.reduction = reduction
        self.axes = axes
        self.rank = rank
        self.keepdims = keepdims
        self.initial = initial
    }

    /// Each step of a `(batch, steps, …)` tensor is reduced on its own when the steps axis stays.
    var timeBehavior: TimeBehavior { axes.allSatisfy { $0 >= 2 } ? .stepwise : .wholeSequence }

    private func outputShape<Size>(_ shape: [Size], one: Size) -> [Size] {
        keepdims ? shape.indices.map { axes.contains($0) ? one : shape[$0] } : shape.indices.filter { !axes.contains($0) }.map { shape[$0] }
    }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        guard inputs[0].count == rank else {
            throw .unsupportedTopology(layer: name, reason: "built for rank \(rank), got \(inputs[0].shapeDescription)")
        }
        for axis in axes where inputs[0][axis] == 0 {
            throw .unsupportedTopology(layer: name, reason: "axis \(axis) of \(inputs[0].shapeDescription) is empty; Keras refuses a reduction over no values")
        }
        return [outputShape(inputs[0], one: 1)]
    }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank == rank else {
            throw .inputShapeMismatch(layer: name, expected: "rank \(rank)", actual: input.shape)
        }
        let width = axes.reduce(1) { $0 * input.shape[$1] }
        guard width > 0 else { throw .inputShapeMismatch(layer: name, expected: "values along axes \(axes)", actual: input.shape) }
        let kept = (0..<rank).filter { !axes.contains($0) }
        let values = kept + axes == Array(0..<rank) ? input.scalars : permuteAxes(input.scalars, shape: input.shape, permutation: kept + axes, zero: 0)
        let rows = values.count / width
        var output = call.outputBuffer(rows, zeroed: false)
        let (reduction, initial) = (reduction, initial)
        values.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                guard let base = x.baseAddress else { return }
                for row in 0..<rows {
                    y[row] = Self.reduce(UnsafeBufferPointer(start: base + row * width, count: width), reduction, initial: initial)
                }
            }
        }
        return [TensorOf(uncheckedShape: outputShape(input.shape, one: 1), scalars: output)]
    }

    /// One row's result (the row holds at least one value).
    @inline(__always)
    private static func reduce(_ row: UnsafeBufferPointer<Scalar>, _ reduction: Reduction, initial: Scalar?) -> Scalar {
        switch reduction {
        case .sum:
            return sum(row)
        case .mean:
            return sum(row) / Scalar(row.count)
        case .prod:
            var product: Scalar = 1
            for value in row { product *= value }
            return product
        case .max, .min:
            // NaN propagates, as TensorFlow's reductions do.
            var result = row[0]
            for value in row.dropFirst() {
                if value.isNaN || result.isNaN { result = .nan } else { result = reduction == .max ? Swift.max(result, value) : Swift.min(result, value) }
            }
            if let initial, !result.isNaN { result = reduction == .max ? Swift.max(result, initial) : Swift.min(result, initial) }
            return result
        case .all:
            for value in row where value == 0 { return 0 }
            return 1
        case .variance, .std:
            let mean = sum(row) / Scalar(row.count)
            var squares: Scalar = 0
            for value in row { squares += (value - mean) * (value - mean) }
            let variance = squares / Scalar(row.count)
            return reduction == .std ? variance.squareRoot() : variance
        case .logsumexp:
            var maximum = -Scalar.infinity
            for value in row { maximum = Swift.max(maximum, value) }
            // tf.math.reduce_logsumexp shifts by the maximum only when it is finite.
            let shift = maximum.isFinite ? maximum : 0
            var total: Scalar = 0
            for value in row { total += Scalar.exponential(value - shift) }
            return Scalar.logarithm(total) + shift
        case .argmax, .argmin:
            // Keras's TensorFlow backend puts −0 just below +0: −tiny.
            @inline(__always) func key(_ value: Scalar) -> Scalar { value == 0 && value.sign == .minus ? -Scalar.leastNormalMagnitude : value }
            var best = 0
            var bestValue = key(row[0])
            for index in 1..<row.count {
                let value = key(row[index])
                if reduction == .argmax ? value > bestValue : value < bestValue {
                    best = index
                    bestValue = value
                }
            }
            return Scalar(best)
        }
    }

    @inline(__always)
    private static func sum(_ row: UnsafeBufferPointer<Scalar>) -> Scalar {
        var total: Scalar = 0
        for value in row { total += value }
        return total
    }
}
