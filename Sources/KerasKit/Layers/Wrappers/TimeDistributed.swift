/// `keras.layers.TimeDistributed`: the wrapped layer applied to every time step.
public struct TimeDistributedConfig: LayerBuilding {
    public static let className = "TimeDistributed"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The layer applied per step.
    public let layer: LayerConfig

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        layer = try arguments.layer("layer")
    }

    public var wrappedLayers: [LayerConfig] { [layer] }
    public var weightRoles: [WeightRole] { layer.weightRoles }
    public var archiveWeights: ArchiveWeights { .sublayers([("layer", layer)]) }

    func packedWeights(stored: [WeightArray]) -> [Int: Int] {
        (layer.configuration as? any LayerBuilding)?.packedWeights(stored: stored) ?? [:]
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let input = inputs.first ?? []
        guard input.count >= 3 else {
            throw .unsupportedTopology(layer: common.name, reason: "TimeDistributed needs at least 3-D input, got \(input.shapeDescription)")
        }
        let inner = try context.build(layer, inputs: [[nil] + input.dropFirst(2)], weights: weights.arrays)
        return RunnableLayer(TimeDistributedLayer<Scalar>(name: common.name, inner: inner))
    }
}

/// `TimeDistributed` at inference: the wrapped layer on `(batch·time, …)`, reshaped back.
struct TimeDistributedLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let inner: RunnableLayer<Scalar>

    var parameterCount: Int { inner.parameterCount }

    func estimatedFLOPs(inputs: [[Int]]) -> Double {
        guard let input = inputs.first, input.count >= 3 else { return 0 }
        return inner.layer.estimatedFLOPs(inputs: [[input[0] * input[1]] + input.dropFirst(2)])
    }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        let input = inputs[0]
        guard input.count >= 3 else {
            throw .unsupportedTopology(layer: name, reason: "TimeDistributed needs at least 3-D input, got \(input.shapeDescription)")
        }
        let innerShapes = try inner.outputShapes(for: [[nil] + input.dropFirst(2)])
        return innerShapes.map { [input[0], input[1]] + $0.dropFirst() }
    }
    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] { passThroughMasks(call, outputs: outputs) }

    var timeBehavior: TimeBehavior { .stepwise }
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank >= 3 else {
            throw .inputShapeMismatch(layer: name, expected: "(batch, time, …)", actual: input.shape)
        }
        let batch = input.shape[0], time = input.shape[1]
        let flattened = TensorOf(uncheckedShape: [batch * time] + input.shape.dropFirst(2), scalars: input.scalars)
        var innerState: LayerState<Scalar>?
        let outputs = try inner.forward(LayerCall(inputs: [flattened]), state: &innerState)
        return outputs.map { TensorOf(uncheckedShape: [batch, time] + $0.shape.dropFirst(), scalars: $0.scalars) }
    }
}
