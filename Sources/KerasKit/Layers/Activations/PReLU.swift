/// `keras.layers.PReLU`: `x` for `x ≥ 0`, `alpha · x` below, with a learned `alpha` per
/// element of a sample (shared, size 1, along `shared_axes`).
public struct PReLUConfig: LayerBuilding {
    public static let className = "PReLU"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The sample axes (counted from 1, the batch axis being 0) along which `alpha` is shared.
    public let sharedAxes: [Int]

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        _ = try arguments.object("alpha_initializer", default: "Zeros")
        _ = try arguments.object("alpha_regularizer", default: nil)
        _ = try arguments.object("alpha_constraint", default: nil)
        let axes = try arguments.integers("shared_axes") ?? []
        for axis in axes where !(1..<KerasLimits.maxRank).contains(axis) {
            throw arguments.invalid("shared_axes", "axis \(axis) is not a sample axis (1...\(KerasLimits.maxRank - 1))")
        }
        sharedAxes = axes
    }

    public var weightRoles: [WeightRole] { [WeightRole("alpha")] }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let input = inputs.first ?? []
        var alphaShape: [Int] = []
        for (axis, size) in input.enumerated().dropFirst() {
            if sharedAxes.contains(axis) {
                alphaShape.append(1)
            } else {
                guard let size else { throw .unknownInputSize(layer: common.name, shape: input) }
                alphaShape.append(size)
            }
        }
        for axis in sharedAxes where axis >= input.count {
            throw .unsupportedTopology(layer: common.name, reason: "shared axis \(axis) is outside input \(input.shapeDescription)")
        }
        let alpha = try weights.values("alpha", shape: alphaShape)
        return RunnableLayer(PReLULayer<Scalar>(name: common.name, alpha: TensorOf(uncheckedShape: [1] + alphaShape, scalars: alpha)))
    }
}

/// `PReLU`: `relu(x) − alpha · relu(−x)`, `alpha` broadcast over the batch and shared axes.
struct PReLULayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    /// `(1, sample shape with shared axes of size 1)`.
    let alpha: TensorOf<Scalar>

    var parameterCount: Int { alpha.scalars.count }
    /// Step by step only when `alpha` is shared along the time axis (or there is none).
    var timeBehavior: TimeBehavior { alpha.rank < 3 || alpha.shape[1] == 1 ? .stepwise : .wholeSequence }

    func outputShapes(for inputs: [[Int?]]) -> [[Int?]] { [inputs[0]] }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank == alpha.rank else {
            throw .inputShapeMismatch(layer: name, expected: "rank \(alpha.rank)", actual: input.shape)
        }
        let output = try broadcastCombine(input, alpha, layer: name) { x, a in Swift.max(x, 0) - a * Swift.max(-x, 0) }
        guard output.shape == input.shape else {
            throw .inputShapeMismatch(layer: name, expected: "(batch, \(alpha.shape.dropFirst().map(String.init).joined(separator: ", ")))", actual: input.shape)
        }
        return [output]
    }

    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] { passThroughMasks(call, outputs: outputs) }
}
