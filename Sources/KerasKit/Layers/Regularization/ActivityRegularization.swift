/// `keras.layers.ActivityRegularization`: adds an L1/L2 penalty on its input to the training
/// loss and returns the input unchanged, so at inference it is the identity.
public struct ActivityRegularizationConfig: PassThroughConfiguration {
    public static let className = "ActivityRegularization"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The penalty factors (training only).
    public let l1: Double, l2: Double

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        l1 = try arguments.number("l1", default: 0)
        l2 = try arguments.number("l2", default: 0)
        _ = try arguments.object("activity_regularizer", default: nil)
    }
}
