// A Keras 3 operation node records its call's positional arguments: tensors as
// `{"class_name": "__keras_tensor__", "config": {"dtype": …}}` placeholders (the graph gives them
// to the layer as its inputs, in order), Python numbers as numbers, and arrays Keras folded to
// constants (`x + ops.arange(8)`, `x * np.ones(4)`) as `{"class_name": "__tensor__" or
// "__numpy__", "config": {"value": nested lists, "dtype": …}}`.

/// One operand of an operation node's call.
enum OperationOperand<Scalar: ComputeScalar>: Sendable {
    /// The call's `index`-th tensor, i.e. the layer's input `index`.
    case input(Int)
    /// A constant written in the call.
    case constant(TensorOf<Scalar>)
}

/// The operands of one operation node's call, in the call's order, with the dtypes Keras gives
/// its tensors.
struct OperationOperands<Scalar: ComputeScalar>: Sendable {
    /// Every operand, tensors and constants, in argument order.
    let operands: [OperationOperand<Scalar>]
    /// The dtype Keras records for each tensor operand (nil where none is written), in input order.
    let inputDTypes: [String?]

    /// Reads the call's arguments; a call that records none (tf-keras, hand-written configs)
    /// has the layer's inputs as its operands.
    /// - Throws: ``WeightLoadingError/unsupportedTopology(layer:reason:)`` for an argument that is
    ///   neither a tensor nor a constant KerasKit reads, or when the tensors don't match the inputs.
    init(arguments: [JSONValue], inputCount: Int, layer: String) throws(WeightLoadingError) {
        guard !arguments.isEmpty else {
            operands = (0..<inputCount).map { .input($0) }
            inputDTypes = Array(repeating: nil, count: inputCount)
            return
        }
        var operands: [OperationOperand<Scalar>] = []
        var dtypes: [String?] = []
        for argument in arguments {
            if argument["class_name"]?.stringValue == "__keras_tensor__" {
                operands.append(.input(dtypes.count))
                dtypes.append(argument["config"]?["dtype"]?.stringValue)
            } else {
                operands.append(.constant(try operationConstant(argument, layer: layer)))
            }
        }
        guard dtypes.count == inputCount else {
            throw .unsupportedTopology(layer: layer, reason: "the call's arguments hold \(dtypes.count) tensor(s) but the node has \(inputCount) input(s)")
        }
        self.operands = operands
        inputDTypes = dtypes
    }

    /// The static shape of each operand, from the layer's input shapes.
    func shapes(inputs: [[Int?]]) -> [[Int?]] {
        operands.map { operand in
            switch operand {
            case .input(let index): index < inputs.count ? inputs[index] : []
            case .constant(let tensor): tensor.shape.map { Optional($0) }
            }
        }
    }

    /// The operands' values for one call.
    func values(_ call: LayerCall<Scalar>, layer: String) throws(PredictionError) -> [TensorOf<Scalar>] {
        var result: [TensorOf<Scalar>] = []
        for operand in operands {
            switch operand {
            case .input(let index):
                guard index < call.inputs.count else { throw .inputShapeMismatch(layer: layer, expected: "\(index + 1) operands", actual: [call.inputs.count]) }
                result.append(call.inputs[index])
            case .constant(let tensor): result.append(tensor)
            }
        }
        return result
    }

    /// Refuses an operation on a tensor Keras holds in float16 or bfloat16: Keras computes an
    /// operation in its operands' dtype, rounding each result to it, and KerasKit in the model's
    /// float type. Only an operation that is `exact` in any precision (its result is one of its
    /// operands' values or a 0/1 flag) may take such a tensor, and then only with constants the
    /// narrow type holds exactly (Keras converts them to it). A float32 or integer tensor in a
    /// float64 model is computed in float64, as the model's float32 layers are: the results
    /// agree to float32 rounding (see ``ModelConfig/computePrecision``).
    /// `skipping` names inputs whose dtype takes no part (`where`'s condition).
    func checkPrecision(exact: Bool, layer: String, className: String, skipping: Set<Int> = []) throws(WeightLoadingError) {
        for (index, dtype) in inputDTypes.enumerated() where !skipping.contains(index) {
            guard let dtype, dtype == "float16" || dtype == "bfloat16" else { continue }
            guard exact else {
                throw .unsupportedTopology(layer: layer, reason: "\(className) on a \(dtype) tensor computes in \(dtype), which KerasKit doesn't reproduce (it computes in \(Scalar.precision))")
            }
            for case .constant(let tensor) in operands {
                for value in tensor.scalars {
                    let narrow = dtype == "float16" ? roundedToHalf(Float(value)) : roundedToBFloat16(Float(value))
                    guard Scalar(narrow) == value else {
                        throw .unsupportedTopology(layer: layer, reason: "\(className) takes the constant \(value) with a \(dtype) tensor; Keras rounds it to \(dtype) and KerasKit doesn't")
                    }
                }
            }
        }
    }
}

/// The dtypes a folded constant may have: each value is read exactly (an integer beyond the
/// scalar's exact range is refused).
private let constantDTypes: Set<String> = [
    "float16", "bfloat16", "float32", "float64", "bool",
    "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
]

/// A constant operand: a number, a bool, or a `__tensor__` / `__numpy__` array.
private func operationConstant<Scalar: ComputeScalar>(_ argument: JSONValue, layer: String) throws(WeightLoadingError) -> TensorOf<Scalar> {
    switch argument {
    case .number(let value): return TensorOf(uncheckedShape: [], scalars: [Scalar(value)])
    case .bool(let flag): return TensorOf(uncheckedShape: [], scalars: [flag ? 1 : 0])
    default: break
    }
    guard let kind = argument["class_name"]?.stringValue, kind == "__tensor__" || kind == "__numpy__",
          let config = argument["config"], let value = config["value"] else {
        throw .unsupportedTopology(layer: layer, reason: "operand \(argument.description.prefix(120)) is not a tensor, a number or a constant array")
    }
    let dtype = config["dtype"]?.stringValue ?? "float32"
    guard constantDTypes.contains(dtype) else {
        throw .unsupportedTopology(layer: layer, reason: "constant operand of dtype \(dtype) is not supported (KerasKit reads float, int and bool constants)")
    }
    var shape: [Int] = []
    var probe = value
    while case .array(let items) = probe {
        guard shape.count < KerasLimits.maxRank else {
            throw .unsupportedTopology(layer: layer, reason: "constant operand has more than \(KerasLimits.maxRank) axes")
        }
        shape.append(items.count)
        guard let first = items.first else { break }
        probe = first
    }
    let count: Int
    do { count = try Tensor.elementCount(of: shape) } catch {
        throw .unsupportedTopology(layer: layer, reason: "constant operand of shape \(shape) is too large")
    }
    var scalars: [Scalar] = []
    scalars.reserveCapacity(count)
    func flatten(_ node: JSONValue, depth: Int) throws(WeightLoadingError) {
        if depth == shape.count {
            let number: Double
            switch node {
            case .number(let value): number = value
            case .bool(let flag): number = flag ? 1 : 0
            default: throw .unsupportedTopology(layer: layer, reason: "constant operand holds \(node.description.prefix(40)), not a number")
            }
            let scalar = Scalar(number)
            // Integers must survive the model's precision (float32 holds them up to 2^24).
            guard dtype.hasPrefix("float") || dtype == "bfloat16" || Double(scalar) == number else {
                throw .unsupportedTopology(layer: layer, reason: "constant \(dtype) value \(number) is not exact in \(Scalar.precision)")
            }
            scalars.append(scalar)
            return
        }
        guard case .array(let items) = node, items.count == shape[depth] else {
            throw .unsupportedTopology(layer: layer, reason: "constant operand is not a rectangular array of shape \(shape)")
        }
        for item in items { try flatten(item, depth: depth + 1) }
    }
    try flatten(value, depth: 0)
    return TensorOf(uncheckedShape: shape, scalars: scalars)
}

/// Checks that a constant operand broadcasts against the tensors without stretching the batch
/// axis or adding axes (the output keeps the batch axis first).
func checkConstantBroadcast(_ shapes: [[Int?]], operands: [Bool], layer: String) throws(WeightLoadingError) -> [Int?] {
    let rank = zip(shapes, operands).filter { !$0.1 }.map(\.0.count).max() ?? 0
    var output: [Int?] = Array(repeating: 1, count: rank)
    for (shape, isConstant) in zip(shapes, operands) {
        if isConstant, shape.count > rank || (shape.count == rank && rank > 0 && shape[0] != 1) {
            throw .unsupportedTopology(layer: layer, reason: "constant operand of shape \(shape.shapeDescription) would broadcast over the batch axis of a rank-\(rank) tensor")
        }
        guard let combined = broadcastShapes(output, shape) else {
            throw .unsupportedTopology(layer: layer, reason: "operands \(shapes.map(\.shapeDescription).joined(separator: ", ")) don't broadcast")
        }
        output = combined
    }
    return output
}

/// NumPy broadcasting of three tensors: `operation(a[i], b[j], c[k])` for every output element.
func broadcastCombine<Scalar: ComputeScalar>(
    _ a: TensorOf<Scalar>, _ b: TensorOf<Scalar>, _ c: TensorOf<Scalar>, layer: String, _ operation: (Scalar, Scalar, Scalar) -> Scalar
) throws(PredictionError) -> TensorOf<Scalar> {
    let rank = max(a.rank, b.rank, c.rank)
    let shapes = [a, b, c].map { Array(repeating: 1, count: rank - $0.rank) + $0.shape }
    var outputShape = [Int](repeating: 1, count: rank)
    for axis in 0..<rank {
        for shape in shapes where shape[axis] != 1 {
            guard outputShape[axis] == 1 || outputShape[axis] == shape[axis] else {
                throw .inputShapeMismatch(layer: layer, expected: "shapes that broadcast with \(a.shape.shapeDescription)", actual: shape)
            }
            outputShape[axis] = shape[axis]
        }
    }
    let count = try checkedElementCount(outputShape, layer: layer)
    let strides = shapes.map { shape in
        var result = [Int](repeating: 0, count: rank)
        var running = 1
        for axis in stride(from: rank - 1, through: 0, by: -1) {
            result[axis] = shape[axis] == 1 ? 0 : running
            running *= shape[axis]
        }
        return result
    }
    var output = [Scalar](repeating: 0, count: count)
    var index = [Int](repeating: 0, count: rank)
    a.scalars.withUnsafeBufferPointer { x in
        b.scalars.withUnsafeBufferPointer { y in
            c.scalars.withUnsafeBufferPointer { z in
                output.withUnsafeMutableBufferPointer { out in
                    var offsets = (0, 0, 0)
                    for target in 0..<count {
                        out[target] = operation(x[offsets.0], y[offsets.1], z[offsets.2])
                        var axis = rank - 1
                        while axis >= 0 {
                            index[axis] += 1
                            offsets.0 += strides[0][axis]
                            offsets.1 += strides[1][axis]
                            offsets.2 += strides[2][axis]
                            if index[axis] < outputShape[axis] { break }
                            offsets.0 -= strides[0][axis] * outputShape[axis]
                            offsets.1 -= strides[1][axis] * outputShape[axis]
                            offsets.2 -= strides[2][axis] * outputShape[axis]
                            index[axis] = 0
                            axis -= 1
                        }
                    }
                }
            }
        }
    }
    return TensorOf(uncheckedShape: outputShape, scalars: output)
}
