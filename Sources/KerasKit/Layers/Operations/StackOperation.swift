/// `keras.ops.stack` (class `Stack`): joins tensors of one shape along a new axis.
public struct StackConfig: LayerBuilding {
    public static let className = "Stack"
    public static let isOperation = true
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    /// The new axis's position in the output (negative from the end).
    public let axis: Int

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        axis = try arguments.integer("axis", default: 0, in: -KerasLimits.maxRank...KerasLimits.maxRank)
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        try checkTensorList(context.arguments, inputCount: inputs.count, layer: common.name)
        let rank = inputs[0].count
        guard rank < KerasLimits.maxRank, let resolved = resolvedAxis(axis, rank: rank + 1) else {
            throw .unsupportedTopology(layer: common.name, reason: "axis \(axis) doesn't fit an output of rank \(rank + 1)")
        }
        return RunnableLayer(JoinOperationLayer<Scalar>(name: common.name, axis: resolved, rank: rank, newAxis: true))
    }
}
