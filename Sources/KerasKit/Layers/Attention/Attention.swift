/// `keras.layers.Attention` (Luong): scores are `query · keyᵀ` (`score_mode` `"dot"`), or
/// `Σ tanh(query + key)` over the features (`"concat"`); a softmax over the value steps turns
/// them into weights for a combination of the value's steps.
///
/// Weights, as each writer builds them: `scale` (a scalar, `use_scale`) multiplies the dot
/// scores, or the sum `query + key` inside the tanh; `concat_score_weight` (a scalar, `"concat"`
/// only) multiplies the summed tanh. The call (inputs, masks, `use_causal_mask`,
/// `return_attention_scores`) is ``AttentionLayer``'s, shared with ``AdditiveAttentionConfig``.
/// `dropout` drops attention weights in training only.
public struct AttentionConfig: LayerBuilding {
    public static let className = "Attention"
    public static var callOptions: [String] { AttentionLayer<Float>.callOptions }
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// Whether a learned scalar `scale` scales the scores.
    public let useScale: Bool
    /// Whether the scores are `Σ tanh(query + key)` (`"concat"`) rather than dot products (`"dot"`).
    public let concatScores: Bool
    /// The fraction of attention weights dropped in training (no effect at inference).
    public let dropout: Double
    /// Keras 2's deprecated `causal` flag: a causal mask on every call, as `use_causal_mask=True`.
    public let causal: Bool

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        useScale = try arguments.flag("use_scale", default: false)
        // Keras compares the name exactly: "Dot" is refused there too.
        let mode = try arguments.string("score_mode", default: "dot") ?? "dot"
        guard mode == "dot" || mode == "concat" else {
            throw arguments.invalid("score_mode", "'\(mode)' is not one of 'dot', 'concat'")
        }
        concatScores = mode == "concat"
        dropout = try arguments.rate("dropout")
        arguments.trainingOnly("seed")
        causal = try readCausalFlag(&arguments)
    }

    /// Keras's order: `scale` first, then `concat_score_weight`; both scalars.
    public var weightRoles: [WeightRole] {
        (useScale ? [WeightRole("scale")] : []) + (concatScores ? [WeightRole("concat_score_weight")] : [])
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let shapes = try AttentionShapes(inputs, layer: common.name)
        let scale = useScale ? try weights.values("scale", shape: [])[0] : nil
        let score: AttentionScore<Scalar>
        if concatScores {
            score = .concat(scale: scale, weight: try weights.values("concat_score_weight", shape: [])[0])
        } else {
            score = .dot(scale: scale)
        }
        return RunnableLayer(try AttentionLayer<Scalar>(common: common, score: score, shapes: shapes, causalFlag: causal, context: context))
    }
}

/// `keras.layers.AdditiveAttention` (Bahdanau): scores are `Σ scale · tanh(query + key)` over
/// the features, `scale` a learned vector (`use_scale`, on by default) of the query's size
/// (Keras 3) or the value's (tf-keras; both must equal the key's). Everything else is
/// ``AttentionLayer``'s call, shared with ``AttentionConfig``.
public struct AdditiveAttentionConfig: LayerBuilding {
    public static let className = "AdditiveAttention"
    public static var callOptions: [String] { AttentionLayer<Float>.callOptions }
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// Whether a learned vector `scale` weights the tanh terms.
    public let useScale: Bool
    /// The fraction of attention weights dropped in training (no effect at inference).
    public let dropout: Double
    /// Keras 2's deprecated `causal` flag: a causal mask on every call, as `use_causal_mask=True`.
    public let causal: Bool

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        useScale = try arguments.flag("use_scale", default: true)
        dropout = try arguments.rate("dropout")
        arguments.trainingOnly("seed")
        causal = try readCausalFlag(&arguments)
    }

    public var weightRoles: [WeightRole] { useScale ? [WeightRole("scale")] : [] }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let shapes = try AttentionShapes(inputs, layer: common.name)
        var scale: [Scalar]? = nil
        if useScale {
            // Keras 3 sizes it by the query, tf-keras by the value; it multiplies the key-sized tanh.
            let written = context.generation == .keras3 ? shapes.queryFeatures : shapes.valueFeatures
            guard written == shapes.keyFeatures else {
                throw .unsupportedTopology(layer: common.name, reason: "tf-keras sizes scale by the value's \(shapes.valueFeatures) features, which differ from the key's \(shapes.keyFeatures); tf-keras can't run it either")
            }
            scale = try weights.values("scale", shape: [written])
        }
        return RunnableLayer(try AttentionLayer<Scalar>(common: common, score: .additive(scale: scale), shapes: shapes, causalFlag: causal, context: context))
    }
}

/// `causal`, which Keras 2 wrote before `use_causal_mask` replaced it and tf-keras still reads;
/// recorded only when the config has it.
private func readCausalFlag(_ arguments: inout LayerArguments) throws(KerasConfigError) -> Bool {
    arguments.contains("causal") ? try arguments.flag("causal", default: false) : false
}

/// How the scores `(batch, Tq, Tv)` come from the query and the key, with the weights read.
enum AttentionScore<Scalar: ComputeScalar>: Sendable {
    /// `query · keyᵀ`, then `· scale`.
    case dot(scale: Scalar?)
    /// `weight · Σ tanh(scale · (query + key))`.
    case concat(scale: Scalar?, weight: Scalar)
    /// `Σ scale · tanh(query + key)` (a vector `scale`, or 1).
    case additive(scale: [Scalar]?)

    /// Whether the scores are a matrix product (no tanh terms to hold).
    var isDot: Bool {
        if case .dot = self { return true }
        return false
    }
}

/// The static shapes of an attention call: `[query, value]` or `[query, value, key]`, each
/// `(batch, steps, features)`.
struct AttentionShapes {
    var inputCount: Int
    var queryFeatures: Int
    var valueFeatures: Int
    var keyFeatures: Int

    init(_ inputs: [[Int?]], layer: String) throws(WeightLoadingError) {
        guard inputs.count == 2 || inputs.count == 3 else {
            throw .unsupportedTopology(layer: layer, reason: "attention takes [query, value] or [query, value, key], got \(inputs.count) input(s)")
        }
        let names = ["query", "value", "key"]
        for (name, shape) in zip(names, inputs) where shape.count != 3 {
            throw .unsupportedTopology(layer: layer, reason: "the \(name) \(shape.shapeDescription) is not (batch, steps, features); KerasKit runs rank-3 attention only")
        }
        let query = inputs[0], value = inputs[1], key = inputs.count == 3 ? inputs[2] : inputs[1]
        inputCount = inputs.count
        queryFeatures = try knownLastAxis(query, layer: layer)
        valueFeatures = try knownLastAxis(value, layer: layer)
        keyFeatures = try knownLastAxis(key, layer: layer)
        guard queryFeatures == keyFeatures else {
            throw .unsupportedTopology(layer: layer, reason: "the query's \(queryFeatures) features differ from the key's \(keyFeatures): scores need the same size")
        }
        if let a = value[1], let b = key[1], a != b {
            throw .unsupportedTopology(layer: layer, reason: "the value's \(a) steps differ from the key's \(b)")
        }
        for shape in [value, key] {
            if let a = query[0], let b = shape[0], a != b {
                throw .unsupportedTopology(layer: layer, reason: "the inputs' batch sizes differ: \(query.shapeDescription) and \(shape.shapeDescription)")
            }
        }
    }
}

/// One call of `Attention` or `AdditiveAttention`, as both writers' `call` computes it, per sample:
///
/// 1. scores `(Tq, Tv)` from the query and the key (``AttentionScore``);
/// 2. where the value's mask is false, or (causal) for key steps after the query step, the score
///    less 10⁹ (65504 under a float16 policy), as Keras's `scores - max_value` rounds it;
/// 3. a softmax over the value steps (maximum subtracted, `exp`, times `1 / Σ`, as TensorFlow's
///    kernel does), which `return_attention_scores` returns as a second output;
/// 4. the weights times the value `(Tv, dv)`;
/// 5. where the query's mask is false the output is 0 (Keras 3's `where`; tf-keras multiplies by
///    the mask as a number, which an explicit float mask makes visible).
///
/// Masks: a call's `mask=[query_mask, value_mask(, key_mask)]` replaces the inputs' own (those an
/// `Embedding(mask_zero=True)` or `Masking` attaches, one per input); the key's mask is never read.
/// The output carries the query's mask; the scores carry none.
struct AttentionLayer<Scalar: ComputeScalar>: InferenceLayer {
    static var callOptions: [String] { ["use_causal_mask", "return_attention_scores"] }

    let name: String
    let score: AttentionScore<Scalar>
    let inputCount: Int
    let causal: Bool
    let returnsScores: Bool
    /// What masked scores lose: 10⁹, or 65504 when the policy computes in float16.
    let padding: Scalar
    let generation: KerasGeneration

    init(common: LayerCommonConfig, score: AttentionScore<Scalar>, shapes: AttentionShapes, causalFlag: Bool,
         context: LayerBuildContext<Scalar>) throws(WeightLoadingError) {
        name = common.name
        self.score = score
        inputCount = shapes.inputCount
        func option(_ key: String) throws(WeightLoadingError) -> Bool {
            switch context.callOptions[key] {
            case nil, .null?: return false
            case .bool(let value)?: return value
            case let other?:
                throw .unsupportedTopology(layer: common.name, reason: "the call passes \(key)=\(pythonLiteral(other)); KerasKit takes True or False")
            }
        }
        if causalFlag, context.generation == .keras3 {
            throw .unsupportedTopology(layer: common.name, reason: "the config sets Keras 2's causal=True, which Keras 3 refuses (its call takes use_causal_mask)")
        }
        causal = try option("use_causal_mask") || causalFlag
        returnsScores = try option("return_attention_scores")
        let policy = common.dtype?.name ?? "float32"
        padding = policy == "float16" || policy == "mixed_float16" ? 65504 : 1e9
        generation = context.generation
    }

    var parameterCount: Int {
        switch score {
        case .dot(let scale): scale == nil ? 0 : 1
        case .concat(let scale, _): scale == nil ? 1 : 2
        case .additive(let scale): scale?.count ?? 0
        }
    }
    var readsMaskTensors: Bool { true }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        let query = inputs[0], value = inputs[1], key = inputs.count > 2 ? inputs[2] : inputs[1]
        let output = [query[0], query[1], value[2]]
        return returnsScores ? [output, [query[0], query[1], key[1]]] : [output]
    }

    func estimatedFLOPs(inputs: [[Int]]) -> Double {
        guard inputs.count >= 2, inputs.allSatisfy({ $0.count == 3 }) else { return 0 }
        let query = inputs[0], value = inputs[1]
        let weighting = 2 * Double(query[0]) * Double(query[1]) * Double(value[1]) * Double(value[2])
        guard case .dot = score else { return weighting }
        return weighting + 2 * Double(query[0]) * Double(query[1]) * Double(value[1]) * Double(query[2])
    }

    /// The masks a call applies, as Keras's `call` receives them: an explicit `mask=` list if the
    /// call passes one (its entries, even where nil), else the inputs' own masks.
    private func masks(of call: LayerCall<Scalar>, batch: Int, querySteps: Int, valueSteps: Int) throws(PredictionError) -> (query: [Scalar]?, value: [Bool]?) {
        if !call.maskTensors.isEmpty {
            var query: [Scalar]? = nil
            var value: [Bool]? = nil
            if let tensor = call.maskTensors[0] {
                guard tensor.shape == [batch, querySteps] else {
                    throw .inputShapeMismatch(layer: name, expected: "a query mask of shape \([batch, querySteps].shapeDescription)", actual: tensor.shape)
                }
                // Keras 3 keeps the output where the mask is true (any non-zero number);
                // tf-keras multiplies the output by the mask cast to the output's dtype.
                query = generation == .keras3 ? tensor.scalars.map { $0 != 0 ? 1 : 0 } : tensor.scalars
            }
            if call.maskTensors.count > 1, let tensor = call.maskTensors[1] {
                guard tensor.shape == [batch, valueSteps] else {
                    throw .inputShapeMismatch(layer: name, expected: "a value mask of shape \([batch, valueSteps].shapeDescription)", actual: tensor.shape)
                }
                value = tensor.scalars.map { $0 != 0 }
            }
            return (query, value)
        }
        func checked(_ index: Int, steps: Int) throws(PredictionError) -> Mask? {
            guard index < call.masks.count, let mask = call.masks[index] else { return nil }
            guard mask.batch == batch, mask.steps == steps, mask.values.count == batch * steps else {
                throw .inputShapeMismatch(layer: name, expected: "a mask of shape \([batch, steps].shapeDescription) on input \(index)", actual: [mask.batch, mask.steps])
            }
            return mask
        }
        let query = try checked(0, steps: querySteps).map { $0.values.map { $0 ? Scalar(1) : 0 } }
        return (query, try checked(1, steps: valueSteps)?.values)
    }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        guard call.inputs.count == inputCount else {
            throw .inputShapeMismatch(layer: name, expected: "\(inputCount) inputs", actual: [call.inputs.count])
        }
        let query = call.inputs[0], value = call.inputs[1], key = inputCount == 3 ? call.inputs[2] : call.inputs[1]
        guard query.rank == 3, value.rank == 3, key.rank == 3 else {
            throw .inputShapeMismatch(layer: name, expected: "rank-3 query, value and key", actual: query.rank == 3 ? (value.rank == 3 ? key.shape : value.shape) : query.shape)
        }
        let batch = query.shape[0], querySteps = query.shape[1], features = query.shape[2]
        let valueSteps = value.shape[1], valueFeatures = value.shape[2]
        guard value.shape[0] == batch, key.shape[0] == batch, key.shape[1] == valueSteps, key.shape[2] == features else {
            throw .inputShapeMismatch(layer: name, expected: "a value (\(batch), Tv, dv) and key (\(batch), Tv, \(features)) for the query \(query.shape.shapeDescription)",
                                      actual: inputCount == 3 ? key.shape : value.shape)
        }
        if case .additive(let scale?) = score, scale.count != features {
            throw .inputShapeMismatch(layer: name, expected: "queries and keys of \(scale.count) features", actual: query.shape)
        }
        let (queryMask, valueMask) = try masks(of: call, batch: batch, querySteps: querySteps, valueSteps: valueSteps)
        let outputCount = try checkedElementCount([batch, querySteps, valueFeatures], layer: name)
        let scoreCount = try checkedElementCount([batch, querySteps, valueSteps], layer: name)
        // Work space per thread: one query step's `Tv × d` tanh terms (concat and additive
        // scores), then the sample's `(Tq, Tv)` scores when they are not returned.
        let termCount = try checkedElementCount([valueSteps, features], layer: name)
        let sampleScores = try checkedElementCount([querySteps, valueSteps], layer: name)
        let scratchStride = (score.isDot ? 0 : termCount) + (returnsScores ? 0 : sampleScores)
        var output = call.outputBuffer(outputCount, zeroed: true)
        var scores = returnsScores ? call.outputBuffer(scoreCount, zeroed: true) : []
        let work = Double(scoreCount) * Double(features + valueFeatures)
        let chunks = work >= Double(PackedMatrix.parallelThreshold) ? max(1, min(Parallel.coreCount, batch)) : 1
        var scratch = [Scalar](repeating: 0, count: try checkedElementCount([chunks, max(scratchStride, 1)], layer: name))
        let sizes = Sizes(querySteps: querySteps, valueSteps: valueSteps, features: features, valueFeatures: valueFeatures)
        let returnsScores = returnsScores

        query.scalars.withUnsafeBufferPointer { q in
            key.scalars.withUnsafeBufferPointer { k in
                value.scalars.withUnsafeBufferPointer { v in
                    output.withUnsafeMutableBufferPointer { o in
                        scores.withUnsafeMutableBufferPointer { s in
                            scratch.withUnsafeMutableBufferPointer { w in
                                // An empty array's buffer may still have an address (the shared
                                // empty storage): the scores are written there only when returned.
                                let pointers = UncheckedSendable((q.baseAddress, k.baseAddress, v.baseAddress, o.baseAddress,
                                                                  returnsScores ? s.baseAddress : nil, w.baseAddress))
                                Parallel.forEachIndexedChunk(of: batch, chunks: chunks) { chunk, samples in
                                    let (q, k, v, o, s, w) = pointers.value
                                    guard let q, let k, let v, let o, let w, sizes.querySteps > 0, sizes.valueSteps > 0 else { return }
                                    let terms = w + chunk * scratchStride
                                    let own = terms + (score.isDot ? 0 : termCount)
                                    for sample in samples {
                                        let sampleScores = s.map { $0 + sample * sizes.querySteps * sizes.valueSteps } ?? own
                                        attend(sample: sample, sizes: sizes, query: q, key: k, value: v, output: o, scores: sampleScores,
                                               terms: terms, parallel: chunks == 1, queryMask: queryMask, valueMask: valueMask)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let attended = TensorOf(uncheckedShape: [batch, querySteps, valueFeatures], scalars: output)
        guard returnsScores else { return [attended] }
        return [attended, TensorOf(uncheckedShape: [batch, querySteps, valueSteps], scalars: scores)]
    }

    /// One call's sizes.
    private struct Sizes {
        var querySteps: Int
        var valueSteps: Int
        var features: Int
        var valueFeatures: Int
    }

    /// Steps 1–5 for one sample: its scores `(Tq, Tv)` go to `scores` (the returned ones, or work
    /// space), `terms` (`Tv × d`) holds one query step's tanh terms, and the sample's output rows
    /// are written in place. The two matrix products run on ``ComputeScalar/Matrix`` (the packed
    /// SIMD kernels in `Float`), each right-hand side prepared once per sample; `parallel` lets
    /// them split rows over the cores when the batch itself is not split.
    @inline(__always)
    private func attend(sample: Int, sizes: Sizes, query: UnsafePointer<Scalar>, key: UnsafePointer<Scalar>, value: UnsafePointer<Scalar>,
                        output: UnsafeMutablePointer<Scalar>, scores: UnsafeMutablePointer<Scalar>, terms: UnsafeMutablePointer<Scalar>,
                        parallel: Bool, queryMask: [Scalar]?, valueMask: [Bool]?) {
        let tq = sizes.querySteps, tv = sizes.valueSteps, d = sizes.features, dv = sizes.valueFeatures
        let q = query + sample * tq * d, k = key + sample * tv * d, v = value + sample * tv * dv
        let o = output + sample * tq * dv
        // 1. Scores.
        switch score {
        case .dot(let scale):
            // query · keyᵀ, keyᵀ `(d, Tv)` as the product's right-hand side.
            let transposed = [Scalar](unsafeUninitializedCapacity: d * tv) { buffer, count in
                for step in 0..<tv {
                    for feature in 0..<d { buffer[feature * tv + step] = k[step * d + feature] }
                }
                count = d * tv
            }
            Scalar.matrix(transposed, rows: d, columns: tv, groups: 1).multiply(m: tq, q, lda: d, into: scores, ldc: tv, parallel: parallel)
            if let scale {
                for index in 0..<(tq * tv) { scores[index] *= scale }
            }
        case .concat(let scale, let weight):
            for row in 0..<tq {
                let qRow = q + row * d, sRow = scores + row * tv
                for step in 0..<tv {
                    let kRow = k + step * d, tRow = terms + step * d
                    if let scale {
                        for feature in 0..<d { tRow[feature] = scale * (qRow[feature] + kRow[feature]) }
                    } else {
                        for feature in 0..<d { tRow[feature] = qRow[feature] + kRow[feature] }
                    }
                }
                Scalar.applyTanh(terms, count: tv * d)
                for step in 0..<tv {
                    let tRow = terms + step * d
                    var sum: Scalar = 0
                    for feature in 0..<d { sum += tRow[feature] }
                    sRow[step] = weight * sum
                }
            }
        case .additive(let scale):
            for row in 0..<tq {
                let qRow = q + row * d, sRow = scores + row * tv
                for step in 0..<tv {
                    let kRow = k + step * d, tRow = terms + step * d
                    for feature in 0..<d { tRow[feature] = qRow[feature] + kRow[feature] }
                }
                Scalar.applyTanh(terms, count: tv * d)
                for step in 0..<tv {
                    let tRow = terms + step * d
                    var sum: Scalar = 0
                    if let scale {
                        for feature in 0..<d { sum += scale[feature] * tRow[feature] }
                    } else {
                        for feature in 0..<d { sum += tRow[feature] }
                    }
                    sRow[step] = sum
                }
            }
        }
        let padding = padding
        for row in 0..<tq {
            let sRow = scores + row * tv
            // 2. Padding and causal masks: Keras ANDs them, so a step both pad and future loses
            // the padding once.
            let open = causal ? Swift.min(row + 1, tv) : tv
            if let valueMask {
                let base = sample * tv
                for step in 0..<open where !valueMask[base + step] { sRow[step] -= padding }
            }
            for step in open..<tv { sRow[step] -= padding }
            // 3. The softmax.
            var maximum = -Scalar.infinity
            for step in 0..<tv { maximum = Swift.max(maximum, sRow[step]) }
            for step in 0..<tv { sRow[step] -= maximum }
            Scalar.exponentiate(sRow, count: tv)
            var sum: Scalar = 0
            for step in 0..<tv { sum += sRow[step] }
            let inverse = 1 / sum
            for step in 0..<tv { sRow[step] *= inverse }
        }
        // 4. The combination of the value's steps.
        let values = [Scalar](UnsafeBufferPointer(start: v, count: tv * dv))
        Scalar.matrix(values, rows: tv, columns: dv, groups: 1).multiply(m: tq, UnsafePointer(scores), lda: tv, into: o, ldc: dv, parallel: parallel)
        // 5. The query's mask.
        if let queryMask {
            for row in 0..<tq {
                let factor = queryMask[sample * tq + row]
                guard factor != 1 else { continue }
                let oRow = o + row * dv
                if generation == .keras3 {
                    for feature in 0..<dv { oRow[feature] = 0 }
                } else {
                    for feature in 0..<dv { oRow[feature] *= factor }
                }
            }
        }
    }

    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] {
        let mask: Mask?
        if !call.maskTensors.isEmpty {
            mask = call.maskTensors[0].map { tensor in
                Mask(batch: tensor.shape.first ?? 0, steps: tensor.rank == 2 ? tensor.shape[1] : 1, values: tensor.scalars.map { $0 != 0 })
            }
        } else {
            mask = call.mask
        }
        guard let mask else { return [] }
        return returnsScores ? [mask, nil] : [mask]
    }
}
