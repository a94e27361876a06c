/// `keras.ops.take_along_axis` (class `TakeAlongAxis`): picks along one axis at constant
/// indices of the input's rank, the other axes broadcast between the two (NumPy's rules); with
/// `axis` None, from the flattened input at 1-D indices.
public struct TakeAlongAxisConfig: LayerBuilding {
    public static let className = "TakeAlongAxis"
    public static let isOperation = true
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    /// The axis picked along (negative from the end); nil picks from the flattened input.
    public let axis: Int?

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        axis = try arguments.optionalInteger("axis", in: -KerasLimits.maxRank...KerasLimits.maxRank)
    }

    /// The indices are the call's second argument: a nested list or a folded constant (a
    /// tensor of the model as indices is refused by name).
    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let arguments = context.arguments
        guard arguments.count == 2, isKerasTensor(arguments[0]) else {
            throw .unsupportedTopology(layer: common.name, reason: "take_along_axis needs a tensor and its indices as the call's two arguments, the call records \(arguments.map(operandDescription).joined(separator: ", "))")
        }
        let indices = try IntegerConstant(arguments[1], role: "the indices", layer: common.name)
        try checkTensorOperands([arguments[0]], inputCount: inputs.count, expected: 1, layer: common.name)
        let input = inputs[0]
        let rank = axis == nil ? 1 : input.count
        guard indices.shape.count == rank else {
            throw .unsupportedTopology(layer: common.name, reason: "indices of shape \(indices.shape.shapeDescription) don't have the rank \(rank) of \(axis == nil ? "the flattened input" : "input \(input.shapeDescription)")")
        }
        let resolved = try axis.map { axis throws(WeightLoadingError) in try resolvedInputAxis(axis, input: input, layer: common.name) } ?? 0
        let layer = TakeAlongAxisLayer<Scalar>(name: common.name, axis: resolved, flattens: axis == nil, rank: input.count, indices: indices)
        _ = try layer.outputShapes(for: inputs)
        return RunnableLayer(layer)
    }
}

/// `TakeAlongAxis`: output position `p` is input position `p` with axis `axis` replaced by
/// `indices[p]` (a negative index counted once from the end, as Keras's TensorFlow backend
/// fixes it), size-1 axes of either broadcast.
struct TakeAlongAxisLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let axis: Int
    /// Whether the input is flattened first (`axis` None).
    let flattens: Bool
    let rank: Int
    let indices: IntegerConstant

    var parameterCount: Int { 0 }

    /// The broadcast of the source's axes but `axis` with the indices', and the indices' length
    /// on `axis`; nil where they don't broadcast.
    private func outputShape(_ source: [Int?]) -> [Int?]? {
        var output: [Int?] = []
        for (position, (size, count)) in zip(source, indices.shape).enumerated() {
            if position == axis { output.append(count); continue }
            switch size {
            case nil: output.append(count == 1 ? nil : count)
            case let size? where size == count || count == 1: output.append(size)
            case 1: output.append(count)
            default: return nil
            }
        }
        return output
    }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        let input = inputs[0]
        guard input.count == rank else {
            throw .unsupportedTopology(layer: name, reason: "built for rank \(rank), got \(input.shapeDescription)")
        }
        let source: [Int?] = flattens ? [staticElementCount(input)] : input
        guard let shape = outputShape(source) else {
            throw .unsupportedTopology(layer: name, reason: "indices of shape \(indices.shape.shapeDescription) don't broadcast with input \(input.shapeDescription) outside axis \(axis)")
        }
        return [shape]
    }
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank == rank else {
            throw .inputShapeMismatch(layer: name, expected: "rank \(rank)", actual: input.shape)
        }
        let shape = flattens ? [input.scalars.count] : input.shape
        guard let known = outputShape(shape.map { $0 }) else {
            throw .inputShapeMismatch(layer: name, expected: "a shape that broadcasts with indices \(indices.shape.shapeDescription)", actual: input.shape)
        }
        let outputShape = known.map { $0 ?? 0 }
        let count = try checkedOutputCount(outputShape, layer: name)
        let length = shape[axis]
        for index in indices.values where index >= length || index < -length {
            throw .indexOutOfRange(layer: name, index: Double(index), inputDim: length)
        }
        // Row-major strides, 0 on an axis of size 1 that broadcasts.
        func strides(_ sizes: [Int]) -> [Int] {
            var result = [Int](repeating: 0, count: sizes.count)
            var running = 1
            for position in stride(from: sizes.count - 1, through: 0, by: -1) {
                result[position] = sizes[position] == 1 ? 0 : running
                running *= sizes[position]
            }
            return result
        }
        var sourceStrides = strides(shape)
        sourceStrides[axis] = product(shape, (axis + 1)..<shape.count)
        var indexStrides = strides(indices.shape)
        if indices.shape[axis] != 1 { indexStrides[axis] = product(indices.shape, (axis + 1)..<indices.shape.count) }
        var output = call.outputBuffer(count, zeroed: false)
        var position = [Int](repeating: 0, count: outputShape.count)
        input.scalars.withUnsafeBufferPointer { x in
            indices.values.withUnsafeBufferPointer { picks in
                output.withUnsafeMutableBufferPointer { y in
                    for element in 0..<count {
                        var source = 0, pick = 0
                        for dimension in 0..<position.count {
                            pick += position[dimension] * indexStrides[dimension]
                            if dimension != axis { source += position[dimension] * sourceStrides[dimension] }
                        }
                        let chosen = picks[pick] < 0 ? picks[pick] + length : picks[pick]
                        y[element] = x[source + chosen * sourceStrides[axis]]
                        var dimension = position.count - 1
                        while dimension >= 0 {
                            position[dimension] += 1
                            if position[dimension] < outputShape[dimension] { break }
                            position[dimension] = 0
                            dimension -= 1
                        }
                    }
                }
            }
        }
        return [TensorOf(uncheckedShape: outputShape, scalars: output)]
    }
}
