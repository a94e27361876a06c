/// `keras.layers.Permute`: reorders the non-batch axes; `dims` counts from 1.
public struct PermuteConfig: LayerBuilding {
    public static let className = "Permute"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// Output axis `i + 1` is input axis `dims[i]`; a permutation of `1...dims.count`.
    public let dims: [Int]

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        guard let dims = try arguments.integers("dims") else { throw arguments.invalid("dims", "required") }
        guard !dims.isEmpty, dims.sorted() == Array(1...dims.count) else {
            throw arguments.invalid("dims", "\(dims) is not a permutation of 1...\(max(dims.count, 1))")
        }
        self.dims = dims
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        RunnableLayer(PermuteLayer<Scalar>(config: self))
    }
}

/// `Permute`: reorders the non-batch axes. It drops the mask.
struct PermuteLayer<Scalar: ComputeScalar>: InferenceLayer {
    let config: PermuteConfig

    var name: String { config.common.name }
    var parameterCount: Int { 0 }

    /// The permutation including the batch axis.
    private var permutation: [Int] { [0] + config.dims }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        let input = inputs[0]
        guard input.count == config.dims.count + 1 else {
            throw .unsupportedTopology(layer: name, reason: "dims \(config.dims) needs input of rank \(config.dims.count + 1), got \(input.shapeDescription)")
        }
        return [permutation.map { input[$0] }]
    }
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank == config.dims.count + 1 else {
            throw .inputShapeMismatch(layer: name, expected: "rank \(config.dims.count + 1)", actual: input.shape)
        }
        let scalars = permuteAxes(input.scalars, shape: input.shape, permutation: permutation, zero: 0)
        return [TensorOf(uncheckedShape: permutation.map { input.shape[$0] }, scalars: scalars)]
    }
}
