/// `keras.ops.squeeze` (class `Squeeze`): removes axes of size 1.
public struct SqueezeConfig: LayerBuilding {
    public static let className = "Squeeze"
    public static let isOperation = true
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    /// The axes removed (negative from the end), each of size 1; nil removes every axis of size 1.
    public let axis: [Int]?

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        axis = arguments.contains("axis") && arguments.json("axis") != .null ? try arguments.axes("axis", default: []) : nil
        if axis == nil { arguments.record("axis", .null) }
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        try checkTensorOperands(context.arguments, inputCount: inputs.count, expected: 1, layer: common.name)
        return RunnableLayer(try SqueezeLayer<Scalar>(name: common.name, axis: axis, input: inputs[0]))
    }
}

/// `Squeeze`: drops the size-1 axes `axes`; the values are unchanged.
struct SqueezeLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let axes: [Int]
    let rank: Int
    /// `axis=None`: TensorFlow drops every axis that is 1 when it runs, so an axis of unknown
    /// size that turns out 1 would be dropped too and change the rank; KerasKit refuses that call.
    let squeezesUnknown: Bool

    var parameterCount: Int { 0 }

    /// Resolves `axis` (nil: the axes of size 1 at build; an unknown axis stays, as Keras's
    /// shape says). An axis not statically 1, an unknown size included, is refused as Keras
    /// refuses it when the model is made.
    init(name: String, axis: [Int]?, input: [Int?]) throws(WeightLoadingError) {
        self.name = name
        rank = input.count
        squeezesUnknown = axis == nil
        guard let axis else {
            axes = input.indices.filter { input[$0] == 1 }
            return
        }
        var axes: [Int] = []
        for entry in axis {
            let resolved = try resolvedInputAxis(entry, input: input, layer: name)
            guard input[resolved] == 1, !axes.contains(resolved) else {
                throw .unsupportedTopology(layer: name, reason: "cannot squeeze axis \(entry) of input \(input.shapeDescription): its size is not 1")
            }
            axes.append(resolved)
        }
        self.axes = axes.sorted()
    }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        guard inputs[0].count == rank, axes.allSatisfy({ inputs[0][$0] == 1 }) else {
            throw .unsupportedTopology(layer: name, reason: "built for rank \(rank) with size 1 on axes \(axes), got \(inputs[0].shapeDescription)")
        }
        return [inputs[0].indices.filter { !axes.contains($0) }.map { inputs[0][$0] }]
    }
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank == rank, axes.allSatisfy({ input.shape[$0] == 1 }) else {
            throw .inputShapeMismatch(layer: name, expected: "rank \(rank), size 1 on axes \(axes)", actual: input.shape)
        }
        let kept = input.shape.indices.filter { !axes.contains($0) }
        if squeezesUnknown, let axis = kept.first(where: { input.shape[$0] == 1 }) {
            throw .inputShapeMismatch(layer: name, expected: "axis \(axis) (of unknown size when the model was built) not 1: squeeze(axis=None) would drop it in Keras", actual: input.shape)
        }
        return [TensorOf(uncheckedShape: kept.map { input.shape[$0] }, scalars: input.scalars)]
    }

    var timeBehavior: TimeBehavior { !squeezesUnknown && axes.allSatisfy({ $0 >= 2 }) ? .stepwise : .wholeSequence }
}
