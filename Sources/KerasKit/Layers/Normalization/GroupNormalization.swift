/// `keras.layers.GroupNormalization`: the channels of `axis` split into `groups` equal groups;
/// each sample's group is standardized with the mean and (biased) variance of all its elements
/// (every other non-batch axis included), then `x̂ · gamma + beta` per channel. Both writers
/// compute `x · inv + (beta − mean · inv)` with `inv = gamma / √(variance + ε)`. `groups=-1`
/// is one group per channel (instance normalization).
public struct GroupNormalizationConfig: LayerBuilding {
    public static let className = "GroupNormalization"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The number of groups; -1 for one per channel.
    public let groups: Int
    /// The channel axis (negative from the end; not the batch axis).
    public let axis: Int
    /// Added to the variance before the square root.
    public let epsilon: Double
    /// Whether `beta` is added.
    public let center: Bool
    /// Whether `gamma` multiplies.
    public let scale: Bool

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        groups = try arguments.integer("groups", default: 32, in: -1...KerasLimits.maxDimension)
        guard groups != 0 else { throw arguments.invalid("groups", "0 is not a positive number of groups (or -1 for one per channel)") }
        let axes = try arguments.integers("axis") ?? [-1]
        guard axes.count == 1, let axis = axes.first, abs(axis) <= KerasLimits.maxRank else {
            throw arguments.invalid("axis", "\(axes) is not one axis within rank \(KerasLimits.maxRank) (GroupNormalization groups the channels of one axis)")
        }
        self.axis = axis
        epsilon = try arguments.number("epsilon", default: 1e-3, in: 0...Double.greatestFiniteMagnitude)
        center = try arguments.flag("center", default: true)
        scale = try arguments.flag("scale", default: true)
        _ = try arguments.object("beta_initializer", default: "Zeros")
        _ = try arguments.object("gamma_initializer", default: "Ones")
        for key in ["beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint"] {
            _ = try arguments.object(key, default: nil)
        }
    }

    public var weightRoles: [WeightRole] { (scale ? [WeightRole("gamma")] : []) + (center ? [WeightRole("beta")] : []) }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let input = inputs.first ?? []
        let resolved = try resolvedInputAxis(axis, input: input, layer: common.name)
        guard resolved > 0 else {
            throw .unsupportedTopology(layer: common.name, reason: "GroupNormalization over axis \(axis) of input \(input.shapeDescription) groups the batch axis")
        }
        guard let channels = input[resolved] else { throw .unknownInputSize(layer: common.name, shape: input) }
        let groupCount = groups == -1 ? channels : groups
        guard groupCount <= channels, channels % groupCount == 0 else {
            throw .unsupportedTopology(layer: common.name, reason: "\(groupCount) groups don't divide the \(channels) channels of axis \(axis) of input \(input.shapeDescription)")
        }
        return RunnableLayer(GroupNormalizationLayer<Scalar>(
            name: common.name, axis: resolved, rank: input.count, channels: channels, groups: groupCount, epsilon: epsilon,
            gamma: scale ? try weights.values("gamma", shape: [channels]) : nil,
            beta: center ? try weights.values("beta", shape: [channels]) : nil))
    }
}

/// `GroupNormalization`: per sample and group, statistics accumulated in `Double` over the
/// group's channels at every position, then one multiply-add per element. It passes the mask on
/// without weighting the statistics by it, as Keras 3 does (tf-keras would weight them, but it
/// can't broadcast a `(batch, steps)` mask to the input it normalizes).
struct GroupNormalizationLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    /// The channel axis, resolved, of inputs of rank `rank`.
    let axis: Int, rank: Int
    let channels: Int, groups: Int
    let epsilon: Double
    let gamma: [Scalar]?, beta: [Scalar]?

    var parameterCount: Int { (gamma?.count ?? 0) + (beta?.count ?? 0) }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] { [inputs[0]] }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank == rank, input.shape[axis] == channels else {
            throw .inputShapeMismatch(layer: name, expected: "rank \(rank) with \(channels) channels on axis \(axis)", actual: input.shape)
        }
        let batch = input.shape[0]
        // Per sample: `outer` runs (axes between batch and channels) of `channels` blocks, each
        // `inner` long (the axes after the channel axis).
        let outer = product(input.shape, 1..<axis), inner = product(input.shape, (axis + 1)..<rank)
        let width = channels / groups
        let sample = outer * channels * inner
        let groupSize = Double(outer * width * inner)
        var output = input.scalars
        guard sample > 0 else { return [TensorOf(uncheckedShape: input.shape, scalars: output)] }
        output.withUnsafeMutableBufferPointer { y in
            var sums = [Double](repeating: 0, count: groups), squares = sums
            var scale = [Double](repeating: 0, count: channels), shift = scale
            for n in 0..<batch {
                let base = n * sample
                for group in 0..<groups { sums[group] = 0; squares[group] = 0 }
                for run in 0..<outer {
                    for channel in 0..<channels {
                        let start = base + (run * channels + channel) * inner
                        var sum = 0.0
                        for index in start..<(start + inner) { sum += Double(y[index]) }
                        sums[channel / width] += sum
                    }
                }
                for group in 0..<groups { sums[group] /= groupSize }
                for run in 0..<outer {
                    for channel in 0..<channels {
                        let start = base + (run * channels + channel) * inner
                        let mean = sums[channel / width]
                        var sum = 0.0
                        for index in start..<(start + inner) {
                            let difference = Double(y[index]) - mean
                            sum += difference * difference
                        }
                        squares[channel / width] += sum
                    }
                }
                for channel in 0..<channels {
                    let group = channel / width
                    let inverse = 1 / (squares[group] / groupSize + epsilon).squareRoot() * (gamma.map { Double($0[channel]) } ?? 1)
                    scale[channel] = inverse
                    shift[channel] = (beta.map { Double($0[channel]) } ?? 0) - sums[group] * inverse
                }
                for run in 0..<outer {
                    for channel in 0..<channels {
                        let start = base + (run * channels + channel) * inner
                        let (a, b) = (scale[channel], shift[channel])
                        for index in start..<(start + inner) { y[index] = Scalar(Double(y[index]) * a + b) }
                    }
                }
            }
        }
        return [TensorOf(uncheckedShape: input.shape, scalars: output)]
    }

    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] { passThroughMasks(call, outputs: outputs) }
}
