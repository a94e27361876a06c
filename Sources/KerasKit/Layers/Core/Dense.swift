/// `keras.layers.Dense`: `activation(x · kernel + bias)` on the last axis of any rank.
public struct DenseConfig: LayerBuilding {
    public static let className = "Dense"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The output size.
    public let units: Int
    /// Applied to the affine output; `linear` by default.
    public let activation: Activation
    /// Whether a bias vector is added.
    public let useBias: Bool

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        units = try arguments.size("units")
        activation = try arguments.activation("activation", default: .linear)
        useBias = try arguments.flag("use_bias", default: true)
        _ = try arguments.object("kernel_initializer", default: "GlorotUniform")
        _ = try arguments.object("bias_initializer", default: "Zeros")
        _ = try arguments.object("kernel_regularizer", default: nil)
        _ = try arguments.object("bias_regularizer", default: nil)
        _ = try arguments.object("activity_regularizer", default: nil)
        _ = try arguments.object("kernel_constraint", default: nil)
        _ = try arguments.object("bias_constraint", default: nil)
        try arguments.mustBe("lora_rank", oneOf: [.null], because: "LoRA-adapted kernels are not supported")
        try arguments.mustBe("lora_alpha", oneOf: [.null], because: "LoRA-adapted kernels are not supported")
        try arguments.mustBe("quantization_config", oneOf: [.null], because: "quantized layers are not supported")
    }

    public var weightRoles: [WeightRole] {
        [WeightRole("kernel", packedGroups: 1)] + (useBias ? [WeightRole("bias")] : [])
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let inputUnits = try knownLastAxis(inputs.first ?? [], layer: common.name)
        return RunnableLayer(DenseLayer<Scalar>(
            config: self, generation: context.generation, inputUnits: inputUnits,
            kernel: try weights.matrix("kernel", shape: [inputUnits, units], groups: 1),
            bias: useBias ? try weights.vector("bias", shape: [units]) : nil
        ))
    }
}

/// `Dense` at inference: one packed matrix product over every row of the last axis.
struct DenseLayer<Scalar: ComputeScalar>: InferenceLayer {
    let config: DenseConfig
    let generation: KerasGeneration
    let inputUnits: Int
    /// The kernel `(inputUnits, units)`, prepared once at load (packed for the SIMD kernels).
    let kernel: Scalar.Matrix
    let bias: WeightVector<Scalar>?

    var name: String { config.common.name }
    var parameterCount: Int { inputUnits * config.units + (bias?.count ?? 0) }
    var timeBehavior: TimeBehavior { .stepwise }

    func outputShapes(for inputs: [[Int?]]) -> [[Int?]] { [Array(inputs[0].dropLast()) + [config.units]] }

    func estimatedFLOPs(inputs: [[Int]]) -> Double {
        let rows = (inputs.first ?? []).dropLast().reduce(1.0) { $0 * Double($1) }
        return 2 * Double(inputUnits) * Double(config.units) * rows
    }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank >= 2, input.shape.last == inputUnits else {
            throw .inputShapeMismatch(layer: name, expected: "(…, \(inputUnits))", actual: input.shape)
        }
        let units = config.units
        // From the shape, not `count / inputUnits`: a last axis of 0 (a config may declare one)
        // would divide by zero, and the leading axes' product is checked for overflow.
        let outputCount = try checkedElementCount(Array(input.shape.dropLast()) + [units], layer: name)
        let rows = outputCount / units
        // The product overwrites every row (an empty input, none: zeros then).
        var output = call.outputBuffer(outputCount, zeroed: input.scalars.isEmpty)
        input.scalars.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                guard let x = x.baseAddress, let y = y.baseAddress else { return }
                if let bias {
                    bias.withUnsafeBufferPointer { b in
                        kernel.multiply(m: rows, x, lda: inputUnits, into: y, ldc: units, bias: b.baseAddress)
                    }
                } else {
                    kernel.multiply(m: rows, x, lda: inputUnits, into: y, ldc: units)
                }
                config.activation.apply(y, count: rows * units, rowLength: units, generation: generation)
            }
        }
        return [TensorOf(uncheckedShape: Array(input.shape.dropLast()) + [units], scalars: output)]
    }

    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] { passThroughMasks(call, outputs: outputs) }
}
