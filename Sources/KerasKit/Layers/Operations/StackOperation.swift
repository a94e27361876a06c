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
        return RunnableLayer(try JoinOperationLayer<Scalar>(name: common.name, axis: axis, input: inputs[0], newAxis: true))
    }
}
