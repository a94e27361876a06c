/// `keras.layers.BatchNormalization` at inference:
/// `(x − moving_mean) / sqrt(moving_variance + ε) · gamma + beta` per index of one feature axis
/// (the last by default; `axis=1` for `channels_first` images).
public struct BatchNormalizationConfig: LayerBuilding {
    public static let className = "BatchNormalization"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The feature axis, negative from the end (checked against the input rank when the model
    /// is built; not the batch axis). Keras 2 writes a one-element list.
    public let axis: Int
    /// Added to the variance before the square root.
    public let epsilon: Double
    /// Whether `beta` is added.
    public let center: Bool
    /// Whether `gamma` multiplies.
    public let scale: Bool
    /// Batch renormalization (training only; it adds three stored statistics that inference
    /// doesn't read).
    public let renorm: Bool

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        let axes = try arguments.axes("axis", default: [-1])
        guard axes.count == 1, let axis = axes.first else {
            throw arguments.invalid("axis", "\(axes) is not supported (KerasKit runs BatchNormalization over one axis)")
        }
        self.axis = axis
        _ = try arguments.number("momentum", default: 0.99)
        epsilon = try arguments.number("epsilon", default: 1e-3, in: 0...Double.greatestFiniteMagnitude)
        center = try arguments.flag("center", default: true)
        scale = try arguments.flag("scale", default: true)
        _ = try arguments.object("beta_initializer", default: "Zeros")
        _ = try arguments.object("gamma_initializer", default: "Ones")
        _ = try arguments.object("moving_mean_initializer", default: "Zeros")
        _ = try arguments.object("moving_variance_initializer", default: "Ones")
        for key in ["beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint"] {
            _ = try arguments.object(key, default: nil)
        }
        renorm = try arguments.flag("renorm", default: false)
        arguments.trainingOnly("renorm_clipping")
        _ = try arguments.number("renorm_momentum", default: 0.99)
        // Cross-replica statistics, ghost batches and the fused kernel change training only.
        _ = try arguments.flag("synchronized", default: false)
        _ = try arguments.optionalInteger("virtual_batch_size")
        arguments.trainingOnly("fused")
        arguments.trainingOnly("adjustment")
    }

    public var weightRoles: [WeightRole] {
        var roles: [WeightRole] = []
        if scale { roles.append(WeightRole("gamma")) }
        if center { roles.append(WeightRole("beta")) }
        roles += [WeightRole("moving_mean", trainable: false), WeightRole("moving_variance", trainable: false)]
        if renorm {
            roles += [WeightRole("moving_stddev", trainable: false), WeightRole("renorm_mean", trainable: false), WeightRole("renorm_stddev", trainable: false)]
        }
        return roles
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let input = inputs.first ?? []
        let resolved = try resolvedInputAxis(axis, input: input, layer: common.name)
        guard resolved > 0 else {
            throw .unsupportedTopology(layer: common.name, reason: "BatchNormalization over axis \(axis) of input \(input.shapeDescription) is the batch axis, which KerasKit doesn't normalize")
        }
        guard let channels = input[resolved] else { throw .unknownInputSize(layer: common.name, shape: input) }
        // Every statistic is checked, the renormalization ones too, though inference reads four.
        for role in weightRoles { _ = try weights.values(role.name, shape: [channels]) }
        return RunnableLayer(BatchNormalizationLayer<Scalar>(
            config: self, axis: resolved, rank: input.count, channels: channels,
            gamma: scale ? try weights.values("gamma", shape: [channels]) : nil,
            beta: center ? try weights.values("beta", shape: [channels]) : nil,
            mean: try weights.values("moving_mean", shape: [channels]),
            variance: try weights.values("moving_variance", shape: [channels]),
            parameterCount: weightRoles.count * channels
        ))
    }
}

/// `BatchNormalization` at inference over one axis, folded per channel as TensorFlow's
/// `batch_normalization` computes it: `x · inv + (beta − mean · inv)` with
/// `inv = gamma / sqrt(moving_variance + ε)`. It passes the mask on.
struct BatchNormalizationLayer<Scalar: ComputeScalar>: InferenceLayer {
    let config: BatchNormalizationConfig
    /// The feature axis, resolved, of inputs of rank `rank`.
    let axis: Int, rank: Int
    let channels: Int
    /// Per channel: `gamma / sqrt(variance + ε)`.
    let scale: [Scalar]
    /// Per channel: `beta − mean · scale`.
    let shift: [Scalar]
    /// The number of stored scalars (gamma, beta, moving statistics, renorm statistics).
    let parameterCount: Int

    var name: String { config.common.name }

    init(config: BatchNormalizationConfig, axis: Int, rank: Int, channels: Int, gamma: [Scalar]?, beta: [Scalar]?, mean: [Scalar], variance: [Scalar], parameterCount: Int) {
        self.config = config
        (self.axis, self.rank) = (axis, rank)
        self.channels = channels
        self.parameterCount = parameterCount
        let epsilon = Scalar(config.epsilon)
        var scale = [Scalar](repeating: 0, count: channels), shift = scale
        for channel in 0..<channels {
            var inverse = 1 / (variance[channel] + epsilon).squareRoot()
            if let gamma { inverse *= gamma[channel] }
            scale[channel] = inverse
            shift[channel] = (beta?[channel] ?? 0) - mean[channel] * inverse
        }
        self.scale = scale
        self.shift = shift
    }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] { [inputs[0]] }
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank == rank, input.shape[axis] == channels else {
            throw .inputShapeMismatch(layer: name, expected: "rank \(rank) with \(channels) features on axis \(axis)", actual: input.shape)
        }
        var output = call.outputBuffer(input.scalars.count, zeroed: false)
        // Blocks of `inner` scalars (the axes after the feature axis) share one channel.
        let outer = product(input.shape, 0..<axis), inner = product(input.shape, (axis + 1)..<rank)
        input.scalars.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                scale.withUnsafeBufferPointer { scale in
                    shift.withUnsafeBufferPointer { shift in
                        guard let x = x.baseAddress, let y = y.baseAddress, let scale = scale.baseAddress, let shift = shift.baseAddress else { return }
                        let channels = channels
                        if inner == 1 {
                            // Features last: one contiguous row per position, which vectorizes.
                            for row in 0..<outer {
                                let (source, target) = (x + row * channels, y + row * channels)
                                for channel in 0..<channels { target[channel] = source[channel] * scale[channel] + shift[channel] }
                            }
                            return
                        }
                        var base = 0
                        for _ in 0..<outer {
                            for channel in 0..<channels {
                                let (a, b) = (scale[channel], shift[channel])
                                for index in base..<(base + inner) { y[index] = x[index] * a + b }
                                base += inner
                            }
                        }
                    }
                }
            }
        }
        return [TensorOf(uncheckedShape: input.shape, scalars: output)]
    }
    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] { passThroughMasks(call, outputs: outputs) }

    /// Step by step only when the features are the last axis; another axis may be the steps.
    var timeBehavior: TimeBehavior { axis == rank - 1 ? .stepwise : .wholeSequence }
}
