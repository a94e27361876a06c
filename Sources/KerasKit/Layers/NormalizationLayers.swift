import Foundation

/// `LayerNormalization`: each group of elements that differ only along the normalized axes is
/// standardized with its own mean and (biased) variance, then `x̂ · gamma + beta`, with
/// `gamma`/`beta` laid out over the normalized axes. Statistics are accumulated in `Double`.
/// It passes the mask on.
struct LayerNormalizationLayer<Scalar: ComputeScalar>: InferenceLayer {
    let config: LayerNormalizationConfig
    /// The input rank the layer was built for.
    let rank: Int
    /// The normalized axes, resolved against the input rank and sorted.
    let axes: [Int]
    /// The input's sizes along `axes` (the shape of `gamma` and `beta`).
    let normalizedShape: [Int]
    let gamma: [Scalar]?
    let beta: [Scalar]?

    var name: String { config.common.name }
    var parameterCount: Int { (gamma?.count ?? 0) + (beta?.count ?? 0) }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] { [inputs[0]] }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        try compute(call, state: &state)
    }

    /// The call's computation: ``forward(_:state:)`` enters it specialized for the scalar
    /// without generic setup of its own.
    private func compute(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank == rank, axes.map({ input.shape[$0] }) == normalizedShape else {
            throw .inputShapeMismatch(layer: name, expected: "rank \(rank) with sizes \(normalizedShape) on axes \(axes)", actual: input.shape)
        }
        // Move the normalized axes last, so each group is one contiguous row.
        let kept = (0..<rank).filter { !axes.contains($0) }
        let permutation = kept + axes
        let isIdentity = permutation == Array(0..<rank)
        var values = isIdentity ? input.scalars : permuteAxes(input.scalars, shape: input.shape, permutation: permutation, zero: 0)
        let width = normalizedShape.reduce(1, *)
        let rows = width == 0 ? 0 : values.count / width
        let epsilon = config.epsilon
        values.withUnsafeMutableBufferPointer { y in
            for row in 0..<rows {
                let base = row * width
                var sum = 0.0
                for index in 0..<width { sum += Double(y[base + index]) }
                let mean = sum / Double(width)
                var squares = 0.0
                for index in 0..<width {
                    let difference = Double(y[base + index]) - mean
                    squares += difference * difference
                }
                let inverse = 1 / (squares / Double(width) + epsilon).squareRoot()
                for index in 0..<width {
                    let x = Double(y[base + index])
                    let scale = gamma.map { Double($0[index]) } ?? 1
                    if config.rmsScaling {
                        y[base + index] = Scalar(x * inverse * scale)
                    } else {
                        let shift = beta.map { Double($0[index]) } ?? 0
                        y[base + index] = Scalar((x - mean) * inverse * scale + shift)
                    }
                }
            }
        }
        if !isIdentity {
            // Undo the move: output axis `i` is permuted axis `inverse[i]`.
            var inverse = [Int](repeating: 0, count: rank)
            for (position, axis) in permutation.enumerated() { inverse[axis] = position }
            values = permuteAxes(values, shape: permutation.map { input.shape[$0] }, permutation: inverse, zero: 0)
        }
        return [TensorOf(uncheckedShape: input.shape, scalars: values)]
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] { passThroughMasks(call, outputs: outputs) }

    var timeBehavior: TimeBehavior { axes == [rank - 1] ? .stepwise : .wholeSequence }
}

/// `BatchNormalization` at inference over the last axis, folded per channel as TensorFlow's
/// `batch_normalization` computes it: `x · inv + (beta − mean · inv)` with
/// `inv = gamma / sqrt(moving_variance + ε)`. It passes the mask on.
struct BatchNormalizationLayer<Scalar: ComputeScalar>: InferenceLayer {
    let config: BatchNormalizationConfig
    let channels: Int
    /// Per channel: `gamma / sqrt(variance + ε)`.
    let scale: [Scalar]
    /// Per channel: `beta − mean · scale`.
    let shift: [Scalar]
    /// The number of stored scalars (gamma, beta, moving statistics, renorm statistics).
    let parameterCount: Int

    var name: String { config.common.name }

    init(config: BatchNormalizationConfig, channels: Int, gamma: [Scalar]?, beta: [Scalar]?, mean: [Scalar], variance: [Scalar], parameterCount: Int) {
        self.config = config
        self.channels = channels
        self.parameterCount = parameterCount
        let epsilon = Scalar(config.epsilon)
        var scale = [Scalar](repeating: 0, count: channels), shift = scale
        for channel in 0..<channels {
            var inverse = 1 / (variance[channel] + epsilon).squareRoot()
            if let gamma { inverse *= gamma[channel] }
            scale[channel] = inverse
            shift[channel] = (beta?[channel] ?? 0) - mean[channel] * inverse
        }
        self.scale = scale
        self.shift = shift
    }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] { [inputs[0]] }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        try compute(call, state: &state)
    }

    /// The call's computation: ``forward(_:state:)`` enters it specialized for the scalar
    /// without generic setup of its own.
    private func compute(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank >= 1, input.shape[input.rank - 1] == channels else {
            throw .inputShapeMismatch(layer: name, expected: "(…, \(channels))", actual: input.shape)
        }
        var output = input.scalars
        let rows = channels == 0 ? 0 : output.count / channels
        output.withUnsafeMutableBufferPointer { y in
            for row in 0..<rows {
                let base = row * channels
                for channel in 0..<channels { y[base + channel] = y[base + channel] * scale[channel] + shift[channel] }
            }
        }
        return [TensorOf(uncheckedShape: input.shape, scalars: output)]
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] { passThroughMasks(call, outputs: outputs) }

    var timeBehavior: TimeBehavior { .stepwise }
}
