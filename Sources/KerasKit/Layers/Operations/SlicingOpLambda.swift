/// Keras 2's `SlicingOpLambda`: `x[key]` on a tensor in a Functional model (function
/// `__operators__.getitem`), the key in the call's `slice_spec`. It runs as Keras 3's
/// `GetItem`: integers, slices, `None` and one `...`; a tensor in the key is refused by name.
public struct SlicingOpLambdaConfig: LayerBuilding {
    public static let className = "SlicingOpLambda"
    public static let callOptions = ["slice_spec"]
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The function's name under `tf.`: `__operators__.getitem` is the only one tf-keras writes.
    public let function: String

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        function = try arguments.string("function", default: nil) ?? ""
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        guard function == "__operators__.getitem" else {
            throw .unsupportedTopology(layer: common.name, reason: "SlicingOpLambda function tf.\(function) is not supported (KerasKit runs tf.__operators__.getitem)")
        }
        guard let key = context.callOptions["slice_spec"] else {
            throw .unsupportedTopology(layer: common.name, reason: "the call passes no slice_spec")
        }
        guard inputs.count == 1, !holdsKeras2Tensor(key) else {
            throw .unsupportedTopology(layer: common.name, reason: "the key holds a tensor of the model; KerasKit takes constant keys only")
        }
        return RunnableLayer(try GetItemLayer<Scalar>(name: common.name, key: key, input: inputs[0]))
    }
}
