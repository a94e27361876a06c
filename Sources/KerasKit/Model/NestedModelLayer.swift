/// A nested Sequential or Functional model run as one layer of its parent, in the parent's
/// precision.
struct NestedModelLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let model: KerasModel
    /// The nested model's compiled plan, its layers built for `Scalar`.
    let plan: ExecutionPlan<Scalar>
    /// Whether a layer of the nested model makes masks of its own.
    let createsMasks: Bool

    init(name: String, model: KerasModel, plan: ExecutionPlan<Scalar>) {
        self.name = name
        self.model = model
        self.plan = plan
        createsMasks = plan.calls.contains { $0.layer.createsMasks }
    }

    var parameterCount: Int { model.parameterCount }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] { model.outputShapes }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        try compute(call, state: &state)
    }

    /// The call's computation: ``forward(_:state:)`` enters it specialized for the scalar
    /// without generic setup of its own.
    private func compute(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        var states: [NodeKey: LayerState<Scalar>] = [:]
        return try model.run(call.inputs, plan: plan, states: &states, carrying: [], inputMasks: call.masks).outputs
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] {
        // No mask comes in and none is made inside: none comes out, without running the model again.
        guard createsMasks || call.masks.contains(where: { $0 != nil }) else { return [] }
        // Recomputing is the price of keeping forward's signature.
        var states: [NodeKey: LayerState<Scalar>] = [:]
        return (try? model.run(call.inputs, plan: plan, states: &states, carrying: [], inputMasks: call.masks).masks)
            ?? []
    }
}

/// How many of a layer's stored weights Keras counts as trainable and non-trainable: legacy
/// `.h5` files store a nested model's weights as all trainable ones (layer by layer), then all
/// non-trainable ones, so splitting them needs these counts.
func weightCounts(of layer: LayerConfig, frozen: Bool = false) -> (trainable: Int, nonTrainable: Int) {
    let frozen = frozen || !layer.common.trainable
    let arguments = Dictionary(layer.kerasArguments, uniquingKeysWith: { first, _ in first })
    func flag(_ key: String, default fallback: Bool = true) -> Int {
        if case .bool(let value)? = arguments[key] { return value ? 1 : 0 }
        return fallback ? 1 : 0
    }
    let counts: (trainable: Int, nonTrainable: Int)
    switch layer.configuration {
    case let nested as NestedModelConfig:
        let parts = nested.model.layers.map { weightCounts(of: $0, frozen: frozen) }
        return (parts.reduce(0) { $0 + $1.trainable }, parts.reduce(0) { $0 + $1.nonTrainable })
    case let bidirectional as BidirectionalConfig:
        let forward = weightCounts(of: bidirectional.forward), backward = weightCounts(of: bidirectional.backward)
        counts = (forward.trainable + backward.trainable, forward.nonTrainable + backward.nonTrainable)
    case let wrapper as TimeDistributedConfig:
        counts = weightCounts(of: wrapper.layer)
    default:
        switch layer.className {
        case "LSTM", "GRU", "SimpleRNN": counts = (2 + flag("use_bias"), 0)
        case "Dense", "Conv1D": counts = (1 + flag("use_bias"), 0)
        case "Embedding": counts = (1, 0)
        case "LayerNormalization": counts = (flag("center") + flag("scale"), 0)
        case "BatchNormalization": counts = (flag("center") + flag("scale"), 2)
        default: counts = (0, 0)
        }
    }
    return frozen ? (0, counts.trainable + counts.nonTrainable) : counts
}

extension NestedModelConfig {
    /// Orders per-layer weights (as a `.keras` archive stores them) the way legacy `.h5`
    /// stores a nested model's: every layer's trainable weights, then the non-trainable ones.
    public func legacyOrderedWeights(_ perLayer: [String: [WeightArray]]) -> [WeightArray] {
        let frozen = !common.trainable
        var trainable: [WeightArray] = []
        var nonTrainable: [WeightArray] = []
        for layer in model.layers {
            let arrays = perLayer[layer.name] ?? []
            let count = min(weightCounts(of: layer, frozen: frozen).trainable, arrays.count)
            trainable += arrays.prefix(count)
            nonTrainable += arrays.dropFirst(count)
        }
        return trainable + nonTrainable
    }
}

extension NestedModelConfig: LayerBuilding {
    /// Splits the nested model's weights — trainable ones of every layer first, then the
    /// non-trainable ones, as legacy `.h5` stores them — back into per-layer lists.
    func splitWeights(_ arrays: [WeightArray]) throws(WeightLoadingError) -> [String: [WeightArray]] {
        let frozen = !common.trainable
        let counts = model.layers.map { weightCounts(of: $0, frozen: frozen) }
        let trainableTotal = counts.reduce(0) { $0 + $1.trainable }
        let total = counts.reduce(0) { $0 + $1.trainable + $1.nonTrainable }
        guard arrays.count == total else {
            if arrays.count < total {
                throw .missingWeights(layer: common.name, expected: ["\(total) weights of the nested model"], found: arrays.map(\.source))
            }
            throw .extraWeights(layer: common.name, extra: arrays.dropFirst(total).map(\.source))
        }
        var trainable = arrays.prefix(trainableTotal)[...]
        var nonTrainable = arrays.dropFirst(trainableTotal)[...]
        var result: [String: [WeightArray]] = [:]
        for (layer, count) in zip(model.layers, counts) {
            result[layer.name] = Array(trainable.prefix(count.trainable)) + Array(nonTrainable.prefix(count.nonTrainable))
            trainable = trainable.dropFirst(count.trainable)
            nonTrainable = nonTrainable.dropFirst(count.nonTrainable)
        }
        return result
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext) throws(WeightLoadingError) -> any InferenceLayer<Scalar> {
        guard !isStateful else {
            throw .unsupportedTopology(layer: common.name, reason: "stateful layers inside a nested model are not supported")
        }
        let nested = try KerasModel(config: model, weights: try splitWeights(weights.arrays), generation: context.generation,
                                    precision: Scalar.precision)
        guard let graph = Scalar.layerGraph(of: nested.engine) else {
            throw .unsupportedTopology(layer: common.name, reason: "the nested model was built in \(nested.computePrecision), not \(Scalar.precision)")
        }
        return NestedModelLayer<Scalar>(name: common.name, model: nested, plan: graph.plan)
    }
}
