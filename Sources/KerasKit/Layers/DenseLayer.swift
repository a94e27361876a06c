/// `Dense` at inference: `activation(x · kernel + bias)` over the last axis of any rank.
struct DenseLayer: InferenceLayer {
    let config: DenseConfig
    let generation: KerasGeneration
    let inputUnits: Int
    /// `(inputUnits, units)`, row-major, as Keras stores it.
    let kernel: [Float]
    let bias: [Float]?

    var name: String { config.common.name }
    var parameterCount: Int { kernel.count + (bias?.count ?? 0) }

    func outputShapes(for inputs: [[Int?]]) -> [[Int?]] { [Array(inputs[0].dropLast()) + [config.units]] }

    func forward(_ call: LayerCall, state: inout LayerState?) throws(PredictionError) -> [Tensor] {
        let input = call.input
        guard input.rank >= 2, input.shape.last == inputUnits else {
            throw .inputShapeMismatch(layer: name, expected: "(…, \(inputUnits))", actual: input.shape)
        }
        let rows = input.scalars.count / inputUnits
        let units = config.units
        var output = [Float](repeating: 0, count: rows * units)
        input.scalars.withUnsafeBufferPointer { x in
            kernel.withUnsafeBufferPointer { w in
                output.withUnsafeMutableBufferPointer { y in
                    guard let x = x.baseAddress, let w = w.baseAddress, let y = y.baseAddress else { return }
                    multiplyMatrices(m: rows, n: units, k: inputUnits, x, lda: inputUnits, w, ldb: units, into: y, ldc: units, accumulate: false)
                    if let bias {
                        bias.withUnsafeBufferPointer { b in
                            if let b = b.baseAddress { addRowVector(b, to: y, rows: rows, columns: units) }
                        }
                    }
                    config.activation.apply(y, count: rows * units, rowLength: units, generation: generation)
                }
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
