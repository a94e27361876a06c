import Foundation

/// A Keras model rebuilt natively: its config, checked weights and the layers that run them.
///
/// A model is immutable and safe to share between threads. The one exception is Keras's own
/// `stateful=True`: such layers carry their final states from one ``predict(_:)`` call into the
/// next until ``resetStates()``, exactly as Keras does; those states sit behind a lock.
public final class KerasModel: Sendable {
    /// The decoded config.
    public let config: ModelConfig
    /// Whose numerics the model reproduces (from the file's `keras_version`).
    public let generation: KerasGeneration
    /// The `keras_version` the file was written by, if it says.
    public let kerasVersion: String?
    /// The backend the file was written from, if it says.
    public let backend: String?
    /// The weights exactly as loaded, by layer name in Keras's order (for conversion).
    public let weights: [(layer: String, arrays: [WeightArray])]

    /// Inputs and Keras's outputs for them, stored in a native file by `keraskit convert
    /// --check-input` so a deployed file can prove it still computes what Keras computed.
    public let selfCheck: SelfCheck?

    let layers: [any InferenceLayer]
    private let states = StateStore()

    /// Inputs with the outputs the model gave for them when it was converted.
    public struct SelfCheck: Sendable {
        /// The inputs, in the model's input order.
        public var inputs: [Tensor]
        /// The outputs, in the model's output order.
        public var outputs: [Tensor]

        /// Creates a self-check.
        public init(inputs: [Tensor], outputs: [Tensor]) {
            self.inputs = inputs
            self.outputs = outputs
        }
    }

    /// Builds a model from a decoded config and each layer's weights in Keras's stored order.
    ///
    /// - Parameters:
    ///   - config: The decoded model config.
    ///   - weights: Per layer name, the arrays in the order of the layer's `weight_names`.
    ///     Layers without weights may be absent or map to an empty list.
    ///   - kerasVersion: The writer's `keras_version`; it picks `hard_sigmoid`'s formula.
    ///   - backend: The writer's backend, kept for inspection.
    /// - Throws: ``WeightLoadingError`` for a missing, extra or mis-shaped weight, naming the weight.
    public convenience init(config: ModelConfig, weights: [String: [WeightArray]], kerasVersion: String?, backend: String? = nil) throws(WeightLoadingError) {
        try self.init(config: config, weights: weights, kerasVersion: kerasVersion, backend: backend, selfCheck: nil)
    }

    init(config: ModelConfig, weights: [String: [WeightArray]], kerasVersion: String?, backend: String?, selfCheck: SelfCheck?) throws(WeightLoadingError) {
        self.config = config
        self.selfCheck = selfCheck
        self.kerasVersion = kerasVersion
        self.backend = backend
        self.generation = KerasGeneration(kerasVersion: kerasVersion)
        let known = Set(config.layers.map(\.name))
        if let stray = weights.keys.sorted().first(where: { !known.contains($0) && !(weights[$0]?.isEmpty ?? true) }) {
            throw .unknownLayer(layer: stray, weights: weights[stray]?.map(\.name) ?? [])
        }
        var built: [any InferenceLayer] = []
        var shape = config.inputShape
        for (index, layerConfig) in config.layers.enumerated() {
            let layer = try Self.makeLayer(layerConfig, input: shape, weights: weights[layerConfig.name] ?? [], generation: generation)
            let outputs = layer.outputShapes(for: shape)
            if outputs.count != 1, index != config.layers.count - 1 {
                throw .unsupportedTopology(layer: layer.name, reason: "a layer with \(outputs.count) outputs must be the last layer of a Sequential model")
            }
            shape = outputs[0]
            built.append(layer)
        }
        self.layers = built
        self.weights = config.layers.map { ($0.name, weights[$0.name] ?? []) }
    }

    /// The model's input shape, batch axis first; `nil` axes take any size.
    public var inputShape: [Int?] { config.inputShape }

    /// The shapes of the model's outputs, batch axis first.
    public var outputShapes: [[Int?]] {
        var shape = config.inputShape
        var result: [[Int?]] = [shape]
        for layer in layers {
            result = layer.outputShapes(for: shape)
            shape = result[0]
        }
        return result
    }

    /// The total number of weight scalars, equal to Keras's `count_params()`.
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }

    /// Runs the model on one input of shape `[batch, time, features]` (as the model declares)
    /// and returns its outputs: one tensor, or `[output, h, c]` for an LSTM with `return_state`.
    /// - Throws: ``PredictionError`` when the input's rank or a fixed axis doesn't match the model.
    public func predict(_ input: Tensor) throws(PredictionError) -> [Tensor] {
        try checkInput(input)
        var outputs = [input]
        try states.withStates { (stored: inout [String: LayerState]) throws(PredictionError) in
            for layer in layers {
                var state = stored[layer.name]
                outputs = try layer.forward(outputs[0], state: &state)
                if let state { stored[layer.name] = state }
            }
        }
        return outputs
    }

    /// Runs the model on several input arrays in the model's input order.
    /// - Throws: ``PredictionError`` when the count or a shape doesn't match the model.
    public func predict(_ inputs: [Tensor]) throws(PredictionError) -> [Tensor] {
        guard inputs.count == 1 else { throw .inputCount(expected: 1, actual: inputs.count) }
        return try predict(inputs[0])
    }

    /// Forgets the states that `stateful` layers carried over; the next call starts from zeros.
    public func resetStates() {
        states.withStates { (stored: inout [String: LayerState]) in stored.removeAll() }
    }

    /// Whether any layer is `stateful`.
    public var isStateful: Bool {
        config.layers.contains { if case .lstm(let lstm) = $0 { lstm.stateful } else { false } }
    }

    private func checkInput(_ input: Tensor) throws(PredictionError) {
        let expected = config.inputShape
        guard input.rank == expected.count else {
            throw .inputRank(expected: expected.count, actual: input.rank, shape: input.shape)
        }
        for (axis, size) in expected.enumerated() {
            // The batch axis is fixed only for stateful models.
            if axis == 0, !isStateful { continue }
            if let size, input.shape[axis] != size {
                throw .inputDimension(axis: axis, expected: size, actual: input.shape[axis], shape: input.shape)
            }
        }
    }
}

/// The carried states of stateful layers, behind a lock so a shared model stays thread-safe.
private final class StateStore: @unchecked Sendable {
    private let lock = NSLock()
    private var states: [String: LayerState] = [:]

    func withStates<Result, Failure: Error>(_ body: (inout [String: LayerState]) throws(Failure) -> Result) throws(Failure) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&states)
    }
}
