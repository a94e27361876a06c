/// `keras.layers.ZeroPadding3D`: zeros before and after each spatial axis of a rank-5 image
/// (channels last or first). It drops the mask.
public struct ZeroPadding3DConfig: LayerBuilding {
    public static let className = "ZeroPadding3D"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// Zeros added before and after each spatial axis.
    public let padding: [(before: Int, after: Int)]
    /// Where the channel axis is.
    public let dataFormat: DataFormat

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        padding = try arguments.spatialPairs("padding", rank: 3, default: Array(repeating: (1, 1), count: 3))
        dataFormat = try arguments.choice("data_format", default: DataFormat.channelsLast)
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let axes = zip(dataFormat.spatialAxes(3), padding).map { (axis: $0, operation: StepWindowLayer<Scalar>.Operation.pad(before: $1.before, after: $1.after)) }
        return RunnableLayer(StepWindowLayer<Scalar>(name: common.name, className: Self.className, rank: 5, axes: axes))
    }
}
