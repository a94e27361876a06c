/// `keras.layers.UpSampling3D`: each element of a rank-5 volume repeated `size` times along
/// depth, height and width (`ops.repeat` per axis). It drops the mask.
public struct UpSampling3DConfig: LayerBuilding {
    public static let className = "UpSampling3D"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// How many times each element is repeated along each spatial axis.
    public let size: [Int]
    /// Where the channel axis is.
    public let dataFormat: DataFormat

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        size = try arguments.window("size", rank: 3, default: [2, 2, 2])
        dataFormat = try arguments.choice("data_format", default: DataFormat.channelsLast)
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let axes = zip(dataFormat.spatialAxes(3), size).map { (axis: $0, operation: StepWindowLayer<Scalar>.Operation.repeatSteps($1)) }
        return RunnableLayer(StepWindowLayer<Scalar>(name: common.name, className: Self.className, rank: 5, axes: axes))
    }
}
