// Where the stored weights of the shape, merge, convolution, pooling, normalization, embedding
// and operation layers meet their configs: each `makeLayer` checks the weight count, the role
// each name ends in and every shape (in Keras's stored order) before building the layer.

/// The input's axis `axis` resolved against its rank, or an error naming the layer.
private func resolvedInputAxis(_ axis: Int, input: [Int?], layer: String) throws(WeightLoadingError) -> Int {
    guard let resolved = resolvedAxis(axis, rank: input.count) else {
        throw .unsupportedTopology(layer: layer, reason: "axis \(axis) is outside input \(input.shapeDescription)")
    }
    return resolved
}

extension EmbeddingConfig: LayerBuilding {
    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext) throws(WeightLoadingError) -> any InferenceLayer<Scalar> {
        try weights.expect(["embeddings"])
        guard (try? Tensor.elementCount(of: [inputDim, outputDim])) != nil else {
            throw .unsupportedTopology(layer: common.name, reason: "embeddings of \(inputDim) × \(outputDim) are too large")
        }
        return EmbeddingLayer<Scalar>(config: self, embeddings: try weights.vector(0, shape: [inputDim, outputDim]))
    }
}

extension MaskingConfig: LayerBuilding {
    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext) throws(WeightLoadingError) -> any InferenceLayer<Scalar> {
        try weights.expect([])
        return MaskingLayer<Scalar>(config: self, generation: context.generation)
    }
}

extension SpatialDropout1DConfig: LayerBuilding {
    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext) throws(WeightLoadingError) -> any InferenceLayer<Scalar> {
        try weights.expect([])
        return SpatialDropout1DLayer<Scalar>(config: self)
    }
}

extension FlattenConfig: LayerBuilding {
    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext) throws(WeightLoadingError) -> any InferenceLayer<Scalar> {
        try weights.expect([])
        return FlattenLayer<Scalar>(config: self)
    }
}

extension ReshapeConfig: LayerBuilding {
    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext) throws(WeightLoadingError) -> any InferenceLayer<Scalar> {
        try weights.expect([])
        return ReshapeLayer<Scalar>(config: self)
    }
}

extension PermuteConfig: LayerBuilding {
    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext) throws(WeightLoadingError) -> any InferenceLayer<Scalar> {
        try weights.expect([])
        return PermuteLayer<Scalar>(config: self)
    }
}

extension RepeatVectorConfig: LayerBuilding {
    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext) throws(WeightLoadingError) -> any InferenceLayer<Scalar> {
        try weights.expect([])
        return RepeatVectorLayer<Scalar>(config: self)
    }
}

extension ConcatenateConfig: LayerBuilding {
    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext) throws(WeightLoadingError) -> any InferenceLayer<Scalar> {
        try weights.expect([])
        return ConcatenateLayer<Scalar>(config: self, generation: context.generation)
    }
}

extension AddConfig: LayerBuilding {}
extension SubtractConfig: LayerBuilding {}
extension MultiplyConfig: LayerBuilding {}
extension AverageConfig: LayerBuilding {}
extension MaximumConfig: LayerBuilding {}
extension MinimumConfig: LayerBuilding {}

extension ElementwiseMergeConfiguration {
    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext) throws(WeightLoadingError) -> any InferenceLayer<Scalar> {
        try weights.expect([])
        return ElementwiseMergeLayer<Scalar>(name: common.name, operation: Self.operation, generation: context.generation)
    }
}

extension Conv1DConfig: LayerBuilding {
    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext) throws(WeightLoadingError) -> any InferenceLayer<Scalar> {
        let input = inputs.first ?? []
        guard input.count == 3 else {
            throw .unsupportedTopology(layer: common.name, reason: "Conv1D takes input of rank 3, got \(input.shapeDescription)")
        }
        let channels = try knownLastAxis(input, layer: common.name)
        let kernelShape = [kernelSize, channels, filters]
        guard (try? Tensor.elementCount(of: kernelShape)) != nil else {
            throw .unsupportedTopology(layer: common.name, reason: "a kernel of \(kernelShape.shapeDescription) is too large")
        }
        try weights.expect(useBias ? ["kernel", "bias"] : ["kernel"])
        return Conv1DLayer<Scalar>(
            config: self, generation: context.generation, inputChannels: channels,
            kernel: try weights.values(0, shape: kernelShape),
            bias: useBias ? try weights.values(1, shape: [filters]) : nil
        )
    }
}

extension MaxPooling1DConfig: LayerBuilding {}
extension AveragePooling1DConfig: LayerBuilding {}

extension Pooling1DConfiguration {
    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext) throws(WeightLoadingError) -> any InferenceLayer<Scalar> {
        try weights.expect([])
        return Pooling1DLayer<Scalar>(name: common.name, poolSize: poolSize, strides: strides, padding: padding, dataFormat: dataFormat, averages: Self.averages)
    }
}

extension GlobalAveragePooling1DConfig: LayerBuilding {}
extension GlobalMaxPooling1DConfig: LayerBuilding {}

extension GlobalPooling1DConfiguration {
    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext) throws(WeightLoadingError) -> any InferenceLayer<Scalar> {
        try weights.expect([])
        return GlobalPooling1DLayer<Scalar>(name: common.name, dataFormat: dataFormat, keepdims: keepdims, averages: Self.averages, generation: context.generation)
    }
}

extension LayerNormalizationConfig: LayerBuilding {
    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext) throws(WeightLoadingError) -> any InferenceLayer<Scalar> {
        let input = inputs.first ?? []
        var axes: [Int] = []
        for entry in axis {
            let resolved = try resolvedInputAxis(entry, input: input, layer: common.name)
            guard !axes.contains(resolved) else {
                throw .unsupportedTopology(layer: common.name, reason: "axis \(axis) names axis \(resolved) twice for input \(input.shapeDescription)")
            }
            axes.append(resolved)
        }
        axes.sort()
        var normalizedShape: [Int] = []
        for resolved in axes {
            guard let size = input[resolved] else { throw .unknownInputSize(layer: common.name, shape: input) }
            normalizedShape.append(size)
        }
        var roles: [String] = []
        if hasGamma { roles.append("gamma") }
        if hasBeta { roles.append("beta") }
        try weights.expect(roles)
        let gamma = hasGamma ? try weights.values(0, shape: normalizedShape) : nil
        let beta = hasBeta ? try weights.values(hasGamma ? 1 : 0, shape: normalizedShape) : nil
        return LayerNormalizationLayer<Scalar>(config: self, rank: input.count, axes: axes, normalizedShape: normalizedShape, gamma: gamma, beta: beta)
    }
}

extension BatchNormalizationConfig: LayerBuilding {
    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext) throws(WeightLoadingError) -> any InferenceLayer<Scalar> {
        let input = inputs.first ?? []
        let resolved = try resolvedInputAxis(axis, input: input, layer: common.name)
        guard resolved == input.count - 1 else {
            throw .unsupportedTopology(layer: common.name, reason: "BatchNormalization over axis \(axis) of input \(input.shapeDescription) is not supported (KerasKit normalizes the last axis only)")
        }
        let channels = try knownLastAxis(input, layer: common.name)
        var roles: [String] = []
        if scale { roles.append("gamma") }
        if center { roles.append("beta") }
        roles += ["moving_mean", "moving_variance"]
        // Batch renormalization keeps three more statistics that inference doesn't read.
        if renorm { roles += ["moving_stddev", "renorm_mean", "renorm_stddev"] }
        try weights.expect(roles)
        var index = 0
        func next() throws(WeightLoadingError) -> [Scalar] {
            defer { index += 1 }
            return try weights.values(index, shape: [channels])
        }
        let gamma = scale ? try next() : nil
        let beta = center ? try next() : nil
        let mean = try next()
        let variance = try next()
        if renorm { for _ in 0..<3 { _ = try next() } }
        return BatchNormalizationLayer<Scalar>(
            config: self, channels: channels, gamma: gamma, beta: beta, mean: mean, variance: variance,
            parameterCount: roles.count * channels
        )
    }
}

extension NotEqualConfig: LayerBuilding {
    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext) throws(WeightLoadingError) -> any InferenceLayer<Scalar> {
        try weights.expect([])
        return try ElementwiseOperationLayer<Scalar>(name: common.name, operation: .notEqual, inputCount: inputs.count, arguments: context.arguments)
    }
}

extension LogicalOrConfig: LayerBuilding {
    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext) throws(WeightLoadingError) -> any InferenceLayer<Scalar> {
        try weights.expect([])
        return try ElementwiseOperationLayer<Scalar>(name: common.name, operation: .logicalOr, inputCount: inputs.count, arguments: context.arguments)
    }
}

extension LogicalAndConfig: LayerBuilding {
    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext) throws(WeightLoadingError) -> any InferenceLayer<Scalar> {
        try weights.expect([])
        return try ElementwiseOperationLayer<Scalar>(name: common.name, operation: .logicalAnd, inputCount: inputs.count, arguments: context.arguments)
    }
}

extension AnyConfig: LayerBuilding {
    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext) throws(WeightLoadingError) -> any InferenceLayer<Scalar> {
        try weights.expect([])
        let input = inputs.first ?? []
        var axes: [Int] = []
        for entry in axis ?? Array(0..<input.count) {
            let resolved = try resolvedInputAxis(entry, input: input, layer: common.name)
            if !axes.contains(resolved) { axes.append(resolved) }
        }
        return AnyLayer<Scalar>(name: common.name, axes: axes.sorted(), rank: input.count, keepdims: keepdims)
    }
}

extension ExpandDimsConfig: LayerBuilding {
    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext) throws(WeightLoadingError) -> any InferenceLayer<Scalar> {
        try weights.expect([])
        return try ExpandDimsLayer<Scalar>(name: common.name, axis: axis, inputRank: (inputs.first ?? []).count)
    }
}

extension ZerosLikeConfig: LayerBuilding {
    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext) throws(WeightLoadingError) -> any InferenceLayer<Scalar> {
        try weights.expect([])
        return FillLikeLayer<Scalar>(name: common.name, value: 0)
    }
}

extension OnesLikeConfig: LayerBuilding {
    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext) throws(WeightLoadingError) -> any InferenceLayer<Scalar> {
        try weights.expect([])
        return FillLikeLayer<Scalar>(name: common.name, value: 1)
    }
}
