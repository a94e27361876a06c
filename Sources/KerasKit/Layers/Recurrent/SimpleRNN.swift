/// `keras.layers.SimpleRNN`: `h = φ(x·W + h·U + b)`.
@dynamicMemberLookup
public struct SimpleRNNConfig: VectorRecurrentLayerConfiguration {
    public static let className = "SimpleRNN"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The shared recurrent arguments (`recurrent_activation` unused).
    public let recurrent: RecurrentArguments

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        recurrent = try RecurrentArguments(reading: &arguments, hasRecurrentActivation: false, readsUnitForgetBias: false)
    }

    /// A shared recurrent argument: `units`, `activation`, `returnSequences`, ….
    public subscript<Value>(dynamicMember keyPath: KeyPath<RecurrentArguments, Value>) -> Value {
        recurrent[keyPath: keyPath]
    }

    public var outputCount: Int { recurrent.returnState ? 2 : 1 }

    public var weightRoles: [WeightRole] {
        [WeightRole("kernel", packedGroups: 1), WeightRole("recurrent_kernel", packedGroups: 1)] + (recurrent.useBias ? [WeightRole("bias")] : [])
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        RunnableLayer(RecurrentLayer(name: common.name, options: recurrent.sequenceOptions, cell: try makeCell(input: inputs.first ?? [], weights: weights, context: context)))
    }

    func makeCell<Scalar: ComputeScalar>(input: [Int?], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> SimpleRNNCell<Scalar> {
        let inputUnits = try recurrentInputUnits(input, layer: common.name)
        let units = recurrent.units
        return SimpleRNNCell(
            units: units, inputUnits: inputUnits, activation: recurrent.activation, generation: context.generation,
            kernel: try weights.matrix("kernel", shape: [inputUnits, units], groups: 1),
            recurrentKernel: try weights.matrix("recurrent_kernel", shape: [units, units], groups: 1),
            inputBias: recurrent.useBias ? try weights.vector("bias", shape: [units]) : nil
        )
    }
}

/// Keras's `SimpleRNNCell`: `hₜ = φ(xₜ·W + b + hₜ₋₁·U)`.
struct SimpleRNNCell<Scalar: ComputeScalar>: VectorRecurrentCell {
    let units: Int
    let inputUnits: Int
    let activation: Activation
    let generation: KerasGeneration
    let inputBias: WeightVector<Scalar>?
    /// `W`, `(inputUnits, units)`, prepared.
    let packedKernel: Scalar.Matrix
    /// `U`, `(units, units)`, prepared.
    let packedRecurrent: Scalar.Matrix

    init(units: Int, inputUnits: Int, activation: Activation, generation: KerasGeneration,
         kernel: Scalar.Matrix, recurrentKernel: Scalar.Matrix, inputBias: WeightVector<Scalar>?) {
        self.units = units
        self.inputUnits = inputUnits
        self.activation = activation
        self.generation = generation
        self.inputBias = inputBias
        packedKernel = kernel
        packedRecurrent = recurrentKernel
    }

    var projectionWidth: Int { units }
    var stateCount: Int { 1 }
    var parameterCount: Int { (inputUnits + units) * units + (inputBias?.count ?? 0) }

    func scratchCount(batch: Int) -> Int { 0 }

    func step(z: UnsafeMutablePointer<Scalar>, h: UnsafeMutablePointer<Scalar>, c: UnsafeMutablePointer<Scalar>,
              batch: Int, scratch: UnsafeMutablePointer<Scalar>) {
        packedRecurrent.multiply(m: batch, h, lda: units, into: z, ldc: units, accumulate: true, parallel: false)
        activation.apply(z, count: batch * units, rowLength: units, generation: generation)
        h.update(from: z, count: batch * units)
    }
}
