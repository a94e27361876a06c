/// `keras.ops.concatenate` (class `Concatenate`, an operation node): joins a list of tensors
/// along an existing axis. The `Concatenate` layer is another class of the same name: the op's
/// `axis` defaults to 0, and an operation computes no mask.
public struct ConcatenateOperationConfig: LayerBuilding {
    public static let className = "Concatenate"
    public static let isOperation = true
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    /// The axis to join along, batch axis included; negative counts from the end.
    public let axis: Int

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        axis = try arguments.integer("axis", default: 0, in: -KerasLimits.maxRank...KerasLimits.maxRank)
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        try checkTensorList(context.arguments, inputCount: inputs.count, layer: common.name)
        return RunnableLayer(try JoinOperationLayer<Scalar>(name: common.name, axis: axis, input: inputs[0], newAxis: false))
    }
}

/// `Concatenate` and `Stack` (operations): join tensors along an existing axis, or along a new
/// one (every input the same shape). No mask.
struct JoinOperationLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    /// The joined axis, in the output's numbering.
    let axis: Int
    /// The inputs' rank.
    let rank: Int
    /// Whether the inputs are stacked along a new axis `axis` rather than joined along theirs.
    let newAxis: Bool

    var parameterCount: Int { 0 }

    /// Resolves `axis` against the first input (against the output when stacking).
    init(name: String, axis: Int, input: [Int?], newAxis: Bool) throws(WeightLoadingError) {
        self.name = name
        rank = input.count
        self.newAxis = newAxis
        guard let resolved = resolvedAxis(axis, rank: rank + (newAxis ? 1 : 0)), rank + (newAxis ? 1 : 0) <= KerasLimits.maxRank else {
            throw newAxis ? .unsupportedTopology(layer: name, reason: "axis \(axis) doesn't fit an output of rank \(rank + 1)")
                : .unsupportedTopology(layer: name, reason: "axis \(axis) is outside input \(input.shapeDescription)")
        }
        self.axis = resolved
    }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        var output = inputs[0]
        for shape in inputs {
            guard shape.count == rank else {
                throw .unsupportedTopology(layer: name, reason: "inputs \(inputs.map(\.shapeDescription).joined(separator: ", ")) are not all of rank \(rank)")
            }
            for index in shape.indices where newAxis || index != axis {
                if let a = output[index], let b = shape[index], a != b {
                    throw .unsupportedTopology(layer: name, reason: "inputs \(inputs.map(\.shapeDescription).joined(separator: ", ")) differ \(newAxis ? "in shape" : "outside axis \(axis)")")
                }
                if output[index] == nil { output[index] = shape[index] }
            }
        }
        if newAxis {
            output.insert(inputs.count, at: axis)
        } else {
            var total: Int? = 0
            for shape in inputs {
                guard let sum = total, let size = shape[axis] else { total = nil; break }
                let (next, overflow) = sum.addingReportingOverflow(size)
                guard !overflow, next <= KerasLimits.maxDimension else { throw .unsupportedTopology(layer: name, reason: "the joined axis is too long") }
                total = next
            }
            output[axis] = total
        }
        return [output]
    }
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let shapes = call.inputs.map(\.shape)
        let first = shapes[0]
        guard shapes.allSatisfy({ shape in shape.count == rank && shape.indices.allSatisfy { (!newAxis && $0 == axis) || shape[$0] == first[$0] } }) else {
            throw .inputShapeMismatch(layer: name, expected: "inputs of one shape\(newAxis ? "" : " outside axis \(axis)") (got \(shapes.map(\.shapeDescription).joined(separator: ", "))); this one", actual: shapes.last ?? [])
        }
        var outputShape = first
        if newAxis {
            outputShape.insert(shapes.count, at: axis)
        } else {
            var total = 0
            for shape in shapes {
                let (sum, overflow) = total.addingReportingOverflow(shape[axis])
                guard !overflow else { throw .tooLarge(layer: name, elements: "joined axis") }
                total = sum
            }
            outputShape[axis] = total
        }
        _ = try checkedOutputCount(outputShape, layer: name)
        // Row-major: `outer` rows, each the inputs' blocks in order.
        let outer = product(first, 0..<axis)
        let blocks = shapes.map { product($0, (newAxis ? axis : axis + 1)..<rank) * (newAxis ? 1 : $0[axis]) }
        let scalars = concatenateBlocks(call.inputs.map(\.scalars), outer: outer, blocks: blocks, zero: Scalar(0))
        return [TensorOf(uncheckedShape: outputShape, scalars: scalars)]
    }

    /// Joining along an axis after the time axis stays within each step.
    var timeBehavior: TimeBehavior { axis >= 2 ? .stepwise : .wholeSequence }
}
