/// A 1-D pooling window: `MaxPooling1D` or `AveragePooling1D`.
protocol Pooling1DConfiguration: LayerBuilding {
    /// Whether the window takes the mean (else the maximum).
    static var averages: Bool { get }
    /// The window, its step, padding and channel axis.
    var window: Pooling1DWindow { get }
}

/// The arguments both 1-D pooling layers read.
public struct Pooling1DWindow: Sendable, Hashable {
    /// The window length.
    public let poolSize: Int
    /// The step between windows (Keras's `None` means `pool_size`).
    public let strides: Int
    /// `valid` or `same`.
    public let padding: Padding
    /// Where the channel axis is.
    public let dataFormat: DataFormat

    init(reading arguments: inout LayerArguments) throws(KerasConfigError) {
        poolSize = try arguments.window("pool_size", rank: 1, default: [2])[0]
        strides = try arguments.window("strides", rank: 1, default: [poolSize])[0]
        padding = try arguments.choice("padding", default: Padding.valid, allowed: [.valid, .same])
        dataFormat = try arguments.choice("data_format", default: DataFormat.channelsLast)
    }
}

extension Pooling1DConfiguration {
    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        RunnableLayer(Pooling1DLayer<Scalar>(name: common.name, poolSize: window.poolSize, strides: window.strides, padding: window.padding,
                                             dataFormat: window.dataFormat, averages: Self.averages))
    }
}

/// `keras.layers.MaxPooling1D`: the maximum of each window.
public struct MaxPooling1DConfig: Pooling1DConfiguration {
    public static let className = "MaxPooling1D"
    public static let aliases = ["MaxPool1D"]
    static let averages = false
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The window, its step, padding and channel axis.
    public let window: Pooling1DWindow

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        window = try Pooling1DWindow(reading: &arguments)
    }
}

/// `keras.layers.AveragePooling1D`: the mean of each window; with `same` padding the mean of
/// the window's elements inside the input (padding is not counted), as TensorFlow computes it.
public struct AveragePooling1DConfig: Pooling1DConfiguration {
    public static let className = "AveragePooling1D"
    public static let aliases = ["AvgPool1D"]
    static let averages = true
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The window, its step, padding and channel axis.
    public let window: Pooling1DWindow

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        window = try Pooling1DWindow(reading: &arguments)
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
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
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
