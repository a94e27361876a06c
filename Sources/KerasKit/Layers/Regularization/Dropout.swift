// Dropout and its spatial forms: they zero values only while training (Keras calls them with
// `training=False` in `predict`), so at inference each is the identity and keeps the mask.

/// `keras.layers.Dropout`.
public struct DropoutConfig: PassThroughConfiguration {
    public static let className = "Dropout"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The fraction dropped during training.
    public let rate: Double

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        rate = try arguments.rate("rate")
        arguments.trainingOnly("noise_shape")
        arguments.trainingOnly("seed")
    }
}

/// `keras.layers.SpatialDropout1D`: drops whole channels of `(batch, steps, channels)` in training.
public struct SpatialDropout1DConfig: PassThroughConfiguration {
    public static let className = "SpatialDropout1D"
    static let inputRank: Int? = 3
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The fraction of channels dropped during training.
    public let rate: Double

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        rate = try arguments.rate("rate")
        arguments.trainingOnly("noise_shape")
        arguments.trainingOnly("seed")
    }
}

/// `keras.layers.SpatialDropout2D`: drops whole feature maps of an image in training.
public struct SpatialDropout2DConfig: PassThroughConfiguration {
    public static let className = "SpatialDropout2D"
    static let inputRank: Int? = 4
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The fraction of feature maps dropped during training.
    public let rate: Double

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        rate = try arguments.rate("rate")
        _ = try arguments.choice("data_format", default: DataFormat.channelsLast)
        arguments.trainingOnly("noise_shape")
        arguments.trainingOnly("seed")
    }
}

/// `keras.layers.SpatialDropout3D`: drops whole feature volumes in training.
public struct SpatialDropout3DConfig: PassThroughConfiguration {
    public static let className = "SpatialDropout3D"
    static let inputRank: Int? = 5
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The fraction of feature volumes dropped during training.
    public let rate: Double

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        rate = try arguments.rate("rate")
        _ = try arguments.choice("data_format", default: DataFormat.channelsLast)
        arguments.trainingOnly("noise_shape")
        arguments.trainingOnly("seed")
    }
}
