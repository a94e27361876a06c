/// `keras.layers.Cropping2D`: drops elements at the start and the end of each spatial axis of a
/// rank-4 image (channels last or first). It drops the mask.
public struct Cropping2DConfig: LayerBuilding {
    public static let className = "Cropping2D"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// Elements removed from the start and the end of each spatial axis.
    public let cropping: [(start: Int, end: Int)]
    /// Where the channel axis is.
    public let dataFormat: DataFormat

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        cropping = try arguments.spatialPairs("cropping", rank: 2, default: Array(repeating: (0, 0), count: 2)).map { (start: $0.before, end: $0.after) }
        dataFormat = try arguments.choice("data_format", default: DataFormat.channelsLast)
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let axes = zip(dataFormat.spatialAxes(2), cropping).map { (axis: $0, operation: StepWindowLayer<Scalar>.Operation.crop(start: $1.start, end: $1.end)) }
        return RunnableLayer(StepWindowLayer<Scalar>(name: common.name, className: Self.className, rank: 4, axes: axes))
    }
}
