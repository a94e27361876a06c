/// `keras.ops.expand_dims` (class `ExpandDims`): inserts size-1 axes.
public struct ExpandDimsConfig: LayerBuilding {
    public static let className = "ExpandDims"
    public static let isOperation = true
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    /// Where the new axes go, in the output's axis numbering (negative from the end).
    public let axis: [Int]

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        guard arguments.contains("axis") else { throw arguments.invalid("axis", "required") }
        axis = try arguments.axes("axis", default: [])
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        RunnableLayer(try ExpandDimsLayer<Scalar>(name: common.name, axis: axis, inputRank: (inputs.first ?? []).count))
    }
}

/// `ExpandDims`: inserts size-1 axes; the values are unchanged.
struct ExpandDimsLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    /// The new axes' positions in the output, resolved and sorted.
    let axes: [Int]

    var parameterCount: Int { 0 }

    /// Resolves `axis` against the output rank `rank + axis.count`.
    init(name: String, axis: [Int], inputRank: Int) throws(WeightLoadingError) {
        self.name = name
        let outputRank = inputRank + axis.count
        var resolved: [Int] = []
        for entry in axis {
            guard let position = resolvedAxis(entry, rank: outputRank), !resolved.contains(position) else {
                throw .unsupportedTopology(layer: name, reason: "axis \(axis) doesn't fit an output of rank \(outputRank)")
            }
            resolved.append(position)
        }
        guard outputRank <= KerasLimits.maxRank else {
            throw .unsupportedTopology(layer: name, reason: "the output would have \(outputRank) axes, more than \(KerasLimits.maxRank)")
        }
        axes = resolved.sorted()
    }

    private func expanded<Size>(_ shape: [Size], one: Size) -> [Size] {
        var output = shape
        for axis in axes { output.insert(one, at: Swift.min(axis, output.count)) }
        return output
    }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] { [expanded(inputs[0], one: 1)] }
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        [TensorOf(uncheckedShape: expanded(call.input.shape, one: 1), scalars: call.input.scalars)]
    }

    /// New axes after the time axis leave each step's values in their step.
    var timeBehavior: TimeBehavior { axes.allSatisfy { $0 >= 2 } ? .stepwise : .wholeSequence }
}
