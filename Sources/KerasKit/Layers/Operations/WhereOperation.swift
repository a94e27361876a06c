/// `keras.ops.where(condition, x1, x2)` (class `Where`): `x1` where the condition is non-zero,
/// else `x2`, broadcast by NumPy's rules; any of the three may be a constant of the call.
/// (`where(condition)` alone, which returns indices, is refused: it has one operand.)
public struct WhereOperationConfig: LayerBuilding {
    public static let className = "Where"
    public static let isOperation = true
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let operands = try OperationOperands<Scalar>(arguments: context.arguments, inputCount: inputs.count, layer: common.name)
        guard operands.operands.count == 3, !inputs.isEmpty else {
            throw .unsupportedTopology(layer: common.name, reason: "Where takes a condition and two values (\(operands.operands.count) operand(s) given, \(inputs.count) of them tensors)")
        }
        // The values' dtypes decide the result's; the condition's doesn't.
        let condition: Set<Int> = if case .input(let index) = operands.operands[0] { [index] } else { [] }
        try operands.checkPrecision(exact: true, layer: common.name, className: Self.className, skipping: condition)
        let isConstant = operands.operands.map { if case .constant = $0 { true } else { false } }
        _ = try checkConstantBroadcast(operands.shapes(inputs: inputs), operands: isConstant, layer: common.name)
        return RunnableLayer(WhereLayer<Scalar>(name: common.name, operands: operands))
    }
}

/// `Where`: a selection per element of the broadcast operands.
struct WhereLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let operands: OperationOperands<Scalar>

    var parameterCount: Int { 0 }
    var timeBehavior: TimeBehavior { .stepwise }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        let shapes = operands.shapes(inputs: inputs)
        guard let pair = broadcastShapes(shapes[0], shapes[1]), let shape = broadcastShapes(pair, shapes[2]) else {
            throw .unsupportedTopology(layer: name, reason: "operands \(shapes.map(\.shapeDescription).joined(separator: ", ")) don't broadcast")
        }
        return [shape]
    }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let values = try operands.values(call, layer: name)
        return [try broadcastCombine(values[0], values[1], values[2], layer: name) { condition, x, y in condition != 0 ? x : y }]
    }
}
