/// `keras.layers.UpSampling1D`: each step of `(batch, steps, channels)` repeated `size` times
/// (`ops.repeat` along the step axis). It drops the mask.
public struct UpSampling1DConfig: LayerBuilding {
    public static let className = "UpSampling1D"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// How many times each step is repeated.
    public let size: Int

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        size = try arguments.integer("size", default: 2, in: 1...KerasLimits.maxDimension)
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        RunnableLayer(StepWindowLayer<Scalar>(name: common.name, className: Self.className, stepAxis: 1, operation: .repeatSteps(size)))
    }
}
