/// Keras 3's adaptive pooling over 1, 2 or 3 spatial axes, to a fixed output size:
/// `AdaptiveAveragePooling1D/2D/3D` or `AdaptiveMaxPooling1D/2D/3D`. Keras 2 has none.
protocol AdaptivePoolingConfiguration: LayerBuilding {
    /// Whether each bin takes the mean (else the maximum).
    static var averages: Bool { get }
    /// The number of spatial axes (1, 2 or 3).
    static var spatialRank: Int { get }
    /// The output size along each spatial axis.
    var outputSize: [Int] { get }
    /// Where the channel axis is.
    var dataFormat: DataFormat { get }
    init(common: LayerCommonConfig, outputSize: [Int], dataFormat: DataFormat)
}

extension AdaptivePoolingConfiguration {
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.init(common: common, outputSize: try arguments.window("output_size", rank: Self.spatialRank, default: nil),
                  dataFormat: try arguments.choice("data_format", default: DataFormat.channelsLast))
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        RunnableLayer(AdaptivePoolingLayer<Scalar>(name: common.name, outputSize: outputSize, dataFormat: dataFormat, averages: Self.averages))
    }
}

/// `keras.layers.AdaptiveAveragePooling1D`: the mean of each of `output_size` bins.
public struct AdaptiveAveragePooling1DConfig: AdaptivePoolingConfiguration {
    public static let className = "AdaptiveAveragePooling1D"
    static let averages = true, spatialRank = 1
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The output size per spatial axis, and the channel axis.
    public let outputSize: [Int], dataFormat: DataFormat
    init(common: LayerCommonConfig, outputSize: [Int], dataFormat: DataFormat) {
        (self.common, self.outputSize, self.dataFormat) = (common, outputSize, dataFormat)
    }
}

/// `keras.layers.AdaptiveAveragePooling2D`: the mean of each of `output_size` bins.
public struct AdaptiveAveragePooling2DConfig: AdaptivePoolingConfiguration {
    public static let className = "AdaptiveAveragePooling2D"
    static let averages = true, spatialRank = 2
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The output size per spatial axis, and the channel axis.
    public let outputSize: [Int], dataFormat: DataFormat
    init(common: LayerCommonConfig, outputSize: [Int], dataFormat: DataFormat) {
        (self.common, self.outputSize, self.dataFormat) = (common, outputSize, dataFormat)
    }
}

/// `keras.layers.AdaptiveAveragePooling3D`: the mean of each of `output_size` bins.
public struct AdaptiveAveragePooling3DConfig: AdaptivePoolingConfiguration {
    public static let className = "AdaptiveAveragePooling3D"
    static let averages = true, spatialRank = 3
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The output size per spatial axis, and the channel axis.
    public let outputSize: [Int], dataFormat: DataFormat
    init(common: LayerCommonConfig, outputSize: [Int], dataFormat: DataFormat) {
        (self.common, self.outputSize, self.dataFormat) = (common, outputSize, dataFormat)
    }
}

/// `keras.layers.AdaptiveMaxPooling1D`: the maximum of each of `output_size` bins.
public struct AdaptiveMaxPooling1DConfig: AdaptivePoolingConfiguration {
    public static let className = "AdaptiveMaxPooling1D"
    static let averages = false, spatialRank = 1
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The output size per spatial axis, and the channel axis.
    public let outputSize: [Int], dataFormat: DataFormat
    init(common: LayerCommonConfig, outputSize: [Int], dataFormat: DataFormat) {
        (self.common, self.outputSize, self.dataFormat) = (common, outputSize, dataFormat)
    }
}

/// `keras.layers.AdaptiveMaxPooling2D`: the maximum of each of `output_size` bins.
public struct AdaptiveMaxPooling2DConfig: AdaptivePoolingConfiguration {
    public static let className = "AdaptiveMaxPooling2D"
    static let averages = false, spatialRank = 2
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The output size per spatial axis, and the channel axis.
    public let outputSize: [Int], dataFormat: DataFormat
    init(common: LayerCommonConfig, outputSize: [Int], dataFormat: DataFormat) {
        (self.common, self.outputSize, self.dataFormat) = (common, outputSize, dataFormat)
    }
}

/// `keras.layers.AdaptiveMaxPooling3D`: the maximum of each of `output_size` bins.
public struct AdaptiveMaxPooling3DConfig: AdaptivePoolingConfiguration {
    public static let className = "AdaptiveMaxPooling3D"
    static let averages = false, spatialRank = 3
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The output size per spatial axis, and the channel axis.
    public let outputSize: [Int], dataFormat: DataFormat
    init(common: LayerCommonConfig, outputSize: [Int], dataFormat: DataFormat) {
        (self.common, self.outputSize, self.dataFormat) = (common, outputSize, dataFormat)
    }
}

/// Adaptive pooling as Keras 3's TensorFlow backend computes it (`_adaptive_*_pool{1,2,3}d`):
/// along each axis, bin `i` of `n` over `L` input steps starts at `floor(i · L / n)` (in float32,
/// clamped to `L − 1`) and spans the "big" window `ceil(L / n) + 1` when
/// `min(ceil((i + 1) · L / n), L) − start` equals it, else the "small" window `ceil(L / n)`.
/// The axes are pooled one after the other (the average is a mean of means, as TensorFlow's).
/// It drops the mask.
struct AdaptivePoolingLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let outputSize: [Int]
    let dataFormat: DataFormat
    let averages: Bool

    var parameterCount: Int { 0 }
    var spatialRank: Int { outputSize.count }

    /// The input range of each of `bins` bins over `length` steps.
    static func bins(length: Int, bins: Int) -> [Range<Int>] {
        let small = (length + bins - 1) / bins, big = small + 1
        return (0..<bins).map { index in
            // TensorFlow computes the bounds in float32: `floor(float(i) * float(L) / float(n))`.
            let start = Swift.min(Int((Float(index) * Float(length) / Float(bins)).rounded(.down)), length - 1)
            let end = Swift.min(Int((Float(index + 1) * Float(length) / Float(bins)).rounded(.up)), length)
            let size = end - start == big ? big : small
            return start..<Swift.min(start + size, length)
        }
    }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        var output = inputs[0]
        guard output.count == spatialRank + 2 else {
            throw .unsupportedTopology(layer: name, reason: "\(spatialRank)-D adaptive pooling takes input of rank \(spatialRank + 2), got \(output.shapeDescription)")
        }
        for (index, axis) in dataFormat.spatialAxes(spatialRank).enumerated() {
            // Keras needs the spatial sizes when it builds the graph; so does the bin layout.
            guard output[axis] != nil else {
                throw .unsupportedTopology(layer: name, reason: "adaptive pooling needs known spatial sizes, got input \(output.shapeDescription)")
            }
            output[axis] = outputSize[index]
        }
        return [output]
    }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        guard var image = ChannelsLastImage(call.input, spatialRank: spatialRank, format: dataFormat), image.spatial.allSatisfy({ $0 > 0 }) else {
            throw .inputShapeMismatch(layer: name, expected: "rank \(spatialRank + 2) with non-empty spatial axes", actual: call.input.shape)
        }
        _ = try checkedElementCount(image.shape(spatial: outputSize, format: .channelsLast), layer: name)
        for axis in 0..<spatialRank { image = pool(image, axis: axis) }
        return [image.tensor(format: dataFormat)]
    }

    /// `image` with spatial axis `axis` pooled into its bins.
    private func pool(_ image: ChannelsLastImage<Scalar>, axis: Int) -> ChannelsLastImage<Scalar> {
        let length = image.spatial[axis], count = outputSize[axis]
        let ranges = Self.bins(length: length, bins: count)
        // Rows: the axes before `axis` (batch included); inner: the axes after it times channels.
        let outer = image.batch * product(image.spatial, 0..<axis)
        let inner = product(image.spatial, (axis + 1)..<spatialRank) * image.channels
        var spatial = image.spatial
        spatial[axis] = count
        var output = [Scalar](repeating: averages ? 0 : -Scalar.infinity, count: outer * count * inner)
        image.scalars.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                for row in 0..<outer {
                    for (bin, range) in ranges.enumerated() {
                        let target = (row * count + bin) * inner
                        for step in range {
                            let source = (row * length + step) * inner
                            for index in 0..<inner {
                                y[target + index] = averages ? y[target + index] + x[source + index] : Swift.max(y[target + index], x[source + index])
                            }
                        }
                        if averages {
                            let scale = Scalar(Swift.max(range.count, 1))
                            for index in 0..<inner { y[target + index] /= scale }
                        }
                    }
                }
            }
        }
        return ChannelsLastImage(batch: image.batch, spatial: spatial, channels: image.channels, scalars: output)
    }
}
