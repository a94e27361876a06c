/// Where the windows of a 1-D convolution or pooling fall on a sequence of `length` steps.
struct WindowGeometry: Equatable {
    /// The number of output steps.
    var outputLength: Int
    /// How many padding steps precede the input (TensorFlow's `SAME` puts the odd one right).
    var padLeft: Int

    /// The geometry for windows spanning `span` steps, `stride` apart; nil when `valid` windows
    /// don't fit (`length < span`).
    init?(length: Int, span: Int, stride: Int, padding: Padding) {
        switch padding {
        case .valid:
            guard length >= span else { return nil }
            outputLength = (length - span) / stride + 1
            padLeft = 0
        case .same:
            outputLength = (length + stride - 1) / stride
            let total = Swift.max((outputLength - 1) * stride + span - length, 0)
            padLeft = total / 2
        case .causal:
            outputLength = length == 0 ? 0 : (length - 1) / stride + 1
            padLeft = span - 1
        }
    }

    /// The static output length, nil when the input length is unknown.
    static func outputLength(_ length: Int?, span: Int, stride: Int, padding: Padding, layer: String) throws(WeightLoadingError) -> Int? {
        guard let length else { return nil }
        guard let geometry = WindowGeometry(length: length, span: span, stride: stride, padding: padding) else {
            throw .unsupportedTopology(layer: layer, reason: "a window of \(span) steps doesn't fit in \(length) steps with padding 'valid'")
        }
        return geometry.outputLength
    }
}

/// `Conv1D` (`channels_last`, `groups=1`): `y[b, t] = Σ_k x[b, t·s − padLeft + k·d] · kernel[k]`,
/// then bias and activation. Each kernel tap is one strided matrix product over the output steps
/// whose input step lies inside the sequence, so padding is never materialized. It drops the mask.
struct Conv1DLayer<Scalar: ComputeScalar>: InferenceLayer {
    let config: Conv1DConfig
    let generation: KerasGeneration
    let inputChannels: Int
    /// `(kernel_size, inputChannels, filters)`, row-major, as Keras stores it.
    let kernel: [Scalar]
    let bias: [Scalar]?
    /// One packed `(inputChannels, filters)` matrix per kernel tap, once at load.
    let taps: [Scalar.Matrix]

    init(config: Conv1DConfig, generation: KerasGeneration, inputChannels: Int, kernel: [Scalar], bias: [Scalar]?) {
        self.config = config
        self.generation = generation
        self.inputChannels = inputChannels
        self.kernel = kernel
        self.bias = bias
        let tapSize = inputChannels * config.filters
        taps = (0..<config.kernelSize).map { tap in
            Scalar.matrix(Array(kernel[(tap * tapSize) ..< ((tap + 1) * tapSize)]), rows: inputChannels, columns: config.filters, groups: 1)
        }
    }

    var name: String { config.common.name }
    var parameterCount: Int { kernel.count + (bias?.count ?? 0) }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        let input = inputs[0]
        guard input.count == 3 else {
            throw .unsupportedTopology(layer: name, reason: "Conv1D takes input of rank 3, got \(input.shapeDescription)")
        }
        let length = try WindowGeometry.outputLength(input[1], span: config.effectiveKernelSize, stride: config.strides, padding: config.padding, layer: name)
        return [[input[0], length, config.filters]]
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
        guard input.rank == 3, input.shape[2] == inputChannels else {
            throw .inputShapeMismatch(layer: name, expected: "(batch, steps, \(inputChannels))", actual: input.shape)
        }
        let (batch, length) = (input.shape[0], input.shape[1])
        let span = config.effectiveKernelSize
        guard let geometry = WindowGeometry(length: length, span: span, stride: config.strides, padding: config.padding) else {
            throw .inputShapeMismatch(layer: name, expected: "(batch, ≥\(span), \(inputChannels))", actual: input.shape)
        }
        let filters = config.filters, stride = config.strides
        let outputLength = geometry.outputLength
        let outputShape = [batch, outputLength, filters]
        let count = try checkedElementCount(outputShape, layer: name)
        var output = [Scalar](repeating: 0, count: count)
        input.scalars.withUnsafeBufferPointer { x in
                output.withUnsafeMutableBufferPointer { y in
                    guard let y = y.baseAddress else { return }
                    if let x = x.baseAddress {
                        for sample in 0..<batch {
                            for tap in 0..<config.kernelSize {
                                // Output step t reads input step t·stride + shift.
                                let shift = tap * config.dilationRate - geometry.padLeft
                                let first = shift >= 0 ? 0 : (-shift + stride - 1) / stride
                                let lastInside = length - 1 - shift
                                let end = lastInside < 0 ? 0 : Swift.min(outputLength, lastInside / stride + 1)
                                guard first < end else { continue }
                                taps[tap].multiply(
                                    m: end - first,
                                    x + (sample * length + first * stride + shift) * inputChannels, lda: stride * inputChannels,
                                    into: y + (sample * outputLength + first) * filters, ldc: filters,
                                    accumulate: true
                                )
                            }
                        }
                    }
                    if let bias {
                        bias.withUnsafeBufferPointer { b in
                            if let b = b.baseAddress { addRowVector(b, to: y, rows: batch * outputLength, columns: filters) }
                        }
                    }
                    config.activation.apply(y, count: count, rowLength: filters, generation: generation)
                }
        }
        return [TensorOf(uncheckedShape: outputShape, scalars: output)]
    }
}
