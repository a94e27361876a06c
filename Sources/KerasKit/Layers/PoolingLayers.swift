/// How a `(batch, steps, channels)` or `(batch, channels, steps)` tensor is laid out.
private struct SequenceLayout {
    var batch: Int, steps: Int, channels: Int
    var batchStride: Int, stepStride: Int, channelStride: Int

    init(shape: [Int], format: DataFormat) {
        batch = shape[0]
        switch format {
        case .channelsLast:
            (steps, channels) = (shape[1], shape[2])
            (stepStride, channelStride) = (channels, 1)
        case .channelsFirst:
            (channels, steps) = (shape[1], shape[2])
            (stepStride, channelStride) = (1, steps)
        }
        batchStride = steps * channels
    }

    /// The shape of a tensor with this layout and `steps` steps.
    func shape(steps: Int, format: DataFormat) -> [Int] {
        format == .channelsLast ? [batch, steps, channels] : [batch, channels, steps]
    }
}

/// `MaxPooling1D` / `AveragePooling1D`. With `same` padding the padded elements take no part:
/// the maximum ignores them and the average divides by the number of input elements in the
/// window, as TensorFlow's pooling does. Both drop the mask.
struct Pooling1DLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let poolSize: Int, strides: Int
    let padding: Padding
    let dataFormat: DataFormat
    let averages: Bool

    var parameterCount: Int { 0 }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        let input = inputs[0]
        guard input.count == 3 else {
            throw .unsupportedTopology(layer: name, reason: "1-D pooling takes input of rank 3, got \(input.shapeDescription)")
        }
        let stepAxis = dataFormat == .channelsLast ? 1 : 2
        var output = input
        output[stepAxis] = try WindowGeometry.outputLength(input[stepAxis], span: poolSize, stride: strides, padding: padding, layer: name)
        return [output]
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
        guard input.rank == 3 else {
            throw .inputShapeMismatch(layer: name, expected: "a rank-3 sequence", actual: input.shape)
        }
        let layout = SequenceLayout(shape: input.shape, format: dataFormat)
        guard let geometry = WindowGeometry(length: layout.steps, span: poolSize, stride: strides, padding: padding) else {
            throw .inputShapeMismatch(layer: name, expected: "at least \(poolSize) steps", actual: input.shape)
        }
        let outputLength = geometry.outputLength
        let outputShape = layout.shape(steps: outputLength, format: dataFormat)
        let outputStepStride = dataFormat == .channelsLast ? layout.channels : 1
        let outputChannelStride = dataFormat == .channelsLast ? 1 : outputLength
        let outputBatchStride = outputLength * layout.channels
        var output = [Scalar](repeating: averages ? 0 : -Scalar.infinity, count: try checkedElementCount(outputShape, layer: name))
        input.scalars.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                for sample in 0..<layout.batch {
                    for step in 0..<outputLength {
                        let start = step * strides - geometry.padLeft
                        let low = Swift.max(start, 0), high = Swift.min(start + poolSize, layout.steps)
                        let target = sample * outputBatchStride + step * outputStepStride
                        for inputStep in low..<Swift.max(high, low) {
                            let source = sample * layout.batchStride + inputStep * layout.stepStride
                            for channel in 0..<layout.channels {
                                let value = x[source + channel * layout.channelStride]
                                let slot = target + channel * outputChannelStride
                                y[slot] = averages ? y[slot] + value : Swift.max(y[slot], value)
                            }
                        }
                        if averages {
                            let scale = Scalar(Swift.max(high - low, 1))
                            for channel in 0..<layout.channels { y[target + channel * outputChannelStride] /= scale }
                        }
                    }
                }
            }
        }
        return [TensorOf(uncheckedShape: outputShape, scalars: output)]
    }
}

/// `GlobalAveragePooling1D` / `GlobalMaxPooling1D`: the mean or maximum over the step axis.
///
/// The average honours a mask, averaging the valid steps only (a sample with none gives NaN,
/// as in Keras); Keras 3 skips masked steps (`where`), Keras 2 multiplies them by 0. Neither
/// layer passes a mask on. `GlobalMaxPooling1D` doesn't support masking in either generation, so
/// it ignores the mask.
struct GlobalPooling1DLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let dataFormat: DataFormat
    let keepdims: Bool
    let averages: Bool
    let generation: KerasGeneration

    var parameterCount: Int { 0 }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        let input = inputs[0]
        guard input.count == 3 else {
            throw .unsupportedTopology(layer: name, reason: "global 1-D pooling takes input of rank 3, got \(input.shapeDescription)")
        }
        let channels = dataFormat == .channelsLast ? input[2] : input[1]
        guard keepdims else { return [[input[0], channels]] }
        return [dataFormat == .channelsLast ? [input[0], 1, channels] : [input[0], channels, 1]]
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
        guard input.rank == 3 else {
            throw .inputShapeMismatch(layer: name, expected: "a rank-3 sequence", actual: input.shape)
        }
        let layout = SequenceLayout(shape: input.shape, format: dataFormat)
        guard layout.steps > 0 else { throw .emptySequence(layer: name) }
        var mask: Mask?
        if averages, let given = call.mask {
            guard given.batch == layout.batch, given.steps == layout.steps, given.values.count == layout.batch * layout.steps else {
                throw .inputShapeMismatch(layer: name, expected: "a mask of shape (\(layout.batch), \(layout.steps)) for this input, got mask (\(given.batch), \(given.steps))", actual: input.shape)
            }
            mask = given
        }
        let outputShape: [Int]
        if keepdims {
            outputShape = layout.shape(steps: 1, format: dataFormat)
        } else {
            outputShape = [layout.batch, layout.channels]
        }
        var output = [Scalar](repeating: averages ? 0 : -Scalar.infinity, count: layout.batch * layout.channels)
        let multipliesMask = generation == .keras2
        input.scalars.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                for sample in 0..<layout.batch {
                    let target = sample * layout.channels
                    var validSteps = 0
                    for step in 0..<layout.steps {
                        let source = sample * layout.batchStride + step * layout.stepStride
                        let valid = mask?.isValid(sample: sample, step: step) ?? true
                        if valid { validSteps += 1 }
                        if averages, !valid, !multipliesMask { continue }
                        for channel in 0..<layout.channels {
                            let value = x[source + channel * layout.channelStride]
                            if averages {
                                y[target + channel] += valid ? value : value * 0
                            } else {
                                y[target + channel] = Swift.max(y[target + channel], value)
                            }
                        }
                    }
                    if averages {
                        let scale = Scalar(validSteps)
                        for channel in 0..<layout.channels { y[target + channel] /= scale }
                    }
                }
            }
        }
        return [TensorOf(uncheckedShape: outputShape, scalars: output)]
    }
}
