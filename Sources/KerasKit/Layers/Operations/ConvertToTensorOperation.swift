/// `keras.ops.convert_to_tensor` (class `ConvertToTensor`, module `keras.src.ops.core`): Keras 3
/// records it in Functional graphs where a layer's `compute_mask` converts a mask it passes on
/// (`Attention`'s query mask), so the next layer's `mask=` reads it. With no `dtype` it returns
/// its input unchanged; a conversion to another dtype is refused.
public struct ConvertToTensorConfig: LayerBuilding {
    public static let className = "ConvertToTensor"
    public static let isOperation = true
    /// Fields every layer has (only `name` and the null `dtype` are written).
    public let common: LayerCommonConfig

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        if let dtype = common.dtype {
            throw arguments.invalid("dtype", "'\(dtype.name)': KerasKit converts to the input's own dtype only")
        }
        try arguments.mustBe("sparse", oneOf: [.null, .bool(false)], because: "KerasKit has no sparse tensors")
        try arguments.mustBe("ragged", oneOf: [.null, .bool(false)], because: "KerasKit has no ragged tensors")
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        guard inputs.count == 1 else {
            throw .unsupportedTopology(layer: common.name, reason: "convert_to_tensor takes one tensor, got \(inputs.count)")
        }
        return RunnableLayer(ConvertToTensorLayer<Scalar>(name: common.name))
    }
}

/// `ConvertToTensor` without a dtype: the input itself. As an operation it carries no mask.
struct ConvertToTensorLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String

    var parameterCount: Int { 0 }
    var timeBehavior: TimeBehavior { .stepwise }
    var readsRank2Sequences: Bool { true }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] { [inputs[0]] }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        [call.input]
    }
}
