import Foundation

/// A Keras model rebuilt natively: its config, checked weights and the layers that run them.
///
/// The layers compute in the precision of the model's dtype policy (``computePrecision``):
/// `Float` for float32 models (the Keras default), `Double` with `Double` weights for float64
/// models. ``predict(_:)-(TensorOf<Double>)`` takes and returns `Double` tensors,
/// ``predict(_:)-(Tensor)`` `Float` ones; either works on either model (inputs are converted
/// to the model's precision, outputs back to the inputs' type).
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
    /// The weights exactly as loaded, by layer name in the config's layer order (for conversion).
    /// A native file's stay in its memory map (``WeightArray/Storage/mapped(_:)``): their
    /// values are read, and packed ones unpacked, only when asked for.
    public let weights: [(layer: String, arrays: [WeightArray])]
    /// Inputs and Keras's outputs for them, stored in a native file by `keraskit convert
    /// --check-input` so a deployed file can prove it still computes what Keras computed.
    public let selfCheck: SelfCheck?

    /// The runnable layers by name (`InputLayer`s have none) and the compiled plan that runs
    /// them, built for the precision the model computes in, with the states its `stateful`
    /// layers carry.
    let engine: ComputeEngine
    /// Every layer call in an order where each call's inputs are computed before it.
    let schedule: [NodeKey]
    /// The shapes of every call's outputs, batch axis first.
    let shapes: [NodeKey: [[Int?]]]
    /// The shapes of every call's tensor inputs, batch axis first.
    let inputShapesByCall: [NodeKey: [[Int?]]]
    /// Whether any layer is `stateful` (the batch axis is then fixed).
    public let isStateful: Bool

    /// Inputs with the outputs the model gave for them when it was converted, in `Double`:
    /// exactly the stored values, float32 (a float32 model's) or float64 (a float64 model's).
    public struct SelfCheck: Sendable {
        /// The inputs, in the model's input order.
        public var inputs: [TensorOf<Double>]
        /// The outputs, in the model's output order.
        public var outputs: [TensorOf<Double>]

        /// Creates a self-check.
        public init(inputs: [TensorOf<Double>], outputs: [TensorOf<Double>]) {
            self.inputs = inputs
            self.outputs = outputs
        }

        /// Creates a self-check from float32 values (widened exactly).
        public init(inputs: [Tensor], outputs: [Tensor]) {
            self.init(inputs: inputs.map(TensorOf<Double>.init), outputs: outputs.map(TensorOf<Double>.init))
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
    /// - Throws: ``WeightLoadingError`` for a missing, extra or mis-shaped weight, naming the
    ///   weight, or for a graph that can't be wired.
    public convenience init(config: ModelConfig, weights: [String: [WeightArray]], kerasVersion: String?, backend: String? = nil) throws(WeightLoadingError) {
        try self.init(config: config, weights: weights, kerasVersion: kerasVersion, backend: backend, selfCheck: nil)
    }

    convenience init(config: ModelConfig, weights: [String: [WeightArray]], kerasVersion: String?, backend: String?, selfCheck: SelfCheck?) throws(WeightLoadingError) {
        try self.init(config: config, weights: weights, generation: KerasGeneration(kerasVersion: kerasVersion),
                      kerasVersion: kerasVersion, backend: backend, selfCheck: selfCheck)
    }

    /// - Parameter precision: What the layers compute in; nil for the config's own
    ///   ``ModelConfig/computePrecision`` (a nested model takes its parent's).
    init(config: ModelConfig, weights: [String: [WeightArray]], generation: KerasGeneration, kerasVersion: String? = nil,
         backend: String? = nil, selfCheck: SelfCheck? = nil, precision: ComputePrecision? = nil) throws(WeightLoadingError) {
        self.config = config
        self.selfCheck = selfCheck
        self.kerasVersion = kerasVersion
        self.backend = backend
        self.generation = generation
        let unsupported = config.unsupportedLayerClasses
        if !unsupported.isEmpty { throw .unsupportedLayerClasses(unsupported) }
        let known = Set(config.layers.map(\.name))
        if let stray = weights.keys.sorted().first(where: { !known.contains($0) && !(weights[$0]?.isEmpty ?? true) }) {
            throw .unknownLayer(layer: stray, weights: weights[stray]?.map(\.source) ?? [])
        }
        switch precision ?? config.computePrecision {
        case .float32:
            let wiring = try Self.wire(config, weights: weights, generation: generation, as: Float.self)
            (engine, schedule, shapes, inputShapesByCall) = (.float32(LayerGraph(config: config, wiring: wiring)), wiring.schedule, wiring.shapes, wiring.inputShapes)
        case .float64:
            let wiring = try Self.wire(config, weights: weights, generation: generation, as: Double.self)
            (engine, schedule, shapes, inputShapesByCall) = (.float64(LayerGraph(config: config, wiring: wiring)), wiring.schedule, wiring.shapes, wiring.inputShapes)
        }
        self.isStateful = config.layers.contains { $0.configuration.isStateful }
        self.weights = config.layers.map { ($0.name, weights[$0.name] ?? []) }
    }

    /// The first input's shape, batch axis first; `nil` axes take any size.
    public var inputShape: [Int?] { config.inputShape }

    /// Every input's shape, in input order.
    public var inputShapes: [[Int?]] { config.inputs.map(\.batchShape) }

    /// The shapes of the model's outputs, batch axis first.
    public var outputShapes: [[Int?]] {
        config.graph.outputs.map { shapes[NodeKey($0)]?[$0.tensor] ?? [] }
    }

    /// The total number of weight scalars, equal to Keras's `count_params()`.
    public var parameterCount: Int { engine.parameterCount }

    /// Runs the model on one float32 input of the shape the model declares (e.g. `[batch, time,
    /// features]`) and returns its outputs in output order: one tensor, or `[output, h, c]` for
    /// an LSTM with `return_state`.
    ///
    /// A float64 model (``computePrecision`` `.float64`) widens the input to `Double`, computes
    /// in `Double` and rounds its outputs to `Float`; pass `TensorOf<Double>` to keep them.
    /// - Parameter input: The model's only input.
    /// - Returns: The outputs in the model's output order.
    /// - Throws: ``PredictionError`` when the input's rank or a fixed axis doesn't match the model.
    public func predict(_ input: Tensor) throws(PredictionError) -> [Tensor] {
        try predict([input])
    }

    /// Runs the model on its float32 input arrays in the model's input order (a float64 model
    /// computes in `Double` and rounds its outputs to `Float`).
    /// - Parameter inputs: One tensor per model input.
    /// - Returns: The outputs in the model's output order.
    /// - Throws: ``PredictionError`` when the count or a shape doesn't match the model.
    public func predict(_ inputs: [Tensor]) throws(PredictionError) -> [Tensor] {
        try predict(inputs, fromInitialStates: false)
    }

    /// Runs the model as if freshly loaded: stateful layers start from zeros, and the states
    /// they carry for ``predict(_:)-(Tensor)`` are left untouched.
    /// - Parameter inputs: One tensor per model input.
    /// - Returns: The outputs in the model's output order.
    /// - Throws: ``PredictionError`` when the count or a shape doesn't match the model.
    public func predictFromInitialStates(_ inputs: [Tensor]) throws(PredictionError) -> [Tensor] {
        try predict(inputs, fromInitialStates: true)
    }

    /// Runs every call of `plan` (the engine's, in its scalar) in order. Layers read and leave
    /// their states in `states`; the calls in `carrying` do so whatever their `stateful` flag
    /// (streaming).
    func run<Scalar: ComputeScalar>(_ inputs: [TensorOf<Scalar>], plan: ExecutionPlan<Scalar>, states stored: inout [NodeKey: LayerState<Scalar>],
                                    carrying: Set<NodeKey>, inputMasks: [Mask?] = []) throws(PredictionError) -> (outputs: [TensorOf<Scalar>], masks: [Mask?]) {
        // Every slot's outputs and their masks, indexed as `plan` says. A slot's masks are empty
        // when none of its values has one, so a model without masks builds no mask arrays.
        var slots = [ExecutionPlan<Scalar>.Values](repeating: ExecutionPlan<Scalar>.Values(), count: plan.inputCount + plan.calls.count)
        for (index, input) in inputs.prefix(plan.inputCount).enumerated() {
            let inputMask = index < inputMasks.count ? inputMasks[index] : nil
            slots[index] = ExecutionPlan<Scalar>.Values(tensors: [input], masks: inputMask.map { [$0] } ?? [])
        }
        // The builder checked every reference resolves; the fallbacks are never taken.
        let missing = TensorOf<Scalar>(uncheckedShape: [0], scalars: [])
        func value(_ source: ExecutionPlan<Scalar>.Source) -> TensorOf<Scalar> {
            guard slots.indices.contains(source.slot), source.tensor < slots[source.slot].tensors.count else { return missing }
            return slots[source.slot].tensors[source.tensor]
        }
        func mask(_ source: ExecutionPlan<Scalar>.Source) -> Mask? {
            guard slots.indices.contains(source.slot), source.tensor < slots[source.slot].masks.count else { return nil }
            return slots[source.slot].masks[source.tensor]
        }
        for (index, planned) in plan.calls.enumerated() {
            let inputs = planned.inputs.map(value)
            var masks = planned.inputs.contains { mask($0) != nil } ? planned.inputs.map(mask) : []
            var maskTensors: [TensorOf<Scalar>?] = []
            if !planned.masks.isEmpty {
                if planned.layer.readsMaskTensors {
                    maskTensors = planned.masks.map { $0.map(value) }
                } else {
                    // An explicit `mask=` replaces the inputs' own masks, as in Keras's `Layer.__call__`.
                    masks = try explicitMasks(planned.masks.map { $0.map(value) }, for: inputs, layer: planned.key.layer, fallback: masks)
                }
            }
            let call = LayerCall(
                inputs: inputs,
                masks: masks,
                initialState: planned.initialState.map(value),
                keywordInputs: planned.keywordInputs.isEmpty ? [:] : Dictionary(planned.keywordInputs.map { ($0.name, value($0.source)) }, uniquingKeysWith: { first, _ in first }),
                maskTensors: maskTensors,
                carriesState: !carrying.isEmpty && carrying.contains(planned.key),
                buffers: plan.buffers
            )
            // Only layers that keep states touch the (hashed) state store.
            // Keras 3 fills a call's `mask` from its inputs only when the call has one tensor
            // argument: a recurrent layer given `initial_state` runs unmasked (its outputs still
            // carry the sequence's mask, which `compute_mask` takes from the first input).
            var running = call
            if generation == .keras3, !planned.initialState.isEmpty, planned.masks.isEmpty { running.masks = [] }
            let outputs: [TensorOf<Scalar>]
            if planned.isStateful || call.carriesState {
                var state = stored[planned.key]
                outputs = try planned.layer.forward(running, state: &state)
                if let state { stored[planned.key] = state }
            } else {
                var state: LayerState<Scalar>? = nil
                outputs = try planned.layer.forward(running, state: &state)
            }
            slots[plan.inputCount + index] = ExecutionPlan<Scalar>.Values(tensors: outputs, masks: planned.layer.outputMasks(for: call, outputs: outputs))
            if planned.layer.clearsInputMasks {
                for source in planned.inputs where slots.indices.contains(source.slot) && source.tensor < slots[source.slot].masks.count {
                    slots[source.slot].masks[source.tensor] = nil
                }
            }
            // Values no later call reads: their storage goes back to the pool now, not at the end.
            for slot in plan.releasedAfter[index] {
                for tensor in slots[slot].tensors { plan.buffers.give(tensor.scalars) }
                slots[slot] = ExecutionPlan<Scalar>.Values()
            }
        }
        return (plan.outputs.map(value), plan.outputs.contains { mask($0) != nil } ? plan.outputs.map(mask) : [])
    }

    /// The masks of a call given explicit `mask=` tensors (booleans as 0/1 values, shaped like
    /// their input without its last axis): one per input, the input's own mask where none is given.
    private func explicitMasks<Scalar: ComputeScalar>(_ tensors: [TensorOf<Scalar>?], for inputs: [TensorOf<Scalar>], layer: String,
                                                      fallback: [Mask?]) throws(PredictionError) -> [Mask?] {
        var masks: [Mask?] = []
        for (index, input) in inputs.enumerated() {
            guard index < tensors.count, let tensor = tensors[index] else {
                masks.append(index < fallback.count ? fallback[index] : nil)
                continue
            }
            let mask = Mask(batch: tensor.shape.first ?? 0, steps: tensor.rank <= 1 ? 1 : product(tensor.shape, 1..<tensor.rank),
                            values: tensor.scalars.map { $0 != 0 })
            guard mask.fits(input.shape), Array(input.shape.dropLast()) == tensor.shape || input.rank == 2 else {
                throw .inputShapeMismatch(layer: layer, expected: "a mask of shape \(Array(input.shape.dropLast()).shapeDescription)", actual: tensor.shape)
            }
            masks.append(mask)
        }
        return masks
    }

    /// Forgets the states that `stateful` layers carried over; the next call starts from zeros.
    public func resetStates() {
        engine.resetStates()
    }

    func checkInput<Scalar: KerasScalar>(_ input: TensorOf<Scalar>, against expected: [Int?]) throws(PredictionError) {
        guard input.rank == expected.count else {
            throw .inputRank(expected: expected.count, actual: input.rank, shape: input.shape)
        }
        // An empty tensor passes every size check whatever its other axes claim: bound each
        // axis, and their product ignoring zeros, so no layer loops over phantom steps.
        var product = 1
        for (axis, size) in input.shape.enumerated() {
            guard size <= KerasLimits.maxDimension else {
                throw .inputDimension(axis: axis, expected: KerasLimits.maxDimension, actual: size, shape: input.shape)
            }
            let (next, overflow) = product.multipliedReportingOverflow(by: max(size, 1))
            guard !overflow else { throw .tooLarge(layer: "input", elements: input.shape.map(String.init).joined(separator: "×")) }
            product = next
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

/// One call of one layer: `node` indexes the layer's calls.
struct NodeKey: Hashable, Sendable {
    var layer: String
    var node: Int

    init(layer: String, node: Int) {
        self.layer = layer
        self.node = node
    }

    init(_ reference: TensorReference) {
        self.init(layer: reference.layer, node: reference.node)
    }
}

/// The carried states of stateful layers, behind a lock so a shared model stays thread-safe.
final class StateStore<Scalar: ComputeScalar>: @unchecked Sendable {
    private let lock = NSLock()
    private var states: [NodeKey: LayerState<Scalar>] = [:]

    func withStates<Result, Failure: Error>(_ body: (inout [NodeKey: LayerState<Scalar>]) throws(Failure) -> Result) throws(Failure) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&states)
    }
}
