/// The schedule compiled once at load into integer slots, so a call of ``KerasModel`` looks
/// nothing up by name: every produced value lives at a fixed index, and each planned call knows
/// where its inputs are.
///
/// Slot `i < inputCount` holds model input `i`; slot `inputCount + j` holds the outputs of
/// `calls[j]`.
struct ExecutionPlan<Scalar: ComputeScalar>: Sendable {
    /// Where a value is: the producing slot and which of its outputs.
    struct Source: Sendable {
        var slot: Int
        var tensor: Int
    }

    /// One call of one layer, ready to run.
    struct Call: Sendable {
        var key: NodeKey
        var layer: RunnableLayer<Scalar>
        var inputs: [Source]
        var initialState: [Source]
        /// Tensors passed as the call's `mask=`, one per input (nil: that input's own mask); empty for none.
        var masks: [Source?]
        /// Whether the layer keeps states between calls (`stateful=True`).
        var isStateful: Bool
    }

    /// What one slot holds during a run.
    struct Values {
        var tensors: [TensorOf<Scalar>] = []
        var masks: [Mask?] = []
    }

    let inputCount: Int
    let calls: [Call]
    let outputs: [Source]

    /// Compiles `schedule`; the graph builder has already checked that every reference resolves.
    init(config: ModelConfig, layers: [String: RunnableLayer<Scalar>], schedule: [NodeKey]) {
        let graph = config.graph
        inputCount = graph.inputs.count
        var slotOf: [NodeKey: Int] = [:]
        for (index, reference) in graph.inputs.enumerated() where slotOf[NodeKey(reference)] == nil {
            slotOf[NodeKey(reference)] = index
        }
        var calls: [Call] = []
        let statefulLayers = Set(config.layers.filter { $0.configuration.isStateful }.map(\.name))
        // A reference that doesn't resolve reads an empty slot (never taken: the builder checked).
        let missing = -1
        func source(_ reference: TensorReference) -> Source {
            Source(slot: slotOf[NodeKey(reference)] ?? missing, tensor: reference.tensor)
        }
        for key in schedule {
            guard let layer = layers[key.layer], let node = graph.nodes[key.layer]?[key.node] else { continue }
            calls.append(Call(key: key, layer: layer, inputs: node.inputs.map(source), initialState: node.initialState.map(source),
                              masks: node.masks.map { $0.map(source) }, isStateful: statefulLayers.contains(key.layer)))
            slotOf[key] = inputCount + calls.count - 1
        }
        self.calls = calls
        outputs = graph.outputs.map(source)
    }
}
