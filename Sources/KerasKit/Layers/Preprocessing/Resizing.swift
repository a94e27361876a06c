/// `keras.layers.Resizing`: images resized to `height × width` as `tf.image.resize` computes it
/// (every `interpolation` TensorFlow has: bilinear, nearest, bicubic, area, lanczos3, lanczos5,
/// gaussian, mitchellcubic; see ``ResizeMethod``), optionally after the largest centered crop
/// (`crop_to_aspect_ratio`) or an even pad (`pad_to_aspect_ratio`, Keras 3) to the target's
/// aspect ratio. Keras 3 adds `antialias` and `data_format`; tf.keras has neither. The result is
/// computed in float32 (a float64 model's too, as TensorFlow's kernels do) except `nearest`.
public struct ResizingConfig: LayerBuilding {
    public static let className = "Resizing"
    /// `transform_images` does not read `training`.
    public static let ignoresTraining = true
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The output size.
    public let height: Int, width: Int
    /// How pixels are resampled.
    public let interpolation: ResizeMethod
    /// Whether the image is first cropped to the target's aspect ratio.
    public let cropToAspectRatio: Bool
    /// Whether the image is first padded to the target's aspect ratio (Keras 3).
    public let padToAspectRatio: Bool
    /// The padding's value (`fill_mode` must be `constant`, the only mode Keras has).
    public let fillValue: Double
    /// Whether downscaling low-pass filters (TensorFlow's ScaleAndTranslate with a stretched kernel).
    public let antialias: Bool
    /// Where the channel axis is.
    public let dataFormat: DataFormat

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        height = try arguments.size("height")
        width = try arguments.size("width")
        interpolation = try arguments.choice("interpolation", default: ResizeMethod.bilinear)
        cropToAspectRatio = try arguments.flag("crop_to_aspect_ratio", default: false)
        padToAspectRatio = try arguments.flag("pad_to_aspect_ratio", default: false)
        guard !(cropToAspectRatio && padToAspectRatio) else {
            throw arguments.invalid("pad_to_aspect_ratio", "true together with crop_to_aspect_ratio (Keras allows only one)")
        }
        try arguments.mustBe("fill_mode", oneOf: [.string("constant")], because: "Keras pads with a constant only")
        fillValue = try arguments.number("fill_value", default: 0)
        antialias = try arguments.flag("antialias", default: false)
        dataFormat = try arguments.choice("data_format", default: DataFormat.channelsLast)
    }

    /// What is done to the aspect ratio; tf.keras's crop (its `smart_resize`) may keep zero rows.
    func framing(_ generation: KerasGeneration) -> ImageFraming {
        if cropToAspectRatio { return .cropToAspectRatio(atLeastOnePixel: generation == .keras3) }
        if padToAspectRatio { return .padToAspectRatio(fill: fillValue) }
        return .stretch
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let resize = ImageResize(height: height, width: width, method: interpolation, antialias: antialias, framing: framing(context.generation))
        return RunnableLayer(ImageResizeLayer<Scalar>(name: common.name, className: Self.className, resize: resize, dataFormat: dataFormat))
    }
}
