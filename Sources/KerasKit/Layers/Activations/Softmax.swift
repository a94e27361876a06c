/// `keras.layers.Softmax`: `exp(x) / Σ exp(x)` over `axis` (an axis or a list of axes).
///
/// A mask — passed as `mask=` or coming with the input — is broadcast against the input's
/// trailing axes, as NumPy broadcasts: Keras 3 puts −10⁹ where it is false (or ≤ 0.5), takes the
/// softmax and zeroes those places; Keras 2 adds `(1 − mask) · −10⁹` and takes the softmax.
public struct SoftmaxConfig: LayerBuilding {
    public static let className = "Softmax"
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
        return RunnableLayer(SoftmaxLayer<Scalar>(name: common.name, axes: axes, rank: input.count, generation: context.generation))
    }
}

/// `Softmax` over some axes: those axes are moved last, each row of them normalized with the
/// maximum subtracted first, and the axes moved back.
struct SoftmaxLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    /// The normalized axes, sorted.
    let axes: [Int]
    let rank: Int
    let generation: KerasGeneration

    var parameterCount: Int { 0 }
    var readsMaskTensors: Bool { true }
    var timeBehavior: TimeBehavior { axes.allSatisfy({ $0 == rank - 1 }) ? .stepwise : .wholeSequence }

    func outputShapes(for inputs: [[Int?]]) -> [[Int?]] { [inputs[0]] }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        var input = call.input
        guard input.rank == rank else {
            throw .inputShapeMismatch(layer: name, expected: "rank \(rank)", actual: input.shape)
        }
        // The mask as Keras holds it: the tensor passed, or the input's own mask, shaped like the
        // input without its last axis.
        let mask: TensorOf<Scalar>? = (call.maskTensors.first ?? nil) ?? call.mask.map { mask in
            TensorOf(uncheckedShape: Array(input.shape.dropLast()), scalars: mask.values.map { $0 ? 1 : 0 })
        }
        let largeNegative = Scalar(-1e9)
        if let mask {
            let keras3 = generation == .keras3
            let masked = try broadcastCombine(input, mask, layer: name) { x, m in
                keras3 ? (m > 0.5 ? x : largeNegative) : x + (1 - m) * largeNegative
            }
            guard masked.shape == input.shape else {
                throw .inputShapeMismatch(layer: name, expected: "a mask that broadcasts to the input \(input.shape.shapeDescription)", actual: mask.shape)
            }
            input = masked
        }
        let normalized = transformingRows(input.scalars, shape: input.shape, over: axes) { row, count in
            Activation.softmaxRow(row, count: count, log: false)
        }
        let output = TensorOf(uncheckedShape: input.shape, scalars: normalized)
        // Keras 3 zeroes the masked places (a fully masked row would otherwise be uniform).
        if let mask, generation == .keras3 {
            return [try broadcastCombine(output, mask, layer: name) { y, m in m > 0.5 ? y : 0 }]
        }
        return [output]
    }

    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] { passThroughMasks(call, outputs: outputs) }
}

/// `keras.ops.softmax` (class `Softmax`): `exp(x) / Σ exp(x)` along `axis`, the maximum
/// subtracted first. Its class name is the layer's, so it lives among the operations.
public struct SoftmaxOperationConfig: AxisOperationConfiguration {
    public static let className = "Softmax"
    static let function = AxisFunction.softmax
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public let axis: Int
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        axis = try operationAxis(&arguments)
    }
}
