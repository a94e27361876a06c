// Which precision a model computes in, and predict in either precision.

extension LayerConfig {
    /// Whether this layer, or a layer it wraps or contains, has the dtype policy `float64`.
    var computesInFloat64: Bool {
        // An operation's `dtype` is a result type (Cast's target, ZerosLike's), not a policy.
        if !isInput, !isOperation, common.dtype?.name == "float64" { return true }
        if let nested = configuration as? NestedModelConfig { return nested.model.layers.contains { $0.computesInFloat64 } }
        return configuration.wrappedLayers.contains { $0.computesInFloat64 }
    }
}

extension ModelConfig {
    /// The precision the model computes in: ``ComputePrecision/float64`` when a layer (not an
    /// `InputLayer`, whose dtype is the input's) has the dtype policy `float64`, as Keras 2's
    /// `dtype="float64"`, Keras 3's `DTypePolicy("float64")` and `set_floatx("float64")` write
    /// it; else ``ComputePrecision/float32``, which mixed-precision policies also get.
    ///
    /// Should float32 and float64 layers be mixed, the whole model computes in `Double`: Keras
    /// rounds the float32 layers' results to float32, so those agree to float32 rounding.
    public var computePrecision: ComputePrecision {
        layers.contains { $0.computesInFloat64 } ? .float64 : .float32
    }

    /// The precision Keras's `model.predict` casts floating-point input to before the model sees
    /// it: Keras's `floatx()` (tf-keras's `_process_tensorlike`, Keras 3's array data adapter).
    /// The file records it only as a Keras 3 model's own dtype policy; it is float32, Keras's
    /// default, otherwise. So a float64 model built with per-layer `dtype="float64"` gets its
    /// float64 input rounded to float32 and widened again, and KerasKit does the same to match.
    public var predictInputPrecision: ComputePrecision {
        let policy = json["config"]?["dtype"]
        let name = policy?.stringValue ?? policy?["config"]?["name"]?.stringValue
        return name == "float64" ? .float64 : .float32
    }
}

extension KerasModel {
    /// The precision the layers compute in, from the model's dtype policy (see
    /// ``ModelConfig/computePrecision``): `Double` arithmetic and weights for `.float64`.
    public var computePrecision: ComputePrecision { engine.precision }

    /// Runs the model on one float64 input and returns float64 outputs, in output order.
    ///
    /// A float64 model computes in `Double` with `Double` weights. As Keras's `predict` does, the
    /// input is first cast to Keras's `floatx` (``ModelConfig/predictInputPrecision``: float32
    /// unless the model's own policy is float64), then to the model's precision. A float32 model
    /// rounds the input to `Float`, computes in `Float` and widens its outputs.
    /// - Parameter input: The model's only input.
    /// - Returns: The outputs in the model's output order.
    /// - Throws: ``PredictionError`` when the input's rank or a fixed axis doesn't match the model.
    public func predict(_ input: TensorOf<Double>) throws(PredictionError) -> [TensorOf<Double>] {
        try predict([input])
    }

    /// Runs the model on its float64 input arrays, in the model's input order, and returns
    /// float64 outputs (see ``predict(_:)-(TensorOf<Double>)``).
    /// - Parameter inputs: One tensor per model input.
    /// - Returns: The outputs in the model's output order.
    /// - Throws: ``PredictionError`` when the count or a shape doesn't match the model.
    public func predict(_ inputs: [TensorOf<Double>]) throws(PredictionError) -> [TensorOf<Double>] {
        try predict(inputs, fromInitialStates: false)
    }

    /// Runs the model on float64 inputs as if freshly loaded: stateful layers start from zeros,
    /// and the states they carry for `predict` are left untouched.
    /// - Parameter inputs: One tensor per model input.
    /// - Returns: The outputs in the model's output order.
    /// - Throws: ``PredictionError`` when the count or a shape doesn't match the model.
    public func predictFromInitialStates(_ inputs: [TensorOf<Double>]) throws(PredictionError) -> [TensorOf<Double>] {
        try predict(inputs, fromInitialStates: true)
    }

    /// Checks the inputs, converts them to the engine's scalar, runs, and converts the outputs
    /// back to the inputs' scalar.
    func predict<Input: ComputeScalar>(_ inputs: [TensorOf<Input>], fromInitialStates: Bool) throws(PredictionError) -> [TensorOf<Input>] {
        guard inputs.count == config.inputs.count else {
            throw .inputCount(expected: config.inputs.count, actual: inputs.count)
        }
        for (input, spec) in zip(inputs, config.inputs) { try checkInput(input, against: spec.batchShape) }
        switch engine {
        case .float32(let graph): return try predict(inputs, on: graph, fromInitialStates: fromInitialStates)
        case .float64(let graph): return try predict(inputs, on: graph, fromInitialStates: fromInitialStates)
        }
    }

    private func predict<Input: ComputeScalar, Compute: ComputeScalar>(
        _ inputs: [TensorOf<Input>], on graph: LayerGraph<Compute>, fromInitialStates: Bool
    ) throws(PredictionError) -> [TensorOf<Input>] {
        let converted = graph.modelInputs(inputs)
        let outputs: [TensorOf<Compute>]
        if fromInitialStates || !isStateful {
            // Fresh states; a model without stateful layers never takes the state lock.
            var fresh: [NodeKey: LayerState<Compute>] = [:]
            outputs = try run(converted, plan: graph.plan, states: &fresh, carrying: []).outputs
        } else {
            outputs = try graph.states.withStates { (stored: inout [NodeKey: LayerState<Compute>]) throws(PredictionError) in
                try run(converted, plan: graph.plan, states: &stored, carrying: []).outputs
            }
        }
        return Compute.self == Input.self ? unsafeBitCast(outputs, to: [TensorOf<Input>].self) : outputs.map(TensorOf<Input>.init)
    }

    /// Builds every layer for `Scalar` and wires the graph.
    static func wire<Scalar: ComputeScalar>(
        _ config: ModelConfig, weights: [String: [WeightArray]], generation: KerasGeneration, as scalar: Scalar.Type
    ) throws(WeightLoadingError) -> GraphBuilder.Wiring<Scalar> {
        let builders = LayerRegistry.builders(for: Scalar.self)
        return try GraphBuilder.build(config: config) { layerConfig, inputShapes, site throws(WeightLoadingError) in
            let context = LayerBuildContext(generation: generation, site: site, builders: builders)
            return try builders.build(layerConfig, inputs: inputShapes, weights: weights[layerConfig.name] ?? [], context: context)
        }
    }
}
