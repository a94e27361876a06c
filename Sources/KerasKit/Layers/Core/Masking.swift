/// `keras.layers.Masking`: masks the steps whose features all equal `mask_value`.
public struct MaskingConfig: LayerBuilding {
    public static let className = "Masking"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// A step is masked when every feature equals this value (compared in the compute precision).
    public let maskValue: Double

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        maskValue = try arguments.number("mask_value", default: 0)
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        RunnableLayer(MaskingLayer<Scalar>(config: self, generation: context.generation))
    }
}

/// `Masking` at inference: steps whose features all equal `mask_value` are masked and their
/// outputs set to zero (Keras 3: `where(mask, x, 0)`; Keras 2: `x · mask`, so `-v · 0 = -0`).
struct MaskingLayer<Scalar: ComputeScalar>: InferenceLayer {
    let config: MaskingConfig
    let generation: KerasGeneration

    var name: String { config.common.name }
    var parameterCount: Int { 0 }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        guard inputs[0].count >= 2 else {
            throw .unsupportedTopology(layer: name, reason: "Masking takes input of rank 2 or more, got \(inputs[0].shapeDescription)")
        }
        return [inputs[0]]
    }

    /// Whether each row (all axes but the last) has a feature different from `mask_value`.
    private func rowFlags(_ input: TensorOf<Scalar>) -> [Bool] {
        let width = input.shape.last ?? 0
        let rows = width == 0 ? product(input.shape, 0..<(input.rank - 1)) : input.scalars.count / width
        let maskValue = Scalar(config.maskValue)
        var flags = [Bool](repeating: false, count: rows)
        input.scalars.withUnsafeBufferPointer { x in
            for row in 0..<rows {
                var valid = false
                for column in 0..<width where x[row * width + column] != maskValue {
                    valid = true
                    break
                }
                flags[row] = valid
            }
        }
        return flags
    }
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank >= 2 else {
            throw .inputShapeMismatch(layer: name, expected: "(batch, …, features)", actual: input.shape)
        }
        let width = input.shape[input.rank - 1]
        let flags = rowFlags(input)
        var output = input.scalars
        output.withUnsafeMutableBufferPointer { y in
            for (row, valid) in flags.enumerated() where !valid {
                for column in 0..<width {
                    y[row * width + column] = generation == .keras2 ? y[row * width + column] * 0 : 0
                }
            }
        }
        return [TensorOf(uncheckedShape: input.shape, scalars: output)]
    }

    var createsMasks: Bool { true }
    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] {
        let input = call.input
        guard input.rank >= 2 else { return [nil] }
        return [Mask(batch: input.shape[0], steps: Mask.steps(for: input.shape), values: rowFlags(input))]
    }

    var timeBehavior: TimeBehavior { .stepwise }
}
