/// `keras.layers.Dot`: per sample, the dot product of two inputs along one axis of each
/// (`batch_dot`), optionally of their L2-normalized values. The output holds the first input's
/// other axes, then the second's; a result of rank 1 gets an axis of 1. It has no mask.
public struct DotConfig: LayerBuilding {
    public static let className = "Dot"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The contracted axis of each input (batch axis counted; negative from the end).
    public let axes: [Int]
    /// Whether each input is L2-normalized along its axis first (cosine proximity).
    public let normalize: Bool

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        guard let axes = try arguments.integers("axes") else { throw arguments.invalid("axes", "required") }
        guard axes.count == 1 || axes.count == 2 else { throw arguments.invalid("axes", "expected an axis or two, found \(axes)") }
        for axis in axes where abs(axis) > KerasLimits.maxRank { throw arguments.invalid("axes", "axis \(axis) is outside a rank-\(KerasLimits.maxRank) tensor") }
        self.axes = axes.count == 1 ? [axes[0], axes[0]] : axes
        normalize = try arguments.flag("normalize", default: false)
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        guard inputs.count == 2 else {
            throw .unsupportedTopology(layer: common.name, reason: "Dot takes 2 inputs, got \(inputs.count)")
        }
        var resolved: [Int] = []
        for (axis, input) in zip(axes, inputs) {
            guard input.count >= 2 else {
                throw .unsupportedTopology(layer: common.name, reason: "Dot takes inputs of rank 2 or more, got \(input.shapeDescription)")
            }
            // Keras takes a negative axis modulo the rank.
            let position = axis < 0 ? ((axis % input.count) + input.count) % input.count : axis
            guard position > 0, position < input.count else {
                throw .unsupportedTopology(layer: common.name, reason: "axis \(axis) is the batch axis or outside input \(input.shapeDescription)")
            }
            resolved.append(position)
        }
        if let a = inputs[0][resolved[0]], let b = inputs[1][resolved[1]], a != b {
            throw .unsupportedTopology(layer: common.name, reason: "axis sizes differ: \(a) (axis \(resolved[0]) of \(inputs[0].shapeDescription)) and \(b) (axis \(resolved[1]) of \(inputs[1].shapeDescription))")
        }
        // Keras 3 caps the inverse norm at 1/ε (ε = 1e-7); tf.keras's l2_normalize at 1/√1e-12.
        let inverseNormCap: Scalar = context.generation == .keras3 ? Scalar(1e7) : Scalar(1e6)
        return RunnableLayer(DotLayer<Scalar>(name: common.name, axes: resolved, normalize: normalize, inverseNormCap: inverseNormCap))
    }
}

/// `Dot`: each input's contracted axis moved last (first input) or first after the batch
/// (second), then one matrix product per sample.
struct DotLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    /// The contracted axis of each input, resolved.
    let axes: [Int]
    let normalize: Bool
    let inverseNormCap: Scalar

    var parameterCount: Int { 0 }

    func outputShapes(for inputs: [[Int?]]) -> [[Int?]] {
        var shape = [inputs[0][0]]
        shape += inputs[0].enumerated().filter { $0.offset != 0 && $0.offset != axes[0] }.map(\.element)
        shape += inputs[1].enumerated().filter { $0.offset != 0 && $0.offset != axes[1] }.map(\.element)
        return [shape.count == 1 ? shape + [1] : shape]
    }

    func estimatedFLOPs(inputs: [[Int]]) -> Double {
        guard inputs.count == 2 else { return 0 }
        return 2 * Double(inputs[0].reduce(1, *)) * Double(inputs[1].reduce(1, *)) / Double(max(inputs[1][0] * inputs[1][axes[1]], 1))
    }

    /// `x` with `axis` moved to position `target` (the other axes in order), as `(shape, values)`.
    private func moving(_ x: TensorOf<Scalar>, axis: Int, to target: Int) -> (shape: [Int], values: [Scalar]) {
        var order = Array(0..<x.rank).filter { $0 != axis }
        order.insert(axis, at: target)
        return (order.map { x.shape[$0] }, permuteAxes(x.scalars, shape: x.shape, permutation: order, zero: 0))
    }

    /// L2-normalizes `x` along `axis`: `x · min(1/√Σx², cap)`.
    private func normalized(_ x: TensorOf<Scalar>, axis: Int) -> TensorOf<Scalar> {
        let cap = inverseNormCap
        return TensorOf(uncheckedShape: x.shape, scalars: transformingRows(x.scalars, shape: x.shape, over: [axis]) { row, count in
            var sum: Scalar = 0
            for index in 0..<count { sum += row[index] * row[index] }
            let inverse = Swift.min(1 / sum.squareRoot(), cap)
            for index in 0..<count { row[index] *= inverse }
        })
    }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        guard call.inputs.count == 2 else {
            throw .inputShapeMismatch(layer: name, expected: "2 inputs", actual: [call.inputs.count])
        }
        var (x, y) = (call.inputs[0], call.inputs[1])
        guard x.rank > axes[0], y.rank > axes[1], x.shape[0] == y.shape[0], x.shape[axes[0]] == y.shape[axes[1]] else {
            throw .inputShapeMismatch(layer: name, expected: "inputs whose axes \(axes[0]) and \(axes[1]) match, with one batch size", actual: y.shape)
        }
        if normalize {
            x = normalized(x, axis: axes[0])
            y = normalized(y, axis: axes[1])
        }
        let a = moving(x, axis: axes[0], to: x.rank - 1)   // (batch, m…, k)
        let b = moving(y, axis: axes[1], to: 1)            // (batch, k, n…)
        let batch = x.shape[0], k = x.shape[axes[0]]
        let m = batch == 0 || k == 0 ? product(a.shape, 1..<(a.shape.count - 1)) : a.values.count / (batch * k)
        let n = batch == 0 || k == 0 ? product(b.shape, 2..<b.shape.count) : b.values.count / (batch * k)
        let outputShape = outputShapes(for: [x.shape.map { $0 }, y.shape.map { $0 }])[0].map { $0 ?? 0 }
        var output = [Scalar](repeating: 0, count: try checkedElementCount(outputShape, layer: name))
        a.values.withUnsafeBufferPointer { lhs in
            b.values.withUnsafeBufferPointer { rhs in
                output.withUnsafeMutableBufferPointer { result in
                    for sample in 0..<batch {
                        for row in 0..<m {
                            for column in 0..<n {
                                var sum: Scalar = 0
                                for index in 0..<k {
                                    sum += lhs[(sample * m + row) * k + index] * rhs[(sample * k + index) * n + column]
                                }
                                result[(sample * m + row) * n + column] = sum
                            }
                        }
                    }
                }
            }
        }
        return [TensorOf(uncheckedShape: outputShape, scalars: output)]
    }
}
