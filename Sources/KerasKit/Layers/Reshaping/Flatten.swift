/// `keras.layers.Flatten`: `(batch, …)` → `(batch, product of the rest)`.
public struct FlattenConfig: LayerBuilding {
    public static let className = "Flatten"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// With `channels_first`, the channel axis (1) moves last before flattening.
    public let dataFormat: DataFormat

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        dataFormat = try arguments.choice("data_format", default: DataFormat.channelsLast)
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        RunnableLayer(FlattenLayer<Scalar>(config: self))
    }
}

/// `Flatten`: every sample becomes one vector (`channels_first` input is first made
/// channels-last). It drops the mask.
struct FlattenLayer<Scalar: ComputeScalar>: InferenceLayer {
    let config: FlattenConfig

    var name: String { config.common.name }
    var parameterCount: Int { 0 }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        let input = inputs[0]
        guard let batch = input.first else {
            throw .unsupportedTopology(layer: name, reason: "Flatten needs a batch axis, got a scalar")
        }
        let rest = Array(input.dropFirst())
        if rest.isEmpty { return [[batch, 1]] }
        guard rest.allSatisfy({ $0 != nil }) else { return [[batch, nil]] }
        guard let count = staticElementCount(rest) else {
            throw .unsupportedTopology(layer: name, reason: "input \(input.shapeDescription) has too many elements per sample")
        }
        return [[batch, count]]
    }
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard let batch = input.shape.first else {
            throw .inputShapeMismatch(layer: name, expected: "(batch, …)", actual: input.shape)
        }
        var scalars = input.scalars
        if config.dataFormat == .channelsFirst, input.rank > 2 {
            let permutation = [0] + Array(2..<input.rank) + [1]
            scalars = permuteAxes(scalars, shape: input.shape, permutation: permutation, zero: 0)
        }
        let width = input.rank == 1 ? 1 : product(input.shape, 1..<input.rank)
        return [TensorOf(uncheckedShape: [batch, width], scalars: scalars)]
    }
}
