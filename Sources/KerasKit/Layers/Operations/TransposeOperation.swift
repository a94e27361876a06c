/// `keras.ops.transpose` (class `Transpose`): permutes the axes, batch axis included.
public struct TransposeConfig: LayerBuilding {
    public static let className = "Transpose"
    public static let isOperation = true
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    /// Output axis `i` is input axis `axes[i]` (negative from the end); nil reverses the axes.
    public let axes: [Int]?

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        guard let axes = try arguments.integers("axes") else {
            self.axes = nil
            return
        }
        for axis in axes where abs(axis) > KerasLimits.maxRank {
            throw arguments.invalid("axes", "axis \(axis) is outside a rank-\(KerasLimits.maxRank) tensor")
        }
        self.axes = axes
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        try checkTensorOperands(context.arguments, inputCount: inputs.count, expected: 1, layer: common.name)
        return RunnableLayer(try TransposeLayer<Scalar>(name: common.name, axes: axes, input: inputs[0]))
    }
}

/// `Transpose`: output axis `i` is input axis `permutation[i]`.
struct TransposeLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let permutation: [Int]

    var parameterCount: Int { 0 }

    /// Resolves `axes` (nil: reversed) against the input; TensorFlow's transpose takes only a
    /// permutation of every axis.
    init(name: String, axes: [Int]?, input: [Int?]) throws(WeightLoadingError) {
        self.name = name
        let rank = input.count
        guard let axes else {
            permutation = Array((0..<rank).reversed())
            return
        }
        let resolved = axes.compactMap { resolvedAxis($0, rank: rank) }
        guard resolved.count == rank, axes.count == rank, resolved.sorted() == Array(0..<rank) else {
            throw .unsupportedTopology(layer: name, reason: "axes \(axes) is not a permutation of the axes of input \(input.shapeDescription)")
        }
        permutation = resolved
    }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        guard inputs[0].count == permutation.count else {
            throw .unsupportedTopology(layer: name, reason: "built for rank \(permutation.count), got \(inputs[0].shapeDescription)")
        }
        return [permutation.map { inputs[0][$0] }]
    }
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank == permutation.count else {
            throw .inputShapeMismatch(layer: name, expected: "rank \(permutation.count)", actual: input.shape)
        }
        guard input.rank > 1 else { return [input] }
        let scalars = permuteAxes(input.scalars, shape: input.shape, permutation: permutation, zero: 0)
        return [TensorOf(uncheckedShape: permutation.map { input.shape[$0] }, scalars: scalars)]
    }

    /// Keeping the batch and time axes in place, the transpose is within each step.
    var timeBehavior: TimeBehavior { permutation.count >= 2 && permutation[0] == 0 && permutation[1] == 1 ? .stepwise : .wholeSequence }
}
