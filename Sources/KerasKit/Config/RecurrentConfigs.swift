/// The arguments every Keras recurrent layer shares, decoded once with Keras's defaults.
public struct RecurrentArguments: Sendable, Hashable, Decodable {
    /// The size of the hidden state and of each output step.
    public var units: Int
    /// φ (`tanh`).
    public var activation: Activation
    /// σ (`sigmoid`; SimpleRNN has none).
    public var recurrentActivation: Activation
    /// Whether the gates have bias vectors.
    public var useBias: Bool
    /// Initializers, regularizers and constraints (training only).
    public var kernelInitializer: KerasObjectConfig?, recurrentInitializer: KerasObjectConfig?, biasInitializer: KerasObjectConfig?
    public var kernelRegularizer: KerasObjectConfig?, recurrentRegularizer: KerasObjectConfig?
    public var biasRegularizer: KerasObjectConfig?, activityRegularizer: KerasObjectConfig?
    public var kernelConstraint: KerasObjectConfig?, recurrentConstraint: KerasObjectConfig?, biasConstraint: KerasObjectConfig?
    /// Dropout rates, inactive at inference.
    public var dropout: Double, recurrentDropout: Double
    /// Keras 2's matrix grouping (1 or 2); the result is the same.
    public var implementation: Int
    /// Sequence handling, as for every Keras RNN.
    public var returnSequences: Bool, returnState: Bool, goBackwards: Bool, stateful: Bool, unroll: Bool
    /// Keras 2 only: `[time, batch, features]` input and output.
    public var timeMajor: Bool
    /// Whether masked steps output zeros instead of the previous output.
    public var zeroOutputForMask: Bool
    /// Training-time seed (Keras 3).
    public var seed: Int?

    enum CodingKeys: String, CodingKey {
        case units, activation, recurrentActivation = "recurrent_activation", useBias = "use_bias"
        case kernelInitializer = "kernel_initializer", recurrentInitializer = "recurrent_initializer"
        case biasInitializer = "bias_initializer"
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

    /// The arguments by Keras name; `includeRecurrentActivation` is false for SimpleRNN.
    func kerasArguments(includeRecurrentActivation: Bool) -> [(name: String, value: JSONValue)] {
        var arguments: [(name: String, value: JSONValue)] = [("units", .number(Double(units))), ("activation", .string(activation.rawValue))]
        if includeRecurrentActivation { arguments.append(("recurrent_activation", .string(recurrentActivation.rawValue))) }
        arguments += [
            ("use_bias", .bool(useBias)),
            ("kernel_initializer", kernelInitializer.json), ("recurrent_initializer", recurrentInitializer.json),
            ("bias_initializer", biasInitializer.json),
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
        return arguments
    }

    /// How the sequence loop runs.
    var sequenceOptions: SequenceOptions {
        SequenceOptions(returnSequences: returnSequences, returnState: returnState, goBackwards: goBackwards,
                        stateful: stateful, timeMajor: timeMajor, zeroOutputForMask: zeroOutputForMask)
    }
}

/// `keras.layers.GRU` (gate order z, r, h). `reset_after` defaults to true (Keras 2 v2 and
/// Keras 3); the bias shape `(2, 3·units)` vs `(3·units,)` is the final word when they disagree.
@dynamicMemberLookup
public struct GRUConfig: LayerConfiguration {
    public static let className = "GRU"
    /// Fields every layer has.
    public var common: LayerCommonConfig
    /// The shared recurrent arguments.
    public var recurrent: RecurrentArguments
    /// Apply the reset gate after the recurrent matrix product (cuDNN-compatible).
    public var resetAfter: Bool

    enum CodingKeys: String, CodingKey { case resetAfter = "reset_after" }

    public init(from decoder: any Decoder) throws {
        common = try LayerCommonConfig(from: decoder)
        recurrent = try RecurrentArguments(from: decoder)
        resetAfter = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(Bool.self, forKey: .resetAfter) ?? true
    }

    /// A shared recurrent argument: `units`, `activation`, `returnSequences`, ….
    public subscript<Value>(dynamicMember keyPath: KeyPath<RecurrentArguments, Value>) -> Value {
        recurrent[keyPath: keyPath]
    }

    public var outputCount: Int { recurrent.returnState ? 2 : 1 }
    public var isRecurrent: Bool { true }
    public var isStateful: Bool { recurrent.stateful }
    public var kerasArguments: [(name: String, value: JSONValue)] {
        recurrent.kerasArguments(includeRecurrentActivation: true) + [("reset_after", .bool(resetAfter))]
    }
}

/// `keras.layers.SimpleRNN`: `h = φ(x·W + h·U + b)`.
@dynamicMemberLookup
public struct SimpleRNNConfig: LayerConfiguration {
    public static let className = "SimpleRNN"
    /// Fields every layer has.
    public var common: LayerCommonConfig
    /// The shared recurrent arguments (`recurrent_activation` unused).
    public var recurrent: RecurrentArguments

    public init(from decoder: any Decoder) throws {
        common = try LayerCommonConfig(from: decoder)
        recurrent = try RecurrentArguments(from: decoder)
    }

    /// A shared recurrent argument: `units`, `activation`, `returnSequences`, ….
    public subscript<Value>(dynamicMember keyPath: KeyPath<RecurrentArguments, Value>) -> Value {
        recurrent[keyPath: keyPath]
    }

    public var outputCount: Int { recurrent.returnState ? 2 : 1 }
    public var isRecurrent: Bool { true }
    public var isStateful: Bool { recurrent.stateful }
    public var kerasArguments: [(name: String, value: JSONValue)] { recurrent.kerasArguments(includeRecurrentActivation: false) }
}

/// How a recurrent layer walks its sequence: the options every Keras RNN shares.
struct SequenceOptions: Sendable, Hashable {
    var returnSequences: Bool
    var returnState: Bool
    var goBackwards: Bool
    var stateful: Bool
    var timeMajor: Bool
    var zeroOutputForMask: Bool
}

extension LSTMConfig {
    var sequenceOptions: SequenceOptions { recurrent.sequenceOptions }
}
