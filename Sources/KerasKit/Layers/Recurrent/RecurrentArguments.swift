/// The arguments every Keras recurrent layer shares, read once with Keras's defaults.
public struct RecurrentArguments: Sendable, Hashable {
    /// The size of the hidden state and of each output step.
    public let units: Int
    /// φ (`tanh`).
    public let activation: Activation
    /// σ (`sigmoid`; SimpleRNN has none).
    public let recurrentActivation: Activation
    /// Whether the gates have bias vectors.
    public let useBias: Bool
    /// Whether the forget-gate bias was initialized to one (training only; LSTM only).
    public let unitForgetBias: Bool
    /// Initializers, regularizers and constraints (training only).
    public let kernelInitializer: KerasObjectConfig?, recurrentInitializer: KerasObjectConfig?, biasInitializer: KerasObjectConfig?
    public let kernelRegularizer: KerasObjectConfig?, recurrentRegularizer: KerasObjectConfig?
    public let biasRegularizer: KerasObjectConfig?, activityRegularizer: KerasObjectConfig?
    public let kernelConstraint: KerasObjectConfig?, recurrentConstraint: KerasObjectConfig?, biasConstraint: KerasObjectConfig?
    /// Dropout rates, inactive at inference.
    public let dropout: Double, recurrentDropout: Double
    /// Training-time seed (Keras 3).
    public let seed: Int?
    /// Keras 2's matrix grouping (1 or 2); the result is the same.
    public let implementation: Int
    /// Sequence handling, as for every Keras RNN.
    public let returnSequences: Bool, returnState: Bool, goBackwards: Bool, stateful: Bool, unroll: Bool
    /// Keras 2 only: `[time, batch, features]` input and output.
    public let timeMajor: Bool
    /// Whether masked steps output zeros instead of the previous output.
    public let zeroOutputForMask: Bool

    /// Reads the shared arguments in Keras's constructor order. SimpleRNN has no
    /// `recurrent_activation`; only LSTM has `unit_forget_bias`.
    init(reading arguments: inout LayerArguments, hasRecurrentActivation: Bool, readsUnitForgetBias: Bool) throws(KerasConfigError) {
        units = try arguments.size("units")
        activation = try arguments.activation("activation", default: .tanh)
        recurrentActivation = hasRecurrentActivation ? try arguments.activation("recurrent_activation", default: .sigmoid) : .sigmoid
        useBias = try arguments.flag("use_bias", default: true)
        kernelInitializer = try arguments.object("kernel_initializer", default: "GlorotUniform")
        recurrentInitializer = try arguments.object("recurrent_initializer", default: "Orthogonal")
        biasInitializer = try arguments.object("bias_initializer", default: "Zeros")
        unitForgetBias = readsUnitForgetBias ? try arguments.flag("unit_forget_bias", default: true) : false
        kernelRegularizer = try arguments.object("kernel_regularizer", default: nil)
        recurrentRegularizer = try arguments.object("recurrent_regularizer", default: nil)
        biasRegularizer = try arguments.object("bias_regularizer", default: nil)
        activityRegularizer = try arguments.object("activity_regularizer", default: nil)
        kernelConstraint = try arguments.object("kernel_constraint", default: nil)
        recurrentConstraint = try arguments.object("recurrent_constraint", default: nil)
        biasConstraint = try arguments.object("bias_constraint", default: nil)
        dropout = try arguments.rate("dropout")
        recurrentDropout = try arguments.rate("recurrent_dropout")
        implementation = try arguments.integer("implementation", default: 2, in: 1...2)
        let sequence = try SequenceOptions(reading: &arguments)
        returnSequences = sequence.returnSequences
        returnState = sequence.returnState
        goBackwards = sequence.goBackwards
        stateful = sequence.stateful
        unroll = sequence.unroll
        timeMajor = sequence.timeMajor
        zeroOutputForMask = sequence.zeroOutputForMask
        seed = try arguments.optionalInteger("seed", in: Int(Int32.min)...Int(Int32.max))
        // Keras 3's choice of the cuDNN kernel: the same results.
        arguments.trainingOnly("use_cudnn", default: .string("auto"))
    }

    /// How the sequence loop runs.
    var sequenceOptions: SequenceOptions {
        SequenceOptions(returnSequences: returnSequences, returnState: returnState, goBackwards: goBackwards,
                        stateful: stateful, unroll: unroll, timeMajor: timeMajor, zeroOutputForMask: zeroOutputForMask)
    }
}

/// How a recurrent layer walks its sequence: the options every Keras RNN shares.
struct SequenceOptions: Sendable, Hashable {
    var returnSequences: Bool
    var returnState: Bool
    var goBackwards: Bool
    var stateful: Bool
    /// Keras's unrolled loop: the same results.
    var unroll: Bool
    var timeMajor: Bool
    var zeroOutputForMask: Bool

    init(returnSequences: Bool, returnState: Bool, goBackwards: Bool, stateful: Bool, unroll: Bool, timeMajor: Bool, zeroOutputForMask: Bool) {
        self.returnSequences = returnSequences
        self.returnState = returnState
        self.goBackwards = goBackwards
        self.stateful = stateful
        self.unroll = unroll
        self.timeMajor = timeMajor
        self.zeroOutputForMask = zeroOutputForMask
    }

    /// Reads the sequence arguments of Keras's `RNN` base class with its defaults.
    init(reading arguments: inout LayerArguments) throws(KerasConfigError) {
        returnSequences = try arguments.flag("return_sequences", default: false)
        returnState = try arguments.flag("return_state", default: false)
        goBackwards = try arguments.flag("go_backwards", default: false)
        stateful = try arguments.flag("stateful", default: false)
        unroll = try arguments.flag("unroll", default: false)
        timeMajor = try arguments.flag("time_major", default: false)
        zeroOutputForMask = try arguments.flag("zero_output_for_mask", default: false)
    }
}

/// A recurrent layer's config (what `Bidirectional` wraps).
protocol RecurrentLayerConfiguration: LayerBuilding {
    /// How the layer walks its sequence.
    var sequenceOptions: SequenceOptions { get }
}

extension RecurrentLayerConfiguration {
    public var isRecurrent: Bool { true }
    public var isStateful: Bool { sequenceOptions.stateful }
    /// Recurrent layers save their weights through their cell.
    public var archiveWeights: ArchiveWeights { .vars(at: "cell/vars") }
}

/// LSTM, GRU or SimpleRNN: a recurrent layer sharing ``RecurrentArguments``.
protocol VectorRecurrentLayerConfiguration: RecurrentLayerConfiguration {
    var recurrent: RecurrentArguments { get }
}

extension VectorRecurrentLayerConfiguration {
    var sequenceOptions: SequenceOptions { recurrent.sequenceOptions }
}

/// The feature axis of a recurrent layer's 3-D input.
func recurrentInputUnits(_ input: [Int?], layer: String) throws(WeightLoadingError) -> Int {
    guard input.count == 3 else { throw .unknownInputSize(layer: layer, shape: input) }
    return try knownLastAxis(input, layer: layer)
}
