/// `keras.layers.Conv1D`: `activation(conv(x, kernel) + bias)` over `(batch, steps, channels)`.
///
/// KerasKit runs the `channels_last`, `groups=1` form; other values are refused when decoding.
public struct Conv1DConfig: LayerBuilding {
    public static let className = "Conv1D"
    public static let aliases = ["Convolution1D"]
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The number of output channels.
    public let filters: Int
    /// The window length.
    public let kernelSize: Int
    /// The step between windows.
    public let strides: Int
    /// `valid`, `same` or `causal`.
    public let padding: Padding
    /// The spacing between kernel taps.
    public let dilationRate: Int
    /// Applied to the output; `linear` by default.
    public let activation: Activation
    /// Whether a bias vector is added.
    public let useBias: Bool

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        filters = try arguments.size("filters")
        kernelSize = try arguments.window("kernel_size", rank: 1, default: nil)[0]
        strides = try arguments.window("strides", rank: 1, default: [1])[0]
        padding = try arguments.choice("padding", default: Padding.valid)
        _ = try arguments.choice("data_format", default: DataFormat.channelsLast, allowed: [.channelsLast])
        dilationRate = try arguments.window("dilation_rate", rank: 1, default: [1])[0]
        _ = try arguments.integer("groups", default: 1, in: 1...1)
        activation = try arguments.activation("activation", default: .linear)
        useBias = try arguments.flag("use_bias", default: true)
        _ = try arguments.object("kernel_initializer", default: "GlorotUniform")
        _ = try arguments.object("bias_initializer", default: "Zeros")
        for key in ["kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint"] {
            _ = try arguments.object(key, default: nil)
        }
    }

    /// The span of one window: `(kernel_size - 1) · dilation_rate + 1`.
    var effectiveKernelSize: Int { (kernelSize - 1) * dilationRate + 1 }

    public var weightRoles: [WeightRole] { [WeightRole("kernel")] + (useBias ? [WeightRole("bias")] : []) }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let input = inputs.first ?? []
        guard input.count == 3 else {
            throw .unsupportedTopology(layer: common.name, reason: "Conv1D takes input of rank 3, got \(input.shapeDescription)")
        }
        let channels = try knownLastAxis(input, layer: common.name)
        let kernelShape = [kernelSize, channels, filters]
        guard (try? Tensor.elementCount(of: kernelShape)) != nil else {
            throw .unsupportedTopology(layer: common.name, reason: "a kernel of \(kernelShape.shapeDescription) is too large")
        }
        return RunnableLayer(Conv1DLayer<Scalar>(
            config: self, generation: context.generation, inputChannels: channels,
            kernel: try weights.values("kernel", shape: kernelShape),
            bias: useBias ? try weights.values("bias", shape: [filters]) : nil
        ))
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

    func estimatedFLOPs(inputs: [[Int]]) -> Double {
        guard let input = inputs.first, input.count == 3,
              let geometry = WindowGeometry(length: input[1], span: config.effectiveKernelSize, stride: config.strides, padding: config.padding) else { return 0 }
        return 2 * Double(config.kernelSize * inputChannels * config.filters) * Double(input[0] * geometry.outputLength)
    }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        let input = inputs[0]
        guard input.count == 3 else {
            throw .unsupportedTopology(layer: name, reason: "Conv1D takes input of rank 3, got \(input.shapeDescription)")
        }
        let length = try WindowGeometry.outputLength(input[1], span: config.effectiveKernelSize, stride: config.strides, padding: config.padding, layer: name)
        return [[input[0], length, config.filters]]
    }
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
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
