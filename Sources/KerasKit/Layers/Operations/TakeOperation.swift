/// `keras.ops.take` (class `Take`): the slices of one axis at constant indices, or elements of
/// the flattened tensor when `axis` is None.
public struct TakeConfig: LayerBuilding {
    public static let className = "Take"
    public static let isOperation = true
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    /// The axis indexed (negative from the end); nil indexes the flattened tensor.
    public let axis: Int?

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        axis = try arguments.optionalInteger("axis", in: -KerasLimits.maxRank...KerasLimits.maxRank)
    }

    /// The indices are the call's second argument: an integer, a nested list or a folded
    /// constant (a tensor of the model as indices is refused by name).
    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let arguments = context.arguments
        guard arguments.count == 2 else {
            throw .unsupportedTopology(layer: common.name, reason: "take needs the tensor and its indices as the call's two arguments, the call records \(arguments.count)")
        }
        guard isKerasTensor(arguments[0]) else {
            throw .unsupportedTopology(layer: common.name, reason: "the tensor taken from is \(operandDescription(arguments[0])), not a tensor of the model")
        }
        let indices = try IntegerConstant(arguments[1], role: "the indices", layer: common.name)
        try checkTensorOperands([arguments[0]], inputCount: inputs.count, expected: 1, layer: common.name)
        return RunnableLayer(try TakeLayer<Scalar>(name: common.name, axis: axis, indices: indices, input: inputs[0]))
    }
}

/// `Take`: `x` at `indices` along `axis` (the flattened `x` when nil); a negative index counts
/// once from the end, as Keras's TensorFlow backend fixes it.
struct TakeLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let axis: Int?
    let rank: Int
    let indices: IntegerConstant

    var parameterCount: Int { 0 }

    /// Resolves `axis` and checks the indices against a known size.
    init(name: String, axis: Int?, indices: IntegerConstant, input: [Int?]) throws(WeightLoadingError) {
        self.name = name
        let resolved = try axis.map { axis throws(WeightLoadingError) in try resolvedInputAxis(axis, input: input, layer: name) }
        let rank = resolved == nil ? indices.shape.count : input.count - 1 + indices.shape.count
        guard rank <= KerasLimits.maxRank else {
            throw .unsupportedTopology(layer: name, reason: "the output would have \(rank) axes, more than \(KerasLimits.maxRank)")
        }
        if let size = resolved.map({ input[$0] }) ?? staticElementCount(input) {
            for index in indices.values where index >= size || index < -size {
                throw .unsupportedTopology(layer: name, reason: "index \(index) is outside an axis of \(size)")
            }
        }
        self.axis = resolved
        self.rank = input.count
        self.indices = indices
    }

    private func outputShape<Size>(_ shape: [Size], size: (Int) -> Size) -> [Size] {
        guard let axis else { return indices.shape.map(size) }
        return Array(shape[..<axis]) + indices.shape.map(size) + Array(shape[(axis + 1)...])
    }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        guard inputs[0].count == rank else {
            throw .unsupportedTopology(layer: name, reason: "built for rank \(rank), got \(inputs[0].shapeDescription)")
        }
        return [outputShape(inputs[0]) { $0 }]
    }
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank == rank else {
            throw .inputShapeMismatch(layer: name, expected: "rank \(rank)", actual: input.shape)
        }
        let size = axis.map { input.shape[$0] } ?? input.scalars.count
        var taken: [Int] = []
        taken.reserveCapacity(indices.values.count)
        for index in indices.values {
            let position = index < 0 ? index + size : index
            guard (0..<size).contains(position) else {
                throw .indexOutOfRange(layer: name, index: Double(index), inputDim: size)
            }
            taken.append(position)
        }
        guard let axis else {
            let flat = TensorOf(uncheckedShape: [input.scalars.count], scalars: input.scalars)
            return [try gatheredTensor(flat, positions: [taken], outputShape: indices.shape, call: call, layer: name)]
        }
        var positions = input.shape.map { Array(0..<$0) }
        positions[axis] = taken
        return [try gatheredTensor(input, positions: positions, outputShape: outputShape(input.shape) { $0 }, call: call, layer: name)]
    }

    var timeBehavior: TimeBehavior { (axis ?? 0) >= 2 ? .stepwise : .wholeSequence }
}
