/// The arguments `SeparableConv1D` and `SeparableConv2D` read.
public struct SeparableConvolutionOptions: Sendable, Hashable {
    /// Output channels per input channel of the depthwise step.
    public let depthMultiplier: Int
    /// The number of output channels of the pointwise step.
    public let filters: Int
    /// Kernel size, strides, padding, data format and dilation of the depthwise step.
    public let window: ConvolutionWindow
    /// Applied to the output; `linear` by default.
    public let activation: Activation
    /// Whether a bias vector is added.
    public let useBias: Bool

    init(reading arguments: inout LayerArguments, rank: Int) throws(KerasConfigError) {
        depthMultiplier = try arguments.integer("depth_multiplier", default: 1, in: 1...KerasLimits.maxDimension)
        filters = try arguments.size("filters")
        window = try ConvolutionWindow(reading: &arguments, rank: rank, paddings: rank == 1 ? [.valid, .same, .causal] : [.valid, .same])
        // tf-keras writes its convolution base's `groups`, always 1 here.
        _ = try arguments.integer("groups", default: 1, in: 1...1)
        activation = try arguments.activation("activation", default: .linear)
        useBias = try arguments.flag("use_bias", default: true)
        try readConvolutionTrainingObjects(&arguments, weights: [("depthwise", "GlorotUniform"), ("pointwise", "GlorotUniform"), ("bias", "Zeros")])
        // tf-keras also writes its convolution base's `kernel_*` objects, which it never uses.
        for key in ["kernel_initializer", "kernel_regularizer", "kernel_constraint"] where arguments.contains(key) {
            _ = try arguments.object(key, default: nil)
        }
    }
}

/// `SeparableConv1D` or `SeparableConv2D`.
protocol SeparableConvolutionConfiguration: LayerBuilding {
    /// The number of spatial axes.
    static var rank: Int { get }
    /// The layer's arguments.
    var options: SeparableConvolutionOptions { get }
}

extension SeparableConvolutionConfiguration {
    public var weightRoles: [WeightRole] {
        [WeightRole("depthwise_kernel"), WeightRole("pointwise_kernel")] + (options.useBias ? [WeightRole("bias")] : [])
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let input = inputs.first ?? []
        let window = options.window, multiplier = options.depthMultiplier, filters = options.filters
        try window.checkInput(input, layer: common.name, className: Self.className)
        let channels = try window.knownChannels(input, layer: common.name)
        let depthwiseShape = window.kernelSize + [channels, multiplier]
        let pointwiseShape = Array(repeating: 1, count: window.rank) + [channels * multiplier, filters]
        guard let depthwiseCount = try? Tensor.elementCount(of: depthwiseShape), let pointwiseCount = try? Tensor.elementCount(of: pointwiseShape) else {
            throw .unsupportedTopology(layer: common.name, reason: "kernels of \(depthwiseShape.shapeDescription) and \(pointwiseShape.shapeDescription) are too large")
        }
        let depthwise = DepthwiseConvolutionLayer<Scalar>(
            name: common.name, className: Self.className, window: window, multiplier: multiplier, activation: .linear,
            generation: context.generation, channels: channels, kernel: try weights.values("depthwise_kernel", shape: depthwiseShape),
            bias: nil, parameterCount: depthwiseCount
        )
        let pointwise = Scalar.matrix(try weights.values("pointwise_kernel", shape: pointwiseShape), rows: channels * multiplier, columns: filters, groups: 1)
        let bias = options.useBias ? try weights.values("bias", shape: [filters]) : nil
        return RunnableLayer(SeparableConvolutionLayer<Scalar>(
            depthwise: depthwise, pointwise: pointwise, filters: filters, bias: bias, activation: options.activation,
            parameterCount: depthwiseCount + pointwiseCount + (bias?.count ?? 0)
        ))
    }
}

/// `keras.layers.SeparableConv1D`: a depthwise convolution, then a 1-wide convolution mixing
/// its channels into `filters`, over `(batch, steps, channels)`.
public struct SeparableConv1DConfig: SeparableConvolutionConfiguration {
    public static let className = "SeparableConv1D"
    public static let aliases = ["SeparableConvolution1D"]
    static let rank = 1
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The layer's arguments.
    public let options: SeparableConvolutionOptions

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        options = try SeparableConvolutionOptions(reading: &arguments, rank: Self.rank)
    }
}

/// `keras.layers.SeparableConv2D`: a depthwise convolution, then a 1×1 convolution mixing its
/// channels into `filters`, over images.
public struct SeparableConv2DConfig: SeparableConvolutionConfiguration {
    public static let className = "SeparableConv2D"
    public static let aliases = ["SeparableConvolution2D"]
    static let rank = 2
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The layer's arguments.
    public let options: SeparableConvolutionOptions

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        options = try SeparableConvolutionOptions(reading: &arguments, rank: Self.rank)
    }
}

/// A separable convolution as TensorFlow's `separable_conv2d` computes it: the depthwise
/// convolution (strides, padding and dilation apply here), then the pointwise product, bias and
/// activation. It drops the mask.
struct SeparableConvolutionLayer<Scalar: ComputeScalar>: InferenceLayer {
    let depthwise: DepthwiseConvolutionLayer<Scalar>
    /// `(channels · depth_multiplier, filters)`.
    let pointwise: Scalar.Matrix
    let filters: Int
    let bias: [Scalar]?
    let activation: Activation
    let parameterCount: Int

    var name: String { depthwise.name }
    var window: ConvolutionWindow { depthwise.window }

    func estimatedFLOPs(inputs: [[Int]]) -> Double {
        guard let input = inputs.first, input.count == window.rank + 2,
              let geometry = ConvolutionGeometry(batch: input[0], spatial: window.spatialAxes.map { input[$0] }, window: window) else { return 0 }
        let pointwiseFLOPs = 2 * Double(depthwise.channels * depthwise.multiplier * filters) * Double(geometry.batch * geometry.outputPixels)
        return depthwise.estimatedFLOPs(inputs: inputs) + pointwiseFLOPs
    }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        let input = inputs[0]
        try window.checkInput(input, layer: name, className: depthwise.className)
        return [window.shape(batch: input[0], spatial: try window.outputSpatial(input, layer: name), channels: filters)]
    }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        let spatial = try window.spatialSizes(of: input.shape, channels: depthwise.channels, layer: name)
        guard let geometry = ConvolutionGeometry(batch: input.shape[0], spatial: spatial, window: window) else {
            throw .inputShapeMismatch(layer: name, expected: window.minimumInputDescription(channels: depthwise.channels), actual: input.shape)
        }
        let middleChannels = depthwise.channels * depthwise.multiplier
        let pixels = geometry.batch * geometry.outputPixels
        var middle = call.outputBuffer(try checkedElementCount([pixels, middleChannels], layer: name), zeroed: false)
        depthwise.depthwise(window.dataFormat == .channelsLast ? input.scalars : movingChannels(input.scalars, shape: input.shape, toFirst: false),
                            geometry: geometry, into: &middle)
        let lastShape = [geometry.batch] + geometry.output.suffix(window.rank) + [filters]
        var output = call.outputBuffer(try checkedElementCount(lastShape, layer: name), zeroed: false)
        middle.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                guard let x = x.baseAddress, let y = y.baseAddress else { return }
                bias.withUnsafeBufferPointerIfPresent { bias in
                    pointwise.multiply(m: pixels, x, lda: middleChannels, into: y, ldc: filters, bias: bias)
                }
            }
        }
        call.buffers?.give(middle)
        return [finishConvolution(output, channelsLastShape: lastShape, window: window, activation: activation, generation: depthwise.generation)]
    }
}
