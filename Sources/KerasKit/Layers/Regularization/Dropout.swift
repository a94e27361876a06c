// Dropout and its spatial forms: they zero values only while training (Keras calls them with
// `training=False` in `predict`), so at inference each is the identity and keeps the mask.

/// A dropout layer: its `rate`, and training-only `noise_shape` and `seed` (and `data_format`
/// for the image forms), read alike.
protocol DropoutConfiguration: PassThroughConfiguration {
    /// Whether the class has a `data_format` argument (the image forms).
    static var hasDataFormat: Bool { get }
    init(common: LayerCommonConfig, rate: Double)
}

extension DropoutConfiguration {
    static var hasDataFormat: Bool { false }

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        let rate = try arguments.rate("rate")
        if Self.hasDataFormat { _ = try arguments.choice("data_format", default: DataFormat.channelsLast) }
        arguments.trainingOnly("noise_shape")
        arguments.trainingOnly("seed")
        self.init(common: common, rate: rate)
    }
}

/// `keras.layers.Dropout`.
public struct DropoutConfig: DropoutConfiguration {
    public static let className = "Dropout"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The fraction dropped during training.
    public let rate: Double

    init(common: LayerCommonConfig, rate: Double) {
        self.common = common
        self.rate = rate
    }
}

/// `keras.layers.SpatialDropout1D`: drops whole channels of `(batch, steps, channels)` in training.
public struct SpatialDropout1DConfig: DropoutConfiguration {
    public static let className = "SpatialDropout1D"
    static let inputRank: Int? = 3
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The fraction of channels dropped during training.
    public let rate: Double

    init(common: LayerCommonConfig, rate: Double) {
        self.common = common
        self.rate = rate
    }
}

/// `keras.layers.SpatialDropout2D`: drops whole feature maps of an image in training.
public struct SpatialDropout2DConfig: DropoutConfiguration {
    public static let className = "SpatialDropout2D"
    static let inputRank: Int? = 4
    static let hasDataFormat = true
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The fraction of feature maps dropped during training.
    public let rate: Double

    init(common: LayerCommonConfig, rate: Double) {
        self.common = common
        self.rate = rate
    }
}

/// `keras.layers.SpatialDropout3D`: drops whole feature volumes in training.
public struct SpatialDropout3DConfig: DropoutConfiguration {
    public static let className = "SpatialDropout3D"
    static let inputRank: Int? = 5
    static let hasDataFormat = true
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The fraction of feature volumes dropped during training.
    public let rate: Double

    init(common: LayerCommonConfig, rate: Double) {
        self.common = common
        self.rate = rate
    }
}
