/// `Embedding` at inference: `embeddings[Int(x)]` for each input value, appended as a new last
/// axis. Inputs are cast to integers by truncation, as Keras casts them to `int32`.
struct EmbeddingLayer<Scalar: ComputeScalar>: InferenceLayer {
    let config: EmbeddingConfig
    /// `(inputDim, outputDim)`, row-major.
    let embeddings: WeightVector<Scalar>

    var name: String { config.common.name }
    var parameterCount: Int { embeddings.count }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        let input = inputs[0]
        guard !input.isEmpty, input.count < KerasLimits.maxRank else {
            throw .unsupportedTopology(layer: name, reason: "Embedding takes input of rank 1 to \(KerasLimits.maxRank - 1), got \(input.shapeDescription)")
        }
        return [input + [config.outputDim]]
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        try compute(call, state: &state)
    }

    /// The call's computation: ``forward(_:state:)`` enters it specialized for the scalar
    /// without generic setup of its own.
    private func compute(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank >= 1 else {
            throw .inputShapeMismatch(layer: name, expected: "(batch, …)", actual: input.shape)
        }
        let width = config.outputDim, rows = config.inputDim
        let outputShape = input.shape + [width]
        var output = [Scalar](repeating: 0, count: try checkedElementCount(outputShape, layer: name))
        let limit = Scalar(rows)
        var failure: PredictionError?
        input.scalars.withUnsafeBufferPointer { indices in
            embeddings.withUnsafeBufferPointer { table in
                output.withUnsafeMutableBufferPointer { destination in
                    guard let table = table.baseAddress, let destination = destination.baseAddress else { return }
                    for (position, value) in indices.enumerated() {
                        let index = value.rounded(.towardZero)
                        // NaN fails both comparisons.
                        guard index >= 0, index < limit else {
                            failure = .indexOutOfRange(layer: name, index: Double(value), inputDim: rows)
                            return
                        }
                        (destination + position * width).update(from: table + Int(index) * width, count: width)
                    }
                }
            }
        }
        if let failure { throw failure }
        return [TensorOf(uncheckedShape: outputShape, scalars: output)]
    }

    var createsMasks: Bool { config.maskZero }

    /// `input != 0` when `mask_zero` (compared before the cast, as Keras does), else none: an
    /// incoming mask is not propagated.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] {
        guard config.maskZero, let batch = call.input.shape.first else { return [nil] }
        let values = call.input.scalars.map { $0 != 0 }
        return [Mask(batch: batch, steps: batch == 0 ? 0 : values.count / batch, values: values)]
    }

    var timeBehavior: TimeBehavior { .stepwise }
}

/// `Masking` at inference: steps whose features all equal `mask_value` are masked and their
/// outputs set to zero (Keras 3: `where(mask, x, 0)`; Keras 2: `x · mask`, so `-v · 0 = -0`).
struct MaskingLayer<Scalar: ComputeScalar>: InferenceLayer {
    let config: MaskingConfig
    let generation: KerasGeneration

    var name: String { config.common.name }
    var parameterCount: Int { 0 }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        guard inputs[0].count >= 2 else {
            throw .unsupportedTopology(layer: name, reason: "Masking takes input of rank 2 or more, got \(inputs[0].shapeDescription)")
        }
        return [inputs[0]]
    }

    /// Whether each row (all axes but the last) has a feature different from `mask_value`.
    private func rowFlags(_ input: TensorOf<Scalar>) -> [Bool] {
        let width = input.shape.last ?? 0
        let rows = width == 0 ? product(input.shape, 0..<(input.rank - 1)) : input.scalars.count / width
        let maskValue = Scalar(config.maskValue)
        var flags = [Bool](repeating: false, count: rows)
        input.scalars.withUnsafeBufferPointer { x in
            for row in 0..<rows {
                var valid = false
                for column in 0..<width where x[row * width + column] != maskValue {
                    valid = true
                    break
                }
                flags[row] = valid
            }
        }
        return flags
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        try compute(call, state: &state)
    }

    /// The call's computation: ``forward(_:state:)`` enters it specialized for the scalar
    /// without generic setup of its own.
    private func compute(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank >= 2 else {
            throw .inputShapeMismatch(layer: name, expected: "(batch, …, features)", actual: input.shape)
        }
        let width = input.shape[input.rank - 1]
        let flags = rowFlags(input)
        var output = input.scalars
        output.withUnsafeMutableBufferPointer { y in
            for (row, valid) in flags.enumerated() where !valid {
                for column in 0..<width {
                    y[row * width + column] = generation == .keras2 ? y[row * width + column] * 0 : 0
                }
            }
        }
        return [TensorOf(uncheckedShape: input.shape, scalars: output)]
    }

    var createsMasks: Bool { true }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] {
        let input = call.input
        guard input.rank >= 2 else { return [nil] }
        return [Mask(batch: input.shape[0], steps: Mask.steps(for: input.shape), values: rowFlags(input))]
    }

    var timeBehavior: TimeBehavior { .stepwise }
}
