/// `keras.ops.reshape` (class `Reshape`, an operation node): gives the whole tensor, batch axis
/// included, the shape `newshape`. Keras 3's `Reshape` layer (`target_shape`, batch axis kept)
/// is another class of the same name; the registry keeps this one among the operations.
public struct ReshapeOperationConfig: LayerBuilding {
    public static let className = "Reshape"
    public static let isOperation = true
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    /// The output shape, batch axis included: sizes ≥ 0 and at most one -1 (inferred from the
    /// element count, as TensorFlow's `reshape` does).
    public let newshape: [Int]

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        guard let shape = try arguments.integers("newshape") else { throw arguments.invalid("newshape", "required") }
        guard shape.allSatisfy({ $0 >= -1 }), shape.filter({ $0 == -1 }).count <= 1 else {
            throw arguments.invalid("newshape", "\(shape) must hold sizes ≥ 0 and at most one -1")
        }
        guard (try? Tensor.elementCount(of: shape.map { max($0, 1) })) != nil else {
            throw arguments.invalid("newshape", "\(shape) has too many elements")
        }
        newshape = shape
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        try checkTensorOperands(context.arguments, inputCount: inputs.count, expected: 1, layer: common.name)
        if newshape.contains(-1), newshape.reduce(1, { $1 == -1 ? $0 : $0 * $1 }) == 0 {
            throw .unsupportedTopology(layer: common.name, reason: "newshape \(newshape) infers its -1 from a product of 0")
        }
        return RunnableLayer(ReshapeOperationLayer<Scalar>(name: common.name, newshape: newshape))
    }
}

/// `Reshape` (operation): the values in order, in the shape `newshape`, its -1 inferred.
struct ReshapeOperationLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let newshape: [Int]

    var parameterCount: Int { 0 }

    /// The product of `newshape` without its -1.
    private var knownCount: Int { newshape.reduce(1) { $1 == -1 ? $0 : $0 * $1 } }

    /// Keras's `compute_reshape_output_shape`: with an unknown input axis the -1 stays unknown.
    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        let input = inputs[0]
        guard let count = staticElementCount(input) else {
            if input.allSatisfy({ $0 != nil }) { throw .unsupportedTopology(layer: name, reason: "input \(input.shapeDescription) has too many elements") }
            return [newshape.map { $0 == -1 ? nil : $0 }]
        }
        if newshape.contains(-1) {
            guard count % knownCount == 0 else {
                throw .unsupportedTopology(layer: name, reason: "cannot reshape \(input.shapeDescription) (\(count) elements) to newshape \(newshape)")
            }
            return [newshape.map { $0 == -1 ? count / knownCount : $0 }]
        }
        guard count == knownCount else {
            throw .unsupportedTopology(layer: name, reason: "cannot reshape \(input.shapeDescription) (\(count) elements) to newshape \(newshape)")
        }
        return [newshape.map { $0 }]
    }
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        let count = input.scalars.count
        var shape = newshape
        if let unknown = shape.firstIndex(of: -1) {
            guard count % knownCount == 0 else {
                throw .inputShapeMismatch(layer: name, expected: "a multiple of \(knownCount) elements (newshape \(newshape))", actual: input.shape)
            }
            shape[unknown] = count / knownCount
        } else if count != knownCount {
            throw .inputShapeMismatch(layer: name, expected: "\(knownCount) elements (newshape \(newshape))", actual: input.shape)
        }
        return [TensorOf(uncheckedShape: shape, scalars: input.scalars)]
    }
}
