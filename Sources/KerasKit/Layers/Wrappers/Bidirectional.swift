/// How `Bidirectional` merges the two directions.
public enum BidirectionalMergeMode: String, Sendable, Hashable, CaseIterable {
    case concat, sum, mul, ave
}

/// `keras.layers.Bidirectional` around a recurrent layer.
///
/// Keras 2 writes only the wrapped layer; the backward layer is a copy with `go_backwards`
/// flipped. Keras 3 writes both. Either way both directions get
/// `zero_output_for_mask = return_sequences`, as Keras forces.
public struct BidirectionalConfig: LayerBuilding {
    public static let className = "Bidirectional"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// How the directions merge; nil returns both.
    public let mergeMode: BidirectionalMergeMode?
    /// The forward-direction layer.
    public let forward: LayerConfig
    /// The backward-direction layer.
    public let backward: LayerConfig

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        if arguments.contains("merge_mode"), arguments.take("merge_mode") == .null {
            mergeMode = nil
            arguments.record("merge_mode", .null)
        } else {
            mergeMode = try arguments.choice("merge_mode", default: BidirectionalMergeMode.concat)
        }
        guard let layer = arguments.take("layer"), layer != .null else { throw arguments.invalid("layer", "required") }
        let backwardLayer = arguments.take("backward_layer") ?? .null
        let returnSequences = layer["config"]?["return_sequences"] == .bool(true)
        func prepare(_ entry: JSONValue, goBackwards: Bool?) -> JSONValue {
            guard case .object(var members) = entry, case .object(var config) = members["config"] ?? .null else { return entry }
            config["zero_output_for_mask"] = .bool(returnSequences)
            if let goBackwards { config["go_backwards"] = .bool(goBackwards) }
            members["config"] = .object(config)
            return .object(members)
        }
        forward = try LayerConfig.decode(entry: prepare(layer, goBackwards: nil), index: 0)
        if backwardLayer != .null {
            backward = try LayerConfig.decode(entry: prepare(backwardLayer, goBackwards: nil), index: 1)
        } else {
            let forwardBackwards = layer["config"]?["go_backwards"] == .bool(true)
            backward = try LayerConfig.decode(entry: prepare(layer, goBackwards: !forwardBackwards), index: 1)
        }
        arguments.record("layer", forward.argumentsJSON)
        arguments.record("backward_layer", backward.argumentsJSON)
        guard !forward.isSupported || (forward.isRecurrent && backward.isRecurrent) else {
            throw arguments.invalid("layer", "Bidirectional wraps \(forward.className), not a recurrent layer")
        }
    }

    /// The wrapped layers' sequence options (they share them, but for `go_backwards`).
    var sequenceOptions: SequenceOptions? {
        (forward.configuration as? any RecurrentLayerConfiguration)?.sequenceOptions
    }

    public var outputCount: Int {
        guard let options = sequenceOptions else { return 1 }
        let merged = mergeMode == nil ? 2 : 1
        return options.returnState ? merged + 2 * (forward.outputCount - 1) : merged
    }
    public var isRecurrent: Bool { true }
    public var isStateful: Bool { forward.configuration.isStateful }
    public var wrappedLayers: [LayerConfig] { [forward, backward] }
    /// Forward weights, then backward ones.
    public var weightRoles: [WeightRole] { forward.weightRoles + backward.weightRoles }
    public var archiveWeights: ArchiveWeights { .sublayers([("forward_layer", forward), ("backward_layer", backward)]) }

    /// The wrapped layers' packed matrices: the forward half of the list, then the backward half.
    func packedWeights(stored: [WeightArray]) -> [Int: Int] {
        guard stored.count % 2 == 0, let forwardBuilder = forward.configuration as? any LayerBuilding,
              let backwardBuilder = backward.configuration as? any LayerBuilding else { return [:] }
        let half = stored.count / 2
        var result = forwardBuilder.packedWeights(stored: Array(stored.prefix(half)))
        for (index, groups) in backwardBuilder.packedWeights(stored: Array(stored.dropFirst(half))) {
            result[half + index] = groups
        }
        return result
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        guard let options = sequenceOptions else {
            throw .unsupportedTopology(layer: common.name, reason: "Bidirectional wraps \(forward.className), not a recurrent layer")
        }
        // Forward weights first, then backward: the declared roles split the list.
        let half = forward.weightRoles.count
        let sequenceInput = Array(inputs.prefix(1))
        let forwardLayer = try context.build(forward, inputs: sequenceInput, weights: Array(weights.arrays.prefix(half)))
        let backwardLayer = try context.build(backward, inputs: sequenceInput, weights: Array(weights.arrays.dropFirst(half)))
        guard let recurrent = forwardLayer.layer as? any RecurrentInferenceLayer else {
            throw .unsupportedTopology(layer: common.name, reason: "Bidirectional wraps \(forward.className), not a recurrent layer")
        }
        return RunnableLayer(BidirectionalLayer<Scalar>(
            name: common.name, mergeMode: mergeMode, options: options,
            forwardLayer: forwardLayer, backwardLayer: backwardLayer, stateCount: recurrent.stateCount
        ))
    }
}

/// `Bidirectional` at inference: the forward layer and the backward layer (`go_backwards`) on
/// the same input and mask; the backward sequence flipped back to input order; then merged.
/// With `return_state` the outputs are `[merged…, forward states…, backward states…]`.
struct BidirectionalLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let mergeMode: BidirectionalMergeMode?
    let options: SequenceOptions
    let forwardLayer: RunnableLayer<Scalar>
    let backwardLayer: RunnableLayer<Scalar>
    /// States per direction (2 for LSTM).
    let stateCount: Int

    var parameterCount: Int { forwardLayer.parameterCount + backwardLayer.parameterCount }

    func estimatedFLOPs(inputs: [[Int]]) -> Double {
        forwardLayer.layer.estimatedFLOPs(inputs: inputs) + backwardLayer.layer.estimatedFLOPs(inputs: inputs)
    }

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
    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] {
        let merged = mergeMode == nil ? 2 : 1
        return (0..<outputs.count).map { $0 < merged && options.returnSequences ? call.mask : nil }
    }
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
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
