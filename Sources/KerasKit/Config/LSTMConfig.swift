/// `keras.layers.LSTM`, with every constructor argument Keras 2 and Keras 3 write.
///
/// A key missing from the file takes Keras's own default, so configs from either writer decode
/// to the same value. Initializers, regularizers, constraints and dropout rates do not change
/// inference; they are decoded so a model can be inspected and converted without loss. The
/// arguments every recurrent layer shares read straight through: `config.units`,
/// `config.returnSequences`, … (see ``RecurrentArguments``).
@dynamicMemberLookup
public struct LSTMConfig: LayerConfiguration {
    public static let className = "LSTM"
    /// Fields every layer has.
    public var common: LayerCommonConfig
    /// The arguments LSTM shares with GRU and SimpleRNN.
    public var recurrent: RecurrentArguments
    /// Whether the forget-gate bias was initialized to one (training only).
    public var unitForgetBias: Bool

    enum CodingKeys: String, CodingKey { case unitForgetBias = "unit_forget_bias" }

    public init(from decoder: any Decoder) throws {
        common = try LayerCommonConfig(from: decoder)
        recurrent = try RecurrentArguments(from: decoder)
        unitForgetBias = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(Bool.self, forKey: .unitForgetBias) ?? true
    }

    /// A shared recurrent argument: `units`, `activation`, `returnSequences`, ….
    public subscript<Value>(dynamicMember keyPath: KeyPath<RecurrentArguments, Value>) -> Value {
        recurrent[keyPath: keyPath]
    }

    public var outputCount: Int { recurrent.returnState ? 3 : 1 }
    public var isRecurrent: Bool { true }
    public var isStateful: Bool { recurrent.stateful }

    public var kerasArguments: [(name: String, value: JSONValue)] {
        var arguments = recurrent.kerasArguments(includeRecurrentActivation: true)
        let position = (arguments.firstIndex { $0.name == "bias_initializer" } ?? arguments.count - 1) + 1
        arguments.insert(("unit_forget_bias", .bool(unitForgetBias)), at: position)
        return arguments
    }
}
