/// `keras.layers.ZeroPadding2D`: zeros before and after each spatial axis of a rank-4 image
/// (channels last or first). It drops the mask.
public struct ZeroPadding2DConfig: LayerBuilding {
    public static let className = "ZeroPadding2D"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// Zeros added before and after each spatial axis.
    public let padding: [(before: Int, after: Int)]
    /// Where the channel axis is.
    public let dataFormat: DataFormat

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        padding = try arguments.spatialPairs("padding", rank: 2, default: Array(repeating: (1, 1), count: 2))
        dataFormat = try arguments.choice("data_format", default: DataFormat.channelsLast)
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let axes = zip(dataFormat.spatialAxes(2), padding).map { (axis: $0, operation: StepWindowLayer<Scalar>.Operation.pad(before: $1.before, after: $1.after)) }
        return RunnableLayer(StepWindowLayer<Scalar>(name: common.name, className: Self.className, rank: 4, axes: axes))
    }
}
