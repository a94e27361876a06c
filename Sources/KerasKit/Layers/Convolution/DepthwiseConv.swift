/// The arguments `DepthwiseConv1D` and `DepthwiseConv2D` read.
public struct DepthwiseConvolutionOptions: Sendable, Hashable {
    /// Output channels per input channel.
    public let depthMultiplier: Int
    /// Kernel size, strides, padding, data format and dilation.
    public let window: ConvolutionWindow
    /// Applied to the output; `linear` by default.
    public let activation: Activation
    /// Whether a bias vector is added.
    public let useBias: Bool

    init(reading arguments: inout LayerArguments, rank: Int) throws(KerasConfigError) {
        depthMultiplier = try arguments.integer("depth_multiplier", default: 1, in: 1...KerasLimits.maxDimension)
        window = try ConvolutionWindow(reading: &arguments, rank: rank, paddings: rank == 1 ? [.valid, .same, .causal] : [.valid, .same])
        // tf-keras writes its convolution base's `groups`, always 1 here.
        _ = try arguments.integer("groups", default: 1, in: 1...1)
        activation = try arguments.activation("activation", default: .linear)
        useBias = try arguments.flag("use_bias", default: true)
        try readConvolutionTrainingObjects(&arguments, weights: [("depthwise", "GlorotUniform"), ("bias", "Zeros")])
    }
}

/// `DepthwiseConv1D` or `DepthwiseConv2D`.
protocol DepthwiseConvolutionConfiguration: LayerBuilding {
    /// The number of spatial axes.
    static var rank: Int { get }
    /// The layer's arguments.
    var options: DepthwiseConvolutionOptions { get }
}

extension DepthwiseConvolutionConfiguration {
    /// Keras 3 names the kernel `kernel`, tf-keras `depthwise_kernel`.
    public var weightRoles: [WeightRole] {
        [WeightRole("kernel", otherNames: ["depthwise_kernel"])] + (options.useBias ? [WeightRole("bias")] : [])
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let input = inputs.first ?? []
        let window = options.window
        try window.checkInput(input, layer: common.name, className: Self.className)
        let channels = try window.knownChannels(input, layer: common.name)
        let kernelShape = window.kernelSize + [channels, options.depthMultiplier]
        guard let kernelCount = try? Tensor.elementCount(of: kernelShape) else {
            throw .unsupportedTopology(layer: common.name, reason: "a kernel of \(kernelShape.shapeDescription) is too large")
        }
        let kernel = try weights.values("kernel", shape: kernelShape)
        let bias = options.useBias ? try weights.values("bias", shape: [channels * options.depthMultiplier]) : nil
        return RunnableLayer(DepthwiseConvolutionLayer<Scalar>(
            name: common.name, className: Self.className, window: window, multiplier: options.depthMultiplier,
            activation: options.activation, generation: context.generation, channels: channels,
            kernel: kernel, bias: bias, parameterCount: kernelCount + (bias?.count ?? 0)
        ))
    }
}

/// `keras.layers.DepthwiseConv1D`: each input channel convolved with its own
/// `depth_multiplier` kernels over `(batch, steps, channels)`.
public struct DepthwiseConv1DConfig: DepthwiseConvolutionConfiguration {
    public static let className = "DepthwiseConv1D"
    static let rank = 1
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The layer's arguments.
    public let options: DepthwiseConvolutionOptions

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        options = try DepthwiseConvolutionOptions(reading: &arguments, rank: Self.rank)
    }
}

/// `keras.layers.DepthwiseConv2D`: each input channel convolved with its own
/// `depth_multiplier` kernels over images.
public struct DepthwiseConv2DConfig: DepthwiseConvolutionConfiguration {
    public static let className = "DepthwiseConv2D"
    static let rank = 2
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The layer's arguments.
    public let options: DepthwiseConvolutionOptions

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        options = try DepthwiseConvolutionOptions(reading: &arguments, rank: Self.rank)
    }
}

/// A depthwise convolution as TensorFlow's `depthwise_conv2d` computes it: output channel
/// `c · multiplier + m` is input channel `c` convolved with `kernel[…, c, m]`, then bias and
/// activation. It drops the mask.
struct DepthwiseConvolutionLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let className: String
    let window: ConvolutionWindow
    let multiplier: Int
    let activation: Activation
    let generation: KerasGeneration
    let channels: Int
    /// `(taps…, channels, multiplier)`, row-major, as Keras stores it.
    let kernel: [Scalar]
    let bias: [Scalar]?
    let parameterCount: Int

    func estimatedFLOPs(inputs: [[Int]]) -> Double {
        guard let input = inputs.first, input.count == window.rank + 2,
              let geometry = ConvolutionGeometry(batch: input[0], spatial: window.spatialAxes.map { input[$0] }, window: window) else { return 0 }
        return 2 * Double(window.tapCount * channels * multiplier) * Double(geometry.batch * geometry.outputPixels)
    }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        let input = inputs[0]
        try window.checkInput(input, layer: name, className: className)
        return [window.shape(batch: input[0], spatial: try window.outputSpatial(input, layer: name), channels: channels * multiplier)]
    }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        let spatial = try window.spatialSizes(of: input.shape, channels: channels, layer: name)
        guard let geometry = ConvolutionGeometry(batch: input.shape[0], spatial: spatial, window: window) else {
            throw .inputShapeMismatch(layer: name, expected: window.minimumInputDescription(channels: channels), actual: input.shape)
        }
        let lastShape = [geometry.batch] + geometry.output.suffix(window.rank) + [channels * multiplier]
        var output = call.outputBuffer(try checkedElementCount(lastShape, layer: name), zeroed: false)
        depthwise(window.dataFormat == .channelsLast ? input.scalars : movingChannels(input.scalars, shape: input.shape, toFirst: false),
                  geometry: geometry, into: &output)
        return [finishConvolution(output, channelsLastShape: lastShape, window: window, activation: activation, generation: generation)]
    }

    /// The depthwise convolution plus bias of a channels-last input.
    func depthwise(_ x: [Scalar], geometry: ConvolutionGeometry, into output: inout [Scalar]) {
        x.withUnsafeBufferPointer { x in
            kernel.withUnsafeBufferPointer { k in
                output.withUnsafeMutableBufferPointer { y in
                    guard let x = x.baseAddress, let k = k.baseAddress, let y = y.baseAddress else { return }
                    bias.withUnsafeBufferPointerIfPresent { bias in
                        depthwiseConvolve(x, geometry: geometry, channels: channels, multiplier: multiplier, kernel: k, bias: bias, into: y)
                    }
                }
            }
        }
    }
}
