// The noise layers add or multiply random noise only while training (`if training: …; return
// inputs` in Keras's `call`), so at inference each is the identity and keeps the mask.

/// `keras.layers.GaussianNoise`: adds `N(0, stddev²)` noise in training.
public struct GaussianNoiseConfig: PassThroughConfiguration {
    public static let className = "GaussianNoise"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The noise's standard deviation during training.
    public let stddev: Double

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        stddev = try arguments.number("stddev", default: nil, in: 0...Double.greatestFiniteMagnitude)
        arguments.trainingOnly("seed")
    }
}

/// `keras.layers.GaussianDropout`: multiplies by `N(1, rate / (1 − rate))` noise in training.
public struct GaussianDropoutConfig: PassThroughConfiguration {
    public static let className = "GaussianDropout"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The drop probability during training.
    public let rate: Double

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        rate = try arguments.rate("rate")
        arguments.trainingOnly("seed")
    }
}

/// `keras.layers.AlphaDropout`: dropout that keeps SELU's mean and variance, in training.
public struct AlphaDropoutConfig: DropoutConfiguration {
    public static let className = "AlphaDropout"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The drop probability during training.
    public let rate: Double

    init(common: LayerCommonConfig, rate: Double) {
        self.common = common
        self.rate = rate
    }
}
