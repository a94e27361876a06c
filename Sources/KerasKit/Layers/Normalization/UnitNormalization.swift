/// `keras.layers.UnitNormalization`: each sample scaled to unit L2 norm over `axis`. Keras 3
/// computes `x · min(1/√Σx², 10¹²)` (`ops.normalize`, ε = 1e-12); tf.keras
/// `x · 1/√max(Σx², 1e-12)` (`l2_normalize`). The mask passes through.
public struct UnitNormalizationConfig: LayerBuilding {
    public static let className = "UnitNormalization"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The axes normalized over (batch axis counted; negative from the end).
    public let axis: [Int]

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        axis = try arguments.axes("axis", default: [-1])
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let input = inputs.first ?? []
        var axes: [Int] = []
        for entry in axis {
            let resolved = try resolvedInputAxis(entry, input: input, layer: common.name)
            guard resolved != 0 else {
                throw .unsupportedTopology(layer: common.name, reason: "a norm over the batch axis mixes samples; KerasKit doesn't run it")
            }
            if !axes.contains(resolved) { axes.append(resolved) }
        }
        return RunnableLayer(UnitNormalizationLayer<Scalar>(name: common.name, axes: axes.sorted(), rank: input.count, generation: context.generation))
    }
}

/// `UnitNormalization`: the normalized axes moved last, each row scaled, the axes moved back.
struct UnitNormalizationLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let axes: [Int]
    let rank: Int
    let generation: KerasGeneration

    var parameterCount: Int { 0 }
    var timeBehavior: TimeBehavior { axes == [rank - 1] ? .stepwise : .wholeSequence }

    func outputShapes(for inputs: [[Int?]]) -> [[Int?]] { [inputs[0]] }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank == rank else {
            throw .inputShapeMismatch(layer: name, expected: "rank \(rank)", actual: input.shape)
        }
        let kept = (0..<rank).filter { !axes.contains($0) }
        let permutation = kept + axes
        var values = permuteAxes(input.scalars, shape: input.shape, permutation: permutation, zero: 0)
        let width = axes.reduce(1) { $0 * input.shape[$1] }
        let keras3 = generation == .keras3
        if width > 0 {
            values.withUnsafeMutableBufferPointer { buffer in
                for row in 0..<(buffer.count / width) {
                    var sum: Scalar = 0
                    for index in 0..<width { sum += buffer[row * width + index] * buffer[row * width + index] }
                    let inverse = keras3 ? Swift.min(1 / sum.squareRoot(), Scalar(1e12)) : 1 / Swift.max(sum, Scalar(1e-12)).squareRoot()
                    for index in 0..<width { buffer[row * width + index] *= inverse }
                }
            }
        }
        var inverse = [Int](repeating: 0, count: rank)
        for (position, axis) in permutation.enumerated() { inverse[axis] = position }
        let restored = permuteAxes(values, shape: permutation.map { input.shape[$0] }, permutation: inverse, zero: 0)
        return [TensorOf(uncheckedShape: input.shape, scalars: restored)]
    }

    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] { passThroughMasks(call, outputs: outputs) }
}
