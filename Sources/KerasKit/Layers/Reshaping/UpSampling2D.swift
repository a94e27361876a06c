/// `keras.layers.UpSampling2D`: a rank-4 image enlarged `size` times along height and width,
/// by repeating each pixel (`nearest`) or by bilinear interpolation (`bilinear`, TensorFlow's
/// `resize` with half-pixel centers). Keras's other interpolations are refused by name. It
/// drops the mask.
public struct UpSampling2DConfig: LayerBuilding {
    public static let className = "UpSampling2D"
    /// The interpolations KerasKit runs.
    public enum Interpolation: String, Sendable, Hashable, CaseIterable {
        /// Each pixel repeated (`ops.repeat` in Keras 3; `resize` nearest in Keras 2, the same
        /// for integer factors).
        case nearest
        /// TensorFlow's bilinear `resize` with half-pixel centers, without antialiasing.
        case bilinear
    }
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The height and width factors.
    public let size: [Int]
    /// Where the channel axis is.
    public let dataFormat: DataFormat
    /// How new pixels are made.
    public let interpolation: Interpolation

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        size = try arguments.window("size", rank: 2, default: [2, 2])
        dataFormat = try arguments.choice("data_format", default: DataFormat.channelsLast)
        interpolation = try arguments.choice("interpolation", default: Interpolation.nearest)
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        switch interpolation {
        case .nearest:
            let axes = zip(dataFormat.spatialAxes(2), size).map { (axis: $0, operation: StepWindowLayer<Scalar>.Operation.repeatSteps($1)) }
            return RunnableLayer(StepWindowLayer<Scalar>(name: common.name, className: Self.className, rank: 4, axes: axes))
        case .bilinear:
            return RunnableLayer(BilinearUpSamplingLayer<Scalar>(name: common.name, size: size, dataFormat: dataFormat))
        }
    }
}

/// `UpSampling2D(interpolation="bilinear")` as TensorFlow's `ResizeBilinear` kernel computes it
/// with half-pixel centers: output row `y` samples input row `(y + 0.5) · (H / H') − 0.5`, the
/// two neighbours clamped to the image, all in float32. A float64 model's input is rounded to
/// float32 too, as the kernel does (Keras casts its float32 result back to float64).
struct BilinearUpSamplingLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let size: [Int]
    let dataFormat: DataFormat

    var parameterCount: Int { 0 }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        var shape = inputs[0]
        guard shape.count == 4 else {
            throw .unsupportedTopology(layer: name, reason: "UpSampling2D takes input of rank 4, got \(shape.shapeDescription)")
        }
        for (axis, factor) in zip(dataFormat.spatialAxes(2), size) {
            guard let length = shape[axis] else { continue }
            guard length <= KerasLimits.maxDimension / factor else {
                throw .unsupportedTopology(layer: name, reason: "UpSampling2D makes an axis longer than \(KerasLimits.maxDimension) from input \(inputs[0].shapeDescription)")
            }
            shape[axis] = length * factor
        }
        return [shape]
    }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        guard let image = ChannelsLastImage(call.input, spatialRank: 2, format: dataFormat) else {
            throw .inputShapeMismatch(layer: name, expected: "rank 4", actual: call.input.shape)
        }
        let (height, width) = (image.spatial[0], image.spatial[1])
        let outputHeight = height.multipliedReportingOverflow(by: size[0]), outputWidth = width.multipliedReportingOverflow(by: size[1])
        guard !outputHeight.overflow, !outputWidth.overflow else {
            throw .tooLarge(layer: name, elements: "\(height)·\(size[0]) × \(width)·\(size[1])")
        }
        let outputSpatial = [outputHeight.partialValue, outputWidth.partialValue]
        let result = try image.resized(height: outputSpatial[0], width: outputSpatial[1], method: .bilinear, antialias: false, layer: name)
        return [result.tensor(format: dataFormat)]
    }
}
