/// A pooling over all spatial axes: `GlobalAveragePooling1D/2D/3D` or `GlobalMaxPooling1D/2D/3D`.
protocol GlobalPoolingConfiguration: LayerBuilding {
    /// Whether the layer takes the mean (else the maximum).
    static var averages: Bool { get }
    /// The number of spatial axes (1, 2 or 3).
    static var spatialRank: Int { get }
    /// Where the channel axis is.
    var dataFormat: DataFormat { get }
    /// Whether the spatial axes stay, with size 1.
    var keepdims: Bool { get }
    init(common: LayerCommonConfig, dataFormat: DataFormat, keepdims: Bool)
}

extension GlobalPoolingConfiguration {
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.init(common: common, dataFormat: try arguments.choice("data_format", default: DataFormat.channelsLast),
                  keepdims: try arguments.flag("keepdims", default: false))
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        RunnableLayer(GlobalPoolingLayer<Scalar>(name: common.name, spatialRank: Self.spatialRank, dataFormat: dataFormat, keepdims: keepdims,
                                                 averages: Self.averages, generation: context.generation))
    }
}

/// `keras.layers.GlobalAveragePooling1D`: the mean over steps; with a mask, the mean over the
/// valid steps only.
public struct GlobalAveragePooling1DConfig: GlobalPoolingConfiguration {
    public static let className = "GlobalAveragePooling1D"
    public static let aliases = ["GlobalAvgPool1D"]
    static let averages = true, spatialRank = 1
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The channel axis, and whether the step axis stays with size 1.
    public let dataFormat: DataFormat, keepdims: Bool

    init(common: LayerCommonConfig, dataFormat: DataFormat, keepdims: Bool) {
        (self.common, self.dataFormat, self.keepdims) = (common, dataFormat, keepdims)
    }
}

/// `keras.layers.GlobalAveragePooling2D`: the mean over height and width (`ops.mean`). It
/// doesn't support masking in Keras 2 or 3: a mask is dropped.
public struct GlobalAveragePooling2DConfig: GlobalPoolingConfiguration {
    public static let className = "GlobalAveragePooling2D"
    public static let aliases = ["GlobalAvgPool2D"]
    static let averages = true, spatialRank = 2
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The channel axis, and whether the spatial axes stay with size 1.
    public let dataFormat: DataFormat, keepdims: Bool

    init(common: LayerCommonConfig, dataFormat: DataFormat, keepdims: Bool) {
        (self.common, self.dataFormat, self.keepdims) = (common, dataFormat, keepdims)
    }
}

/// `keras.layers.GlobalAveragePooling3D`: the mean over depth, height and width. It drops a mask.
public struct GlobalAveragePooling3DConfig: GlobalPoolingConfiguration {
    public static let className = "GlobalAveragePooling3D"
    public static let aliases = ["GlobalAvgPool3D"]
    static let averages = true, spatialRank = 3
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The channel axis, and whether the spatial axes stay with size 1.
    public let dataFormat: DataFormat, keepdims: Bool

    init(common: LayerCommonConfig, dataFormat: DataFormat, keepdims: Bool) {
        (self.common, self.dataFormat, self.keepdims) = (common, dataFormat, keepdims)
    }
}

/// `keras.layers.GlobalMaxPooling1D`: the maximum over steps. It doesn't support masking in
/// Keras 2 or 3: a mask is ignored (Keras 3 drops it with a warning).
public struct GlobalMaxPooling1DConfig: GlobalPoolingConfiguration {
    public static let className = "GlobalMaxPooling1D"
    public static let aliases = ["GlobalMaxPool1D"]
    static let averages = false, spatialRank = 1
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The channel axis, and whether the step axis stays with size 1.
    public let dataFormat: DataFormat, keepdims: Bool

    init(common: LayerCommonConfig, dataFormat: DataFormat, keepdims: Bool) {
        (self.common, self.dataFormat, self.keepdims) = (common, dataFormat, keepdims)
    }
}

/// `keras.layers.GlobalMaxPooling2D`: the maximum over height and width. It drops a mask.
public struct GlobalMaxPooling2DConfig: GlobalPoolingConfiguration {
    public static let className = "GlobalMaxPooling2D"
    public static let aliases = ["GlobalMaxPool2D"]
    static let averages = false, spatialRank = 2
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The channel axis, and whether the spatial axes stay with size 1.
    public let dataFormat: DataFormat, keepdims: Bool

    init(common: LayerCommonConfig, dataFormat: DataFormat, keepdims: Bool) {
        (self.common, self.dataFormat, self.keepdims) = (common, dataFormat, keepdims)
    }
}

/// `keras.layers.GlobalMaxPooling3D`: the maximum over depth, height and width. It drops a mask.
public struct GlobalMaxPooling3DConfig: GlobalPoolingConfiguration {
    public static let className = "GlobalMaxPooling3D"
    public static let aliases = ["GlobalMaxPool3D"]
    static let averages = false, spatialRank = 3
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The channel axis, and whether the spatial axes stay with size 1.
    public let dataFormat: DataFormat, keepdims: Bool

    init(common: LayerCommonConfig, dataFormat: DataFormat, keepdims: Bool) {
        (self.common, self.dataFormat, self.keepdims) = (common, dataFormat, keepdims)
    }
}

/// The global average and max poolings: the mean or maximum over every spatial axis.
///
/// Only the 1-D average honours a mask, averaging the valid steps only (a sample with none
/// gives NaN, as in Keras); Keras 3 skips masked steps (`where`), Keras 2 multiplies them by 0.
/// No global pooling passes a mask on; the others ignore one, as they don't support masking
/// in either generation.
struct GlobalPoolingLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let spatialRank: Int
    let dataFormat: DataFormat
    let keepdims: Bool
    let averages: Bool
    let generation: KerasGeneration

    var parameterCount: Int { 0 }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        let input = inputs[0]
        guard input.count == spatialRank + 2 else {
            throw .unsupportedTopology(layer: name, reason: "global \(spatialRank)-D pooling takes input of rank \(spatialRank + 2), got \(input.shapeDescription)")
        }
        let channels = input[dataFormat.channelAxis(spatialRank)]
        guard keepdims else { return [[input[0], channels]] }
        let ones = [Int?](repeating: 1, count: spatialRank)
        return [dataFormat == .channelsLast ? [input[0]] + ones + [channels] : [input[0], channels] + ones]
    }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard let image = ChannelsLastImage(input, spatialRank: spatialRank, format: dataFormat) else {
            throw .inputShapeMismatch(layer: name, expected: "rank \(spatialRank + 2)", actual: input.shape)
        }
        let positions = image.positions, channels = image.channels
        guard positions > 0 else { throw .emptySequence(layer: name) }
        var mask: Mask?
        if averages, spatialRank == 1, let given = call.mask {
            guard given.batch == image.batch, given.steps == positions, given.values.count == image.batch * positions else {
                throw .inputShapeMismatch(layer: name, expected: "a mask of shape (\(image.batch), \(positions)) for this input, got mask (\(given.batch), \(given.steps))", actual: input.shape)
            }
            mask = given
        }
        let ones = [Int](repeating: 1, count: spatialRank)
        let outputShape = keepdims ? image.shape(spatial: ones, format: dataFormat) : [image.batch, channels]
        var output = [Scalar](repeating: averages ? 0 : -Scalar.infinity, count: image.batch * channels)
        let multipliesMask = generation == .keras2
        image.scalars.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                for sample in 0..<image.batch {
                    let target = sample * channels
                    var validPositions = 0
                    for position in 0..<positions {
                        let source = (sample * positions + position) * channels
                        let valid = mask?.isValid(sample: sample, step: position) ?? true
                        if valid { validPositions += 1 }
                        if averages, !valid, !multipliesMask { continue }
                        for channel in 0..<channels {
                            let value = x[source + channel]
                            if averages {
                                y[target + channel] += valid ? value : value * 0
                            } else {
                                y[target + channel] = Swift.max(y[target + channel], value)
                            }
                        }
                    }
                    if averages {
                        let scale = Scalar(validPositions)
                        for channel in 0..<channels { y[target + channel] /= scale }
                    }
                }
            }
        }
        // With keepdims the output holds `batch × channels` scalars in either format's order.
        return [TensorOf(uncheckedShape: outputShape, scalars: output)]
    }
}
