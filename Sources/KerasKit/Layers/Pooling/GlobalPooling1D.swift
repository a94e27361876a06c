/// A pooling over the whole step axis: `GlobalAveragePooling1D` or `GlobalMaxPooling1D`.
protocol GlobalPooling1DConfiguration: LayerBuilding {
    /// Whether the layer takes the mean (else the maximum).
    static var averages: Bool { get }
    /// Where the channel axis is.
    var dataFormat: DataFormat { get }
    /// Whether the step axis stays, with size 1.
    var keepdims: Bool { get }
    init(common: LayerCommonConfig, dataFormat: DataFormat, keepdims: Bool)
}

extension GlobalPooling1DConfiguration {
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.init(common: common, dataFormat: try arguments.choice("data_format", default: DataFormat.channelsLast),
                  keepdims: try arguments.flag("keepdims", default: false))
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        RunnableLayer(GlobalPooling1DLayer<Scalar>(name: common.name, dataFormat: dataFormat, keepdims: keepdims, averages: Self.averages, generation: context.generation))
    }
}

/// `keras.layers.GlobalAveragePooling1D`: the mean over steps; with a mask, the mean over the
/// valid steps only.
public struct GlobalAveragePooling1DConfig: GlobalPooling1DConfiguration {
    public static let className = "GlobalAveragePooling1D"
    public static let aliases = ["GlobalAvgPool1D"]
    static let averages = true
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The channel axis, and whether the step axis stays with size 1.
    public let dataFormat: DataFormat, keepdims: Bool

    init(common: LayerCommonConfig, dataFormat: DataFormat, keepdims: Bool) {
        (self.common, self.dataFormat, self.keepdims) = (common, dataFormat, keepdims)
    }
}

/// `keras.layers.GlobalMaxPooling1D`: the maximum over steps. It doesn't support masking in
/// Keras 2 or 3: a mask is ignored (Keras 3 drops it with a warning).
public struct GlobalMaxPooling1DConfig: GlobalPooling1DConfiguration {
    public static let className = "GlobalMaxPooling1D"
    public static let aliases = ["GlobalMaxPool1D"]
    static let averages = false
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The channel axis, and whether the step axis stays with size 1.
    public let dataFormat: DataFormat, keepdims: Bool

    init(common: LayerCommonConfig, dataFormat: DataFormat, keepdims: Bool) {
        (self.common, self.dataFormat, self.keepdims) = (common, dataFormat, keepdims)
    }
}

/// `GlobalAveragePooling1D` / `GlobalMaxPooling1D`: the mean or maximum over the step axis.
///
/// The average honours a mask, averaging the valid steps only (a sample with none gives NaN,
/// as in Keras); Keras 3 skips masked steps (`where`), Keras 2 multiplies them by 0. Neither
/// layer passes a mask on. `GlobalMaxPooling1D` doesn't support masking in either generation, so
/// it ignores the mask.
struct GlobalPooling1DLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let dataFormat: DataFormat
    let keepdims: Bool
    let averages: Bool
    let generation: KerasGeneration

    var parameterCount: Int { 0 }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        let input = inputs[0]
        guard input.count == 3 else {
            throw .unsupportedTopology(layer: name, reason: "global 1-D pooling takes input of rank 3, got \(input.shapeDescription)")
        }
        let channels = dataFormat == .channelsLast ? input[2] : input[1]
        guard keepdims else { return [[input[0], channels]] }
        return [dataFormat == .channelsLast ? [input[0], 1, channels] : [input[0], channels, 1]]
    }
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank == 3 else {
            throw .inputShapeMismatch(layer: name, expected: "a rank-3 sequence", actual: input.shape)
        }
        let layout = SequenceLayout(shape: input.shape, format: dataFormat)
        guard layout.steps > 0 else { throw .emptySequence(layer: name) }
        var mask: Mask?
        if averages, let given = call.mask {
            guard given.batch == layout.batch, given.steps == layout.steps, given.values.count == layout.batch * layout.steps else {
                throw .inputShapeMismatch(layer: name, expected: "a mask of shape (\(layout.batch), \(layout.steps)) for this input, got mask (\(given.batch), \(given.steps))", actual: input.shape)
            }
            mask = given
        }
        let outputShape: [Int]
        if keepdims {
            outputShape = layout.shape(steps: 1, format: dataFormat)
        } else {
            outputShape = [layout.batch, layout.channels]
        }
        var output = [Scalar](repeating: averages ? 0 : -Scalar.infinity, count: layout.batch * layout.channels)
        let multipliesMask = generation == .keras2
        input.scalars.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                for sample in 0..<layout.batch {
                    let target = sample * layout.channels
                    var validSteps = 0
                    for step in 0..<layout.steps {
                        let source = sample * layout.batchStride + step * layout.stepStride
                        let valid = mask?.isValid(sample: sample, step: step) ?? true
                        if valid { validSteps += 1 }
                        if averages, !valid, !multipliesMask { continue }
                        for channel in 0..<layout.channels {
                            let value = x[source + channel * layout.channelStride]
                            if averages {
                                y[target + channel] += valid ? value : value * 0
                            } else {
                                y[target + channel] = Swift.max(y[target + channel], value)
                            }
                        }
                    }
                    if averages {
                        let scale = Scalar(validSteps)
                        for channel in 0..<layout.channels { y[target + channel] /= scale }
                    }
                }
            }
        }
        return [TensorOf(uncheckedShape: outputShape, scalars: output)]
    }
}
