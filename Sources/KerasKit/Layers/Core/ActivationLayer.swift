/// `keras.layers.Activation`: one of Keras's activations applied element-wise.
public struct ActivationConfig: LayerBuilding {
    public static let className = "Activation"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The function applied.
    public let activation: Activation

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        guard arguments.contains("activation") else { throw arguments.invalid("activation", "required") }
        activation = try arguments.activation("activation", default: .linear)
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        RunnableLayer(ActivationLayer<Scalar>(name: common.name, activation: activation, generation: context.generation))
    }
}

/// An activation applied in place to a copy of the input; the mask passes through.
struct ActivationLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let activation: Activation
    let generation: KerasGeneration

    var parameterCount: Int { 0 }
    var timeBehavior: TimeBehavior { .stepwise }

    func outputShapes(for inputs: [[Int?]]) -> [[Int?]] { [inputs[0]] }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        var output = call.outputBuffer(input.scalars.count, zeroed: false)
        let rowLength = input.shape.last ?? 1
        input.scalars.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { values in
                guard let base = values.baseAddress, let source = source.baseAddress else { return }
                base.update(from: source, count: values.count)
                activation.apply(base, count: values.count, rowLength: rowLength, generation: generation)
            }
        }
        return [TensorOf(uncheckedShape: input.shape, scalars: output)]
    }

    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] { passThroughMasks(call, outputs: outputs) }
}
