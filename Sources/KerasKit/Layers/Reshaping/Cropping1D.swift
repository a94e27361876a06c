/// `keras.layers.Cropping1D`: drops steps at the start and the end of `(batch, steps, channels)`.
/// It drops the mask.
public struct Cropping1DConfig: LayerBuilding {
    public static let className = "Cropping1D"
    /// Steps removed from the start and the end.
    public let cropping: (start: Int, end: Int)
    /// Fields every layer has.
    public let common: LayerCommonConfig

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        let values = try arguments.integers("cropping") ?? [1, 1]
        guard values.count == 1 || values.count == 2, values.allSatisfy({ (0...KerasLimits.maxDimension).contains($0) }) else {
            throw arguments.invalid("cropping", "expected one or two sizes in 0...\(KerasLimits.maxDimension), found \(values)")
        }
        cropping = (values[0], values.count == 2 ? values[1] : values[0])
        arguments.record("cropping", [cropping.start, cropping.end].json)
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        RunnableLayer(StepWindowLayer<Scalar>(name: common.name, className: Self.className, stepAxis: 1,
                                              operation: .crop(start: cropping.start, end: cropping.end)))
    }
}
