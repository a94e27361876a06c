/// `keras.layers.ZeroPadding1D`: zeros before and after the step axis of `(batch, steps,
/// channels)` (`(batch, channels, steps)` with `channels_first`). It drops the mask.
public struct ZeroPadding1DConfig: LayerBuilding {
    public static let className = "ZeroPadding1D"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// Zero steps added before and after.
    public let padding: (before: Int, after: Int)
    /// Where the channel axis is.
    public let dataFormat: DataFormat

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        let values = try arguments.integers("padding") ?? [1]
        guard values.count == 1 || values.count == 2, values.allSatisfy({ (0...KerasLimits.maxDimension).contains($0) }) else {
            throw arguments.invalid("padding", "expected one or two sizes in 0...\(KerasLimits.maxDimension), found \(values)")
        }
        padding = (values[0], values.count == 2 ? values[1] : values[0])
        arguments.record("padding", [padding.before, padding.after].json)
        dataFormat = try arguments.choice("data_format", default: DataFormat.channelsLast)
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        RunnableLayer(StepWindowLayer<Scalar>(name: common.name, className: Self.className, stepAxis: dataFormat == .channelsLast ? 1 : 2,
                                              operation: .pad(before: padding.before, after: padding.after)))
    }
}
