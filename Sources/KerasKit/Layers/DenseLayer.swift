/// `Dense` at inference: `activation(x · kernel + bias)` over the last axis of any rank.
struct DenseLayer: InferenceLayer {
    let config: DenseConfig
    let generation: KerasGeneration
    let inputUnits: Int
    /// `(inputUnits, units)`, row-major, as Keras stores it.
    let kernel: [Float]
    let bias: [Float]?
    /// `kernel` packed for the SIMD kernels, once at load.
    let packedKernel: PackedMatrix

    init(config: DenseConfig, generation: KerasGeneration, inputUnits: Int, kernel: [Float], bias: [Float]?) {
        self.config = config
        self.generation = generation
        self.inputUnits = inputUnits
        self.kernel = kernel
        self.bias = bias
        packedKernel = PackedMatrix(kernel, rows: inputUnits, columns: config.units)
    }

    var name: String { config.common.name }
    var parameterCount: Int { kernel.count + (bias?.count ?? 0) }

    func outputShapes(for inputs: [[Int?]]) -> [[Int?]] { [Array(inputs[0].dropLast()) + [config.units]] }

    func forward(_ call: LayerCall, state: inout LayerState?) throws(PredictionError) -> [Tensor] {
        let input = call.input
        guard input.rank >= 2, input.shape.last == inputUnits else {
            throw .inputShapeMismatch(layer: name, expected: "(…, \(inputUnits))", actual: input.shape)
        }
        let units = config.units
        // From the shape, not `count / inputUnits`: a last axis of 0 (a config may declare one)
        // would divide by zero, and the leading axes' product is checked for overflow.
        let outputCount = try checkedElementCount(Array(input.shape.dropLast()) + [units], layer: name)
        let rows = outputCount / units
        var output = [Float](repeating: 0, count: outputCount)
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
        return [Tensor(uncheckedShape: Array(input.shape.dropLast()) + [units], scalars: output)]
    }

    func outputMasks(for call: LayerCall, outputs: [Tensor]) -> [Mask?] { passThroughMasks(call, outputs: outputs) }

    var timeBehavior: TimeBehavior { .stepwise }
}

/// `Activation` at inference.
struct ActivationLayer: InferenceLayer {
    let config: ActivationConfig
    let generation: KerasGeneration

    var name: String { config.common.name }
    var parameterCount: Int { 0 }

    func outputShapes(for inputs: [[Int?]]) -> [[Int?]] { [inputs[0]] }

    func forward(_ call: LayerCall, state: inout LayerState?) throws(PredictionError) -> [Tensor] {
        let input = call.input
        var output = input
        let rowLength = input.shape.last ?? 1
        output.scalars.withUnsafeMutableBufferPointer { values in
            guard let base = values.baseAddress else { return }
            config.activation.apply(base, count: values.count, rowLength: rowLength, generation: generation)
        }
        return [output]
    }

    func outputMasks(for call: LayerCall, outputs: [Tensor]) -> [Mask?] { passThroughMasks(call, outputs: outputs) }

    var timeBehavior: TimeBehavior { .stepwise }
}

/// `Dropout` at inference: the identity.
struct DropoutLayer: InferenceLayer {
    let config: DropoutConfig

    var name: String { config.common.name }
    var parameterCount: Int { 0 }

    func outputShapes(for inputs: [[Int?]]) -> [[Int?]] { [inputs[0]] }

    func forward(_ call: LayerCall, state: inout LayerState?) throws(PredictionError) -> [Tensor] { [call.input] }

    func outputMasks(for call: LayerCall, outputs: [Tensor]) -> [Mask?] { passThroughMasks(call, outputs: outputs) }

    var timeBehavior: TimeBehavior { .stepwise }
}
