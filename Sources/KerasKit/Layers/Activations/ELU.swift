/// `keras.layers.ELU`: `x` for `x > 0`, `alpha · (eˣ − 1)` otherwise.
public struct ELUConfig: LayerBuilding {
    public static let className = "ELU"
    /// The scale of the negative part.
    public let alpha: Double
    /// Fields every layer has.
    public let common: LayerCommonConfig

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        alpha = try arguments.number("alpha", default: 1)
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        RunnableLayer(ELULayer<Scalar>(name: common.name, alpha: Scalar(alpha)))
    }
}

/// `ELU` element-wise.
struct ELULayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let alpha: Scalar

    var parameterCount: Int { 0 }
    var timeBehavior: TimeBehavior { .stepwise }

    func outputShapes(for inputs: [[Int?]]) -> [[Int?]] { [inputs[0]] }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        var output = call.input
        let alpha = alpha
        output.scalars.withUnsafeMutableBufferPointer { values in
            for index in values.indices where !(values[index] > 0) {
                values[index] = alpha * Scalar.exponentialMinusOne(values[index])
            }
        }
        return [output]
    }

    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] { passThroughMasks(call, outputs: outputs) }
}
