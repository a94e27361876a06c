/// A layer that is the identity at inference (dropout and noise layers, which only act while
/// training): it returns its input itself, and its mask.
struct PassThroughLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let className: String
    /// The input rank the layer's class requires (Keras's `input_spec`), nil for any.
    let inputRank: Int?

    var parameterCount: Int { 0 }
    var timeBehavior: TimeBehavior { .stepwise }
    var readsRank2Sequences: Bool { true }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        if let inputRank, inputs[0].count != inputRank {
            throw .unsupportedTopology(layer: name, reason: "\(className) takes input of rank \(inputRank), got \(inputs[0].shapeDescription)")
        }
        return [inputs[0]]
    }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        [call.input]
    }

    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] { passThroughMasks(call, outputs: outputs) }
}

/// A config whose layer is ``PassThroughLayer``: it needs no weights and builds the same way.
protocol PassThroughConfiguration: LayerBuilding {
    /// The input rank the class requires, nil (the default) for any.
    static var inputRank: Int? { get }
}

extension PassThroughConfiguration {
    static var inputRank: Int? { nil }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        RunnableLayer(PassThroughLayer<Scalar>(name: common.name, className: Self.className, inputRank: Self.inputRank))
    }
}
