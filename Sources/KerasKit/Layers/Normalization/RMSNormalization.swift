/// `keras.layers.RMSNormalization` (Keras 3): `x · rsqrt(mean(x²) + ε) · scale` over `axis`
/// (`ops.rms_normalization`; no centering), `scale` laid out over the normalized axes.
public struct RMSNormalizationConfig: LayerBuilding {
    public static let className = "RMSNormalization"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The axes normalized over (batch axis counted; negative from the end).
    public let axis: [Int]
    /// Added to the mean square before the square root.
    public let epsilon: Double

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        axis = try arguments.axes("axis", default: [-1])
        epsilon = try arguments.number("epsilon", default: 1e-6, in: 0...Double.greatestFiniteMagnitude)
    }

    public var weightRoles: [WeightRole] { [WeightRole("scale")] }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let input = inputs.first ?? []
        let axes = try resolvedSampleAxes(axis, input: input, layer: common.name)
        guard axes.count == axis.count else {
            throw .unsupportedTopology(layer: common.name, reason: "axis \(axis) names an axis twice for input \(input.shapeDescription)")
        }
        // Keras multiplies by `scale` (shaped by the axes sorted as written) with NumPy
        // broadcasting, which aligns it with the input's last axes: only trailing axes, in order,
        // line up.
        let rank = input.count
        var writtenOrder: [Int] = []
        for entry in axis.sorted() { writtenOrder.append(try resolvedInputAxis(entry, input: input, layer: common.name)) }
        guard axes == Array((rank - axes.count)..<rank), writtenOrder == axes else {
            throw .unsupportedTopology(layer: common.name, reason: "axis \(axis) of input \(input.shapeDescription) is not the last axes in order; Keras broadcasts scale against the last axes, so KerasKit runs only those")
        }
        var normalizedShape: [Int] = []
        for resolved in axes {
            guard let size = input[resolved] else { throw .unknownInputSize(layer: common.name, shape: input) }
            normalizedShape.append(size)
        }
        let scale = try weights.values("scale", shape: normalizedShape)
        return RunnableLayer(RMSNormalizationLayer<Scalar>(name: common.name, rank: rank, axes: axes, normalizedShape: normalizedShape, epsilon: epsilon, scale: scale))
    }
}

/// `RMSNormalization` over the trailing axes: each row scaled by its reciprocal root mean square
/// (accumulated in `Double`) and by `scale`. Keras 3 doesn't declare it mask-supporting, so a
/// mask stops here.
struct RMSNormalizationLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let rank: Int
    /// The normalized axes, the last ones, resolved, and their sizes.
    let axes: [Int], normalizedShape: [Int]
    let epsilon: Double
    let scale: [Scalar]

    var parameterCount: Int { scale.count }
    var timeBehavior: TimeBehavior { axes == [rank - 1] ? .stepwise : .wholeSequence }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] { [inputs[0]] }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank == rank, axes.map({ input.shape[$0] }) == normalizedShape else {
            throw .inputShapeMismatch(layer: name, expected: "rank \(rank) with sizes \(normalizedShape) on axes \(axes)", actual: input.shape)
        }
        let width = scale.count
        var output = input.scalars
        let rows = width == 0 ? 0 : output.count / width
        output.withUnsafeMutableBufferPointer { y in
            for row in 0..<rows {
                let base = row * width
                var squares = 0.0
                for index in 0..<width { squares += Double(y[base + index]) * Double(y[base + index]) }
                let inverse = 1 / (squares / Double(width) + epsilon).squareRoot()
                for index in 0..<width { y[base + index] = Scalar(Double(y[base + index]) * inverse * Double(scale[index])) }
            }
        }
        return [TensorOf(uncheckedShape: input.shape, scalars: output)]
    }
}
