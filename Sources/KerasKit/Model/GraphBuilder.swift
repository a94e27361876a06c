/// Wires a model's layers: resolves every call's inputs, infers shapes, builds each layer once
/// (with the input shape of its first call) and orders the calls so each runs after its inputs.
enum GraphBuilder {
    struct Wiring<Scalar: ComputeScalar> {
        var layers: [String: RunnableLayer<Scalar>]
        var schedule: [NodeKey]
        /// Every call's output shapes.
        var shapes: [NodeKey: [[Int?]]]
        /// Every call's tensor input shapes (initial states aside).
        var inputShapes: [NodeKey: [[Int?]]]
    }

    /// - Parameter lenient: For inspecting a model that may not build: a call whose layer can't be
    ///   built (or whose inputs' shapes are unknown) gets outputs of unknown shape (`[]`), and the
    ///   wiring goes on instead of throwing.
    static func build<Scalar: ComputeScalar>(
        config: ModelConfig,
        lenient: Bool = false,
        makeLayer: (LayerConfig, [[Int?]], LayerCallSite) throws(WeightLoadingError) -> RunnableLayer<Scalar>
    ) throws(WeightLoadingError) -> Wiring<Scalar> {
        var shapes: [NodeKey: [[Int?]]] = [:]
        for (reference, input) in zip(config.graph.inputs, config.inputs) {
            shapes[NodeKey(reference)] = [input.batchShape]
        }
        var pending: [NodeKey] = []
        for layer in config.layers {
            if layer.isInput { continue }
            let count = config.graph.nodes[layer.name]?.count ?? 0
            pending += (0..<count).map { NodeKey(layer: layer.name, node: $0) }
        }
        let configs = Dictionary(config.layers.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

        func shape(of reference: TensorReference, for layer: String) throws(WeightLoadingError) -> [Int?]? {
            guard let outputs = shapes[NodeKey(reference)] else {
                let producer = config.graph.nodes[reference.layer]
                let isInput = config.graph.inputs.contains { $0.layer == reference.layer }
                if producer == nil, !isInput {
                    throw .unsupportedTopology(layer: layer, reason: "input \(reference) names no layer of the model")
                }
                if let producer, reference.node >= producer.count, !isInput {
                    throw .unsupportedTopology(layer: layer, reason: "input \(reference): layer '\(reference.layer)' is called only \(producer.count) time(s)")
                }
                return nil
            }
            guard reference.tensor < outputs.count else {
                throw .unsupportedTopology(layer: layer, reason: "input \(reference): layer '\(reference.layer)' has only \(outputs.count) output(s)")
            }
            return outputs[reference.tensor]
        }

        // Kahn's order: each call waits for a count of unresolved inputs, and each producer
        // knows who waits on it, so wiring is linear in calls and references whatever the
        // config's layer order (shared layers can make a call depend on a later entry).
        var waitingOn = [Int](repeating: 0, count: pending.count)
        var dependents: [NodeKey: [Int]] = [:]
        var runnable = [Bool](repeating: false, count: pending.count)
        for (index, key) in pending.enumerated() {
            guard configs[key.layer] != nil, let node = config.graph.nodes[key.layer]?[key.node] else { continue }
            runnable[index] = true
            for reference in node.allReferences where try shape(of: reference, for: key.layer) == nil {
                waitingOn[index] += 1
                dependents[NodeKey(reference), default: []].append(index)
            }
        }
        var ready = pending.indices.filter { runnable[$0] && waitingOn[$0] == 0 }
        var layers: [String: RunnableLayer<Scalar>] = [:]
        var firstSites: [String: LayerCallSite] = [:]
        var callInputShapes: [NodeKey: [[Int?]]] = [:]
        var schedule: [NodeKey] = []
        var cursor = 0
        while cursor < ready.count {
            let key = pending[ready[cursor]]
            cursor += 1
            guard let layerConfig = configs[key.layer], let node = config.graph.nodes[key.layer]?[key.node] else { continue }
            guard !node.inputs.isEmpty else {
                throw .unsupportedTopology(layer: key.layer, reason: "call \(key.node) has no inputs")
            }
            let configType = type(of: layerConfig.configuration)
            try checkCallArguments(node, layer: key.layer, configType: configType)
            func resolved(_ reference: TensorReference) throws(WeightLoadingError) -> [Int?] {
                guard let resolved = try shape(of: reference, for: key.layer) else {
                    throw .unsupportedTopology(layer: key.layer, reason: "call \(key.node) depends on outputs that are never computed (a cycle or a missing layer)")
                }
                return resolved
            }
            var inputShapes: [[Int?]] = []
            for reference in node.inputs + node.initialState { inputShapes.append(try resolved(reference)) }
            var site = LayerCallSite(arguments: node.arguments, callOptions: node.keywordArguments.filter { configType.callOptions.contains($0.key) })
            for (name, reference) in node.keywordInputs { site.keywordInputShapes[name] = try resolved(reference) }
            do throws(WeightLoadingError) {
                let layer: RunnableLayer<Scalar>
                if let existing = layers[key.layer] {
                    // The layer was built for its first call's options and keyword tensors.
                    let first = firstSites[key.layer]
                    guard first?.callOptions == site.callOptions, first.map({ Set($0.keywordInputShapes.keys) }) == Set(site.keywordInputShapes.keys) else {
                        throw .unsupportedTopology(layer: key.layer, reason: "call \(key.node) passes other arguments than the layer's first call (\(site.summary) vs \(first?.summary ?? "none")); KerasKit builds a shared layer for one set")
                    }
                    layer = existing
                } else {
                    layer = try makeLayer(layerConfig, inputShapes, site)
                    layers[key.layer] = layer
                    firstSites[key.layer] = site
                }
                callInputShapes[key] = Array(inputShapes.prefix(node.inputs.count))
                shapes[key] = try layer.outputShapes(for: Array(inputShapes.prefix(node.inputs.count)))
            } catch {
                guard lenient else { throw error }
                shapes[key] = Array(repeating: [], count: max(layerConfig.outputCount, 1))
            }
            schedule.append(key)
            for dependent in dependents[key] ?? [] {
                waitingOn[dependent] -= 1
                if waitingOn[dependent] == 0 { ready.append(dependent) }
            }
        }
        if lenient { return Wiring(layers: layers, schedule: schedule, shapes: shapes, inputShapes: callInputShapes) }
        if let stuck = pending.indices.first(where: { runnable[$0] && waitingOn[$0] > 0 }).map({ pending[$0] }) {
            throw .unsupportedTopology(layer: stuck.layer, reason: "call \(stuck.node) depends on outputs that are never computed (a cycle or a missing layer)")
        }
        for output in config.graph.outputs {
            guard try shape(of: output, for: "model outputs") != nil else {
                throw .unsupportedTopology(layer: output.layer, reason: "model output \(output) is never computed")
            }
        }
        // Layers in the config that the graph never calls still must not carry stray weights.
        for layerConfig in config.layers where layers[layerConfig.name] == nil {
            if layerConfig.isInput { continue }
            if config.graph.nodes[layerConfig.name]?.isEmpty ?? true {
                throw .unsupportedTopology(layer: layerConfig.name, reason: "the layer is never called in the model graph")
            }
        }
        try checkMaskClearingOrder(config: config, layers: layers, schedule: schedule)
        return Wiring(layers: layers, schedule: schedule, shapes: shapes, inputShapes: callInputShapes)
    }

    /// A call that removes its inputs' Keras masks (``InferenceLayer/clearsInputMasks``) changes
    /// what later readers of those tensors see. KerasKit follows the graph's order; when another
    /// reader of the same tensor is neither before nor after it in the graph, Keras's own
    /// execution order decides, which KerasKit can't reproduce: such a model is refused when
    /// any of its layers makes masks.
    private static func checkMaskClearingOrder<Scalar: ComputeScalar>(config: ModelConfig, layers: [String: RunnableLayer<Scalar>], schedule: [NodeKey]) throws(WeightLoadingError) {
        let clearing = schedule.filter { layers[$0.layer]?.clearsInputMasks ?? false }
        guard !clearing.isEmpty, layers.values.contains(where: \.createsMasks) else { return }
        var readers: [NodeKey: [NodeKey]] = [:]
        for key in schedule {
            for reference in config.graph.nodes[key.layer]?[key.node].allReferences ?? [] {
                readers[NodeKey(reference), default: []].append(key)
            }
        }
        func descendants(of start: NodeKey) -> Set<NodeKey> {
            var seen: Set<NodeKey> = []
            var stack = [start]
            while let key = stack.popLast() {
                for reader in readers[key] ?? [] where seen.insert(reader).inserted { stack.append(reader) }
            }
            return seen
        }
        for key in clearing {
            let after = descendants(of: key)
            for reference in config.graph.nodes[key.layer]?[key.node].inputs ?? [] {
                for other in readers[NodeKey(reference)] ?? [] where other != key && !after.contains(other) {
                    guard !descendants(of: other).contains(key) else { continue }
                    throw .unsupportedTopology(layer: other.layer, reason: "it reads \(reference), whose Keras mask layer '\(key.layer)' removes as it runs (Keras 3); neither runs after the other in the graph, so Keras's execution order decides whether '\(other.layer)' sees the mask, and KerasKit can't reproduce it")
                }
            }
        }
    }

    /// The keyword arguments a call may record: each either runs (`mask`, `initial_state`, the
    /// layer's ``LayerConfiguration/callOptions`` and ``LayerConfiguration/keywordTensorParameters``)
    /// or changes nothing at inference (`training` false, or any `training` for a layer that
    /// `ignoresTraining`). Any other is refused by name, so no argument is silently dropped.
    static func checkCallArguments(_ node: NodeConfig, layer: String, configType: any LayerConfiguration.Type) throws(WeightLoadingError) {
        for (key, value) in node.keywordArguments.sorted(by: { $0.key < $1.key }) {
            switch key {
            case "mask", "initial_state":
                continue
            case "training":
                guard value == .null || value == .bool(false) || (configType.ignoresTraining && value == .bool(true)) else {
                    throw .unsupportedTopology(layer: layer, reason: "the call passes training=\(pythonLiteral(value)), which runs the layer's training-time computation in predict; KerasKit runs inference only")
                }
            case _ where configType.callOptions.contains(key):
                continue
            default:
                throw .unsupportedTopology(layer: layer, reason: "the call passes the argument '\(key)' = \(pythonLiteral(value)), which KerasKit does not implement")
            }
        }
        for key in node.keywordInputs.keys.sorted() where !configType.keywordTensorParameters.contains(key) {
            throw .unsupportedTopology(layer: layer, reason: "the call passes a tensor as '\(key)', which KerasKit does not implement")
        }
    }
}

/// What a layer's first call tells its builder beyond its inputs' shapes.
struct LayerCallSite: Sendable {
    /// The call's positional arguments as written (Keras 3 only), tensors as `__keras_tensor__`
    /// placeholders: operations read their constant operands here.
    var arguments: [JSONValue] = []
    /// The call's keyword arguments that are the layer's ``LayerConfiguration/callOptions``.
    var callOptions: [String: JSONValue] = [:]
    /// The shapes of the tensors the call passes by keyword (`attention_mask`).
    var keywordInputShapes: [String: [Int?]] = [:]

    /// The options and keyword tensors, as one line for errors.
    var summary: String {
        let options = callOptions.keys.sorted().map { "\($0)=\(pythonLiteral(callOptions[$0] ?? .null))" }
        let tensors = keywordInputShapes.keys.sorted().map { "\($0)=<tensor>" }
        let all = options + tensors
        return all.isEmpty ? "no arguments" : all.joined(separator: ", ")
    }
}
