/// A Sequential or Functional model used as a layer of another model.
public struct NestedModelConfig: LayerBuilding {
    public static let className = "Functional"
    /// The model classes that can be nested.
    static let classNames: Set<String> = ["Sequential", "Functional", "Model"]

    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The nested model's own config.
    public let model: ModelConfig

    /// Decodes a nested model from its layer entry.
    init(entry: JSONValue, name: String) throws(KerasConfigError) {
        model = try ModelConfig(json: entry)
        var common = LayerCommonConfig(name: name)
        if case .bool(let trainable)? = entry["config"]?["trainable"] { common.trainable = trainable }
        self.common = common
    }

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        throw arguments.invalid("config", "nested models decode from their whole entry")
    }

    public var outputCount: Int { model.graph.outputs.count }
    public var isStateful: Bool { model.layers.contains { $0.configuration.isStateful } }
    public var archiveWeights: ArchiveWeights { .nestedModel(model) }

    /// Whether Keras numbers this model's calls from 1 (its construction node comes first).
    func countsConstructionNode(keras3: Bool) -> Bool {
        if keras3 { return model.className != "Sequential" }
        return model.className != "Sequential" || model.json["config"]?["layers"]?.arrayValue?.first?["class_name"]?.stringValue == "InputLayer"
    }

    /// Legacy `.h5` stores a nested model's weights as every layer's trainable weights, layer by
    /// layer, then every layer's non-trainable ones: the roles in that order.
    public var weightRoles: [WeightRole] {
        let roles = model.layers.map { layerRoles($0) }
        return roles.flatMap { $0.filter(\.trainable) } + roles.flatMap { $0.filter { !$0.trainable } }
    }

    /// A layer's roles as this model holds it: all non-trainable when this model is frozen.
    private func layerRoles(_ layer: LayerConfig) -> [WeightRole] {
        layer.weightRoles.map { role in
            var copy = role
            if !common.trainable { copy.trainable = false }
            return copy
        }
    }

    /// Orders per-layer weights (as a `.keras` archive stores them) the way legacy `.h5`
    /// stores a nested model's: every layer's trainable weights, then the non-trainable ones.
    public func legacyOrderedWeights(_ perLayer: [String: [WeightArray]]) -> [WeightArray] {
        var trainable: [WeightArray] = []
        var nonTrainable: [WeightArray] = []
        for layer in model.layers {
            let arrays = perLayer[layer.name] ?? []
            for (index, array) in arrays.enumerated() {
                let roles = layerRoles(layer)
                if index < roles.count, roles[index].trainable { trainable.append(array) } else { nonTrainable.append(array) }
            }
        }
        return trainable + nonTrainable
    }

    /// Splits the nested model's weights — trainable ones of every layer first, then the
    /// non-trainable ones, as legacy `.h5` stores them — back into per-layer lists.
    func splitWeights(_ arrays: [WeightArray]) throws(WeightLoadingError) -> [String: [WeightArray]] {
        let perLayer = model.layers.map { layerRoles($0) }
        let trainableTotal = perLayer.reduce(0) { $0 + $1.filter(\.trainable).count }
        let total = perLayer.reduce(0) { $0 + $1.count }
        guard arrays.count == total else {
            if arrays.count < total {
                throw .missingWeights(layer: common.name, expected: ["\(total) weights of the nested model"], found: arrays.map(\.source))
            }
            throw .extraWeights(layer: common.name, extra: arrays.dropFirst(total).map(\.source))
        }
        var trainable = arrays.prefix(trainableTotal)[...]
        var nonTrainable = arrays.dropFirst(trainableTotal)[...]
        var result: [String: [WeightArray]] = [:]
        for (layer, roles) in zip(model.layers, perLayer) {
            var own: [WeightArray] = []
            for role in roles {
                if role.trainable {
                    if let next = trainable.popFirst() { own.append(next) }
                } else if let next = nonTrainable.popFirst() {
                    own.append(next)
                }
            }
            result[layer.name] = own
        }
        return result
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        guard !isStateful else {
            throw .unsupportedTopology(layer: common.name, reason: "stateful layers inside a nested model are not supported")
        }
        let nested = try KerasModel(config: model, weights: try splitWeights(weights.arrays), generation: context.generation,
                                    precision: Scalar.precision)
        guard let graph = Scalar.layerGraph(of: nested.engine) else {
            throw .unsupportedTopology(layer: common.name, reason: "the nested model was built in \(nested.computePrecision), not \(Scalar.precision)")
        }
        return RunnableLayer(NestedModelLayer<Scalar>(name: common.name, model: nested, plan: graph.plan))
    }
}

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

    func estimatedFLOPs(inputs: [[Int]]) -> Double {
        guard let input = inputs.first, let batch = input.first else { return 0 }
        return model.estimatedFLOPs(batch: batch, time: input.count > 2 ? input[1] : 1)
    }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        var states: [NodeKey: LayerState<Scalar>] = [:]
        return try model.run(call.inputs, plan: plan, states: &states, carrying: [], inputMasks: call.masks).outputs
    }

    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] {
        // No mask comes in and none is made inside: none comes out, without running the model again.
        guard createsMasks || call.masks.contains(where: { $0 != nil }) else { return [] }
        // Recomputing is the price of keeping forward's signature.
        var states: [NodeKey: LayerState<Scalar>] = [:]
        return (try? model.run(call.inputs, plan: plan, states: &states, carrying: [], inputMasks: call.masks).masks)
            ?? []
    }
}
