/// `keras.layers.ReLU`: `min(max(x, 0), max_value)` above `threshold`, and
/// `negative_slope · (x − threshold)` below it (Keras's `ReLU.static_call`).
public struct ReLUConfig: LayerBuilding {
    public static let className = "ReLU"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The largest output, nil for none.
    public let maxValue: Double?
    /// The slope below the threshold.
    public let negativeSlope: Double
    /// Values at or below it are damped (or zeroed with no slope).
    public let threshold: Double

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        maxValue = try arguments.optionalNumber("max_value", in: 0...Double.greatestFiniteMagnitude)
        negativeSlope = try arguments.number("negative_slope", default: 0, in: 0...Double.greatestFiniteMagnitude)
        threshold = try arguments.number("threshold", default: 0, in: 0...Double.greatestFiniteMagnitude)
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        RunnableLayer(ReLULayer<Scalar>(name: common.name, maxValue: maxValue.map { Scalar($0) }, negativeSlope: Scalar(negativeSlope), threshold: Scalar(threshold)))
    }
}

/// `ReLU` element-wise, in Keras's order of operations: the positive part (zeroed at or below
/// `threshold`), clipped to `max_value`, minus `negative_slope · relu(threshold − x)`.
struct ReLULayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let maxValue: Scalar?
    let negativeSlope: Scalar
    let threshold: Scalar
    /// Whether the input's mask passes through: the layer's does; `keras.activations.relu` on a
    /// tensor is an operation, and operations carry no mask.
    var carriesMask = true

    var parameterCount: Int { 0 }
    var timeBehavior: TimeBehavior { .stepwise }

    func outputShapes(for inputs: [[Int?]]) -> [[Int?]] { [inputs[0]] }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        var output = call.outputBuffer(input.scalars.count, zeroed: false)
        let (slope, threshold, maxValue) = (negativeSlope, threshold, maxValue)
        input.scalars.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { values in
                guard let source = source.baseAddress, let values = values.baseAddress else { return }
                if threshold == 0, slope == 0 {
                    // Keras's defaults and ReLU(6): a clamp, which vectorizes.
                    let ceiling = maxValue ?? .infinity
                    for index in 0..<input.scalars.count { values[index] = Swift.min(Swift.max(source[index], 0), ceiling) }
                    return
                }
                for index in 0..<input.scalars.count {
                    let x = source[index]
                    var y = threshold != 0 ? (x > threshold ? x : 0) : Swift.max(x, 0)
                    if let maxValue { y = Swift.min(y, maxValue) }
                    if slope != 0 { y -= slope * Swift.max(threshold - x, 0) }
                    values[index] = y
                }
            }
        }
        return [TensorOf(uncheckedShape: input.shape, scalars: output)]
    }

    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] { carriesMask ? passThroughMasks(call, outputs: outputs) : [] }
}

/// `keras.activations.relu` on a tensor (class `ReLU`, module
/// `keras.src.activations.activations`): the `ReLU` layer's function, with its arguments
/// unbounded. Its class name is the layer's, so it lives among the operations.
public struct ReLUOperationConfig: LayerBuilding {
    public static let className = "ReLU"
    public static let isOperation = true
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    /// The slope below the threshold.
    public let negativeSlope: Double
    /// The largest output, nil for none.
    public let maxValue: Double?
    /// Values at or below it are damped (or zeroed with no slope).
    public let threshold: Double

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        negativeSlope = try arguments.number("negative_slope", default: 0)
        maxValue = try arguments.optionalNumber("max_value")
        threshold = try arguments.number("threshold", default: 0)
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let operands = try OperationOperands<Scalar>(arguments: context.arguments, inputCount: inputs.count, layer: common.name)
        guard inputs.count == 1, operands.operands.count == 1 else {
            throw .unsupportedTopology(layer: common.name, reason: "ReLU takes one tensor; the call passes \(inputs.count) tensor(s) and \(operands.operands.count - inputs.count) other argument(s)")
        }
        try operands.checkPrecision(exact: false, layer: common.name, className: Self.className)
        return RunnableLayer(ReLULayer<Scalar>(name: common.name, maxValue: maxValue.map { Scalar($0) }, negativeSlope: Scalar(negativeSlope), threshold: Scalar(threshold), carriesMask: false))
    }
}
