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
        /// The tensors the call passes by keyword (`attention_mask=`), by parameter name.
        var keywordInputs: [(name: String, source: Source)]
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
    /// Per call, the slots no later call reads (model inputs and outputs never): the run gives
    /// their buffers to ``buffers`` once the call is done.
    let releasedAfter: [[Int]]
    /// The buffers the model's runs reuse.
    let buffers = BufferPool<Scalar>()

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
                              keywordInputs: node.keywordInputs.keys.sorted().compactMap { name in node.keywordInputs[name].map { (name, source($0)) } },
                              masks: node.masks.map { $0.map(source) }, isStateful: statefulLayers.contains(key.layer)))
            slotOf[key] = inputCount + calls.count - 1
        }
        self.calls = calls
        outputs = graph.outputs.map(source)
        var lastRead = [Int](repeating: -1, count: inputCount + calls.count)
        for (index, call) in calls.enumerated() {
            for read in call.inputs + call.initialState + call.keywordInputs.map(\.source) + call.masks.compactMap({ $0 }) where lastRead.indices.contains(read.slot) {
                lastRead[read.slot] = index
            }
        }
        for output in outputs where lastRead.indices.contains(output.slot) { lastRead[output.slot] = Int.max }
        var released = [[Int]](repeating: [], count: calls.count)
        for slot in inputCount..<lastRead.count where lastRead[slot] >= 0 && lastRead[slot] < calls.count {
            released[lastRead[slot]].append(slot)
        }
        releasedAfter = released
    }
}
