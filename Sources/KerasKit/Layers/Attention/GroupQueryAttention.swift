/// `keras.layers.GroupQueryAttention` (Keras 3; older files say `GroupedQueryAttention`):
/// attention of `num_query_heads` query heads over `num_key_value_heads` key and value heads,
/// each serving `num_query_heads / num_key_value_heads` consecutive query heads (Keras repeats
/// them), on rank-3 inputs.
///
/// Masks and masked scores are Keras 3's, as for ``MultiHeadAttentionConfig``; unlike it,
/// the layer leaves its inputs' Keras masks in place.
public struct GroupQueryAttentionConfig: LayerBuilding {
    public static let className = "GroupQueryAttention"
    public static let aliases = ["GroupedQueryAttention"]
    public static let archiveClassName: String? = "GroupedQueryAttention"
    public static let tensorParameters = ["query", "value", "key"]
    public static let keywordTensorParameters = ["attention_mask"]
    public static let callOptions = ["use_causal_mask", "return_attention_scores"]
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// Size of each head.
    public let headDim: Int
    public let numQueryHeads: Int
    public let numKeyValueHeads: Int
    /// Dropout on the scores: none at inference, but it sends Keras down its explicit path.
    public let dropout: Double
    public let useBias: Bool
    /// A sigmoid gate on the heads' outputs.
    public let useGate: Bool
    /// Each query position sees only keys within this distance − 1.
    public let slidingWindow: Int?

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        headDim = try arguments.integer("head_dim", default: nil, in: 1...KerasLimits.maxDimension)
        numQueryHeads = try arguments.integer("num_query_heads", default: nil, in: 1...KerasLimits.maxDimension)
        numKeyValueHeads = try arguments.integer("num_key_value_heads", default: nil, in: 1...KerasLimits.maxDimension)
        guard numQueryHeads % numKeyValueHeads == 0 else {
            throw arguments.invalid("num_key_value_heads", "\(numKeyValueHeads) doesn't divide num_query_heads \(numQueryHeads)")
        }
        guard numQueryHeads.multipliedReportingOverflow(by: headDim).overflow == false, numQueryHeads * headDim <= KerasLimits.maxDimension else {
            throw arguments.invalid("num_query_heads", "\(numQueryHeads) heads of \(headDim) is too large")
        }
        dropout = try arguments.number("dropout", default: 0, in: 0...1)
        useBias = try arguments.flag("use_bias", default: true)
        useGate = try arguments.flag("use_gate", default: false)
        slidingWindow = try arguments.optionalInteger("sliding_window", in: 1...KerasLimits.maxDimension)
        _ = try arguments.object("kernel_initializer", default: "GlorotUniform")
        _ = try arguments.object("bias_initializer", default: "Zeros")
        _ = try arguments.object("kernel_regularizer", default: nil)
        _ = try arguments.object("bias_regularizer", default: nil)
        _ = try arguments.object("activity_regularizer", default: nil)
        _ = try arguments.object("kernel_constraint", default: nil)
        _ = try arguments.object("bias_constraint", default: nil)
        arguments.trainingOnly("seed")
        try arguments.mustBe("flash_attention", oneOf: [.null, .bool(false)], because: "flash attention is a training-backend choice KerasKit does not reproduce")
    }

    /// The projections in stored order.
    var projections: [String] { ["query", "key"] + (useGate ? ["gate"] : []) + ["value", "attention_output"] }

    public var weightRoles: [WeightRole] {
        projections.flatMap { _ in [WeightRole("kernel")] + (useBias ? [WeightRole("bias")] : []) }
    }

    public var archiveWeights: ArchiveWeights {
        .sublayers(projections.map { name in
            ((name == "attention_output" ? "output" : name) + "_dense", LayerConfig(ArchivedSublayer(common: LayerCommonConfig(name: name))))
        })
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        guard (2...3).contains(inputs.count) else {
            throw .unsupportedTopology(layer: common.name, reason: "takes query, value and optionally key; the call passes \(inputs.count) tensor(s)")
        }
        let query = inputs[0], value = inputs[1], key = inputs.count > 2 ? inputs[2] : inputs[1]
        guard query.count == 3, value.count == 3, key.count == 3 else {
            throw .unsupportedTopology(layer: common.name, reason: "takes rank-3 query, value and key; got \([query, value, key].map(\.shapeDescription).joined(separator: ", "))")
        }
        guard value[1] == key[1] else {
            throw .unsupportedTopology(layer: common.name, reason: "value \(value.shapeDescription) and key \(key.shapeDescription) differ in length")
        }
        let options = try AttentionCallOptions(context.callOptions, layer: common.name)
        let features = try knownLastAxis(query, layer: common.name)
        let units = (query: features, key: try knownLastAxis(key, layer: common.name), value: try knownLastAxis(value, layer: common.name))
        func projection(_ name: String, _ equation: String, _ outputShape: [Int?], _ biasAxes: String, activation: String = "linear") throws(WeightLoadingError) -> EinsumDenseConfig {
            try attentionProjection(name, of: common.name, equation: equation, outputShape: outputShape,
                                    biasAxes: useBias ? biasAxes : nil, activation: activation)
        }
        var made = AttentionProjections(weights: weights, layer: common.name, generation: context.generation)
        let queryLayer = try made.next(try projection("query", "bqm,muh->bquh", [nil, numQueryHeads, headDim], "uh"), input: query)
        let keyLayer = try made.next(try projection("key", "bkm,mvh->bkvh", [nil, numKeyValueHeads, headDim], "vh"), input: key)
        let gateLayer = useGate ? try made.next(try projection("gate", "bqm,muh->bquh", [nil, numQueryHeads, headDim], "uh", activation: "sigmoid"), input: query) : nil
        let valueLayer = try made.next(try projection("value", "bkm,mvh->bkvh", [nil, numKeyValueHeads, headDim], "vh"), input: value)
        let outputLayer = try made.next(try projection("attention_output", "bquh,uhm->bqm", [nil, features], "m"),
                                        input: [nil, nil, numQueryHeads, headDim])
        let settings = AttentionSettings(name: common.name, heads: numQueryHeads, keyValueHeads: numKeyValueHeads, keyDim: headDim, valueDim: headDim,
                                         dropout: dropout, outputShape: nil, slidingWindow: slidingWindow, robustMasking: false, clearsInputMasks: false)
        return RunnableLayer(ScaledDotProductAttentionLayer<Scalar>(
            config: settings, generation: context.generation, options: options, attentionAxes: [1],
            query: queryLayer, key: keyLayer, gate: gateLayer, value: valueLayer, output: outputLayer,
            units: units, hasKey: inputs.count > 2, inputRank: 3))
    }
}
