/// `keras.ops.broadcast_to` (class `BroadcastTo`): stretches size-1 axes (and adds leading
/// ones) to a fixed shape, batch axis included, by NumPy's rules.
public struct BroadcastToConfig: LayerBuilding {
    public static let className = "BroadcastTo"
    public static let isOperation = true
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    /// The output shape, batch axis included.
    public let shape: [Int]

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        guard let shape = try arguments.integers("shape") else { throw arguments.invalid("shape", "required") }
        guard shape.allSatisfy({ $0 >= 0 }), (try? Tensor.elementCount(of: shape)) != nil else {
            throw arguments.invalid("shape", "\(shape) must hold sizes ≥ 0 of at most \(Int.max) elements")
        }
        self.shape = shape
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        try checkTensorOperands(context.arguments, inputCount: inputs.count, expected: 1, layer: common.name)
        let layer = BroadcastToLayer<Scalar>(name: common.name, shape: shape, rank: inputs[0].count)
        _ = try layer.outputShapes(for: inputs)
        return RunnableLayer(layer)
    }
}

/// `BroadcastTo`: the input aligned at its last axis with `shape`, each axis of size 1 repeated.
struct BroadcastToLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let shape: [Int]
    let rank: Int

    var parameterCount: Int { 0 }

    /// Whether an input axis of `size` (nil: unknown) broadcasts to `target`.
    private static func fits(_ size: Int?, _ target: Int) -> Bool { size == nil || size == 1 || size == target }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        let input = inputs[0]
        guard input.count == rank, rank <= shape.count,
              zip(input, shape.suffix(rank)).allSatisfy({ Self.fits($0, $1) }) else {
            throw .unsupportedTopology(layer: name, reason: "input \(input.shapeDescription) doesn't broadcast to \(shape.shapeDescription)")
        }
        return [shape.map { $0 }]
    }
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        let padded = Array(repeating: 1, count: shape.count - rank) + input.shape
        guard input.rank == rank, zip(padded, shape).allSatisfy({ $0 == 1 || $0 == $1 }) else {
            throw .inputShapeMismatch(layer: name, expected: "a shape that broadcasts to \(shape.shapeDescription)", actual: input.shape)
        }
        _ = try checkedOutputCount(shape, layer: name)
        let positions = zip(padded, shape).map { size, target in size == 1 ? Array(repeating: 0, count: target) : Array(0..<target) }
        let source = TensorOf(uncheckedShape: padded, scalars: input.scalars)
        return [try gatheredTensor(source, positions: positions, outputShape: shape, call: call, layer: name)]
    }
}
