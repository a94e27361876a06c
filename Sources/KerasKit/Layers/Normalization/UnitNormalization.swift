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
        let axes = try resolvedSampleAxes(axis, input: input, layer: common.name)
        return RunnableLayer(UnitNormalizationLayer<Scalar>(name: common.name, axes: axes, rank: input.count, generation: context.generation))
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
        let keras3 = generation == .keras3
        let normalized = transformingRows(input.scalars, shape: input.shape, over: axes) { row, count in
            var sum: Scalar = 0
            for index in 0..<count { sum += row[index] * row[index] }
            let inverse = keras3 ? Swift.min(1 / sum.squareRoot(), Scalar(1e12)) : 1 / Swift.max(sum, Scalar(1e-12)).squareRoot()
            for index in 0..<count { row[index] *= inverse }
        }
        return [TensorOf(uncheckedShape: input.shape, scalars: normalized)]
    }

    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] { passThroughMasks(call, outputs: outputs) }
}
