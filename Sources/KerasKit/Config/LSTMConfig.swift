/// `keras.layers.LSTM`, with every constructor argument Keras 2 and Keras 3 write.
///
/// A key missing from the file takes Keras's own default, so configs from either writer decode
/// to the same value. Initializers, regularizers, constraints and dropout rates do not change
/// inference; they are decoded so a model can be inspected and converted without loss.
public struct LSTMConfig: LayerConfiguration {
    public static let className = "LSTM"
    /// Fields every layer has.
    public var common: LayerCommonConfig
    /// The size of the hidden and cell states, and of each output step.
    public var units: Int
    /// φ, applied to the candidate and to the cell state before the output gate (`tanh`).
    public var activation: Activation
    /// σ, applied to the input, forget and output gates (`sigmoid`).
    public var recurrentActivation: Activation
    /// Whether the gates have a bias vector.
    public var useBias: Bool
    /// Weight initializers (training only).
    public var kernelInitializer: KerasObjectConfig?, recurrentInitializer: KerasObjectConfig?, biasInitializer: KerasObjectConfig?
    /// Whether the forget-gate bias was initialized to one (training only).
    public var unitForgetBias: Bool
    /// Regularizers (training only).
    public var kernelRegularizer: KerasObjectConfig?, recurrentRegularizer: KerasObjectConfig?
    public var biasRegularizer: KerasObjectConfig?, activityRegularizer: KerasObjectConfig?
    /// Constraints (training only).
    public var kernelConstraint: KerasObjectConfig?, recurrentConstraint: KerasObjectConfig?, biasConstraint: KerasObjectConfig?
    /// Dropout rates, inactive at inference.
    public var dropout: Double, recurrentDropout: Double
    /// How Keras groups its matrix products (1 or 2); the result is the same. Keras 3 writes none.
    public var implementation: Int
    /// Return the output of every step (`[batch, time, units]`) rather than the last.
    public var returnSequences: Bool
    /// Also return the final hidden and cell states: outputs `[output, h, c]`.
    public var returnState: Bool
    /// Process the sequence from its end; the returned sequence stays in processing order.
    public var goBackwards: Bool
    /// Carry the final states of one predict call into the next, until reset.
    public var stateful: Bool
    /// Whether Keras unrolls the loop; the result is the same.
    public var unroll: Bool
    /// Keras 2 only: input and output are `[time, batch, features]`.
    public var timeMajor: Bool
    /// Whether masked steps output zeros instead of the previous output.
    public var zeroOutputForMask: Bool
    /// Training-time random seed (Keras 3).
    public var seed: Int?

    enum CodingKeys: String, CodingKey {
        case units, activation, recurrentActivation = "recurrent_activation", useBias = "use_bias"
        case kernelInitializer = "kernel_initializer", recurrentInitializer = "recurrent_initializer"
        case biasInitializer = "bias_initializer", unitForgetBias = "unit_forget_bias"
        case kernelRegularizer = "kernel_regularizer", recurrentRegularizer = "recurrent_regularizer"
        case biasRegularizer = "bias_regularizer", activityRegularizer = "activity_regularizer"
        case kernelConstraint = "kernel_constraint", recurrentConstraint = "recurrent_constraint"
        case biasConstraint = "bias_constraint"
        case dropout, recurrentDropout = "recurrent_dropout", implementation
        case returnSequences = "return_sequences", returnState = "return_state"
        case goBackwards = "go_backwards", stateful, unroll, timeMajor = "time_major"
        case zeroOutputForMask = "zero_output_for_mask", seed
    }

    public init(from decoder: any Decoder) throws {
        common = try LayerCommonConfig(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func object(_ key: CodingKeys, default fallback: String?) throws -> KerasObjectConfig? {
            if container.contains(key) { return try container.decodeIfPresent(KerasObjectConfig.self, forKey: key) }
            return fallback.map { KerasObjectConfig(className: $0) }
        }
        func flag(_ key: CodingKeys, default fallback: Bool) throws -> Bool {
            try container.decodeIfPresent(Bool.self, forKey: key) ?? fallback
        }
        units = try container.decodeSize(forKey: .units)
        activation = try container.decodeActivation(forKey: .activation, default: .tanh)
        recurrentActivation = try container.decodeActivation(forKey: .recurrentActivation, default: .sigmoid)
        useBias = try flag(.useBias, default: true)
        kernelInitializer = try object(.kernelInitializer, default: "GlorotUniform")
        recurrentInitializer = try object(.recurrentInitializer, default: "Orthogonal")
        biasInitializer = try object(.biasInitializer, default: "Zeros")
        unitForgetBias = try flag(.unitForgetBias, default: true)
        kernelRegularizer = try object(.kernelRegularizer, default: nil)
        recurrentRegularizer = try object(.recurrentRegularizer, default: nil)
        biasRegularizer = try object(.biasRegularizer, default: nil)
        activityRegularizer = try object(.activityRegularizer, default: nil)
        kernelConstraint = try object(.kernelConstraint, default: nil)
        recurrentConstraint = try object(.recurrentConstraint, default: nil)
        biasConstraint = try object(.biasConstraint, default: nil)
        dropout = try container.decodeRate(forKey: .dropout)
        recurrentDropout = try container.decodeRate(forKey: .recurrentDropout)
        implementation = try container.decodeIfPresent(Int.self, forKey: .implementation) ?? 2
        guard implementation == 1 || implementation == 2 else {
            throw DecodingError.dataCorruptedError(forKey: .implementation, in: container, debugDescription: "implementation must be 1 or 2, got \(implementation)")
        }
        returnSequences = try flag(.returnSequences, default: false)
        returnState = try flag(.returnState, default: false)
        goBackwards = try flag(.goBackwards, default: false)
        stateful = try flag(.stateful, default: false)
        unroll = try flag(.unroll, default: false)
        timeMajor = try flag(.timeMajor, default: false)
        zeroOutputForMask = try flag(.zeroOutputForMask, default: false)
        seed = try container.decodeIfPresent(Int.self, forKey: .seed)
    }

    public var outputCount: Int { returnState ? 3 : 1 }
    public var isRecurrent: Bool { true }
    public var isStateful: Bool { stateful }

    public var kerasArguments: [(name: String, value: JSONValue)] {
        [
            ("units", .number(Double(units))), ("activation", .string(activation.rawValue)),
            ("recurrent_activation", .string(recurrentActivation.rawValue)), ("use_bias", .bool(useBias)),
            ("kernel_initializer", kernelInitializer.json), ("recurrent_initializer", recurrentInitializer.json),
            ("bias_initializer", biasInitializer.json), ("unit_forget_bias", .bool(unitForgetBias)),
            ("kernel_regularizer", kernelRegularizer.json), ("recurrent_regularizer", recurrentRegularizer.json),
            ("bias_regularizer", biasRegularizer.json), ("activity_regularizer", activityRegularizer.json),
            ("kernel_constraint", kernelConstraint.json), ("recurrent_constraint", recurrentConstraint.json),
            ("bias_constraint", biasConstraint.json),
            ("dropout", .number(dropout)), ("recurrent_dropout", .number(recurrentDropout)),
            ("implementation", .number(Double(implementation))),
            ("return_sequences", .bool(returnSequences)), ("return_state", .bool(returnState)),
            ("go_backwards", .bool(goBackwards)), ("stateful", .bool(stateful)), ("unroll", .bool(unroll)),
            ("time_major", .bool(timeMajor)), ("zero_output_for_mask", .bool(zeroOutputForMask)),
            ("seed", seed.map { .number(Double($0)) } ?? .null),
        ]
    }
}
