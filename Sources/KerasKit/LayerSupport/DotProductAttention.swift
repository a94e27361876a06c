import Foundation

/// An attention layer's `EinsumDense` projection as Keras builds it, named `layer/name`.
func attentionProjection(_ name: String, of layer: String, equation: String, outputShape: [Int?], biasAxes: String?,
                         activation: String = "linear") throws(WeightLoadingError) -> EinsumDenseConfig {
    let members: [String: JSONValue] = [
        "name": .string(name), "equation": .string(equation),
        "output_shape": .array(outputShape.map { $0.map { .number(Double($0)) } ?? .null }),
        "bias_axes": biasAxes.map { .string($0) } ?? .null, "activation": .string(activation),
    ]
    var arguments = LayerArguments(members, layer: "\(layer)/\(name)", className: EinsumDenseConfig.className)
    do {
        return try EinsumDenseConfig(common: LayerCommonConfig(name: "\(layer)/\(name)"), arguments: &arguments)
    } catch {
        throw .unsupportedTopology(layer: layer, reason: error.description)
    }
}

/// Builds an attention layer's projections from its stored weights, in stored order: each
/// takes its kernel, then its bias when it has one.
struct AttentionProjections<Scalar: ComputeScalar> {
    let weights: WeightList<Scalar>
    let layer: String
    let generation: KerasGeneration
    private var index = 0

    init(weights: WeightList<Scalar>, layer: String, generation: KerasGeneration) {
        self.weights = weights
        self.layer = layer
        self.generation = generation
    }

    mutating func next(_ config: EinsumDenseConfig, input: [Int?]) throws(WeightLoadingError) -> EinsumDenseLayer<Scalar> {
        let shapes = try config.weightShapes(input: input)
        let equation: EinsumEquation
        do {
            equation = try EinsumEquation(config.equation, ranks: [input.count, shapes.kernel.count])
        } catch {
            throw .unsupportedTopology(layer: layer, reason: error.description)
        }
        let kernel = try weights.values(index, shape: shapes.kernel)
        index += 1
        var bias: [Scalar]?
        if let shape = shapes.bias {
            bias = try weights.values(index, shape: shape)
            index += 1
        }
        return try EinsumDenseLayer(config: config, generation: generation, plan: EinsumPlan(equation),
                                    kernel: kernel, kernelShape: shapes.kernel, bias: bias, biasShape: shapes.bias ?? [])
    }
}

/// A sublayer the archive keeps weights for in its own `vars` (attention's projections): only
/// where its weights are is read from it.
struct ArchivedSublayer: LayerConfiguration {
    static let className = "EinsumDense"
    let common: LayerCommonConfig

    init(common: LayerCommonConfig) { self.common = common }

    init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// The call options the attention layers implement.
struct AttentionCallOptions: Sendable {
    var useCausalMask = false
    var returnAttentionScores = false

    init(_ options: [String: JSONValue], layer: String) throws(WeightLoadingError) {
        for (key, value) in options {
            guard case .bool(let flag) = value else {
                throw .unsupportedTopology(layer: layer, reason: "the call's \(key)=\(pythonLiteral(value)) is not a boolean")
            }
            if key == "use_causal_mask" { useCausalMask = flag }
            if key == "return_attention_scores" { returnAttentionScores = flag }
        }
    }
}

/// What an attention layer's config fixes for its computation.
struct AttentionSettings: Sendable {
    let name: String
    /// Query heads.
    let heads: Int
    /// Key and value heads: each serves `heads / keyValueHeads` consecutive query heads.
    let keyValueHeads: Int
    let keyDim: Int
    let valueDim: Int
    /// At inference only the path Keras takes depends on it.
    let dropout: Double
    /// The output's trailing shape (nil: the query's last axis).
    let outputShape: [Int]?
    let slidingWindow: Int?
    /// tf-keras: masked scores replaced by −10⁹ rather than shifted by it.
    let robustMasking: Bool
    /// Keras 3's `MultiHeadAttention` deletes its inputs' Keras masks.
    let clearsInputMasks: Bool
}

/// Scaled dot-product attention at inference (`MultiHeadAttention`, `GroupQueryAttention`).
/// Rank-3 inputs attending over their one sequence axis run per sample and head as two matrix
/// products around a fused, stable softmax, reading the projections in place; other shapes run
/// Keras's own einsum equations.
struct ScaledDotProductAttentionLayer<Scalar: ComputeScalar>: InferenceLayer {
    let config: AttentionSettings
    let generation: KerasGeneration
    let options: AttentionCallOptions
    /// Axes of the projected tensors attention runs over.
    let attentionAxes: [Int]
    let query: EinsumDenseLayer<Scalar>
    let key: EinsumDenseLayer<Scalar>
    let gate: EinsumDenseLayer<Scalar>?
    let value: EinsumDenseLayer<Scalar>
    let output: EinsumDenseLayer<Scalar>
    let units: (query: Int, key: Int, value: Int)
    /// Whether calls pass a key (Keras 3 then reads its mask too).
    let hasKey: Bool
    /// The inputs' rank.
    let inputRank: Int

    var name: String { config.name }
    var parameterCount: Int { [query, key, value, output].reduce(gate?.parameterCount ?? 0) { $0 + $1.parameterCount } }
    var readsMaskTensors: Bool { false }
    /// Keras 3's `call` deletes the Keras masks of the query, value and key tensors themselves
    /// (`set_keras_mask(query, None)`), so layers that read them later see no mask.
    var clearsInputMasks: Bool { config.clearsInputMasks }

    /// How masked scores leave the softmax, by writer and Keras 3's path.
    private enum Masking { case fused, softmaxLayer, additive, robust }

    /// Keras 3 takes `dot_product_attention` unless it must return the scores, apply dropout or
    /// attend over inputs of another rank than 3 (projections of rank 4).
    private var fused: Bool {
        generation == .keras3 && !options.returnAttentionScores && config.dropout == 0 && inputRank == 3
    }

    private var masking: Masking {
        if generation == .keras3 { return fused ? .fused : .softmaxLayer }
        return config.robustMasking ? .robust : .additive
    }

    /// `1/√key_dim`: Keras 3 casts the Python float with `tf.cast`, which goes through float32
    /// even for a float64 model; tf-keras multiplies by the Python float itself.
    private var queryScale: Scalar {
        let scale = 1 / Double(config.keyDim).squareRoot()
        return Scalar(generation == .keras3 ? Double(Float(scale)) : scale)
    }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        let queryShape = inputs[0], valueShape = inputs.count > 1 ? inputs[1] : inputs[0]
        let trailing = config.outputShape ?? [units.query]
        var result: [[Int?]] = [Array(queryShape.dropLast()) + trailing.map { $0 }]
        if options.returnAttentionScores {
            // `[batch dims…, heads, query attention dims…, key attention dims…]`.
            let rank = queryShape.count + 1
            let batchAxes = (0..<rank).filter { !attentionAxes.contains($0) && $0 != rank - 1 && $0 != rank - 2 }
            result.append(batchAxes.map { queryShape[$0] } + [config.heads] + attentionAxes.map { queryShape[$0] } + attentionAxes.map { valueShape[$0] })
        }
        return result
    }

    func estimatedFLOPs(inputs: [[Int]]) -> Double {
        guard inputs.count >= 2 else { return 0 }
        let q = inputs[0], v = inputs[1], k = inputs.count > 2 ? inputs[2] : inputs[1]
        let headsShape = Array(q.dropLast()) + [config.heads, config.valueDim]
        let projections = query.estimatedFLOPs(inputs: [q]) + key.estimatedFLOPs(inputs: [k]) + value.estimatedFLOPs(inputs: [v])
            + output.estimatedFLOPs(inputs: [headsShape]) + (gate?.estimatedFLOPs(inputs: [q]) ?? 0)
        let targets = Double(q.dropFirst().dropLast().reduce(1, *)), sources = Double(v.dropFirst().dropLast().reduce(1, *))
        let batch = Double(q.first ?? 1)
        return projections + 2 * batch * Double(config.heads) * targets * sources * Double(config.keyDim + config.valueDim)
    }

    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] {
        guard let mask = call.mask else { return [] }
        return [mask]
    }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        guard call.inputs.count >= 2 else {
            throw .inputShapeMismatch(layer: name, expected: "query and value", actual: [call.inputs.count])
        }
        let queryInput = call.inputs[0], valueInput = call.inputs[1], keyInput = call.inputs.count > 2 ? call.inputs[2] : call.inputs[1]
        func projected(_ layer: EinsumDenseLayer<Scalar>, _ input: TensorOf<Scalar>) throws(PredictionError) -> TensorOf<Scalar> {
            var inner = LayerCall<Scalar>(inputs: [input])
            inner.buffers = call.buffers
            var none: LayerState<Scalar>? = nil
            return try layer.forward(inner, state: &none)[0]
        }
        let q = try projected(query, queryInput)
        let k = try projected(key, keyInput)
        let v = try projected(value, valueInput)
        let mask = try attentionMask(call, query: queryInput, value: valueInput)
        var (heads, scores) = attentionAxes == [1] && queryInput.rank == 3
            ? try sequenceAttention(q, k, v, mask: mask, buffers: call.buffers)
            : try einsumAttention(q, k, v, mask: mask)
        call.buffers?.give(q.scalars)
        call.buffers?.give(k.scalars)
        call.buffers?.give(v.scalars)
        if let gate {
            let gated = try projected(gate, queryInput)
            heads = try broadcastCombine(heads, gated, layer: name) { $0 * $1 }
        }
        let result = try projected(output, heads)
        call.buffers?.give(heads.scalars)
        return options.returnAttentionScores ? [result, scores ?? TensorOf(uncheckedShape: [0], scalars: [])] : [result]
    }

    /// Which query–key pairs count, `[B, T, S]` (or per head `[B, N, T, S]`), as 0/1 or, for
    /// tf-keras with only an `attention_mask`, its values as passed; nil when every pair counts.
    private func attentionMask(_ call: LayerCall<Scalar>, query: TensorOf<Scalar>, value: TensorOf<Scalar>) throws(PredictionError) -> AttentionMask<Scalar>? {
        let batch = query.shape[0]
        let targets = query.rank == 3 ? query.shape[1] : 0, sources = value.rank == 3 ? value.shape[1] : 0
        let queryMask = call.masks.first ?? nil
        let valueMask = call.masks.count > 1 ? call.masks[1] : nil
        // Keras 3 reads the key's mask only when the call passes a key; tf-keras's key defaults
        // to the value, whose mask is already counted.
        let keyMask = hasKey && call.masks.count > 2 ? call.masks[2] : nil
        let explicit = call.keywordInputs["attention_mask"]
        let automatic = queryMask != nil || valueMask != nil || keyMask != nil || options.useCausalMask || config.slidingWindow != nil
        guard automatic || explicit != nil else { return nil }
        guard query.rank == 3 || !automatic else {
            throw .inputShapeMismatch(layer: name, expected: "rank-3 query and value for masks, causal masks and sliding windows", actual: query.shape)
        }
        for (mask, steps) in [(queryMask, targets), (valueMask, sources), (keyMask, sources)] {
            if let mask, mask.batch != batch || mask.steps != steps {
                throw .inputShapeMismatch(layer: name, expected: "a mask of (\(batch), \(steps))", actual: [mask.batch, mask.steps])
            }
        }
        guard let explicit else {
            // Padding, causal and window masks alone: a rule read per pair, no `T × S` table.
            let sourceValid: [Bool]? = switch (valueMask, keyMask) {
            case (nil, nil): nil
            case (let mask?, nil), (nil, let mask?): mask.values
            case (let v?, let k?): zip(v.values, k.values).map { $0 && $1 }
            }
            return AttentionMask(batch: batch, targets: targets, sources: sources,
                                 rule: .init(queryValid: queryMask?.values, sourceValid: sourceValid,
                                             causal: options.useCausalMask, window: config.slidingWindow))
        }
        // Keras expands the mask at the heads axis until it has the scores' rank.
        let scoresRank = attentionAxes.count * 2 + 1 + (query.rank - 1 - attentionAxes.count)
        guard explicit.rank <= scoresRank else {
            throw .inputShapeMismatch(layer: name, expected: "an attention_mask of rank at most \(scoresRank)", actual: explicit.shape)
        }
        var result = AttentionMask(explicit, scoresRank: scoresRank, trailing: attentionAxes.count * 2)
        if generation == .keras3 || automatic { result.makeBoolean() }
        guard automatic else { return result }
        guard result.fits(batch: batch, heads: config.heads, targets: targets, sources: sources) else {
            throw .inputShapeMismatch(layer: name, expected: "an attention_mask broadcasting to (\(batch), \(targets), \(sources))", actual: explicit.shape)
        }
        // An explicit mask combined with automatic ones: Keras's `&` of the two, materialized.
        result.expand(batch: batch, heads: config.heads, targets: targets, sources: sources)
        for sample in 0..<batch {
            for target in 0..<targets {
                for source in 0..<sources {
                    var keep = true
                    if let queryMask, !queryMask.isValid(sample: sample, step: target) { keep = false }
                    if let valueMask, !valueMask.isValid(sample: sample, step: source) { keep = false }
                    if let keyMask, !keyMask.isValid(sample: sample, step: source) { keep = false }
                    if options.useCausalMask, source > target { keep = false }
                    if let window = config.slidingWindow, abs(target - source) >= window { keep = false }
                    if !keep { result.clear(sample: sample, target: target, source: source) }
                }
            }
        }
        return result
    }

    /// Rank-3 inputs: per sample and head, `scores = q·kᵀ` (`T × S`), the masked softmax of
    /// each row, then `heads = scores·v`, the projections read in place with their strides. The
    /// two products pack their right-hand side (`kᵀ`, `v`) per head into scratch and run the
    /// SIMD kernels (``ComputeScalar/multiplyTransient(m:n:k:_:lda:_:ldb:transposed:into:ldc:scratch:)``);
    /// the sample–head pairs are independent and split over the cores.
    private func sequenceAttention(_ q: TensorOf<Scalar>, _ k: TensorOf<Scalar>, _ v: TensorOf<Scalar>, mask: AttentionMask<Scalar>?,
                                   buffers: BufferPool<Scalar>?) throws(PredictionError) -> (TensorOf<Scalar>, TensorOf<Scalar>?) {
        let batch = q.shape[0], targets = q.shape[1], sources = k.shape[1]
        let heads = config.heads, keyDim = config.keyDim, valueDim = config.valueDim
        let kvHeads = config.keyValueHeads, repeats = max(1, heads / max(1, kvHeads))
        guard k.shape[0] == batch, v.shape[0] == batch, v.shape[1] == sources else {
            throw .inputShapeMismatch(layer: name, expected: "value and key of the query's batch and the same length", actual: v.shape)
        }
        if let mask, !mask.fits(batch: batch, heads: heads, targets: targets, sources: sources) {
            throw .inputShapeMismatch(layer: name, expected: "an attention_mask broadcasting to (\(batch), \(heads), \(targets), \(sources))", actual: mask.shape)
        }
        let outputCount = try checkedElementCount([batch, targets, heads, valueDim], layer: name)
        let scoresCount = try checkedElementCount([batch, heads, targets, sources], layer: name)
        let block = try checkedElementCount([targets, sources], layer: name)
        var output = buffers?.take(outputCount, zeroed: false) ?? [Scalar](repeating: 0, count: outputCount)
        let keepScores = options.returnAttentionScores
        var scores = keepScores ? [Scalar](repeating: 0, count: scoresCount) : []
        // Per chunk of pairs: its scores block (unless every block is kept) and the packed panels.
        let packCount = max(Scalar.transientScratchCount(rows: keyDim, columns: sources),
                            Scalar.transientScratchCount(rows: sources, columns: valueDim))
        let chunkScratch = (keepScores ? 0 : block) + packCount
        let pairs = batch * heads
        let work = Double(pairs) * Double(block) * Double(keyDim + valueDim)
        let chunks = work >= Double(PackedMatrix.parallelThreshold) ? min(Parallel.coreCount, pairs) : 1
        let scratchCount = try checkedElementCount([max(chunks, 1), max(chunkScratch, 1)], layer: name)
        var scratch = buffers?.take(scratchCount, zeroed: false) ?? [Scalar](repeating: 0, count: scratchCount)
        defer { buffers?.give(scratch) }
        let scale = queryScale
        let masking = masking
        let fusedNegative = Scalar(3.38953e38 * -0.7)
        let largeNegative = Scalar(-1e9)
        // Keras's explicit paths scale the query before the product, the fused one the scores
        // (in the softmax's first pass, unless a mask goes in between).
        let scaleFirst = masking != .fused
        let softmaxScale: Scalar = scaleFirst || mask != nil ? 1 : scale
        var q = q
        if scaleFirst {
            q.scalars.withUnsafeMutableBufferPointer { values in
                for index in values.indices { values[index] *= scale }
            }
        }
        q.scalars.withUnsafeBufferPointer { qp in
            k.scalars.withUnsafeBufferPointer { kp in
                v.scalars.withUnsafeBufferPointer { vp in
                    output.withUnsafeMutableBufferPointer { op in
                        scores.withUnsafeMutableBufferPointer { sp in
                            scratch.withUnsafeMutableBufferPointer { tp in
                                guard let ob = op.baseAddress else { return }
                                // (An empty array's base address may or may not be nil: only a kept one is read.)
                                let sb = keepScores ? sp.baseAddress : nil
                                guard let qb = qp.baseAddress, let kb = kp.baseAddress, let vb = vp.baseAddress, let tb = tp.baseAddress,
                                      sb != nil || !keepScores else {
                                    // No source (or no feature): every weighted sum is empty.
                                    ob.update(repeating: 0, count: outputCount)
                                    return
                                }
                                let pointers = UncheckedSendable((qb, kb, vb, ob, sb, tb))
                                Parallel.forEachIndexedChunk(of: pairs, chunks: chunks) { chunk, range in
                                    let (qb, kb, vb, ob, sb, tb) = pointers.value
                                    let own = tb + chunk * chunkScratch
                                    let pack = keepScores ? own : own + block
                                    for pair in range {
                                        let sample = pair / heads, head = pair % heads, kvHead = head / repeats
                                        let scoresBlock = sb.map { $0 + pair * block } ?? own
                                        Scalar.multiplyTransient(m: targets, n: sources, k: keyDim,
                                                                 qb + (sample * targets * heads + head) * keyDim, lda: heads * keyDim,
                                                                 kb + (sample * sources * kvHeads + kvHead) * keyDim, ldb: kvHeads * keyDim, transposed: true,
                                                                 into: scoresBlock, ldc: sources, scratch: pack)
                                        if let mask {
                                            for target in 0..<targets {
                                                let row = scoresBlock + target * sources
                                                if !scaleFirst { for s in 0..<sources { row[s] *= scale } }
                                                for s in 0..<sources {
                                                    let m = mask.value(sample: sample, head: head, target: target, source: s)
                                                    switch masking {
                                                    case .fused: if m == 0 { row[s] = fusedNegative }
                                                    case .softmaxLayer, .robust: if !(m > 0.5) { row[s] = largeNegative }
                                                    case .additive: row[s] += (1 - m) * largeNegative
                                                    }
                                                }
                                            }
                                        }
                                        Scalar.softmaxRows(scoresBlock, rows: targets, count: sources, stride: sources, scale: softmaxScale)
                                        if masking == .softmaxLayer, let mask {
                                            for target in 0..<targets {
                                                let row = scoresBlock + target * sources
                                                for s in 0..<sources where !(mask.value(sample: sample, head: head, target: target, source: s) > 0.5) { row[s] = 0 }
                                            }
                                        }
                                        Scalar.multiplyTransient(m: targets, n: valueDim, k: sources,
                                                                 scoresBlock, lda: sources,
                                                                 vb + (sample * sources * kvHeads + kvHead) * valueDim, ldb: kvHeads * valueDim, transposed: false,
                                                                 into: ob + (sample * targets * heads + head) * valueDim, ldc: heads * valueDim, scratch: pack)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let headsTensor = TensorOf<Scalar>(uncheckedShape: [batch, targets, heads, valueDim], scalars: output)
        return (headsTensor, keepScores ? TensorOf(uncheckedShape: [batch, heads, targets, sources], scalars: scores) : nil)
    }

    /// `exp(x − max) / Σ`, as TensorFlow's softmax computes a row.
    @inline(__always)
    private func softmaxRow(_ row: UnsafeMutablePointer<Scalar>, count: Int) {
        guard count > 0 else { return }
        var largest = row[0]
        for s in 1..<count where row[s] > largest { largest = row[s] }
        var total: Scalar = 0
        for s in 0..<count {
            let e = Scalar.exponential(row[s] - largest)
            row[s] = e
            total += e
        }
        for s in 0..<count { row[s] /= total }
    }

    /// Any other shape: Keras's own equations (`_build_attention_equation`) and its softmax over
    /// the key attention axes.
    private func einsumAttention(_ q: TensorOf<Scalar>, _ k: TensorOf<Scalar>, _ v: TensorOf<Scalar>,
                                 mask: AttentionMask<Scalar>?) throws(PredictionError) -> (TensorOf<Scalar>, TensorOf<Scalar>?) {
        let rank = q.rank
        let letters = Array("abcdefghijklmnopqrstuvwxyz").map(String.init)
        let target = letters[0..<rank].joined()
        let batchAxes = (0..<rank).filter { !attentionAxes.contains($0) && $0 != rank - 1 }
        var offset = rank
        var source = ""
        for axis in 0..<rank {
            if batchAxes.contains(axis) || axis == rank - 1 {
                source += letters[axis]
            } else {
                source += letters[offset]
                offset += 1
            }
        }
        let sourceLetters = source.map(String.init)
        let product = (batchAxes.map { letters[$0] } + attentionAxes.map { letters[$0] } + attentionAxes.map { sourceLetters[$0] }).joined()
        let scoresRank = product.count
        let dot: EinsumPlan, combine: EinsumPlan
        do {
            dot = EinsumPlan(try EinsumEquation("\(source),\(target)->\(product)", ranks: [rank, rank]))
            combine = EinsumPlan(try EinsumEquation("\(product),\(source)->\(target)", ranks: [scoresRank, rank]))
        } catch {
            throw .inputShapeMismatch(layer: name, expected: error.description, actual: q.shape)
        }
        if masking == .robust, mask != nil {
            throw .inputShapeMismatch(layer: name, expected: "softmax_robust_masking only with rank-3 inputs", actual: q.shape)
        }
        let scale = queryScale
        let scaled = TensorOf<Scalar>(uncheckedShape: q.shape, scalars: q.scalars.map { $0 * scale })
        var scores = try dot.run([k, scaled], layer: name)
        // The key attention axes are the scores' last: each row of them is one softmax, masked
        // as Keras's Softmax layer masks (Keras 3: −10⁹ where false, zeroed after; tf-keras:
        // `(1 − mask) · −10⁹` added).
        let rowLength = attentionAxes.reduce(1) { $0 * k.shape[$1] }
        var maskValues: [Scalar]?
        if let mask {
            let full = TensorOf<Scalar>(uncheckedShape: scores.shape, scalars: [Scalar](repeating: 1, count: scores.scalars.count))
            let broadcast = try broadcastCombine(full, mask.tensor(rank: scoresRank), layer: name) { _, m in m }
            guard broadcast.shape == scores.shape else {
                throw .inputShapeMismatch(layer: name, expected: "an attention_mask broadcasting to \(scores.shape.shapeDescription)", actual: mask.shape)
            }
            maskValues = broadcast.scalars
        }
        let keras3 = generation == .keras3
        let largeNegative = Scalar(-1e9)
        scores.scalars.withUnsafeMutableBufferPointer { values in
            guard let base = values.baseAddress, rowLength > 0 else { return }
            for row in 0..<(values.count / rowLength) {
                let start = base + row * rowLength
                if let maskValues {
                    for index in 0..<rowLength {
                        let m = maskValues[row * rowLength + index]
                        if keras3 { if !(m > 0.5) { start[index] = largeNegative } } else { start[index] += (1 - m) * largeNegative }
                    }
                }
                softmaxRow(start, count: rowLength)
                if keras3, let maskValues {
                    for index in 0..<rowLength where !(maskValues[row * rowLength + index] > 0.5) { start[index] = 0 }
                }
            }
        }
        let heads = try combine.run([scores, v], layer: name)
        return (heads, options.returnAttentionScores ? scores : nil)
    }
}

/// The mask over query–key pairs: values over `[batch, heads, targets, sources]` read through
/// broadcasting strides (a size-1 axis repeats).
struct AttentionMask<Scalar: ComputeScalar>: Sendable {
    /// Which pairs count when the mask is only padding, causal and window masks: the query's
    /// and the sources' per-step flags and the two bands, read per pair.
    struct PairRule: Sendable {
        /// `[sample * targets + target]`, nil when every target counts.
        var queryValid: [Bool]?
        /// `[sample * sources + source]`: the value's and key's masks, and-ed.
        var sourceValid: [Bool]?
        /// Only `source ≤ target`.
        var causal: Bool
        /// Only `|target − source| < window`.
        var window: Int?
    }

    /// The stored mask; empty under a ``PairRule``.
    private(set) var values: [Scalar]
    private var rule: PairRule?
    /// The mask's shape, padded with size-1 axes to the scores' rank.
    private(set) var shape: [Int]
    private var strides: [Int]

    /// An explicit mask, expanded at the heads axis (`trailing` axes from the end, minus one) to
    /// `scoresRank` axes, as Keras's `_masked_softmax` does.
    init(_ tensor: TensorOf<Scalar>, scoresRank: Int, trailing: Int) {
        var shape = tensor.shape
        while shape.count < scoresRank { shape.insert(1, at: shape.count - trailing) }
        values = tensor.scalars
        self.shape = shape
        strides = Self.strides(shape)
    }

    /// The pairs a rule keeps, shaped `[batch, 1, targets, sources]`, with nothing stored.
    init(batch: Int, targets: Int, sources: Int, rule: PairRule) {
        values = []
        self.rule = rule
        shape = [batch, 1, targets, sources]
        strides = Self.strides(shape)
    }

    private static func strides(_ shape: [Int]) -> [Int] {
        var result = [Int](repeating: 0, count: shape.count)
        var step = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            result[axis] = shape[axis] == 1 ? 0 : step
            step *= shape[axis]
        }
        return result
    }

    /// Keras 3 and tf-keras with automatic masks cast the mask to bool.
    mutating func makeBoolean() { values = values.map { $0 != 0 ? 1 : 0 } }

    /// Whether a rank-4 mask broadcasts to `[batch, heads, targets, sources]`.
    func fits(batch: Int, heads: Int, targets: Int, sources: Int) -> Bool {
        guard shape.count == 4 else { return false }
        return zip(shape, [batch, heads, targets, sources]).allSatisfy { $0 == 1 || $0 == $1 }
    }

    /// Materializes the mask at `[batch, 1 or heads, targets, sources]`, to and in automatic masks.
    mutating func expand(batch: Int, heads: Int, targets: Int, sources: Int) {
        let headCount = shape[1] == 1 ? 1 : heads
        let full = [batch, headCount, targets, sources]
        var expanded = [Scalar](repeating: 0, count: full.reduce(1, *))
        var position = 0
        for b in 0..<batch { for n in 0..<headCount { for t in 0..<targets { for s in 0..<sources {
            expanded[position] = value(sample: b, head: n, target: t, source: s)
            position += 1
        } } } }
        values = expanded
        shape = full
        strides = Self.strides(full)
    }

    /// Removes a pair from every head.
    mutating func clear(sample: Int, target: Int, source: Int) {
        for head in 0..<shape[1] {
            values[sample * strides[0] + head * strides[1] + target * strides[2] + source * strides[3]] = 0
        }
    }

    @inline(__always)
    func value(sample: Int, head: Int, target: Int, source: Int) -> Scalar {
        if let rule {
            if let valid = rule.queryValid, !valid[sample * shape[2] + target] { return 0 }
            if let valid = rule.sourceValid, !valid[sample * shape[3] + source] { return 0 }
            if rule.causal, source > target { return 0 }
            if let window = rule.window, abs(target - source) >= window { return 0 }
            return 1
        }
        return values[sample * strides[0] + head * strides[1] + target * strides[2] + source * strides[3]]
    }

    /// The mask as a tensor, to broadcast against the scores (a rule's pairs written out).
    func tensor(rank: Int) -> TensorOf<Scalar> {
        guard rule != nil else { return TensorOf(uncheckedShape: shape, scalars: values) }
        var table = [Scalar](repeating: 0, count: shape.reduce(1, *))
        var position = 0
        for b in 0..<shape[0] { for t in 0..<shape[2] { for s in 0..<shape[3] {
            table[position] = value(sample: b, head: 0, target: t, source: s)
            position += 1
        } } }
        return TensorOf(uncheckedShape: shape, scalars: table)
    }
}
