/// The arguments `Conv1D`, `Conv2D` and `Conv3D` read.
public struct ConvolutionOptions: Sendable, Hashable {
    /// The number of output channels.
    public let filters: Int
    /// Kernel size, strides, padding, data format and dilation.
    public let window: ConvolutionWindow
    /// Input and output channels split into this many groups, each convolved separately.
    public let groups: Int
    /// Applied to the output; `linear` by default.
    public let activation: Activation
    /// Whether a bias vector is added.
    public let useBias: Bool

    init(reading arguments: inout LayerArguments, rank: Int) throws(KerasConfigError) {
        filters = try arguments.size("filters")
        window = try ConvolutionWindow(reading: &arguments, rank: rank, paddings: rank == 1 ? [.valid, .same, .causal] : [.valid, .same])
        groups = try arguments.integer("groups", default: 1, in: 1...KerasLimits.maxDimension)
        guard filters % groups == 0 else {
            throw arguments.invalid("groups", "\(filters) filters don't split into \(groups) groups")
        }
        activation = try arguments.activation("activation", default: .linear)
        useBias = try arguments.flag("use_bias", default: true)
        try readConvolutionTrainingObjects(&arguments, weights: [("kernel", "GlorotUniform"), ("bias", "Zeros")])
    }
}

/// `Conv1D`, `Conv2D` or `Conv3D`: one class per spatial rank, the same layer.
protocol ConvolutionConfiguration: LayerBuilding {
    /// The number of spatial axes.
    static var rank: Int { get }
    /// The layer's arguments.
    var options: ConvolutionOptions { get }
}

extension ConvolutionConfiguration {
    public var weightRoles: [WeightRole] { [WeightRole("kernel")] + (options.useBias ? [WeightRole("bias")] : []) }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let input = inputs.first ?? []
        let window = options.window, groups = options.groups, filters = options.filters
        try window.checkInput(input, layer: common.name, className: Self.className)
        let channels = try window.knownChannels(input, layer: common.name)
        guard channels % groups == 0 else {
            throw .unsupportedTopology(layer: common.name, reason: "\(channels) input channels don't split into \(groups) groups")
        }
        let groupChannels = channels / groups, groupFilters = filters / groups
        let kernelShape = window.kernelSize + [groupChannels, filters]
        guard let kernelCount = try? Tensor.elementCount(of: kernelShape) else {
            throw .unsupportedTopology(layer: common.name, reason: "a kernel of \(kernelShape.shapeDescription) is too large")
        }
        let kernel = try weights.values("kernel", shape: kernelShape)
        let rows = window.tapCount * groupChannels
        // Group g multiplies by columns g·filters/groups ..< (g+1)·filters/groups of every row.
        var matrices: [Scalar.Matrix] = []
        for group in 0..<groups {
            var values = kernel
            if groups > 1 {
                values = []
                values.reserveCapacity(rows * groupFilters)
                for row in 0..<rows {
                    let start = row * filters + group * groupFilters
                    values += kernel[start..<(start + groupFilters)]
                }
            }
            matrices.append(Scalar.matrix(values, rows: rows, columns: groupFilters, groups: 1))
        }
        let bias = options.useBias ? try weights.values("bias", shape: [filters]) : nil
        return RunnableLayer(ConvolutionLayer<Scalar>(
            name: common.name, className: Self.className, options: options, generation: context.generation,
            inputChannels: channels, matrices: matrices, bias: bias, parameterCount: kernelCount + (bias?.count ?? 0)
        ))
    }
}

/// `keras.layers.Conv1D`: `activation(conv(x, kernel) + bias)` over `(batch, steps, channels)`;
/// `causal` padding pads `(kernel_size − 1) · dilation_rate` steps on the left.
public struct Conv1DConfig: ConvolutionConfiguration {
    public static let className = "Conv1D"
    public static let aliases = ["Convolution1D"]
    static let rank = 1
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The layer's arguments.
    public let options: ConvolutionOptions

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        options = try ConvolutionOptions(reading: &arguments, rank: Self.rank)
    }
}

/// `keras.layers.Conv2D`: `activation(conv(x, kernel) + bias)` over images.
public struct Conv2DConfig: ConvolutionConfiguration {
    public static let className = "Conv2D"
    public static let aliases = ["Convolution2D"]
    static let rank = 2
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The layer's arguments.
    public let options: ConvolutionOptions

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        options = try ConvolutionOptions(reading: &arguments, rank: Self.rank)
    }
}

/// `keras.layers.Conv3D`: `activation(conv(x, kernel) + bias)` over volumes.
public struct Conv3DConfig: ConvolutionConfiguration {
    public static let className = "Conv3D"
    public static let aliases = ["Convolution3D"]
    static let rank = 3
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The layer's arguments.
    public let options: ConvolutionOptions

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        options = try ConvolutionOptions(reading: &arguments, rank: Self.rank)
    }
}

/// A convolution over 1 to 3 spatial axes, as TensorFlow computes `conv`: `y[p] = Σ_taps
/// x[p·stride − padBefore + tap·dilation] · kernel[tap]` per group, zero outside the input, then
/// bias and activation. Channels-first inputs are moved channels last around the products. It
/// drops the mask, as Keras's convolutions do.
struct ConvolutionLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let className: String
    let options: ConvolutionOptions
    let generation: KerasGeneration
    let inputChannels: Int
    /// One `(taps · inputChannels/groups, filters/groups)` matrix per group, prepared at load.
    let matrices: [Scalar.Matrix]
    let bias: [Scalar]?
    let parameterCount: Int

    var window: ConvolutionWindow { options.window }

    func estimatedFLOPs(inputs: [[Int]]) -> Double {
        guard let input = inputs.first, input.count == window.rank + 2,
              let geometry = ConvolutionGeometry(batch: input[0], spatial: window.spatialAxes.map { input[$0] }, window: window) else { return 0 }
        let perPixel = Double(window.tapCount) * Double(inputChannels / options.groups) * Double(options.filters)
        return 2 * perPixel * Double(geometry.batch * geometry.outputPixels)
    }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        let input = inputs[0]
        try window.checkInput(input, layer: name, className: className)
        return [window.shape(batch: input[0], spatial: try window.outputSpatial(input, layer: name), channels: options.filters)]
    }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        let spatial = try window.spatialSizes(of: input.shape, channels: inputChannels, layer: name)
        guard let geometry = ConvolutionGeometry(batch: input.shape[0], spatial: spatial, window: window) else {
            throw .inputShapeMismatch(layer: name, expected: window.minimumInputDescription(channels: inputChannels), actual: input.shape)
        }
        let filters = options.filters
        let outputSpatial = Array(geometry.output.suffix(window.rank))
        let lastShape = [geometry.batch] + outputSpatial + [filters]
        let count = try checkedElementCount(lastShape, layer: name)
        let x = window.dataFormat == .channelsLast ? input.scalars : movingChannels(input.scalars, shape: input.shape, toFirst: false)
        var output = call.outputBuffer(count, zeroed: false)
        let plan = try ConvolutionPatchPlan(geometry: geometry, inputChannels: inputChannels, groups: options.groups, filters: filters, layer: name)
        // The patches are gathered whole before each product reads them: a reused buffer will do.
        var scratch = call.outputBuffer(Swift.max(plan.scratchCount, 1), zeroed: false)
        x.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                scratch.withUnsafeMutableBufferPointer { patches in
                    guard let x = x.baseAddress, let y = y.baseAddress, let patches = patches.baseAddress else { return }
                    bias.withUnsafeBufferPointerIfPresent { bias in
                        convolve(x, geometry: geometry, plan: plan, inputChannels: inputChannels, groups: options.groups, matrices: matrices,
                                 filters: filters, bias: bias, into: y, scratch: patches)
                    }
                }
            }
        }
        call.buffers?.give(scratch)
        return [finishConvolution(output, channelsLastShape: lastShape, window: window, activation: options.activation, generation: generation)]
    }
}

/// A convolution's output moved to the layer's data format, with its activation applied.
func finishConvolution<Scalar: ComputeScalar>(_ values: [Scalar], channelsLastShape shape: [Int], window: ConvolutionWindow,
                                              activation: Activation, generation: KerasGeneration) -> TensorOf<Scalar> {
    var values = values
    var shape = shape
    if window.dataFormat == .channelsFirst {
        values = movingChannels(values, shape: shape, toFirst: true)
        shape = [shape[0], shape[shape.count - 1]] + shape[1..<(shape.count - 1)]
    }
    let rowLength = shape.last ?? 1
    values.withUnsafeMutableBufferPointer { y in
        if let base = y.baseAddress { activation.apply(base, count: y.count, rowLength: rowLength, generation: generation) }
    }
    return TensorOf(uncheckedShape: shape, scalars: values)
}
