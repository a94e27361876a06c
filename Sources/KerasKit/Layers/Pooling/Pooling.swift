/// A pooling window over 1, 2 or 3 spatial axes: `MaxPooling1D/2D/3D` or `AveragePooling1D/2D/3D`.
protocol PoolingConfiguration: LayerBuilding {
    /// Whether the window takes the mean (else the maximum).
    static var averages: Bool { get }
    /// The number of spatial axes (1, 2 or 3).
    static var spatialRank: Int { get }
    /// The window, its step, padding and channel axis.
    var window: PoolingWindow { get }
    init(common: LayerCommonConfig, window: PoolingWindow)
}

/// The arguments every pooling layer reads, one entry per spatial axis.
public struct PoolingWindow: Sendable, Hashable {
    /// The window size along each spatial axis.
    public let poolSize: [Int]
    /// The step between windows along each axis (Keras's `None` means `pool_size`).
    public let strides: [Int]
    /// `valid` or `same`.
    public let padding: Padding
    /// Where the channel axis is.
    public let dataFormat: DataFormat

    init(reading arguments: inout LayerArguments, rank: Int) throws(KerasConfigError) {
        poolSize = try arguments.window("pool_size", rank: rank, default: Array(repeating: 2, count: rank))
        strides = try arguments.window("strides", rank: rank, default: poolSize)
        padding = try arguments.choice("padding", default: Padding.valid, allowed: [.valid, .same])
        dataFormat = try arguments.choice("data_format", default: DataFormat.channelsLast)
    }
}

extension PoolingConfiguration {
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.init(common: common, window: try PoolingWindow(reading: &arguments, rank: Self.spatialRank))
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        RunnableLayer(PoolingLayer<Scalar>(name: common.name, window: window, averages: Self.averages))
    }
}

/// `keras.layers.MaxPooling1D`: the maximum of each window.
public struct MaxPooling1DConfig: PoolingConfiguration {
    public static let className = "MaxPooling1D"
    public static let aliases = ["MaxPool1D"]
    static let averages = false, spatialRank = 1
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The window, its step, padding and channel axis.
    public let window: PoolingWindow
    init(common: LayerCommonConfig, window: PoolingWindow) { (self.common, self.window) = (common, window) }
}

/// `keras.layers.MaxPooling2D`: the maximum of each window.
public struct MaxPooling2DConfig: PoolingConfiguration {
    public static let className = "MaxPooling2D"
    public static let aliases = ["MaxPool2D"]
    static let averages = false, spatialRank = 2
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The window, its step, padding and channel axis.
    public let window: PoolingWindow
    init(common: LayerCommonConfig, window: PoolingWindow) { (self.common, self.window) = (common, window) }
}

/// `keras.layers.MaxPooling3D`: the maximum of each window.
public struct MaxPooling3DConfig: PoolingConfiguration {
    public static let className = "MaxPooling3D"
    public static let aliases = ["MaxPool3D"]
    static let averages = false, spatialRank = 3
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The window, its step, padding and channel axis.
    public let window: PoolingWindow
    init(common: LayerCommonConfig, window: PoolingWindow) { (self.common, self.window) = (common, window) }
}

/// `keras.layers.AveragePooling1D`: the mean of each window; with `same` padding the mean of
/// the window's elements inside the input (padding is not counted), as TensorFlow computes it.
public struct AveragePooling1DConfig: PoolingConfiguration {
    public static let className = "AveragePooling1D"
    public static let aliases = ["AvgPool1D"]
    static let averages = true, spatialRank = 1
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The window, its step, padding and channel axis.
    public let window: PoolingWindow
    init(common: LayerCommonConfig, window: PoolingWindow) { (self.common, self.window) = (common, window) }
}

/// `keras.layers.AveragePooling2D`: the mean of each window's elements inside the input.
public struct AveragePooling2DConfig: PoolingConfiguration {
    public static let className = "AveragePooling2D"
    public static let aliases = ["AvgPool2D"]
    static let averages = true, spatialRank = 2
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The window, its step, padding and channel axis.
    public let window: PoolingWindow
    init(common: LayerCommonConfig, window: PoolingWindow) { (self.common, self.window) = (common, window) }
}

/// `keras.layers.AveragePooling3D`: the mean of each window's elements inside the input.
public struct AveragePooling3DConfig: PoolingConfiguration {
    public static let className = "AveragePooling3D"
    public static let aliases = ["AvgPool3D"]
    static let averages = true, spatialRank = 3
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The window, its step, padding and channel axis.
    public let window: PoolingWindow
    init(common: LayerCommonConfig, window: PoolingWindow) { (self.common, self.window) = (common, window) }
}

/// The max and average pooling layers over k spatial axes. With `same` padding the padded
/// elements take no part: the maximum ignores them and the average divides by the number of
/// input elements in the window, as TensorFlow's pooling does. Both drop the mask.
struct PoolingLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let window: PoolingWindow
    let averages: Bool

    var parameterCount: Int { 0 }
    var spatialRank: Int { window.poolSize.count }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        var output = inputs[0]
        guard output.count == spatialRank + 2 else {
            throw .unsupportedTopology(layer: name, reason: "\(spatialRank)-D pooling takes input of rank \(spatialRank + 2), got \(output.shapeDescription)")
        }
        for (index, axis) in window.dataFormat.spatialAxes(spatialRank).enumerated() {
            output[axis] = try WindowGeometry.outputLength(output[axis], span: window.poolSize[index], stride: window.strides[index],
                                                           padding: window.padding, layer: name)
        }
        return [output]
    }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        guard let image = ChannelsLastImage(call.input, spatialRank: spatialRank, format: window.dataFormat) else {
            throw .inputShapeMismatch(layer: name, expected: "rank \(spatialRank + 2)", actual: call.input.shape)
        }
        // Per axis and output index: the input range the window covers, padding excluded.
        var ranges: [[Range<Int>]] = []
        for axis in 0..<spatialRank {
            let length = image.spatial[axis], span = window.poolSize[axis], stride = window.strides[axis]
            guard let geometry = WindowGeometry(length: length, span: span, stride: stride, padding: window.padding) else {
                throw .inputShapeMismatch(layer: name, expected: "at least \(window.poolSize) spatial sizes", actual: call.input.shape)
            }
            ranges.append((0..<geometry.outputLength).map { index in
                let start = index * stride - geometry.padLeft
                let low = Swift.max(start, 0), high = Swift.min(start + span, length)
                return low..<Swift.max(high, low)
            })
        }
        let outputSpatial = ranges.map(\.count)
        let outputShape = image.shape(spatial: outputSpatial, format: .channelsLast)
        let channels = image.channels
        var output = [Scalar](repeating: averages ? 0 : -Scalar.infinity, count: try checkedElementCount(outputShape, layer: name))
        let inputStrides = rowMajorStrides(image.spatial).map { $0 * channels }
        let inputPositions = image.positions, outputPositions = product(outputSpatial, 0..<spatialRank)
        image.scalars.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                var position = [Int](repeating: 0, count: spatialRank)
                for outputPosition in 0..<(image.batch * outputPositions) {
                    // `position` runs over the output positions of one sample and wraps to the next.
                    let sample = outputPosition / outputPositions
                    let windowRanges = (0..<spatialRank).map { ranges[$0][position[$0]] }
                    let sizes = windowRanges.map(\.count)
                    let count = product(sizes, 0..<spatialRank)
                    let target = outputPosition * channels
                    var offset = [Int](repeating: 0, count: spatialRank)
                    for _ in 0..<count {
                        var source = sample * inputPositions * channels
                        for axis in 0..<spatialRank { source += (windowRanges[axis].lowerBound + offset[axis]) * inputStrides[axis] }
                        for channel in 0..<channels {
                            let value = x[source + channel]
                            y[target + channel] = averages ? y[target + channel] + value : Swift.max(y[target + channel], value)
                        }
                        advance(&offset, within: sizes)
                    }
                    if averages {
                        let scale = Scalar(Swift.max(count, 1))
                        for channel in 0..<channels { y[target + channel] /= scale }
                    }
                    advance(&position, within: outputSpatial)
                }
            }
        }
        let result = ChannelsLastImage(batch: image.batch, spatial: outputSpatial, channels: channels, scalars: output)
        return [result.tensor(format: window.dataFormat)]
    }
}
