// Keras's image augmentation layers transform images only while training: Keras 3's
// `BaseImagePreprocessingLayer.transform_images` (and each subclass's) returns the images, cast to
// the compute dtype, when `training` is false, as `predict` calls them; tf.keras's do the same
// (`if training: … else: return inputs`). At inference each is the identity, whatever its
// factors, so every argument of theirs is recorded as training-only. `RandomCrop` is the
// exception tf.keras makes: see its own file.

/// An augmentation layer that is the identity at inference.
protocol TrainingOnlyAugmentation: PassThroughConfiguration {
    init(common: LayerCommonConfig)
}

extension TrainingOnlyAugmentation {
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        arguments.recordRemainingAsTrainingOnly()
        self.init(common: common)
    }
}

/// `keras.layers.RandomFlip`: flips images horizontally and/or vertically in training; the identity at inference.
public struct RandomFlipConfig: TrainingOnlyAugmentation {
    public static let className = "RandomFlip"
    /// Fields every layer has.
    public let common: LayerCommonConfig

    init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.RandomRotation`: rotates images in training; the identity at inference.
public struct RandomRotationConfig: TrainingOnlyAugmentation {
    public static let className = "RandomRotation"
    /// Fields every layer has.
    public let common: LayerCommonConfig

    init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.RandomZoom`: zooms images in or out in training; the identity at inference.
public struct RandomZoomConfig: TrainingOnlyAugmentation {
    public static let className = "RandomZoom"
    /// Fields every layer has.
    public let common: LayerCommonConfig

    init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.RandomTranslation`: shifts images in training; the identity at inference.
public struct RandomTranslationConfig: TrainingOnlyAugmentation {
    public static let className = "RandomTranslation"
    /// Fields every layer has.
    public let common: LayerCommonConfig

    init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.RandomContrast`: scales each image's contrast in training; the identity at inference.
public struct RandomContrastConfig: TrainingOnlyAugmentation {
    public static let className = "RandomContrast"
    /// Fields every layer has.
    public let common: LayerCommonConfig

    init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.RandomBrightness`: shifts brightness in training; the identity at inference.
public struct RandomBrightnessConfig: TrainingOnlyAugmentation {
    public static let className = "RandomBrightness"
    /// Fields every layer has.
    public let common: LayerCommonConfig

    init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.RandomHeight`: resizes images to a random height (tf.keras) in training; the identity at inference.
public struct RandomHeightConfig: TrainingOnlyAugmentation {
    public static let className = "RandomHeight"
    /// Fields every layer has.
    public let common: LayerCommonConfig

    init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.RandomWidth`: resizes images to a random width (tf.keras) in training; the identity at inference.
public struct RandomWidthConfig: TrainingOnlyAugmentation {
    public static let className = "RandomWidth"
    /// Fields every layer has.
    public let common: LayerCommonConfig

    init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.RandomGrayscale`: turns images gray in training; the identity at inference.
public struct RandomGrayscaleConfig: TrainingOnlyAugmentation {
    public static let className = "RandomGrayscale"
    /// Fields every layer has.
    public let common: LayerCommonConfig

    init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.RandomHue`: shifts hue in training; the identity at inference.
public struct RandomHueConfig: TrainingOnlyAugmentation {
    public static let className = "RandomHue"
    /// Fields every layer has.
    public let common: LayerCommonConfig

    init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.RandomSaturation`: scales saturation in training; the identity at inference.
public struct RandomSaturationConfig: TrainingOnlyAugmentation {
    public static let className = "RandomSaturation"
    /// Fields every layer has.
    public let common: LayerCommonConfig

    init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.RandomSharpness`: sharpens or blurs in training; the identity at inference.
public struct RandomSharpnessConfig: TrainingOnlyAugmentation {
    public static let className = "RandomSharpness"
    /// Fields every layer has.
    public let common: LayerCommonConfig

    init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.RandomShear`: shears images in training; the identity at inference.
public struct RandomShearConfig: TrainingOnlyAugmentation {
    public static let className = "RandomShear"
    /// Fields every layer has.
    public let common: LayerCommonConfig

    init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.RandomColorJitter`: jitters brightness, contrast, saturation and hue in training; the identity at inference.
public struct RandomColorJitterConfig: TrainingOnlyAugmentation {
    public static let className = "RandomColorJitter"
    /// Fields every layer has.
    public let common: LayerCommonConfig

    init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.RandomColorDegeneration`: blends images with their grayscale in training; the identity at inference.
public struct RandomColorDegenerationConfig: TrainingOnlyAugmentation {
    public static let className = "RandomColorDegeneration"
    /// Fields every layer has.
    public let common: LayerCommonConfig

    init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.RandomPosterization`: reduces color bits in training; the identity at inference.
public struct RandomPosterizationConfig: TrainingOnlyAugmentation {
    public static let className = "RandomPosterization"
    /// Fields every layer has.
    public let common: LayerCommonConfig

    init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.RandomInvert`: inverts images in training; the identity at inference.
public struct RandomInvertConfig: TrainingOnlyAugmentation {
    public static let className = "RandomInvert"
    /// Fields every layer has.
    public let common: LayerCommonConfig

    init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.RandomPerspective`: warps perspective in training; the identity at inference.
public struct RandomPerspectiveConfig: TrainingOnlyAugmentation {
    public static let className = "RandomPerspective"
    /// Fields every layer has.
    public let common: LayerCommonConfig

    init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.RandomElasticTransform`: deforms images elastically in training; the identity at inference.
public struct RandomElasticTransformConfig: TrainingOnlyAugmentation {
    public static let className = "RandomElasticTransform"
    /// Fields every layer has.
    public let common: LayerCommonConfig

    init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.RandomErasing`: erases random rectangles in training; the identity at inference.
public struct RandomErasingConfig: TrainingOnlyAugmentation {
    public static let className = "RandomErasing"
    /// Fields every layer has.
    public let common: LayerCommonConfig

    init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.RandomGaussianBlur`: blurs images in training; the identity at inference.
public struct RandomGaussianBlurConfig: TrainingOnlyAugmentation {
    public static let className = "RandomGaussianBlur"
    /// Fields every layer has.
    public let common: LayerCommonConfig

    init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.AugMix`: mixes augmentation chains in training; the identity at inference.
public struct AugMixConfig: TrainingOnlyAugmentation {
    public static let className = "AugMix"
    /// Fields every layer has.
    public let common: LayerCommonConfig

    init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.RandAugment`: applies random augmentations in training; the identity at inference.
public struct RandAugmentConfig: TrainingOnlyAugmentation {
    public static let className = "RandAugment"
    /// Fields every layer has.
    public let common: LayerCommonConfig

    init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.CutMix`: pastes patches between images in training; the identity at inference.
public struct CutMixConfig: TrainingOnlyAugmentation {
    public static let className = "CutMix"
    /// Fields every layer has.
    public let common: LayerCommonConfig

    init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.MixUp`: blends pairs of images in training; the identity at inference.
public struct MixUpConfig: TrainingOnlyAugmentation {
    public static let className = "MixUp"
    /// Fields every layer has.
    public let common: LayerCommonConfig

    init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.Solarization`: inverts pixels above a threshold in training; the identity at inference.
public struct SolarizationConfig: TrainingOnlyAugmentation {
    public static let className = "Solarization"
    /// Fields every layer has.
    public let common: LayerCommonConfig

    init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.MaxNumBoundingBoxes`: pads or trims the bounding boxes that come with images to
/// `max_number`; the images themselves pass unchanged, in training and at inference.
public struct MaxNumBoundingBoxesConfig: PassThroughConfiguration {
    public static let className = "MaxNumBoundingBoxes"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// How many boxes each image keeps.
    public let maxNumber: Int

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        maxNumber = try arguments.size("max_number")
        _ = try arguments.number("fill_value", default: -1)
        _ = try arguments.choice("data_format", default: DataFormat.channelsLast)
    }
}
