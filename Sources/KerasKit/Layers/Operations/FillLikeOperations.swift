/// `zeros_like` / `ones_like`: a tensor of the input's shape filled with one value. The
/// requested `dtype` (`bool` for masks) is read as every layer's; KerasKit computes in the
/// model's precision.
protocol FillLikeConfiguration: LayerBuilding {
    /// The value written.
    static var value: Double { get }
}

extension FillLikeConfiguration {
    public static var isOperation: Bool { true }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        RunnableLayer(FillLikeLayer<Scalar>(name: common.name, value: Scalar(Self.value)))
    }
}

/// `keras.ops.zeros_like` (class `ZerosLike`): a tensor of the input's shape filled with 0.
public struct ZerosLikeConfig: FillLikeConfiguration {
    public static let className = "ZerosLike"
    static let value = 0.0
    /// Fields every layer has (`name`, and the requested `dtype`).
    public let common: LayerCommonConfig

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.ones_like` (class `OnesLike`): a tensor of the input's shape filled with 1.
public struct OnesLikeConfig: FillLikeConfiguration {
    public static let className = "OnesLike"
    static let value = 1.0
    /// Fields every layer has (`name`, and the requested `dtype`).
    public let common: LayerCommonConfig

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `ZerosLike` / `OnesLike`: a tensor of the input's shape filled with one value.
struct FillLikeLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let value: Scalar

    var parameterCount: Int { 0 }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] { [inputs[0]] }
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        return [TensorOf(uncheckedShape: input.shape, scalars: Array(repeating: value, count: input.scalars.count))]
    }

    var timeBehavior: TimeBehavior { .stepwise }
}
