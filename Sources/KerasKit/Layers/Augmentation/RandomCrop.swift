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
            let smartResize = ImageResize(height: height, width: width, method: .bilinear, antialias: false,
                                          framing: .cropToAspectRatio(atLeastOnePixel: false))
            return RunnableLayer(ImageResizeLayer<Scalar>(name: common.name, className: Self.className, resize: smartResize, dataFormat: .channelsLast))
        }
        return RunnableLayer(PassThroughLayer<Scalar>(name: common.name, className: Self.className, inputRank: nil))
    }
}
