/// The runnable layers of a model built for one scalar, the plan that runs them, and the states
/// its `stateful` layers carry between `predict` calls.
final class LayerGraph<Scalar: ComputeScalar>: Sendable {
    /// The runnable layers by name (`InputLayer`s have none).
    let layers: [String: RunnableLayer<Scalar>]
    /// The schedule with every reference resolved to a slot.
    let plan: ExecutionPlan<Scalar>
    /// The carried states of stateful layers.
    let states = StateStore<Scalar>()
    /// What `predict` casts floating-point input to first (``ModelConfig/predictInputPrecision``).
    let inputPrecision: ComputePrecision

    init(config: ModelConfig, wiring: GraphBuilder.Wiring<Scalar>) {
        layers = wiring.layers
        plan = ExecutionPlan(config: config, layers: wiring.layers, schedule: wiring.schedule)
        inputPrecision = config.predictInputPrecision
    }

    /// The inputs as Keras's `predict` hands them to the model: cast to `floatx`
    /// (``ModelConfig/predictInputPrecision``), then to `Scalar`.
    func modelInputs<Input: ComputeScalar>(_ inputs: [TensorOf<Input>]) -> [TensorOf<Scalar>] {
        // Already the model's scalar, and no rounding to do: hand the array on as it is.
        if Input.self == Scalar.self, Scalar.self == Float.self || inputPrecision == .float64 {
            return unsafeBitCast(inputs, to: [TensorOf<Scalar>].self)
        }
        switch inputPrecision {
        case .float32: return inputs.map { TensorOf<Scalar>(Tensor($0)) }
        case .float64: return inputs.map(TensorOf<Scalar>.init)
        }
    }
}

/// A model's layers in the precision it computes in.
enum ComputeEngine: Sendable {
    /// Float32 layers (the Keras default policy).
    case float32(LayerGraph<Float>)
    /// Float64 layers (policy `float64`): `Double` weights and arithmetic throughout.
    case float64(LayerGraph<Double>)

    /// The precision the layers compute in.
    var precision: ComputePrecision {
        switch self {
        case .float32: .float32
        case .float64: .float64
        }
    }

    /// The layer named `name`, for what doesn't depend on its scalar (shapes, parameter counts,
    /// time behavior).
    func layer(named name: String) -> (any InferenceLayer)? {
        switch self {
        case .float32(let graph): graph.layers[name]?.layer
        case .float64(let graph): graph.layers[name]?.layer
        }
    }

    /// The total number of weight scalars.
    var parameterCount: Int {
        switch self {
        case .float32(let graph): graph.layers.values.reduce(0) { $0 + $1.parameterCount }
        case .float64(let graph): graph.layers.values.reduce(0) { $0 + $1.parameterCount }
        }
    }

    /// Forgets the states that `stateful` layers carried over.
    func resetStates() {
        switch self {
        case .float32(let graph): graph.states.withStates { (stored: inout [NodeKey: LayerState<Float>]) in stored.removeAll() }
        case .float64(let graph): graph.states.withStates { (stored: inout [NodeKey: LayerState<Double>]) in stored.removeAll() }
        }
    }
}
