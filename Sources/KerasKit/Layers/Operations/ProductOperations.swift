// Keras 3's tensor products recorded as operation nodes (module `keras.src.ops.numpy`):
// `keras.ops.einsum` and `keras.ops.matmul` between layers, as attention written with ops does.

/// `keras.ops.einsum` (class `Einsum`): the equation in `subscripts`, on the call's one or two
/// tensor arguments.
public struct EinsumOperationConfig: LayerBuilding {
    public static let className = "Einsum"
    public static let isOperation = true
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    /// The equation as written.
    public let subscripts: String

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        guard let subscripts = try arguments.string("subscripts", default: nil) else { throw arguments.invalid("subscripts", "required") }
        self.subscripts = subscripts
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        try requireTensorArguments(context.arguments, layer: common.name)
        do {
            let equation = try EinsumEquation(subscripts, ranks: inputs.map(\.count))
            _ = try equation.outputShape(inputs)
            return RunnableLayer(EinsumOperationLayer<Scalar>(name: common.name, plan: EinsumPlan(equation)))
        } catch {
            throw .unsupportedTopology(layer: common.name, reason: error.description)
        }
    }
}

/// `Einsum` at inference: ``EinsumPlan`` on the call's tensors.
struct EinsumOperationLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let plan: EinsumPlan

    var parameterCount: Int { 0 }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        do {
            return [try plan.equation.outputShape(inputs)]
        } catch {
            throw .unsupportedTopology(layer: name, reason: error.description)
        }
    }

    func estimatedFLOPs(inputs: [[Int]]) -> Double {
        var sizes: [Int: Int] = [:]
        for (labels, shape) in zip(plan.equation.operands, inputs) {
            for (label, size) in zip(labels, shape) { sizes[label] = size }
        }
        return inputs.count == 2 ? 2 * sizes.values.reduce(1.0) { $0 * Double($1) } : 0
    }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        guard call.inputs.count == plan.equation.operands.count else {
            throw .inputShapeMismatch(layer: name, expected: "\(plan.equation.operands.count) operand(s) for '\(plan.equation.text)'", actual: [call.inputs.count])
        }
        return [try plan.run(call.inputs, layer: name)]
    }
}

/// `keras.ops.matmul` (class `Matmul`): NumPy's `matmul` of the call's two tensors — matrix
/// products over the last two axes, the leading axes broadcast, a rank-1 operand a vector.
public struct MatmulOperationConfig: LayerBuilding {
    public static let className = "Matmul"
    public static let isOperation = true
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        guard inputs.count == 2 else {
            throw .unsupportedTopology(layer: common.name, reason: "matmul takes two tensors, the call passes \(inputs.count) (a constant operand is not supported)")
        }
        try requireTensorArguments(context.arguments, layer: common.name)
        let layer = MatmulOperationLayer<Scalar>(name: common.name)
        _ = try layer.outputShapes(for: inputs)
        return RunnableLayer(layer)
    }
}

/// Refuses an operation call with a constant operand (a number, or a constant Keras folded).
private func requireTensorArguments(_ arguments: [JSONValue], layer: String) throws(WeightLoadingError) {
    if let constant = arguments.first(where: { $0["class_name"]?.stringValue != "__keras_tensor__" }) {
        throw .unsupportedTopology(layer: layer, reason: "operand \(pythonLiteral(constant)) is not a tensor; KerasKit takes tensor operands only here")
    }
}

/// `Matmul` at inference: one product per (broadcast) leading index.
struct MatmulOperationLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String

    var parameterCount: Int { 0 }

    /// The operands as `[batch…, rows, inner]` and `[batch…, inner, columns]`, and which axes the
    /// result drops (NumPy's rank-1 rule).
    private static func matrices<Size>(_ a: [Size], _ b: [Size], one: Size) -> (a: [Size], b: [Size], dropRows: Bool, dropColumns: Bool) {
        (a.count == 1 ? [one] + a : a, b.count == 1 ? b + [one] : b, a.count == 1, b.count == 1)
    }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        guard inputs.count == 2, !inputs[0].isEmpty, !inputs[1].isEmpty else {
            throw .unsupportedTopology(layer: name, reason: "matmul takes two tensors of rank 1 or more")
        }
        let (a, b, dropRows, dropColumns) = Self.matrices(inputs[0], inputs[1], one: 1)
        if let k = a.last ?? nil, let l = b[b.count - 2], k != l {
            throw .unsupportedTopology(layer: name, reason: "inner sizes differ: \(inputs[0].shapeDescription) · \(inputs[1].shapeDescription)")
        }
        guard let batch = broadcastShapes(Array(a.dropLast(2)), Array(b.dropLast(2))) else {
            throw .unsupportedTopology(layer: name, reason: "leading axes of \(inputs[0].shapeDescription) and \(inputs[1].shapeDescription) don't broadcast")
        }
        return [batch + (dropRows ? [] : [a[a.count - 2]]) + (dropColumns ? [] : [b[b.count - 1]])]
    }

    func estimatedFLOPs(inputs: [[Int]]) -> Double {
        guard inputs.count == 2, let shape = try? outputShapes(for: inputs.map { $0.map { $0 } }).first else { return 0 }
        return 2 * Double(inputs[0].last ?? 0) * shape.reduce(1.0) { $0 * Double($1 ?? 1) }
    }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        guard call.inputs.count == 2, call.inputs[0].rank >= 1, call.inputs[1].rank >= 1 else {
            throw .inputShapeMismatch(layer: name, expected: "two tensors of rank 1 or more", actual: call.inputs.first?.shape ?? [])
        }
        let (a, b, dropRows, dropColumns) = Self.matrices(call.inputs[0].shape, call.inputs[1].shape, one: 1)
        let m = a[a.count - 2], k = a[a.count - 1], n = b[b.count - 1]
        guard b[b.count - 2] == k else {
            throw .inputShapeMismatch(layer: name, expected: "an inner size of \(k)", actual: call.inputs[1].shape)
        }
        let aBatch = Array(a.dropLast(2)), bBatch = Array(b.dropLast(2))
        guard let optionalBatch = broadcastShapes(aBatch.map { $0 }, bBatch.map { $0 }) else {
            throw .inputShapeMismatch(layer: name, expected: "leading axes broadcasting with \(call.inputs[0].shape)", actual: call.inputs[1].shape)
        }
        let batch = optionalBatch.map { $0 ?? 1 }
        let resultShape = batch + (dropRows ? [] : [m]) + (dropColumns ? [] : [n])
        let count = try checkedElementCount(batch + [m, n], layer: name)
        var output = [Scalar](repeating: 0, count: count)
        // Each operand's offset for a leading index: size-1 axes repeat.
        func strides(_ shape: [Int], rank: Int, block: Int) -> [Int] {
            let padded = Array(repeating: 1, count: rank - shape.count) + shape
            var result = [Int](repeating: 0, count: rank)
            var step = block
            for axis in stride(from: rank - 1, through: 0, by: -1) {
                result[axis] = padded[axis] == 1 ? 0 : step
                step *= padded[axis]
            }
            return result
        }
        let rank = batch.count
        let aStrides = strides(aBatch, rank: rank, block: m * k), bStrides = strides(bBatch, rank: rank, block: k * n)
        let products = batch.reduce(1, *)
        call.inputs[0].scalars.withUnsafeBufferPointer { x in
            call.inputs[1].scalars.withUnsafeBufferPointer { y in
                output.withUnsafeMutableBufferPointer { z in
                    guard let x = x.baseAddress, let y = y.baseAddress, let z = z.baseAddress, k > 0 else { return }
                    var index = [Int](repeating: 0, count: rank)
                    for product in 0..<products {
                        var aOffset = 0, bOffset = 0
                        for axis in 0..<rank {
                            aOffset += index[axis] * aStrides[axis]
                            bOffset += index[axis] * bStrides[axis]
                        }
                        multiplyMatrices(m: m, n: n, k: k, x + aOffset, lda: k, y + bOffset, ldb: n, into: z + product * m * n, ldc: n, accumulate: false)
                        var axis = rank - 1
                        while axis >= 0 {
                            index[axis] += 1
                            if index[axis] < batch[axis] { break }
                            index[axis] = 0
                            axis -= 1
                        }
                    }
                }
            }
        }
        return [TensorOf(uncheckedShape: resultShape, scalars: output)]
    }
}
