/// `keras.ops.flip` (class `Flip`): reverses the order of the elements along axes.
public struct FlipConfig: LayerBuilding {
    public static let className = "Flip"
    public static let isOperation = true
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    /// The reversed axes (negative from the end, none repeated); nil reverses every axis.
    public let axis: [Int]?

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        axis = arguments.contains("axis") && arguments.json("axis") != .null ? try arguments.axes("axis", default: []) : nil
        if axis == nil { arguments.record("axis", .null) }
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        try checkTensorOperands(context.arguments, inputCount: inputs.count, expected: 1, layer: common.name)
        return RunnableLayer(try FlipLayer<Scalar>(name: common.name, axis: axis, input: inputs[0]))
    }
}

/// `Flip`: the input with `axes` reversed.
struct FlipLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let axes: [Int]
    let rank: Int

    var parameterCount: Int { 0 }

    /// Resolves `axis` (nil: every axis); TensorFlow's reverse refuses an axis named twice (-1
    /// and the last, say).
    init(name: String, axis: [Int]?, input: [Int?]) throws(WeightLoadingError) {
        self.name = name
        rank = input.count
        var axes: [Int] = []
        for entry in axis ?? Array(0..<input.count) {
            let resolved = try resolvedInputAxis(entry, input: input, layer: name)
            guard !axes.contains(resolved) else {
                throw .unsupportedTopology(layer: name, reason: "axis \(axis ?? []) names axis \(resolved) twice")
            }
            axes.append(resolved)
        }
        self.axes = axes
    }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        guard inputs[0].count == rank else {
            throw .unsupportedTopology(layer: name, reason: "built for rank \(rank), got \(inputs[0].shapeDescription)")
        }
        return [inputs[0]]
    }
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank == rank else {
            throw .inputShapeMismatch(layer: name, expected: "rank \(rank)", actual: input.shape)
        }
        let positions = input.shape.indices.map { axis in axes.contains(axis) ? Array((0..<input.shape[axis]).reversed()) : Array(0..<input.shape[axis]) }
        return [try gatheredTensor(input, positions: positions, outputShape: input.shape, call: call, layer: name)]
    }

    var timeBehavior: TimeBehavior { axes.allSatisfy { $0 >= 2 } ? .stepwise : .wholeSequence }
}
