/// The arguments `Conv1DTranspose`, `Conv2DTranspose` and `Conv3DTranspose` read.
public struct TransposedConvolutionOptions: Sendable, Hashable {
    /// The number of output channels.
    public let filters: Int
    /// Kernel size, strides, padding, data format and dilation.
    public let window: ConvolutionWindow
    /// Extra output steps on the far side of each axis, each below its stride; nil lets the
    /// padding decide the output size.
    public let outputPadding: [Int]?
    /// Applied to the output; `linear` by default.
    public let activation: Activation
    /// Whether a bias vector is added.
    public let useBias: Bool

    init(reading arguments: inout LayerArguments, rank: Int) throws(KerasConfigError) {
        filters = try arguments.size("filters")
        window = try ConvolutionWindow(reading: &arguments, rank: rank, paddings: [.valid, .same])
        var padding: [Int]? = try arguments.integers("output_padding")
        if let values = padding {
            if values.count == 1, rank > 1 { padding = Array(repeating: values[0], count: rank) }
            guard padding?.count == rank else { throw arguments.invalid("output_padding", "expected \(rank) values, found \(values)") }
            for (value, stride) in zip(padding ?? [], window.strides) where value < 0 || value >= stride {
                throw arguments.invalid("output_padding", "\(value) is not in 0..<\(stride) (it must be below the stride)")
            }
        }
        outputPadding = padding
        // tf-keras writes its convolution base's `groups`, always 1 here.
        _ = try arguments.integer("groups", default: 1, in: 1...1)
        activation = try arguments.activation("activation", default: .linear)
        useBias = try arguments.flag("use_bias", default: true)
        try readConvolutionTrainingObjects(&arguments, weights: [("kernel", "GlorotUniform"), ("bias", "Zeros")])
    }

    /// Keras's output size on each spatial axis (`compute_conv_transpose_output_shape`, which
    /// tf-keras's `deconv_output_length` agrees with); nil where the input size is unknown.
    func outputSpatial(_ input: [Int?]) -> [Int?] {
        window.spatialAxes.enumerated().map { axis, inputAxis in
            guard let length = input[inputAxis] else { return nil }
            let span = window.spans[axis], stride = window.strides[axis]
            switch (window.padding, outputPadding?[axis]) {
            case (.same, nil): return length * stride
            case (.same, let extra?): return (length - 1) * stride + span % 2 + extra
            case (_, nil): return (length - 1) * stride + Swift.max(span, stride)
            case (_, let extra?): return (length - 1) * stride + span + extra
            }
        }
    }
}

/// `Conv1DTranspose`, `Conv2DTranspose` or `Conv3DTranspose`.
protocol TransposedConvolutionConfiguration: LayerBuilding {
    /// The number of spatial axes.
    static var rank: Int { get }
    /// The layer's arguments.
    var options: TransposedConvolutionOptions { get }
}

extension TransposedConvolutionConfiguration {
    public var weightRoles: [WeightRole] { [WeightRole("kernel")] + (options.useBias ? [WeightRole("bias")] : []) }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let input = inputs.first ?? []
        let window = options.window, filters = options.filters
        try window.checkInput(input, layer: common.name, className: Self.className)
        let channels = try window.knownChannels(input, layer: common.name)
        let kernelShape = window.kernelSize + [filters, channels]
        guard let kernelCount = try? Tensor.elementCount(of: kernelShape) else {
            throw .unsupportedTopology(layer: common.name, reason: "a kernel of \(kernelShape.shapeDescription) is too large")
        }
        let kernel = try weights.values("kernel", shape: kernelShape)
        // Keras's `(taps…, filters, channels)` as `(channels, taps · filters)`: row c holds every
        // tap's weights from input channel c.
        let columns = window.tapCount * filters
        var transposed = [Scalar](repeating: 0, count: kernelCount)
        for column in 0..<columns {
            for channel in 0..<channels { transposed[channel * columns + column] = kernel[column * channels + channel] }
        }
        let bias = options.useBias ? try weights.values("bias", shape: [filters]) : nil
        return RunnableLayer(TransposedConvolutionLayer<Scalar>(
            name: common.name, className: Self.className, options: options, generation: context.generation, channels: channels,
            matrix: Scalar.matrix(transposed, rows: channels, columns: columns, groups: 1), bias: bias,
            parameterCount: kernelCount + (bias?.count ?? 0)
        ))
    }
}

/// `keras.layers.Conv1DTranspose`: the transpose of a 1-D convolution (its gradient with
/// respect to the input), over `(batch, steps, channels)`.
public struct Conv1DTransposeConfig: TransposedConvolutionConfiguration {
    public static let className = "Conv1DTranspose"
    public static let aliases = ["Convolution1DTranspose"]
    static let rank = 1
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The layer's arguments.
    public let options: TransposedConvolutionOptions

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        options = try TransposedConvolutionOptions(reading: &arguments, rank: Self.rank)
    }
}

/// `keras.layers.Conv2DTranspose`: the transpose of a 2-D convolution, over images.
public struct Conv2DTransposeConfig: TransposedConvolutionConfiguration {
    public static let className = "Conv2DTranspose"
    public static let aliases = ["Convolution2DTranspose"]
    static let rank = 2
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The layer's arguments.
    public let options: TransposedConvolutionOptions

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        options = try TransposedConvolutionOptions(reading: &arguments, rank: Self.rank)
    }
}

/// `keras.layers.Conv3DTranspose`: the transpose of a 3-D convolution, over volumes.
public struct Conv3DTransposeConfig: TransposedConvolutionConfiguration {
    public static let className = "Conv3DTranspose"
    public static let aliases = ["Convolution3DTranspose"]
    static let rank = 3
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The layer's arguments.
    public let options: TransposedConvolutionOptions

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        options = try TransposedConvolutionOptions(reading: &arguments, rank: Self.rank)
    }
}

/// A transposed convolution as TensorFlow's `conv_transpose` computes it for Keras's output
/// size: every input pixel adds its product with each kernel tap where that tap lands, then bias
/// and activation. It drops the mask.
struct TransposedConvolutionLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let className: String
    let options: TransposedConvolutionOptions
    let generation: KerasGeneration
    let channels: Int
    /// `(channels, taps · filters)`.
    let matrix: Scalar.Matrix
    let bias: [Scalar]?
    let parameterCount: Int

    var window: ConvolutionWindow { options.window }

    func estimatedFLOPs(inputs: [[Int]]) -> Double {
        guard let input = inputs.first, input.count == window.rank + 2 else { return 0 }
        let pixels = window.spatialAxes.reduce(Double(input[0])) { $0 * Double(input[$1]) }
        return 2 * pixels * Double(channels * window.tapCount * options.filters)
    }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        let input = inputs[0]
        try window.checkInput(input, layer: name, className: className)
        return [window.shape(batch: input[0], spatial: options.outputSpatial(input), channels: options.filters)]
    }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        let spatial = try window.spatialSizes(of: input.shape, channels: channels, layer: name)
        let outputSpatial = options.outputSpatial(input.shape).map { $0 ?? 0 }
        let geometry = ConvolutionGeometry(batch: input.shape[0], spatial: spatial, outputSpatial: outputSpatial, window: window)
        let lastShape = [geometry.batch] + outputSpatial + [options.filters]
        var output = call.outputBuffer(try checkedElementCount(lastShape, layer: name), zeroed: true)
        let x = window.dataFormat == .channelsLast ? input.scalars : movingChannels(input.scalars, shape: input.shape, toFirst: false)
        try x.withUnsafeBufferPointer { (x) throws(PredictionError) in
            try output.withUnsafeMutableBufferPointer { (y) throws(PredictionError) in
                guard let x = x.baseAddress, let y = y.baseAddress else { return }
                try bias.withUnsafeBufferPointerIfPresent { (bias) throws(PredictionError) in
                    try transposedConvolve(x, geometry: geometry, inputChannels: channels, filters: options.filters,
                                           matrix: matrix, bias: bias, into: y, layer: name)
                }
            }
        }
        return [finishConvolution(output, channelsLastShape: lastShape, window: window, activation: options.activation, generation: generation)]
    }
}
