/// A Keras 3 element-wise comparison or logical operation (`NotEqual`, `LogicalOr`,
/// `LogicalAnd`) giving 0/1 floats, on two tensors (NumPy broadcasting) or on one tensor and a
/// constant from the call's positional arguments. Operations carry no Keras mask.
struct ElementwiseOperationLayer<Scalar: ComputeScalar>: InferenceLayer {
    /// What is computed.
    enum Operation: Sendable {
        case notEqual, logicalOr, logicalAnd

        @inline(__always)
        func apply<Value: ComputeScalar>(_ a: Value, _ b: Value) -> Value {
            switch self {
            case .notEqual: a != b ? 1 : 0
            case .logicalOr: a != 0 || b != 0 ? 1 : 0
            case .logicalAnd: a != 0 && b != 0 ? 1 : 0
            }
        }
    }

    let name: String
    let operation: Operation
    /// The constant operand when the call has one tensor input.
    let constant: Scalar?

    var parameterCount: Int { 0 }

    /// Reads the constant operand from a Keras 3 call node's positional arguments: every
    /// argument that is not a `__keras_tensor__` is a constant.
    init(name: String, operation: Operation, inputCount: Int, arguments: [JSONValue]) throws(WeightLoadingError) {
        self.name = name
        self.operation = operation
        var constants: [Scalar] = []
        for argument in arguments where argument["class_name"]?.stringValue != "__keras_tensor__" {
            switch argument {
            case .number(let value): constants.append(Scalar(value))
            case .bool(let flag): constants.append(flag ? 1 : 0)
            default:
                throw .unsupportedTopology(layer: name, reason: "operand \(argument) is not a tensor or a number (KerasKit takes scalar constants only)")
            }
        }
        switch (inputCount, constants.count) {
        case (2, 0): constant = nil
        case (1, 1): constant = constants[0]
        default:
            throw .unsupportedTopology(layer: name, reason: "expected two tensor operands, or one tensor and one constant in the call's arguments; got \(inputCount) tensor(s) and \(constants.count) constant(s)")
        }
    }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        if constant != nil { return [inputs[0]] }
        guard inputs.count == 2, let shape = broadcastShapes(inputs[0], inputs[1]) else {
            throw .unsupportedTopology(layer: name, reason: "operands \(inputs.map(\.shapeDescription).joined(separator: ", ")) don't broadcast")
        }
        return [shape]
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        try compute(call, state: &state)
    }

    /// The call's computation: ``forward(_:state:)`` enters it specialized for the scalar
    /// without generic setup of its own.
    private func compute(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let operation = operation
        if let constant {
            let input = call.input
            return [TensorOf(uncheckedShape: input.shape, scalars: input.scalars.map { operation.apply($0, constant) })]
        }
        guard call.inputs.count == 2 else {
            throw .inputShapeMismatch(layer: name, expected: "two operands", actual: [call.inputs.count])
        }
        return [try broadcastCombine(call.inputs[0], call.inputs[1], layer: name) { operation.apply($0, $1) }]
    }

    var timeBehavior: TimeBehavior { .stepwise }
}

/// `Any`: 1 where any element along the reduced axes is non-zero, else 0.
struct AnyLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    /// The reduced axes, resolved against the input rank and sorted.
    let axes: [Int]
    let rank: Int
    let keepdims: Bool

    var parameterCount: Int { 0 }

    private func outputShape<Size>(_ shape: [Size], one: Size) -> [Size] {
        keepdims ? shape.indices.map { axes.contains($0) ? one : shape[$0] } : shape.indices.filter { !axes.contains($0) }.map { shape[$0] }
    }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        guard inputs[0].count == rank else {
            throw .unsupportedTopology(layer: name, reason: "built for rank \(rank), got \(inputs[0].shapeDescription)")
        }
        return [outputShape(inputs[0], one: 1)]
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        try compute(call, state: &state)
    }

    /// The call's computation: ``forward(_:state:)`` enters it specialized for the scalar
    /// without generic setup of its own.
    private func compute(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank == rank else {
            throw .inputShapeMismatch(layer: name, expected: "rank \(rank)", actual: input.shape)
        }
        let kept = (0..<rank).filter { !axes.contains($0) }
        let values = permuteAxes(input.scalars, shape: input.shape, permutation: kept + axes, zero: 0)
        let width = axes.reduce(1) { $0 * input.shape[$1] }
        // One output per position on the kept axes (all 0 when the reduced axes are empty).
        let rows = kept.reduce(1) { $0 * input.shape[$1] }
        var output = [Scalar](repeating: 0, count: rows)
        if width > 0 {
            values.withUnsafeBufferPointer { x in
                for row in 0..<rows {
                    for index in 0..<width where x[row * width + index] != 0 {
                        output[row] = 1
                        break
                    }
                }
            }
        }
        return [TensorOf(uncheckedShape: outputShape(input.shape, one: 1), scalars: output)]
    }

    var timeBehavior: TimeBehavior { axes.allSatisfy { $0 >= 2 } && !keepdims ? .stepwise : .wholeSequence }
}

/// `ExpandDims`: inserts size-1 axes; the values are unchanged.
struct ExpandDimsLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    /// The new axes' positions in the output, resolved and sorted.
    let axes: [Int]

    var parameterCount: Int { 0 }

    /// Resolves `axis` against the output rank `rank + axis.count`.
    init(name: String, axis: [Int], inputRank: Int) throws(WeightLoadingError) {
        self.name = name
        let outputRank = inputRank + axis.count
        var resolved: [Int] = []
        for entry in axis {
            guard let position = resolvedAxis(entry, rank: outputRank), !resolved.contains(position) else {
                throw .unsupportedTopology(layer: name, reason: "axis \(axis) doesn't fit an output of rank \(outputRank)")
            }
            resolved.append(position)
        }
        guard outputRank <= KerasLimits.maxRank else {
            throw .unsupportedTopology(layer: name, reason: "the output would have \(outputRank) axes, more than \(KerasLimits.maxRank)")
        }
        axes = resolved.sorted()
    }

    private func expanded<Size>(_ shape: [Size], one: Size) -> [Size] {
        var output = shape
        for axis in axes { output.insert(one, at: Swift.min(axis, output.count)) }
        return output
    }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] { [expanded(inputs[0], one: 1)] }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        try compute(call, state: &state)
    }

    /// The call's computation: ``forward(_:state:)`` enters it specialized for the scalar
    /// without generic setup of its own.
    private func compute(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        [TensorOf(uncheckedShape: expanded(call.input.shape, one: 1), scalars: call.input.scalars)]
    }
}

/// `ZerosLike` / `OnesLike`: a tensor of the input's shape filled with one value.
struct FillLikeLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let value: Scalar

    var parameterCount: Int { 0 }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] { [inputs[0]] }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        try compute(call, state: &state)
    }

    /// The call's computation: ``forward(_:state:)`` enters it specialized for the scalar
    /// without generic setup of its own.
    private func compute(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        return [TensorOf(uncheckedShape: input.shape, scalars: Array(repeating: value, count: input.scalars.count))]
    }

    var timeBehavior: TimeBehavior { .stepwise }
}
