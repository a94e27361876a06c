/// `keras.layers.InputLayer`: where a model's input enters. It computes nothing.
public struct InputLayerConfig: LayerBuilding {
    public static let className = "InputLayer"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The input shape including the batch axis; `nil` axes take any size.
    public let batchShape: [Int?]
    /// Whether the input is sparse (KerasKit takes dense input only).
    public let sparse: Bool

    /// An implicit input (a Sequential model without an `InputLayer`).
    init(name: String, batchShape: [Int?]) {
        common = LayerCommonConfig(name: name)
        self.batchShape = batchShape
        sparse = false
    }

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        if let shape = common.batchInputShape {
            batchShape = shape
        } else if let shape = try arguments.shape("input_shape") {
            batchShape = [nil] + shape
        } else {
            throw arguments.invalid("batch_shape", "InputLayer without batch_shape or batch_input_shape")
        }
        sparse = try arguments.flag("sparse", default: false)
        guard !sparse else { throw arguments.invalid("sparse", "sparse inputs are not supported (KerasKit takes dense input)") }
        try arguments.mustBe("ragged", oneOf: [.bool(false), .null], because: "ragged inputs are not supported")
        try arguments.mustBe("optional", oneOf: [.bool(false), .null], because: "optional inputs are not supported")
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        throw .unsupportedTopology(layer: common.name, reason: "an InputLayer cannot be called as a layer")
    }
}
