/// `keras.layers.LeakyReLU`: `x` for `x ≥ 0`, `negative_slope · x` below (Keras 2 calls the
/// slope `alpha`; both default to 0.3).
public struct LeakyReLUConfig: LayerBuilding {
    public static let className = "LeakyReLU"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The slope for negative inputs.
    public let negativeSlope: Double

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        let key = arguments.contains("alpha") && !arguments.contains("negative_slope") ? "alpha" : "negative_slope"
        negativeSlope = try arguments.number(key, default: 0.3, in: 0...Double.greatestFiniteMagnitude)
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        RunnableLayer(LeakyReLULayer<Scalar>(name: common.name, negativeSlope: Scalar(negativeSlope)))
    }
}

/// `LeakyReLU` element-wise (TensorFlow's `leaky_relu`).
struct LeakyReLULayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let negativeSlope: Scalar

    var parameterCount: Int { 0 }
    var timeBehavior: TimeBehavior { .stepwise }

    func outputShapes(for inputs: [[Int?]]) -> [[Int?]] { [inputs[0]] }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        var output = call.input
        let slope = negativeSlope
        output.scalars.withUnsafeMutableBufferPointer { values in
            for index in values.indices where values[index] < 0 { values[index] *= slope }
        }
        return [output]
    }

    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] { passThroughMasks(call, outputs: outputs) }
}
