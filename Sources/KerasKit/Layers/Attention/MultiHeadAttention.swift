import Foundation

/// `keras.layers.MultiHeadAttention`: `query`, `value` and `key` (default `value`) projected
/// per head by `EinsumDense` sublayers, scaled dot-product attention over `attention_axes`,
/// and the heads projected back (to `output_shape`, default the query's last axis).
///
/// Masks combine as Keras combines them: the Keras masks of the query (`[B, T, 1]`), the value
/// and the key (`[B, 1, S]`), the causal mask, a sliding window and the `attention_mask=` tensor,
/// all and-ed. How masked scores are removed follows the writer and the path Keras takes:
/// Keras 3's fused `dot_product_attention` (no scores returned, no dropout, rank-3 inputs) puts
/// `-0.7 · 3.38953e38` where masked; its explicit path (the Softmax layer) puts `−10⁹` and zeroes
/// masked places after; tf-keras adds `(1 − mask) · −10⁹`. A fully masked query row is uniform
/// under the first and the last, zero under the second, as in Keras.
public struct MultiHeadAttentionConfig: LayerBuilding {
    public static let className = "MultiHeadAttention"
    public static let tensorParameters = ["query", "value", "key"]
    public static let keywordTensorParameters = ["attention_mask"]
    public static let callOptions = ["use_causal_mask", "return_attention_scores"]
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// Attention heads.
    public let numHeads: Int
    /// Size of each head's query and key.
    public let keyDim: Int
    /// Size of each head's value (default `keyDim`).
    public let valueDim: Int
    /// Dropout on the attention scores: none at inference, but it sends Keras 3 down its
    /// explicit path.
    public let dropout: Double
    /// Whether the projections have biases.
    public let useBias: Bool
    /// Keras 3.15's sigmoid gate on the heads' outputs.
    public let useGate: Bool
    /// The output's trailing shape (nil: the query's last axis).
    public let outputShape: [Int]?
    /// The axes attention runs over (nil: every axis between the batch and the features).
    public let attentionAxes: [Int]?
    /// Keras 3.15: each query position sees only keys within this distance − 1.
    public let slidingWindow: Int?
    /// tf-keras: masked scores replaced by −10⁹ rather than shifted by it.
    public let robustMasking: Bool

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        numHeads = try arguments.integer("num_heads", default: nil, in: 1...KerasLimits.maxDimension)
        keyDim = try arguments.integer("key_dim", default: nil, in: 1...KerasLimits.maxDimension)
        valueDim = try arguments.optionalInteger("value_dim", in: 1...KerasLimits.maxDimension) ?? keyDim
        dropout = try arguments.number("dropout", default: 0, in: 0...1)
        useBias = try arguments.flag("use_bias", default: true)
        useGate = try arguments.flag("use_gate", default: false)
        if case .number = arguments.json("output_shape") {
            outputShape = [try arguments.integer("output_shape", default: nil, in: 1...KerasLimits.maxDimension)]
        } else if let shape = try arguments.shape("output_shape") {
            var sizes: [Int] = []
            for size in shape {
                guard let size, size > 0 else { throw arguments.invalid("output_shape", "\(shape.shapeDescription) has a size that is not a positive integer") }
                sizes.append(size)
            }
            outputShape = sizes.isEmpty ? nil : sizes
        } else {
            outputShape = nil
        }
        let axes = try arguments.integers("attention_axes")
        attentionAxes = axes
        if let axes { arguments.record("attention_axes", axes.json) }
        slidingWindow = try arguments.optionalInteger("sliding_window", in: 1...KerasLimits.maxDimension)
        robustMasking = try arguments.flag("softmax_robust_masking", default: false)
        // tf-keras records the shapes it was built for; the graph gives them again.
        _ = try arguments.shape("query_shape")
        _ = try arguments.shape("key_shape")
        _ = try arguments.shape("value_shape")
        _ = try arguments.object("kernel_initializer", default: "GlorotUniform")
        _ = try arguments.object("bias_initializer", default: "Zeros")
        _ = try arguments.object("kernel_regularizer", default: nil)
        _ = try arguments.object("bias_regularizer", default: nil)
        _ = try arguments.object("activity_regularizer", default: nil)
        _ = try arguments.object("kernel_constraint", default: nil)
        _ = try arguments.object("bias_constraint", default: nil)
        arguments.trainingOnly("seed")
        try arguments.mustBe("flash_attention", oneOf: [.null, .bool(false)], because: "flash attention is a training-backend choice KerasKit does not reproduce")
        guard numHeads.multipliedReportingOverflow(by: max(keyDim, valueDim)).overflow == false,
              numHeads * max(keyDim, valueDim) <= KerasLimits.maxDimension else {
            throw arguments.invalid("num_heads", "\(numHeads) heads of \(max(keyDim, valueDim)) is too large")
        }
    }

    /// The projections in the order both writers store their weights.
    var projections: [String] { ["query", "key"] + (useGate ? ["gate"] : []) + ["value", "attention_output"] }

    public var weightRoles: [WeightRole] {
        projections.flatMap { _ in [WeightRole("kernel")] + (useBias ? [WeightRole("bias")] : []) }
    }

    public var archiveWeights: ArchiveWeights {
        let paths = ["query": "query_dense", "key": "key_dense", "gate": "gate_dense", "value": "value_dense", "attention_output": "output_dense"]
        return .sublayers(projections.map { (paths[$0] ?? $0, LayerConfig(ArchivedSublayer(common: LayerCommonConfig(name: $0)))) })
    }

    /// Keras's `_build_proj_equation`: `free` axes kept, `bound` contracted, `output` made.
    static func projectionEquation(free: Int, bound: Int, output: Int) -> (equation: String, biasAxes: String) {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        let kept = String(letters[0..<free]), contracted = String(letters[free..<(free + bound)])
        let made = String(letters[(free + bound)..<(free + bound + output)])
        return ("\(kept)\(contracted),\(contracted)\(made)->\(kept)\(made)", made)
    }

    /// An `EinsumDense` sublayer as Keras builds it.
    private func projection(_ name: String, free: Int, bound: Int, trailing: [Int], activation: String = "linear") throws(WeightLoadingError) -> EinsumDenseConfig {
        let (equation, biasAxes) = Self.projectionEquation(free: free, bound: bound, output: trailing.count)
        // `_get_output_shape`: unknown sizes for the kept axes after the batch, then `trailing`.
        let outputShape: [Int?] = Array(repeating: nil, count: free - 1) + trailing
        return try attentionProjection(name, of: common.name, equation: equation, outputShape: outputShape,
                                       biasAxes: useBias ? biasAxes : nil, activation: activation)
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        guard (2...3).contains(inputs.count) else {
            throw .unsupportedTopology(layer: common.name, reason: "takes query, value and optionally key; the call passes \(inputs.count) tensor(s)")
        }
        let query = inputs[0], value = inputs[1], key = inputs.count > 2 ? inputs[2] : inputs[1]
        let rank = query.count
        guard rank >= 3, value.count == rank, key.count == rank else {
            throw .unsupportedTopology(layer: common.name, reason: "query, value and key must have the same rank, at least 3; got \([query, value, key].map(\.shapeDescription).joined(separator: ", "))")
        }
        guard Array(value.dropFirst().dropLast()) == Array(key.dropFirst().dropLast()) else {
            throw .unsupportedTopology(layer: common.name, reason: "value \(value.shapeDescription) and key \(key.shapeDescription) differ before the last axis")
        }
        // Projected tensors have rank + 1 axes (the heads before the features).
        let projectedRank = rank + 1
        var axes: [Int] = []
        for axis in attentionAxes ?? Array(1..<(projectedRank - 2)) {
            let resolved = axis >= 0 ? axis : (projectedRank - 1) + axis
            guard (1..<(projectedRank - 2)).contains(resolved), !axes.contains(resolved) else {
                throw .unsupportedTopology(layer: common.name, reason: "attention_axes \(attentionAxes ?? []) doesn't fit inputs of rank \(rank)")
            }
            axes.append(resolved)
        }
        let options = try AttentionCallOptions(context.callOptions, layer: common.name)
        let queryUnits = try knownLastAxis(query, layer: common.name)
        let valueUnits = try knownLastAxis(value, layer: common.name)
        let keyUnits = try knownLastAxis(key, layer: common.name)
        let free = rank - 1
        let queryConfig = try projection("query", free: free, bound: 1, trailing: [numHeads, keyDim])
        let keyConfig = try projection("key", free: free, bound: 1, trailing: [numHeads, keyDim])
        let gateConfig = useGate ? try projection("gate", free: free, bound: 1, trailing: [numHeads, valueDim], activation: "sigmoid") : nil
        let valueConfig = try projection("value", free: free, bound: 1, trailing: [numHeads, valueDim])
        let outputConfig = try projection("attention_output", free: free, bound: 2, trailing: outputShape ?? [queryUnits])
        var projections = AttentionProjections(weights: weights, layer: common.name, generation: context.generation)
        func sublayer(_ config: EinsumDenseConfig, input: [Int?]) throws(WeightLoadingError) -> EinsumDenseLayer<Scalar> {
            try projections.next(config, input: input)
        }
        let headsOutput = Array(query.dropLast()) + [numHeads, valueDim]
        let settings = AttentionSettings(name: common.name, heads: numHeads, keyValueHeads: numHeads, keyDim: keyDim, valueDim: valueDim,
                                         dropout: dropout, outputShape: outputShape, slidingWindow: slidingWindow,
                                         robustMasking: robustMasking, clearsInputMasks: context.generation == .keras3)
        let layer = ScaledDotProductAttentionLayer<Scalar>(
            config: settings, generation: context.generation, options: options, attentionAxes: axes,
            query: try sublayer(queryConfig, input: query), key: try sublayer(keyConfig, input: key),
            gate: try gateConfig.map { config throws(WeightLoadingError) in try sublayer(config, input: query) },
            value: try sublayer(valueConfig, input: value), output: try sublayer(outputConfig, input: headsOutput),
            units: (queryUnits, keyUnits, valueUnits), hasKey: inputs.count > 2,
            inputRank: rank)
        return RunnableLayer(layer)
    }
}

