/// `keras.layers.RandomCrop`: crops a random `height × width` window in training.
///
/// At inference Keras 3 returns the images unchanged (its `transform_images` crops only when
/// `training`). tf.keras instead resizes them to `height × width` at inference
/// (`image_utils.smart_resize`: the largest centered crop with the target's aspect ratio, then
/// TensorFlow's bilinear resize with half-pixel centers), and so does KerasKit for a tf.keras file.
public struct RandomCropConfig: LayerBuilding {
    public static let className = "RandomCrop"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The crop's size.
    public let height: Int, width: Int
    /// Where the channel axis is.
    public let dataFormat: DataFormat

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        height = try arguments.size("height")
        width = try arguments.size("width")
        dataFormat = try arguments.choice("data_format", default: DataFormat.channelsLast)
        arguments.trainingOnly("seed")
        // tf.keras's choice of random generator.
        arguments.trainingOnly("rng_type")
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let input = inputs.first ?? []
        guard input.count == 3 || input.count == 4 else {
            throw .unsupportedTopology(layer: common.name, reason: "RandomCrop takes images of rank 3 or 4, got \(input.shapeDescription)")
        }
        if context.generation == .keras2 {
            guard dataFormat == .channelsLast else {
                throw .unsupportedTopology(layer: common.name, reason: "tf.keras's RandomCrop takes channels_last images")
            }
            return RunnableLayer(SmartResizeLayer<Scalar>(name: common.name, height: height, width: width))
        }
        return RunnableLayer(PassThroughLayer<Scalar>(name: common.name, className: Self.className, inputRank: nil))
    }
}

/// tf.keras's `smart_resize` to `height × width` over `(batch, h, w, channels)` or
/// `(h, w, channels)`: a centered crop to the target's aspect ratio (sizes computed in float32
/// and truncated, as TensorFlow does), then a bilinear resize with half-pixel centers
/// (`tf.image.resize`).
struct SmartResizeLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let height: Int, width: Int

    var parameterCount: Int { 0 }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        var shape = inputs[0]
        guard shape.count == 3 || shape.count == 4 else {
            throw .unsupportedTopology(layer: name, reason: "expects images of rank 3 or 4, got \(shape.shapeDescription)")
        }
        shape[shape.count - 3] = height
        shape[shape.count - 2] = width
        return [shape]
    }

    /// For each output position along an axis: the two input positions and the weight of the second.
    private static func weights(input: Int, output: Int, start: Int) -> [(Int, Int, Float)] {
        let scale = Float(input) / Float(output)
        return (0..<output).map { position in
            let source = (Float(position) + 0.5) * scale - 0.5
            let floor = source.rounded(.down)
            let lower = Swift.max(Int(floor), 0), upper = Swift.min(Int(source.rounded(.up)), input - 1)
            return (start + lower, start + upper, source - floor)
        }
    }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank == 3 || input.rank == 4 else {
            throw .inputShapeMismatch(layer: name, expected: "(batch, height, width, channels)", actual: input.shape)
        }
        let (inHeight, inWidth, channels) = (input.shape[input.rank - 3], input.shape[input.rank - 2], input.shape[input.rank - 1])
        let batch = input.rank == 4 ? input.shape[0] : 1
        guard inHeight > 0, inWidth > 0 else {
            throw .inputShapeMismatch(layer: name, expected: "images of at least 1×1", actual: input.shape)
        }
        let cropHeight = Swift.min(inHeight, Int(Float(inWidth * height) / Float(width)))
        let cropWidth = Swift.min(inWidth, Int(Float(inHeight * width) / Float(height)))
        let rows = Self.weights(input: cropHeight, output: height, start: Int(Float(inHeight - cropHeight) / 2))
        let columns = Self.weights(input: cropWidth, output: width, start: Int(Float(inWidth - cropWidth) / 2))
        var outputShape = input.shape
        outputShape[input.rank - 3] = height
        outputShape[input.rank - 2] = width
        var output = [Scalar](repeating: 0, count: try checkedElementCount(outputShape, layer: name))
        input.scalars.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                for sample in 0..<batch {
                    let base = sample * inHeight * inWidth * channels
                    for (row, (top, bottom, rowWeight)) in rows.enumerated() {
                        for (column, (left, right, columnWeight)) in columns.enumerated() {
                            let target = ((sample * height + row) * width + column) * channels
                            for channel in 0..<channels {
                                func at(_ r: Int, _ c: Int) -> Float { Float(x[base + (r * inWidth + c) * channels + channel]) }
                                let upper = at(top, left) + (at(top, right) - at(top, left)) * columnWeight
                                let lower = at(bottom, left) + (at(bottom, right) - at(bottom, left)) * columnWeight
                                y[target + channel] = Scalar(upper + (lower - upper) * rowWeight)
                            }
                        }
                    }
                }
            }
        }
        return [TensorOf(uncheckedShape: outputShape, scalars: output)]
    }
}
