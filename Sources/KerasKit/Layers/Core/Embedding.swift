/// `keras.layers.Embedding`: looks up one row of `embeddings` per integer index.
public struct EmbeddingConfig: LayerBuilding {
    public static let className = "Embedding"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The number of rows: valid indices are `0..<inputDim`.
    public let inputDim: Int
    /// The length of each row.
    public let outputDim: Int
    /// Whether index 0 marks padding: the output mask is `input != 0`.
    public let maskZero: Bool

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        inputDim = try arguments.size("input_dim")
        outputDim = try arguments.size("output_dim")
        _ = try arguments.object("embeddings_initializer", default: "RandomUniform")
        _ = try arguments.object("embeddings_regularizer", default: nil)
        _ = try arguments.object("activity_regularizer", default: nil)
        _ = try arguments.object("embeddings_constraint", default: nil)
        maskZero = try arguments.flag("mask_zero", default: false)
        // Keras 2's declared sequence length; the output's shape follows the input's either way.
        _ = arguments.json("input_length")
        try arguments.mustBe("lora_rank", oneOf: [.null], because: "LoRA-adapted embeddings are not supported")
        try arguments.mustBe("lora_alpha", oneOf: [.null], because: "LoRA-adapted embeddings are not supported")
        try arguments.mustBe("quantization_config", oneOf: [.null], because: "quantized layers are not supported")
        arguments.trainingOnly("sparse", default: .bool(false))
    }

    public var weightRoles: [WeightRole] { [WeightRole("embeddings")] }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        guard (try? Tensor.elementCount(of: [inputDim, outputDim])) != nil else {
            throw .unsupportedTopology(layer: common.name, reason: "embeddings of \(inputDim) × \(outputDim) are too large")
        }
        return RunnableLayer(EmbeddingLayer<Scalar>(config: self, embeddings: try weights.vector("embeddings", shape: [inputDim, outputDim])))
    }
}

/// `Embedding` at inference: `embeddings[Int(x)]` for each input value, appended as a new last
/// axis. Inputs are cast to integers by truncation, as Keras casts them to `int32`.
struct EmbeddingLayer<Scalar: ComputeScalar>: InferenceLayer {
    let config: EmbeddingConfig
    /// `(inputDim, outputDim)`, row-major.
    let embeddings: WeightVector<Scalar>

    var name: String { config.common.name }
    var parameterCount: Int { embeddings.count }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        let input = inputs[0]
        guard !input.isEmpty, input.count < KerasLimits.maxRank else {
            throw .unsupportedTopology(layer: name, reason: "Embedding takes input of rank 1 to \(KerasLimits.maxRank - 1), got \(input.shapeDescription)")
        }
        return [input + [config.outputDim]]
    }
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank >= 1 else {
            throw .inputShapeMismatch(layer: name, expected: "(batch, …)", actual: input.shape)
        }
        let width = config.outputDim, rows = config.inputDim
        let outputShape = input.shape + [width]
        // Every row is written (or the call fails): a pooled buffer needs no zeroing.
        var output = call.outputBuffer(try checkedElementCount(outputShape, layer: name), zeroed: false)
        let limit = Scalar(rows)
        var failure: PredictionError?
        input.scalars.withUnsafeBufferPointer { indices in
            embeddings.withUnsafeBufferPointer { table in
                output.withUnsafeMutableBufferPointer { destination in
                    guard let table = table.baseAddress, let destination = destination.baseAddress else { return }
                    for (position, value) in indices.enumerated() {
                        let index = value.rounded(.towardZero)
                        // NaN fails both comparisons.
                        guard index >= 0, index < limit else {
                            failure = .indexOutOfRange(layer: name, index: Double(value), inputDim: rows)
                            return
                        }
                        (destination + position * width).update(from: table + Int(index) * width, count: width)
                    }
                }
            }
        }
        if let failure { throw failure }
        return [TensorOf(uncheckedShape: outputShape, scalars: output)]
    }

    var createsMasks: Bool { config.maskZero }

    /// `input != 0` when `mask_zero` (compared before the cast, as Keras does), else none: an
    /// incoming mask is not propagated.
    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] {
        guard config.maskZero, let batch = call.input.shape.first else { return [nil] }
        let values = call.input.scalars.map { $0 != 0 }
        return [Mask(batch: batch, steps: batch == 0 ? 0 : values.count / batch, values: values)]
    }

    var timeBehavior: TimeBehavior { .stepwise }
    var readsRank2Sequences: Bool { true }
}
