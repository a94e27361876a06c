/// `keras.layers.LSTM`, with every constructor argument Keras 2 and Keras 3 write.
///
/// A key missing from the file takes Keras's own default, so configs from either writer decode
/// to the same value. Initializers, regularizers, constraints and dropout rates do not change
/// inference; they are read so a model can be inspected and converted without loss. The
/// arguments every recurrent layer shares read straight through: `config.units`,
/// `config.returnSequences`, … (see ``RecurrentArguments``).
@dynamicMemberLookup
public struct LSTMConfig: VectorRecurrentLayerConfiguration {
    public static let className = "LSTM"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The arguments LSTM shares with GRU and SimpleRNN.
    public let recurrent: RecurrentArguments

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        recurrent = try RecurrentArguments(reading: &arguments, hasRecurrentActivation: true, readsUnitForgetBias: true)
    }

    /// A shared recurrent argument: `units`, `activation`, `returnSequences`, ….
    public subscript<Value>(dynamicMember keyPath: KeyPath<RecurrentArguments, Value>) -> Value {
        recurrent[keyPath: keyPath]
    }

    public var outputCount: Int { recurrent.returnState ? 3 : 1 }

    public var weightRoles: [WeightRole] {
        [WeightRole("kernel", packedGroups: 4), WeightRole("recurrent_kernel", packedGroups: 4)] + (recurrent.useBias ? [WeightRole("bias")] : [])
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        RunnableLayer(RecurrentLayer(name: common.name, options: recurrent.sequenceOptions, cell: try makeCell(input: inputs.first ?? [], weights: weights, context: context)))
    }

    func makeCell<Scalar: ComputeScalar>(input: [Int?], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> LSTMCell<Scalar> {
        let inputUnits = try recurrentInputUnits(input, layer: common.name)
        let units = recurrent.units, gates = 4 * units
        return LSTMCell(
            units: units, inputUnits: inputUnits, activation: recurrent.activation, recurrentActivation: recurrent.recurrentActivation,
            generation: context.generation,
            kernel: try weights.matrix("kernel", shape: [inputUnits, gates], groups: 4),
            recurrentKernel: try weights.matrix("recurrent_kernel", shape: [units, gates], groups: 4),
            inputBias: recurrent.useBias ? try weights.vector("bias", shape: [gates]) : nil
        )
    }
}

/// Keras's `LSTMCell` (gate order i, f, c, o):
///
///     z = xₜ·W + b + hₜ₋₁·U
///     i = σ(z₀), f = σ(z₁), g = φ(z₂), o = σ(z₃)
///     cₜ = f·cₜ₋₁ + i·g,  hₜ = o·φ(cₜ)
struct LSTMCell<Scalar: ComputeScalar>: VectorRecurrentCell {
    let units: Int
    let inputUnits: Int
    let activation: Activation
    let recurrentActivation: Activation
    let generation: KerasGeneration
    let inputBias: WeightVector<Scalar>?
    /// The weights prepared once at load: packed for the SIMD kernels (`Float`), or kept for
    /// plain loops (`Double`).
    let fast: Scalar.Recurrence

    var lstmKernel: Scalar.Recurrence? { fast }
    var packedKernel: Scalar.Matrix { fast.kernel }

    /// - Parameters:
    ///   - kernel: `W`, `(inputUnits, 4·units)`, prepared in 4 gate groups.
    ///   - recurrentKernel: `U`, `(units, 4·units)`, prepared in 4 gate groups.
    init(units: Int, inputUnits: Int, activation: Activation, recurrentActivation: Activation, generation: KerasGeneration,
         kernel: Scalar.Matrix, recurrentKernel: Scalar.Matrix, inputBias: WeightVector<Scalar>?) {
        self.units = units
        self.inputUnits = inputUnits
        self.activation = activation
        self.recurrentActivation = recurrentActivation
        self.generation = generation
        self.inputBias = inputBias
        fast = Scalar.lstmRecurrence(kernel: kernel, recurrentKernel: recurrentKernel, bias: inputBias, inputUnits: inputUnits, units: units,
                                     activation: activation, recurrentActivation: recurrentActivation, generation: generation)
    }

    var projectionWidth: Int { 4 * units }
    var stateCount: Int { 2 }
    var parameterCount: Int { (inputUnits + units) * 4 * units + (inputBias?.count ?? 0) }

    func scratchCount(batch: Int) -> Int { units }

    func step(z: UnsafeMutablePointer<Scalar>, h: UnsafeMutablePointer<Scalar>, c: UnsafeMutablePointer<Scalar>,
              batch: Int, scratch: UnsafeMutablePointer<Scalar>) {
        fast.step(z: z, h: h, c: c, batch: batch)
    }
}
