/// A built layer as the graph runs it: the layer, with its `forward` and `outputMasks` captured
/// where its concrete type is known.
///
/// Every layer builder returns its layer wrapped in this. The registry calls each builder from a
/// per-scalar table (``LayerRegistry/builders(for:)``) in which the config type and the scalar are
/// concrete, so the compiler specializes the builder, this initializer and the closures it makes:
/// a call through a ``RunnableLayer`` enters the layer's `Float` or `Double` code directly, with no
/// generic set-up and no per-layer `@_specialize` to forget.
///
/// A final class, so the plan's calls hold one reference each rather than three.
final class RunnableLayer<Scalar: ComputeScalar>: Sendable {
    /// The layer, for what doesn't run per call (shapes, counts, time behavior).
    let layer: any InferenceLayer<Scalar>
    private let run: @Sendable (LayerCall<Scalar>, inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>]
    private let masks: @Sendable (LayerCall<Scalar>, [TensorOf<Scalar>]) -> [Mask?]

    /// Wraps a built layer.
    init<Layer: InferenceLayer>(_ layer: Layer) where Layer.Scalar == Scalar {
        self.layer = layer
        run = { call, state throws(PredictionError) in try layer.forward(call, state: &state) }
        masks = { call, outputs in layer.outputMasks(for: call, outputs: outputs) }
    }

    /// The Keras layer name.
    var name: String { layer.name }
    /// The number of scalars in the layer's weights.
    var parameterCount: Int { layer.parameterCount }
    /// How the layer treats the time axis.
    var timeBehavior: TimeBehavior { layer.timeBehavior }
    /// Whether the layer makes masks of its own.
    var createsMasks: Bool { layer.createsMasks }
    /// Whether the layer reads `mask=` tensors as they are.
    var readsMaskTensors: Bool { layer.readsMaskTensors }
    /// Whether a call removes its inputs' Keras masks for later readers.
    var clearsInputMasks: Bool { layer.clearsInputMasks }

    /// The shapes of the layer's outputs for its inputs' shapes.
    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        try layer.outputShapes(for: inputs)
    }

    /// Runs one call of the layer.
    @inline(__always)
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        try run(call, &state)
    }

    /// The masks of a call's outputs.
    @inline(__always)
    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] {
        masks(call, outputs)
    }
}

/// A layer config that can build its runnable layer from checked weights. Every registered
/// ``LayerConfiguration`` conforms.
protocol LayerBuilding: LayerConfiguration {
    /// Builds the layer from `weights` (already checked against ``LayerConfiguration/weightRoles``:
    /// count and names) and the input shapes, computing in `Scalar`; it checks every shape.
    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar>
    /// Which stored weights are matrices the layer multiplies by whole, by index, with their
    /// column groups: the native format may store those packed. The default reads
    /// ``WeightRole/packedGroups``; a layer whose stored weights decide it overrides this.
    func packedWeights(stored: [WeightArray]) -> [Int: Int]
}

extension LayerBuilding {
    func packedWeights(stored: [WeightArray]) -> [Int: Int] {
        var result: [Int: Int] = [:]
        for (index, role) in weightRoles.enumerated() {
            if let groups = role.packedGroups { result[index] = groups }
        }
        return result
    }
}

/// One registered class's builder for one scalar.
struct LayerEntry<Scalar: ComputeScalar>: Sendable {
    /// The config type.
    let type: any LayerBuilding.Type
    let build: @Sendable (any LayerConfiguration, [[Int?]], WeightList<Scalar>, LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar>

    init<Config: LayerBuilding>(_ type: Config.Type) {
        self.type = type
        build = { configuration, inputs, weights, context throws(WeightLoadingError) in
            guard let config = configuration as? Config else {
                throw .unsupportedTopology(layer: configuration.common.name, reason: "the \(Config.className) builder was handed another class's config")
            }
            return try config.makeLayer(inputs: inputs, weights: weights, context: context)
        }
    }
}

/// The registry's builders for one scalar, by config type.
struct LayerBuilders<Scalar: ComputeScalar>: Sendable {
    private let entries: [ObjectIdentifier: LayerEntry<Scalar>]
    /// The config types, in registry order.
    let types: [any LayerBuilding.Type]

    init(_ entries: [LayerEntry<Scalar>]) {
        self.entries = Dictionary(entries.map { (ObjectIdentifier($0.type), $0) }, uniquingKeysWith: { first, _ in first })
        types = entries.map(\.type)
    }

    /// Checks `weights` against the layer's declared roles and builds it.
    func build(_ config: LayerConfig, inputs: [[Int?]], weights: [WeightArray], context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        guard let entry = entries[ObjectIdentifier(type(of: config.configuration))] else {
            throw .unsupportedLayerClasses([UnsupportedLayerClass(className: config.className, layers: [config.name])])
        }
        let list = WeightList<Scalar>(layer: config.name, arrays: weights, roles: config.configuration.weightRoles)
        try list.expectRoles()
        return try entry.build(config.configuration, inputs, list, context)
    }
}

/// What a layer config needs to build its runnable layer.
struct LayerBuildContext<Scalar: ComputeScalar>: Sendable {
    /// Whose numerics to reproduce.
    var generation: KerasGeneration
    /// The positional arguments of the layer's first call as the config writes them (Keras 3
    /// only): operations such as `NotEqual` read their constant operands here.
    var arguments: [JSONValue] = []
    /// The layer's first call's keyword arguments among its ``LayerConfiguration/callOptions``
    /// (every call of the layer passes the same).
    var callOptions: [String: JSONValue] = [:]
    /// The shapes of the tensors the first call passes by keyword
    /// (``LayerConfiguration/keywordTensorParameters``), by name; absent when not passed.
    var keywordInputShapes: [String: [Int?]] = [:]
    /// The registry's builders, for layers that build the layers they wrap.
    let builders: LayerBuilders<Scalar>

    init(generation: KerasGeneration, arguments: [JSONValue] = [], callOptions: [String: JSONValue] = [:],
         keywordInputShapes: [String: [Int?]] = [:], builders: LayerBuilders<Scalar>) {
        self.generation = generation
        self.arguments = arguments
        self.callOptions = callOptions
        self.keywordInputShapes = keywordInputShapes
        self.builders = builders
    }

    init(generation: KerasGeneration, site: LayerCallSite, builders: LayerBuilders<Scalar>) {
        self.init(generation: generation, arguments: site.arguments, callOptions: site.callOptions,
                  keywordInputShapes: site.keywordInputShapes, builders: builders)
    }

    /// Builds a wrapped layer (its own call arguments are none).
    func build(_ config: LayerConfig, inputs: [[Int?]], weights: [WeightArray]) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        try builders.build(config, inputs: inputs, weights: weights, context: LayerBuildContext(generation: generation, builders: builders))
    }
}
