/// `Bidirectional` at inference: the forward layer and the backward layer (`go_backwards`) on
/// the same input and mask; the backward sequence flipped back to input order; then merged.
/// With `return_state` the outputs are `[merged…, forward states…, backward states…]`.
struct BidirectionalLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let mergeMode: BidirectionalMergeMode?
    let options: SequenceOptions
    let forwardLayer: any InferenceLayer<Scalar>
    let backwardLayer: any InferenceLayer<Scalar>
    /// States per direction (2 for LSTM).
    let stateCount: Int

    var parameterCount: Int { forwardLayer.parameterCount + backwardLayer.parameterCount }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        let forward = try forwardLayer.outputShapes(for: inputs)
        let backward = try backwardLayer.outputShapes(for: inputs)
        var merged: [[Int?]]
        switch mergeMode {
        case .concat:
            var shape = forward[0]
            shape[shape.count - 1] = (forward[0].last ?? nil).map { $0 * 2 }
            merged = [shape]
        case .sum, .mul, .ave: merged = [forward[0]]
        case nil: merged = [forward[0], backward[0]]
        }
        return merged + forward.dropFirst() + backward.dropFirst()
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] {
        let merged = mergeMode == nil ? 2 : 1
        return (0..<outputs.count).map { $0 < merged && options.returnSequences ? call.mask : nil }
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        try compute(call, state: &state)
    }

    /// The call's computation: ``forward(_:state:)`` enters it specialized for the scalar
    /// without generic setup of its own.
    private func compute(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let half = call.initialState.count / 2
        var forwardCall = call, backwardCall = call
        forwardCall.initialState = Array(call.initialState.prefix(half))
        backwardCall.initialState = Array(call.initialState.dropFirst(half))
        var forwardState = state.map { LayerState(batch: $0.batch, tensors: Array($0.tensors.prefix(stateCount))) }
        var backwardState = state.map { LayerState(batch: $0.batch, tensors: Array($0.tensors.dropFirst(stateCount))) }
        let forward = try forwardLayer.forward(forwardCall, state: &forwardState)
        let backward = try backwardLayer.forward(backwardCall, state: &backwardState)
        if let forwardState, let backwardState {
            state = LayerState(batch: forwardState.batch, tensors: forwardState.tensors + backwardState.tensors)
        }
        var reversed = backward[0]
        if options.returnSequences { reversed = reversed.reversingAxis(options.timeMajor ? 0 : 1) }
        let merged: [TensorOf<Scalar>]
        switch mergeMode {
        case .concat: merged = [forward[0].concatenatingLastAxis(reversed)]
        case .sum: merged = [forward[0].combined(with: reversed, +)]
        case .mul: merged = [forward[0].combined(with: reversed, *)]
        case .ave: merged = [forward[0].combined(with: reversed) { ($0 + $1) / 2 }]
        case nil: merged = [forward[0], reversed]
        }
        return merged + forward.dropFirst() + backward.dropFirst()
    }
}

/// `TimeDistributed` at inference: the wrapped layer on `(batch·time, …)`, reshaped back.
struct TimeDistributedLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let inner: any InferenceLayer<Scalar>

    var parameterCount: Int { inner.parameterCount }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        let input = inputs[0]
        guard input.count >= 3 else {
            throw .unsupportedTopology(layer: name, reason: "TimeDistributed needs at least 3-D input, got \(input.shapeDescription)")
        }
        let innerShapes = try inner.outputShapes(for: [[nil] + input.dropFirst(2)])
        return innerShapes.map { [input[0], input[1]] + $0.dropFirst() }
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] { passThroughMasks(call, outputs: outputs) }

    var timeBehavior: TimeBehavior { .stepwise }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        try compute(call, state: &state)
    }

    /// The call's computation: ``forward(_:state:)`` enters it specialized for the scalar
    /// without generic setup of its own.
    private func compute(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank >= 3 else {
            throw .inputShapeMismatch(layer: name, expected: "(batch, time, …)", actual: input.shape)
        }
        let batch = input.shape[0], time = input.shape[1]
        let flattened = TensorOf(uncheckedShape: [batch * time] + input.shape.dropFirst(2), scalars: input.scalars)
        var innerState: LayerState<Scalar>?
        let outputs = try inner.forward(LayerCall(inputs: [flattened]), state: &innerState)
        return outputs.map { TensorOf(uncheckedShape: [batch, time] + $0.shape.dropFirst(), scalars: $0.scalars) }
    }
}

extension BidirectionalConfig: LayerBuilding {
    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext) throws(WeightLoadingError) -> any InferenceLayer<Scalar> {
        guard let options = sequenceOptions else {
            throw .unsupportedTopology(layer: common.name, reason: "Bidirectional wraps \(forward.className), not a recurrent layer")
        }
        // Forward weights first, then backward: split the list in half.
        let half = weights.arrays.count / 2
        guard weights.arrays.count % 2 == 0 else {
            throw .extraWeights(layer: common.name, extra: weights.arrays.suffix(1).map(\.source))
        }
        let sequenceInput = Array(inputs.prefix(1))
        let forwardLayer = try KerasModel.makeLayer(forward, inputs: sequenceInput, weights: Array(weights.arrays.prefix(half)), as: Scalar.self, generation: context.generation)
        let backwardLayer = try KerasModel.makeLayer(backward, inputs: sequenceInput, weights: Array(weights.arrays.dropFirst(half)), as: Scalar.self, generation: context.generation)
        guard let recurrent = forwardLayer as? any RecurrentInferenceLayer else {
            throw .unsupportedTopology(layer: common.name, reason: "Bidirectional wraps \(forward.className), not a recurrent layer")
        }
        return BidirectionalLayer<Scalar>(
            name: common.name, mergeMode: mergeMode, options: options,
            forwardLayer: forwardLayer, backwardLayer: backwardLayer, stateCount: recurrent.stateCount
        )
    }
}

extension TimeDistributedConfig: LayerBuilding {
    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext) throws(WeightLoadingError) -> any InferenceLayer<Scalar> {
        let input = inputs.first ?? []
        guard input.count >= 3 else {
            throw .unsupportedTopology(layer: common.name, reason: "TimeDistributed needs at least 3-D input, got \(input.shapeDescription)")
        }
        let inner = try KerasModel.makeLayer(layer, inputs: [[nil] + input.dropFirst(2)], weights: weights.arrays, as: Scalar.self, generation: context.generation)
        return TimeDistributedLayer<Scalar>(name: common.name, inner: inner)
    }
}
