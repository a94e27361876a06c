/// Runs a recurrent model on a live signal: feed one time step or a chunk at a time, and get
/// exactly what a full-sequence ``KerasModel/predict(_:)`` gives for the steps fed so far.
///
/// The session keeps every recurrent layer's states between calls, whatever the layer's
/// `stateful` flag. For an output that has a time axis (a `return_sequences` chain) each call
/// returns the outputs of the steps it was fed; for an output computed from a whole sequence
/// (after a recurrent layer with `return_sequences=False`) each call returns the output for the
/// sequence so far, so the last call's output equals `predict` on the whole sequence.
///
/// Models can stream when every layer that sees the time axis either works step by step
/// (Dense, Activation, Dropout, Embedding, Masking, TimeDistributed, normalization, merges)
/// or is a forward recurrent layer. Layers that mix steps — `go_backwards`, `Bidirectional`,
/// Conv1D, pooling, Flatten — make ``init(model:)`` throw, naming the layer.
///
/// A float64 model streams in `Double` as ``KerasModel/predict(_:)-(TensorOf<Double>)`` does:
/// feed `TensorOf<Double>` chunks to get `Double` outputs; `Float` chunks are widened, and the
/// outputs rounded back to `Float`.
///
/// A session is for one caller at a time; make one per stream (sessions are cheap).
public final class StreamingSession {
    /// The model the session runs.
    public let model: KerasModel
    /// Per output: whether it has a time axis that each call returns only the fed steps of.
    public let outputIsStepwise: [Bool]

    /// The carried states of a float32 model, or of a float64 model: one stays empty.
    private var floatStates: [NodeKey: LayerState<Float>] = [:]
    private var doubleStates: [NodeKey: LayerState<Double>] = [:]
    private let carrying: Set<NodeKey>

    /// Prepares a session.
    /// - Throws: ``StreamingError/notStreamable(layer:reason:)`` when a layer needs the whole
    ///   sequence at once.
    public init(model: KerasModel) throws(StreamingError) {
        self.model = model
        // Which tensors still have a per-step time axis: the model inputs do; stepwise layers
        // keep it; recurrent layers keep it with return_sequences and end it otherwise.
        var stepwise: [NodeKey: [Bool]] = [:]
        // Tensors that change as the stream goes on, stepwise or not.
        var live: Set<NodeKey> = []
        for (reference, input) in zip(model.config.graph.inputs, model.config.inputs) {
            stepwise[NodeKey(reference)] = [true]
            live.insert(NodeKey(reference))
            // The time axis is axis 1: a rank-2 input is a sequence only of token ids.
            if input.batchShape.count < 3 {
                let consumers = model.schedule.filter { key in
                    model.config.graph.nodes[key.layer]?[key.node].inputs.contains { $0.layer == reference.layer } ?? false
                }
                // Layers that read a rank-2 input step by step (token ids into an embedding, mask
                // operations) keep its second axis as time.
                if let consumer = consumers.first(where: { key in
                    !(model.engine.layer(named: key.layer)?.readsRank2Sequences ?? false)
                }) {
                    throw .notStreamable(layer: consumer.layer, reason: "the model input '\(reference.layer)' has no time axis")
                }
            }
        }
        var carrying: Set<NodeKey> = []
        for key in model.schedule {
            guard let layer = model.engine.layer(named: key.layer), let node = model.config.graph.nodes[key.layer]?[key.node] else { continue }
            let keywordInputs = node.keywordInputs.keys.sorted().compactMap { node.keywordInputs[$0] }
            let inputs = (node.inputs + keywordInputs).map { stepwise[NodeKey($0)]?[$0.tensor] ?? false }
            let outputCount = model.shapes[key]?.count ?? 1
            if node.allReferences.contains(where: { live.contains(NodeKey($0)) }) { live.insert(key) }
            guard inputs.contains(true) else {
                // Computed from whole-sequence values only: recomputed fresh on every call.
                stepwise[key] = Array(repeating: false, count: outputCount)
                continue
            }
            switch layer.timeBehavior {
            case .stepwise:
                guard inputs.allSatisfy({ $0 }) else {
                    throw .notStreamable(layer: key.layer, reason: "it combines per-step values with whole-sequence values")
                }
                stepwise[key] = Array(repeating: true, count: outputCount)
            case .recurrent:
                guard !node.initialState.contains(where: { live.contains(NodeKey($0)) }) else {
                    throw .notStreamable(layer: key.layer, reason: "its initial_state depends on the streamed input")
                }
                carrying.insert(key)
                let sequences = (layer as? any RecurrentInferenceLayer)?.options.returnSequences ?? false
                stepwise[key] = [sequences] + Array(repeating: false, count: max(0, outputCount - 1))
            case .wholeSequence:
                throw .notStreamable(layer: key.layer, reason: "it needs the whole sequence at once (\(model.config.layers.first { $0.name == key.layer }?.className ?? "layer"))")
            }
        }
        self.carrying = carrying
        self.outputIsStepwise = model.config.graph.outputs.map { stepwise[NodeKey($0)]?[$0.tensor] ?? false }
    }

    /// Feeds the next time steps of every input: each shaped like the model's input with any
    /// number of steps (`[batch, steps, features]`, or `[batch, steps]` for token ids).
    /// - Parameter inputs: One chunk per model input.
    /// - Returns: The outputs for this chunk (see the type's discussion).
    /// - Throws: ``PredictionError`` for inputs that don't fit the model or the stream's batch size.
    public func feed(_ inputs: [Tensor]) throws(PredictionError) -> [Tensor] {
        try feedChunk(inputs)
    }

    /// Feeds the next time steps of every input in `Double` (a float64 model keeps every digit).
    /// - Parameter inputs: One chunk per model input.
    /// - Returns: The outputs for this chunk (see the type's discussion).
    /// - Throws: ``PredictionError`` for inputs that don't fit the model or the stream's batch size.
    public func feed(_ inputs: [TensorOf<Double>]) throws(PredictionError) -> [TensorOf<Double>] {
        try feedChunk(inputs)
    }

    /// Feeds the next steps of a single-input model in `Double`.
    /// - Parameter input: The chunk.
    /// - Returns: The outputs for this chunk.
    /// - Throws: ``PredictionError`` for an input that doesn't fit the model or the stream.
    public func feed(_ input: TensorOf<Double>) throws(PredictionError) -> [TensorOf<Double>] {
        try feedChunk([input])
    }

    private func feedChunk<Input: ComputeScalar>(_ inputs: [TensorOf<Input>]) throws(PredictionError) -> [TensorOf<Input>] {
        guard inputs.count == model.config.inputs.count else {
            throw .inputCount(expected: model.config.inputs.count, actual: inputs.count)
        }
        for (input, spec) in zip(inputs, model.config.inputs) {
            // The time axis of a chunk is free; every other fixed axis must match.
            var expected = spec.batchShape
            if expected.count > 1 { expected[1] = nil }
            try model.checkInput(input, against: expected)
        }
        switch model.engine {
        case .float32(let graph): return try run(inputs, on: graph, states: &floatStates)
        case .float64(let graph): return try run(inputs, on: graph, states: &doubleStates)
        }
    }

    private func run<Input: ComputeScalar, Compute: ComputeScalar>(
        _ inputs: [TensorOf<Input>], on graph: LayerGraph<Compute>, states: inout [NodeKey: LayerState<Compute>]
    ) throws(PredictionError) -> [TensorOf<Input>] {
        if let batch = states.values.first?.batch, let input = inputs.first, input.shape.first != batch {
            throw .inputDimension(axis: 0, expected: batch, actual: input.shape.first ?? 0, shape: input.shape)
        }
        let outputs = try model.run(graph.modelInputs(inputs), plan: graph.plan, states: &states, carrying: carrying).outputs
        return Compute.self == Input.self ? unsafeBitCast(outputs, to: [TensorOf<Input>].self) : outputs.map(TensorOf<Input>.init)
    }

    /// Feeds the next steps of a single-input model.
    /// - Parameter input: The chunk.
    /// - Returns: The outputs for this chunk.
    /// - Throws: ``PredictionError`` for an input that doesn't fit the model or the stream.
    public func feed(_ input: Tensor) throws(PredictionError) -> [Tensor] {
        try feed([input])
    }

    /// Feeds whole sequences one time step at a time and assembles the outputs as a
    /// full-sequence `predict` returns them: per-step outputs joined along the time axis, and
    /// whole-sequence outputs after the last step. Continues from the session's states.
    /// - Parameter inputs: One whole sequence per model input.
    /// - Returns: The outputs in the model's output order.
    /// - Throws: ``PredictionError`` for inputs that don't fit the model.
    public func feedStepByStep(_ inputs: [Tensor]) throws(PredictionError) -> [Tensor] {
        try feedSteps(inputs)
    }

    /// Feeds whole float64 sequences one time step at a time (see ``feedStepByStep(_:)-([Tensor])``).
    /// - Parameter inputs: One whole sequence per model input.
    /// - Returns: The outputs in the model's output order, in `Double`.
    /// - Throws: ``PredictionError`` for inputs that don't fit the model.
    public func feedStepByStep(_ inputs: [TensorOf<Double>]) throws(PredictionError) -> [TensorOf<Double>] {
        try feedSteps(inputs)
    }

    private func feedSteps<Input: ComputeScalar>(_ inputs: [TensorOf<Input>]) throws(PredictionError) -> [TensorOf<Input>] {
        guard let steps = inputs.first?.shape.dropFirst().first, steps > 0 else {
            throw .emptySequence(layer: model.config.inputNames.first ?? "input")
        }
        for input in inputs where input.rank < 2 || input.shape[1] != steps {
            throw .inputShapeMismatch(layer: model.config.inputNames.first ?? "input", expected: "\(steps) time steps on axis 1 of every input", actual: input.shape)
        }
        // Each step is checked as it is fed, but the step count only here: an empty batch of
        // 2^40 steps would otherwise loop 2^40 times.
        guard steps <= KerasLimits.maxDimension else {
            throw .inputDimension(axis: 1, expected: KerasLimits.maxDimension, actual: steps, shape: inputs.first?.shape ?? [])
        }
        var collected: [[TensorOf<Input>]] = Array(repeating: [], count: outputIsStepwise.count)
        var last: [TensorOf<Input>] = []
        for step in 0..<steps {
            last = try feedChunk(inputs.map { $0.slicingAxis1(step..<(step + 1)) })
            for (index, output) in last.enumerated() where index < collected.count && outputIsStepwise[index] {
                collected[index].append(output)
            }
        }
        return last.indices.map { index in
            index < collected.count && outputIsStepwise[index] ? TensorOf<Input>.joiningAxis1(collected[index]) : last[index]
        }
    }

    /// Forgets all carried states: the next call starts a new sequence.
    public func reset() {
        floatStates.removeAll()
        doubleStates.removeAll()
    }
}

/// Why a model can't be streamed.
public enum StreamingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A layer needs more than the steps seen so far.
    case notStreamable(layer: String, reason: String)

    public var description: String {
        switch self {
        case .notStreamable(let layer, let reason): "the model can't be streamed: layer '\(layer)': \(reason)"
        }
    }
}
