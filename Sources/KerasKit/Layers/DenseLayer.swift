/// `Dense` at inference: `activation(x · kernel + bias)` over the last axis of any rank.
struct DenseLayer<Scalar: ComputeScalar>: InferenceLayer {
    let config: DenseConfig
    let generation: KerasGeneration
    let inputUnits: Int
    let bias: WeightVector<Scalar>?
    /// The kernel `(inputUnits, units)`, prepared once at load (packed for the SIMD kernels).
    let packedKernel: Scalar.Matrix

    init(config: DenseConfig, generation: KerasGeneration, inputUnits: Int, kernel: Scalar.Matrix, bias: WeightVector<Scalar>?) {
        self.config = config
        self.generation = generation
        self.inputUnits = inputUnits
        self.bias = bias
        packedKernel = kernel
    }

    var name: String { config.common.name }
    var parameterCount: Int { inputUnits * config.units + (bias?.count ?? 0) }

    func outputShapes(for inputs: [[Int?]]) -> [[Int?]] { [Array(inputs[0].dropLast()) + [config.units]] }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        try compute(call, state: &state)
    }

    /// The call's computation: ``forward(_:state:)`` enters it specialized for the scalar
    /// without generic setup of its own.
    private func compute(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank >= 2, input.shape.last == inputUnits else {
            throw .inputShapeMismatch(layer: name, expected: "(…, \(inputUnits))", actual: input.shape)
        }
        let units = config.units
        // From the shape, not `count / inputUnits`: a last axis of 0 (a config may declare one)
        // would divide by zero, and the leading axes' product is checked for overflow.
        let outputCount = try checkedElementCount(Array(input.shape.dropLast()) + [units], layer: name)
        let rows = outputCount / units
        var output = [Scalar](repeating: 0, count: outputCount)
        input.scalars.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                guard let x = x.baseAddress, let y = y.baseAddress else { return }
                if let bias {
                    bias.withUnsafeBufferPointer { b in
                        packedKernel.multiply(m: rows, x, lda: inputUnits, into: y, ldc: units, bias: b.baseAddress)
                    }
                } else {
                    packedKernel.multiply(m: rows, x, lda: inputUnits, into: y, ldc: units)
                }
                config.activation.apply(y, count: rows * units, rowLength: units, generation: generation)
            }
        }
        return [TensorOf(uncheckedShape: Array(input.shape.dropLast()) + [units], scalars: output)]
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] { passThroughMasks(call, outputs: outputs) }

    var timeBehavior: TimeBehavior { .stepwise }
}

/// `Activation` at inference.
struct ActivationLayer<Scalar: ComputeScalar>: InferenceLayer {
    let config: ActivationConfig
    let generation: KerasGeneration

    var name: String { config.common.name }
    var parameterCount: Int { 0 }

    func outputShapes(for inputs: [[Int?]]) -> [[Int?]] { [inputs[0]] }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        try compute(call, state: &state)
    }

    /// The call's computation: ``forward(_:state:)`` enters it specialized for the scalar
    /// without generic setup of its own.
    private func compute(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        var output = input
        let rowLength = input.shape.last ?? 1
        output.scalars.withUnsafeMutableBufferPointer { values in
            guard let base = values.baseAddress else { return }
            config.activation.apply(base, count: values.count, rowLength: rowLength, generation: generation)
        }
        return [output]
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] { passThroughMasks(call, outputs: outputs) }

    var timeBehavior: TimeBehavior { .stepwise }
}

/// `Dropout` at inference: the identity.
struct DropoutLayer<Scalar: ComputeScalar>: InferenceLayer {
    let config: DropoutConfig

    var name: String { config.common.name }
    var parameterCount: Int { 0 }

    func outputShapes(for inputs: [[Int?]]) -> [[Int?]] { [inputs[0]] }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        [call.input]
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] { passThroughMasks(call, outputs: outputs) }

    var timeBehavior: TimeBehavior { .stepwise }
}
