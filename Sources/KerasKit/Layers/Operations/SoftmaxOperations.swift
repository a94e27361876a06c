// `keras.ops.softmax` / `log_softmax` / `glu` on a tensor (also `keras.activations.softmax(x)`),
// recorded as operation nodes of module `keras.src.ops.nn`. Unlike the `Softmax` layer they take
// one axis: Keras's TensorFlow backend passes `axis` to `tf.nn.softmax`, which fails on a tuple
// when the model runs, and `axis=None` normalizes over the whole batch. Both are refused.
// (`Softmax`'s config lives beside the `Softmax` layer, in Softmax.swift.)

/// The one axis a softmax-like operation normalizes over, from its config: an integer, never
/// the batch axis.
func operationAxis(_ arguments: inout LayerArguments) throws(KerasConfigError) -> Int {
    let value = arguments.json("axis", default: .number(-1))
    switch value {
    case .null: throw arguments.invalid("axis", "None normalizes over the batch axis too, mixing samples; KerasKit doesn't run it")
    case .number: return try arguments.integer("axis", default: -1, in: -KerasLimits.maxRank...KerasLimits.maxRank)
    default: throw arguments.invalid("axis", "\(pythonLiteral(value)) is not supported (Keras's TensorFlow backend runs one integer axis)")
    }
}

/// The axis resolved against the input, refusing the batch axis.
private func resolvedOperationAxis(_ axis: Int, input: [Int?], layer: String, className: String) throws(WeightLoadingError) -> Int {
    let resolved = try resolvedInputAxis(axis, input: input, layer: layer)
    guard resolved != 0 else {
        throw .unsupportedTopology(layer: layer, reason: "\(className) over axis \(axis), the batch axis, mixes samples, which KerasKit doesn't run")
    }
    return resolved
}

/// A softmax-like operation node on one tensor.
protocol AxisOperationConfiguration: LayerBuilding {
    /// What the operation computes.
    static var function: AxisFunction { get }
    /// The axis normalized over (batch axis counted; negative from the end).
    var axis: Int { get }
}

extension AxisOperationConfiguration {
    public static var isOperation: Bool { true }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let operands = try OperationOperands<Scalar>(arguments: context.arguments, inputCount: inputs.count, layer: common.name)
        guard inputs.count == 1, operands.operands.count == 1 else {
            throw .unsupportedTopology(layer: common.name, reason: "\(Self.className) takes one tensor; the call passes \(inputs.count) tensor(s) and \(operands.operands.count - inputs.count) other argument(s)")
        }
        try operands.checkPrecision(exact: false, layer: common.name, className: Self.className)
        return RunnableLayer(try AxisOperationLayer<Scalar>(name: common.name, className: Self.className, function: Self.function, axis: axis, input: inputs[0]))
    }
}

/// What an ``AxisOperationLayer`` computes along its axis.
enum AxisFunction: Sendable {
    /// `exp(x − max) / Σ exp(x − max)`.
    case softmax
    /// `x − max − ln Σ exp(x − max)`.
    case logSoftmax
    /// The first half times the sigmoid of the second.
    case glu
}

/// `keras.ops.log_softmax` (class `LogSoftmax`): `x − max − ln Σ exp(x − max)` along `axis`.
public struct LogSoftmaxOperationConfig: AxisOperationConfiguration {
    public static let className = "LogSoftmax"
    static let function = AxisFunction.logSoftmax
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public let axis: Int
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        axis = try operationAxis(&arguments)
    }
}

/// `keras.ops.glu` (class `Glu`): `a · sigmoid(b)` for the halves `a`, `b` of `axis`, which
/// halves that axis.
public struct GluOperationConfig: AxisOperationConfiguration {
    public static let className = "Glu"
    static let function = AxisFunction.glu
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public let axis: Int
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        axis = try operationAxis(&arguments)
    }
}

/// A softmax, log-softmax or GLU along one axis: the axis is moved last, each row transformed
/// (``Activation/softmaxRow(_:count:log:)`` for the softmaxes), and the axis moved back.
struct AxisOperationLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let function: AxisFunction
    /// The axis, resolved (never the batch axis).
    let axis: Int
    let rank: Int

    var parameterCount: Int { 0 }

    /// Resolves `axis` against the input, refusing the batch axis (and an odd axis for GLU).
    init(name: String, className: String, function: AxisFunction, axis: Int, input: [Int?]) throws(WeightLoadingError) {
        let resolved = try resolvedOperationAxis(axis, input: input, layer: name, className: className)
        if function == .glu, let size = input[resolved], size % 2 != 0 {
            throw .unsupportedTopology(layer: name, reason: "Glu splits axis \(axis) in two halves; its size \(size) is odd")
        }
        self.init(name: name, function: function, axis: resolved, rank: input.count)
    }

    init(name: String, function: AxisFunction, axis: Int, rank: Int) {
        self.name = name
        self.function = function
        self.axis = axis
        self.rank = rank
    }

    /// Along the features of each step, or along an inner axis of it.
    var timeBehavior: TimeBehavior { axis >= 2 || axis == rank - 1 ? .stepwise : .wholeSequence }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        guard inputs[0].count == rank else {
            throw .unsupportedTopology(layer: name, reason: "built for rank \(rank), got \(inputs[0].shapeDescription)")
        }
        guard function == .glu else { return [inputs[0]] }
        var shape = inputs[0]
        shape[axis] = shape[axis].map { $0 / 2 }
        return [shape]
    }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank == rank else {
            throw .inputShapeMismatch(layer: name, expected: "rank \(rank)", actual: input.shape)
        }
        switch function {
        case .softmax, .logSoftmax:
            let log = function == .logSoftmax
            let values = transformingRows(input.scalars, shape: input.shape, over: [axis]) { row, count in
                Activation.softmaxRow(row, count: count, log: log)
            }
            return [TensorOf(uncheckedShape: input.shape, scalars: values)]
        case .glu:
            let size = input.shape[axis]
            guard size % 2 == 0 else { throw .inputShapeMismatch(layer: name, expected: "an even size on axis \(axis)", actual: input.shape) }
            let half = size / 2
            // Rows of the outer axes × halves × inner block: a[i] · sigmoid(b[i]).
            let inner = product(input.shape, (axis + 1)..<rank)
            let outer = product(input.shape, 0..<axis)
            var output = call.outputBuffer(outer * half * inner, zeroed: false)
            input.scalars.withUnsafeBufferPointer { x in
                output.withUnsafeMutableBufferPointer { y in
                    for row in 0..<outer {
                        let source = row * size * inner, target = row * half * inner
                        for index in 0..<(half * inner) {
                            y[target + index] = x[source + index] * Activation.sigmoid(x[source + half * inner + index])
                        }
                    }
                }
            }
            var shape = input.shape
            shape[axis] = half
            return [TensorOf(uncheckedShape: shape, scalars: output)]
        }
    }
}
