// Keras's stored recurrent weights become cells here; every count and shape is checked first.

extension LSTMConfig: LayerBuilding {
    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext) throws(WeightLoadingError) -> any InferenceLayer<Scalar> {
        RecurrentLayer(name: common.name, options: sequenceOptions, cell: try makeCell(input: inputs.first ?? [], weights: weights, context: context))
    }

    func makeCell<Scalar: ComputeScalar>(input: [Int?], weights: WeightList<Scalar>, context: LayerBuildContext) throws(WeightLoadingError) -> LSTMCell<Scalar> {
        let inputUnits = try recurrentInputUnits(input, layer: common.name)
        let units = recurrent.units, gates = 4 * units
        try weights.expect(recurrent.useBias ? ["kernel", "recurrent_kernel", "bias"] : ["kernel", "recurrent_kernel"])
        return LSTMCell(
            units: units, inputUnits: inputUnits, activation: recurrent.activation, recurrentActivation: recurrent.recurrentActivation,
            generation: context.generation,
            kernel: try weights.matrix(0, shape: [inputUnits, gates], groups: 4),
            recurrentKernel: try weights.matrix(1, shape: [units, gates], groups: 4),
            inputBias: recurrent.useBias ? try weights.vector(2, shape: [gates]) : nil
        )
    }
}

extension GRUConfig: LayerBuilding {
    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext) throws(WeightLoadingError) -> any InferenceLayer<Scalar> {
        RecurrentLayer(name: common.name, options: recurrent.sequenceOptions, cell: try makeCell(input: inputs.first ?? [], weights: weights, context: context))
    }

    func makeCell<Scalar: ComputeScalar>(input: [Int?], weights: WeightList<Scalar>, context: LayerBuildContext) throws(WeightLoadingError) -> GRUCell<Scalar> {
        let inputUnits = try recurrentInputUnits(input, layer: common.name)
        let units = recurrent.units, width = 3 * units
        try weights.expect(recurrent.useBias ? ["kernel", "recurrent_kernel", "bias"] : ["kernel", "recurrent_kernel"])
        var inputBias: WeightVector<Scalar>?
        var recurrentBias: WeightVector<Scalar>?
        // The bias's rank is the final word on reset_after: (2, 3u) with it, (3u,) without.
        var resetAfter = self.resetAfter
        if recurrent.useBias, weights.arrays.count == 3 {
            resetAfter = weights.arrays[2].shape.count == 2
            if resetAfter {
                let bias = try weights.vector(2, shape: [2, width])
                inputBias = bias.slice(0..<width)
                recurrentBias = bias.slice(width..<(2 * width))
            } else {
                inputBias = try weights.vector(2, shape: [width])
            }
        }
        return GRUCell(
            units: units, inputUnits: inputUnits, activation: recurrent.activation, recurrentActivation: recurrent.recurrentActivation,
            generation: context.generation, resetAfter: resetAfter,
            kernel: try weights.matrix(0, shape: [inputUnits, width], groups: 3),
            recurrentKernel: resetAfter
                ? .prepared(try weights.matrix(1, shape: [units, width], groups: 3))
                : .split(try weights.values(1, shape: [units, width])),
            inputBias: inputBias, recurrentBias: recurrentBias
        )
    }
}

extension SimpleRNNConfig: LayerBuilding {
    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext) throws(WeightLoadingError) -> any InferenceLayer<Scalar> {
        RecurrentLayer(name: common.name, options: recurrent.sequenceOptions, cell: try makeCell(input: inputs.first ?? [], weights: weights, context: context))
    }

    func makeCell<Scalar: ComputeScalar>(input: [Int?], weights: WeightList<Scalar>, context: LayerBuildContext) throws(WeightLoadingError) -> SimpleRNNCell<Scalar> {
        let inputUnits = try recurrentInputUnits(input, layer: common.name)
        let units = recurrent.units
        try weights.expect(recurrent.useBias ? ["kernel", "recurrent_kernel", "bias"] : ["kernel", "recurrent_kernel"])
        return SimpleRNNCell(
            units: units, inputUnits: inputUnits, activation: recurrent.activation, generation: context.generation,
            kernel: try weights.matrix(0, shape: [inputUnits, units], groups: 1),
            recurrentKernel: try weights.matrix(1, shape: [units, units], groups: 1),
            inputBias: recurrent.useBias ? try weights.vector(2, shape: [units]) : nil
        )
    }
}

/// The feature axis of a recurrent layer's 3-D input.
func recurrentInputUnits(_ input: [Int?], layer: String) throws(WeightLoadingError) -> Int {
    guard input.count == 3 else { throw .unknownInputSize(layer: layer, shape: input) }
    return try knownLastAxis(input, layer: layer)
}
