/// `keras.layers.Identity`: returns its input, and its mask.
public struct IdentityConfig: PassThroughConfiguration {
    public static let className = "Identity"
    /// Fields every layer has.
    public let common: LayerCommonConfig

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
    }
}
