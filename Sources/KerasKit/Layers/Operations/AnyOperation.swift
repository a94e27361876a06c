/// `keras.ops.any` (class `Any`): 1 where any element along `axis` is non-zero, else 0.
public struct AnyConfig: LayerBuilding {
    public static let className = "Any"
    public static let isOperation = true
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    /// The reduced axes (batch axis counted; negative from the end); nil reduces every axis.
    public let axis: [Int]?
    /// Whether reduced axes stay, with size 1.
    public let keepdims: Bool

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        axis = arguments.contains("axis") && arguments.json("axis") != .null ? try arguments.axes("axis", default: []) : nil
        if axis == nil { arguments.record("axis", .null) }
        keepdims = try arguments.flag("keepdims", default: false)
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let input = inputs.first ?? []
        var axes: [Int] = []
        for entry in axis ?? Array(0..<input.count) {
            let resolved = try resolvedInputAxis(entry, input: input, layer: common.name)
            if !axes.contains(resolved) { axes.append(resolved) }
        }
        return RunnableLayer(AnyLayer<Scalar>(name: common.name, axes: axes.sorted(), rank: input.count, keepdims: keepdims))
    }
}

/// `Any`: 1 where any element along the reduced axes is non-zero, else 0.
struct AnyLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    /// The reduced axes, resolved against the input rank and sorted.
    let axes: [Int]
    let rank: Int
    let keepdims: Bool

    var parameterCount: Int { 0 }

    private func outputShape<Size>(_ shape: [Size], one: Size) -> [Size] {
        keepdims ? shape.indices.map { axes.contains($0) ? one : shape[$0] } : shape.indices.filter { !axes.contains($0) }.map { shape[$0] }
    }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        guard inputs[0].count == rank else {
            throw .unsupportedTopology(layer: name, reason: "built for rank \(rank), got \(inputs[0].shapeDescription)")
        }
        return [outputShape(inputs[0], one: 1)]
    }
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank == rank else {
            throw .inputShapeMismatch(layer: name, expected: "rank \(rank)", actual: input.shape)
        }
        let kept = (0..<rank).filter { !axes.contains($0) }
        let values = permuteAxes(input.scalars, shape: input.shape, permutation: kept + axes, zero: 0)
        let width = axes.reduce(1) { $0 * input.shape[$1] }
        // One output per position on the kept axes (all 0 when the reduced axes are empty).
        let rows = kept.reduce(1) { $0 * input.shape[$1] }
        var output = [Scalar](repeating: 0, count: rows)
        if width > 0 {
            values.withUnsafeBufferPointer { x in
                for row in 0..<rows {
                    for index in 0..<width where x[row * width + index] != 0 {
                        output[row] = 1
                        break
                    }
                }
            }
        }
        return [TensorOf(uncheckedShape: outputShape(input.shape, one: 1), scalars: output)]
    }

    var timeBehavior: TimeBehavior { axes.allSatisfy { $0 >= 2 } && !keepdims ? .stepwise : .wholeSequence }
}
