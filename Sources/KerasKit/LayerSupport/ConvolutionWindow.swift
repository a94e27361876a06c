// The arguments every convolution layer reads, and where its windows fall on an input of 1, 2
// or 3 spatial axes.

/// A convolution's window: its size, step, spacing and padding on each spatial axis, and where
/// the channel axis is. Conv, depthwise, separable and transposed convolutions all read these.
public struct ConvolutionWindow: Sendable, Hashable {
    /// The window size per spatial axis (`kernel_size`).
    public let kernelSize: [Int]
    /// The step between windows per axis.
    public let strides: [Int]
    /// `valid`, `same`, or `causal` (1-D convolutions only).
    public let padding: Padding
    /// Where the channel axis is.
    public let dataFormat: DataFormat
    /// The spacing between kernel taps per axis.
    public let dilationRate: [Int]

    /// The number of spatial axes.
    public var rank: Int { kernelSize.count }
    /// The span of the window on each axis: `(kernel_size − 1) · dilation_rate + 1`.
    var spans: [Int] { zip(kernelSize, dilationRate).map { ($0 - 1) * $1 + 1 } }
    /// The number of kernel taps.
    var tapCount: Int { kernelSize.reduce(1, *) }

    /// A window from its parts (a ConvLSTM's recurrent convolution: stride 1, `same`).
    init(kernelSize: [Int], strides: [Int], padding: Padding, dataFormat: DataFormat, dilationRate: [Int]) {
        self.kernelSize = kernelSize
        self.strides = strides
        self.padding = padding
        self.dataFormat = dataFormat
        self.dilationRate = dilationRate
    }

    /// Reads `kernel_size`, `strides`, `padding`, `data_format` and `dilation_rate`, in Keras's
    /// order, with its defaults.
    init(reading arguments: inout LayerArguments, rank: Int, paddings: [Padding]) throws(KerasConfigError) {
        kernelSize = try arguments.window("kernel_size", rank: rank, default: nil)
        strides = try arguments.window("strides", rank: rank, default: Array(repeating: 1, count: rank))
        padding = try arguments.choice("padding", default: Padding.valid, allowed: paddings)
        dataFormat = try arguments.choice("data_format", default: DataFormat.channelsLast)
        dilationRate = try arguments.window("dilation_rate", rank: rank, default: Array(repeating: 1, count: rank))
        // A window that can't be indexed stays out: every tap offset must fit in an Int.
        for (size, dilation) in zip(kernelSize, dilationRate) where size.multipliedReportingOverflow(by: dilation).overflow {
            throw arguments.invalid("dilation_rate", "a kernel of \(size) taps \(dilation) apart is too large")
        }
    }

    /// The channel axis of a rank `rank + 2` input.
    var channelAxis: Int { dataFormat.channelAxis(rank) }
    /// The input's spatial axes.
    var spatialAxes: [Int] { dataFormat.spatialAxes(rank) }

    /// The shape with channels last of an input in this window's data format.
    func channelsLastShape(_ shape: [Int]) -> [Int] {
        dataFormat == .channelsLast ? shape : [shape[0]] + shape[2...] + [shape[1]]
    }

    /// The shape in this window's data format of a `(batch, spatial…, channels)` shape.
    func shape(batch: Int?, spatial: [Int?], channels: Int?) -> [Int?] {
        dataFormat == .channelsLast ? [batch] + spatial + [channels] : [batch, channels] + spatial
    }

    /// Checks an input shape's rank, and its channel count when known.
    func checkInput(_ input: [Int?], layer: String, className: String) throws(WeightLoadingError) {
        guard input.count == rank + 2 else {
            throw .unsupportedTopology(layer: layer, reason: "\(className) takes input of rank \(rank + 2), got \(input.shapeDescription)")
        }
    }

    /// The input's channel count, which must be known to size a kernel.
    func knownChannels(_ input: [Int?], layer: String) throws(WeightLoadingError) -> Int {
        guard let channels = input[channelAxis] else { throw .unknownInputSize(layer: layer, shape: input) }
        return channels
    }

    /// Checks a call's input against the rank and channel count the layer was built for, and
    /// gives its spatial sizes.
    func spatialSizes(of input: [Int], channels: Int, layer: String) throws(PredictionError) -> [Int] {
        guard input.count == rank + 2, input[channelAxis] == channels else {
            let expected = shape(batch: nil, spatial: Array(repeating: nil, count: rank), channels: channels)
            throw .inputShapeMismatch(layer: layer, expected: expected.shapeDescription, actual: input)
        }
        return spatialAxes.map { input[$0] }
    }

    /// The smallest input a `valid` window fits, for errors: `(batch, ≥3, 2)`.
    func minimumInputDescription(channels: Int) -> String {
        let spatial = spans.map { "≥\($0)" }
        let axes = dataFormat == .channelsLast ? ["batch"] + spatial + ["\(channels)"] : ["batch", "\(channels)"] + spatial
        return "(" + axes.joined(separator: ", ") + ")"
    }

    /// The static output sizes of a convolution's spatial axes.
    func outputSpatial(_ input: [Int?], layer: String) throws(WeightLoadingError) -> [Int?] {
        var result: [Int?] = []
        for (axis, inputAxis) in spatialAxes.enumerated() {
            result.append(try WindowGeometry.outputLength(input[inputAxis], span: spans[axis], stride: strides[axis], padding: padding, layer: layer))
        }
        return result
    }
}

/// Reads the training-only objects of a convolution (`<name>_initializer`, `_regularizer` and
/// `_constraint` for each weight name, and `activity_regularizer`), and refuses LoRA.
func readConvolutionTrainingObjects(_ arguments: inout LayerArguments, weights: [(name: String, initializer: String)]) throws(KerasConfigError) {
    for (name, initializer) in weights {
        _ = try arguments.object("\(name)_initializer", default: initializer)
    }
    for (name, _) in weights {
        _ = try arguments.object("\(name)_regularizer", default: nil)
    }
    _ = try arguments.object("activity_regularizer", default: nil)
    for (name, _) in weights {
        _ = try arguments.object("\(name)_constraint", default: nil)
    }
    try arguments.mustBe("lora_rank", oneOf: [.null], because: "KerasKit runs convolutions without LoRA adapters")
    try arguments.mustBe("lora_alpha", oneOf: [.null], because: "KerasKit runs convolutions without LoRA adapters")
}

/// Where a convolution's windows fall on one input: sizes, steps, spacing and padding of up to
/// three spatial axes, with missing leading axes of size 1 (a 1-D convolution is a 3-D one on a
/// `1 × 1 × length` volume).
struct ConvolutionGeometry {
    var batch: Int
    var input: [Int]
    var output: [Int]
    var kernel: [Int]
    var strides: [Int]
    var dilation: [Int]
    var padBefore: [Int]

    var inputPixels: Int { input[0] * input[1] * input[2] }
    var outputPixels: Int { output[0] * output[1] * output[2] }
    var taps: Int { kernel[0] * kernel[1] * kernel[2] }

    /// The geometry of a forward convolution; nil when a `valid` window doesn't fit.
    init?(batch: Int, spatial: [Int], window: ConvolutionWindow) {
        let lead = 3 - spatial.count
        self.batch = batch
        input = Array(repeating: 1, count: lead) + spatial
        kernel = Array(repeating: 1, count: lead) + window.kernelSize
        strides = Array(repeating: 1, count: lead) + window.strides
        dilation = Array(repeating: 1, count: lead) + window.dilationRate
        output = Array(repeating: 1, count: lead)
        padBefore = Array(repeating: 0, count: lead)
        for axis in 0..<spatial.count {
            guard let geometry = WindowGeometry(length: spatial[axis], span: window.spans[axis], stride: window.strides[axis], padding: window.padding) else { return nil }
            output.append(geometry.outputLength)
            padBefore.append(geometry.padLeft)
        }
    }

    /// The geometry of a transposed convolution from `spatial` to `outputSpatial`: TensorFlow's
    /// `conv_transpose` places input position `i` at output `i·stride + tap·dilation − padBefore`,
    /// with `padBefore` that of the forward convolution from the output back to the input
    /// (`0` for `valid`; half of `max((in − 1)·stride + span − out, 0)` for `same`).
    init(batch: Int, spatial: [Int], outputSpatial: [Int], window: ConvolutionWindow) {
        let lead = 3 - spatial.count
        self.batch = batch
        input = Array(repeating: 1, count: lead) + spatial
        output = Array(repeating: 1, count: lead) + outputSpatial
        kernel = Array(repeating: 1, count: lead) + window.kernelSize
        strides = Array(repeating: 1, count: lead) + window.strides
        dilation = Array(repeating: 1, count: lead) + window.dilationRate
        padBefore = Array(repeating: 0, count: lead)
        for axis in 0..<spatial.count {
            let total = window.padding == .same
                ? Swift.max((spatial[axis] - 1) * window.strides[axis] + window.spans[axis] - outputSpatial[axis], 0) : 0
            padBefore.append(total / 2)
        }
    }
}
