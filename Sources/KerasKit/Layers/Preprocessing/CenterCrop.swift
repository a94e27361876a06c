/// `keras.layers.CenterCrop`: the centered `height × width` window of each image (offsets
/// `⌊(size − target) / 2⌋`). When the image is smaller than the target along either axis, both
/// generations fall back to `smart_resize`: the largest centered crop with the target's aspect
/// ratio, resized bilinearly (in float32) to the target; Keras 3 keeps at least one row and
/// column of the crop, tf.keras does not. `data_format` is Keras 3's (tf.keras is channels last).
public struct CenterCropConfig: LayerBuilding {
    public static let className = "CenterCrop"
    /// `transform_images` does not read `training`.
    public static let ignoresTraining = true
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The output size.
    public let height: Int, width: Int
    /// Where the channel axis is.
    public let dataFormat: DataFormat

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        height = try arguments.size("height")
        width = try arguments.size("width")
        dataFormat = try arguments.choice("data_format", default: DataFormat.channelsLast)
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let fallback = ImageResize(height: height, width: width, method: .bilinear, antialias: false,
                                   framing: .cropToAspectRatio(atLeastOnePixel: context.generation == .keras3))
        return RunnableLayer(CenterCropLayer<Scalar>(name: common.name, fallback: fallback, dataFormat: dataFormat))
    }
}

/// `CenterCrop`: crops images at least as large as the target, `smart_resize`s the others. It
/// drops the mask.
struct CenterCropLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    /// The target size and what smaller images get.
    let fallback: ImageResize
    let dataFormat: DataFormat

    var parameterCount: Int { 0 }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        [try fixedSizeImageShape(inputs[0], height: fallback.height, width: fallback.width, format: dataFormat, layer: name, className: CenterCropConfig.className)]
    }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        guard let image = ChannelsLastImage(images: call.input, format: dataFormat) else {
            throw .inputShapeMismatch(layer: name, expected: "images of rank 3 or 4", actual: call.input.shape)
        }
        let (height, width) = (fallback.height, fallback.width)
        let result: ChannelsLastImage<Scalar>
        if image.spatial[0] >= height, image.spatial[1] >= width {
            result = image.cropped(top: (image.spatial[0] - height) / 2, left: (image.spatial[1] - width) / 2, height: height, width: width)
        } else {
            result = try fallback.apply(image, layer: name)
        }
        return [result.tensor(format: dataFormat, rank: call.input.rank)]
    }
}
