/// `keras.layers.Reshape`: reshapes every sample to `target_shape` (one axis may be -1).
public struct ReshapeConfig: LayerBuilding {
    public static let className = "Reshape"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The sample shape, batch axis excluded; at most one entry is -1 (inferred).
    public let targetShape: [Int]

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        guard let shape = try arguments.integers("target_shape") else { throw arguments.invalid("target_shape", "required") }
        guard shape.count < KerasLimits.maxRank else {
            throw arguments.invalid("target_shape", "\(shape.count) axes plus the batch axis is more than \(KerasLimits.maxRank)")
        }
        guard shape.allSatisfy({ $0 > 0 || $0 == -1 }), shape.filter({ $0 == -1 }).count <= 1 else {
            throw arguments.invalid("target_shape", "\(shape) must hold positive sizes and at most one -1")
        }
        guard (try? Tensor.elementCount(of: shape.map { max($0, 1) })) != nil else {
            throw arguments.invalid("target_shape", "\(shape) has too many elements")
        }
        targetShape = shape
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        RunnableLayer(ReshapeLayer<Scalar>(config: self))
    }
}

/// `Reshape`: every sample takes `target_shape`, one `-1` axis inferred. It drops the mask.
struct ReshapeLayer<Scalar: ComputeScalar>: InferenceLayer {
    let config: ReshapeConfig

    var name: String { config.common.name }
    var parameterCount: Int { 0 }

    /// The known product of the target shape without its `-1` entry.
    private var knownTargetCount: Int {
        config.targetShape.reduce(1) { $1 == -1 ? $0 : $0 * $1 }
    }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        let input = inputs[0]
        guard let batch = input.first else {
            throw .unsupportedTopology(layer: name, reason: "Reshape needs a batch axis, got a scalar")
        }
        let sample = Array(input.dropFirst())
        let known = knownTargetCount
        guard let count = sample.allSatisfy({ $0 != nil }) ? staticElementCount(sample) : nil else {
            return [[batch] + config.targetShape.map { $0 == -1 ? nil : $0 }]
        }
        if config.targetShape.contains(-1) {
            guard known > 0, count % known == 0 else {
                throw .unsupportedTopology(layer: name, reason: "cannot reshape \(input.shapeDescription) to target_shape \(config.targetShape)")
            }
            return [[batch] + config.targetShape.map { $0 == -1 ? count / known : $0 }]
        }
        guard count == known else {
            throw .unsupportedTopology(layer: name, reason: "cannot reshape \(input.shapeDescription) (\(count) elements per sample) to target_shape \(config.targetShape)")
        }
        return [[batch] + config.targetShape]
    }
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard let batch = input.shape.first else {
            throw .inputShapeMismatch(layer: name, expected: "(batch, …)", actual: input.shape)
        }
        let count = product(input.shape, 1..<input.rank)
        let known = knownTargetCount
        var target = config.targetShape
        if let unknown = target.firstIndex(of: -1) {
            guard known > 0, count % known == 0 else {
                throw .inputShapeMismatch(layer: name, expected: "a multiple of \(known) elements per sample", actual: input.shape)
            }
            target[unknown] = count / known
        } else if count != known {
            throw .inputShapeMismatch(layer: name, expected: "\(known) elements per sample", actual: input.shape)
        }
        return [TensorOf(uncheckedShape: [batch] + target, scalars: input.scalars)]
    }
}
