/// `keras.ops.repeat` (class `Repeat`): repeats each element along an axis, or of the
/// flattened tensor when `axis` is None.
public struct RepeatConfig: LayerBuilding {
    public static let className = "Repeat"
    public static let isOperation = true
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    /// One count for every element, or one per element of the axis.
    public let repeats: [Int]
    /// The axis (negative from the end); nil repeats the flattened tensor.
    public let axis: Int?

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        // A list of counts may be as long as the axis, beyond the rank limit `integers` keeps.
        let value = arguments.json("repeats")
        let items: [JSONValue]
        switch value {
        case .number: items = [value]
        case .array(let list) where !list.isEmpty && list.count <= KerasLimits.maxDimension: items = list
        default: throw arguments.invalid("repeats", "expected an integer or a non-empty list of integers, found \(pythonLiteral(value))")
        }
        var repeats: [Int] = []
        for item in items {
            guard case .number(let number) = item, number == number.rounded(), number >= 0, number <= Double(KerasLimits.maxDimension) else {
                throw arguments.invalid("repeats", "\(pythonLiteral(item)) is not a count ≥ 0")
            }
            repeats.append(Int(number))
        }
        self.repeats = repeats
        axis = try arguments.optionalInteger("axis", in: -KerasLimits.maxRank...KerasLimits.maxRank)
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        try checkTensorOperands(context.arguments, inputCount: inputs.count, expected: 1, layer: common.name)
        return RunnableLayer(try RepeatLayer<Scalar>(name: common.name, repeats: repeats, axis: axis, input: inputs[0]))
    }
}

/// `Repeat`: element `i` of the axis `repeats[i]` times (or `repeats[0]` times each).
struct RepeatLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let repeats: [Int]
    let axis: Int?
    let rank: Int

    var parameterCount: Int { 0 }

    /// Resolves `axis` and checks `repeats` against a known length.
    init(name: String, repeats: [Int], axis: Int?, input: [Int?]) throws(WeightLoadingError) {
        self.name = name
        self.repeats = repeats
        self.axis = try axis.map { axis throws(WeightLoadingError) in try resolvedInputAxis(axis, input: input, layer: name) }
        rank = input.count
        _ = try outputShapes(for: [input])
    }

    /// The repeated length of an axis of `size`, nil when `repeats` doesn't fit it.
    private func repeatedLength(_ size: Int) -> Int? {
        if repeats.count == 1 {
            let (product, overflow) = size.multipliedReportingOverflow(by: repeats[0])
            return overflow || product > KerasLimits.maxDimension * 64 ? nil : product
        }
        return repeats.count == size ? repeats.reduce(0, +) : nil
    }

    /// Keras's `compute_output_spec`: an unknown length stays unknown.
    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        let input = inputs[0]
        guard input.count == rank else {
            throw .unsupportedTopology(layer: name, reason: "built for rank \(rank), got \(input.shapeDescription)")
        }
        let size = axis.map { input[$0] } ?? staticElementCount(input)
        guard let size else { return [axis == nil ? [nil] : input] }
        guard let length = repeatedLength(size) else {
            throw .unsupportedTopology(layer: name, reason: "\(repeats.count) repeat counts don't fit an axis of \(size) (input \(input.shapeDescription))")
        }
        guard let axis else { return [[length]] }
        var output = input
        output[axis] = length
        return [output]
    }
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank == rank else {
            throw .inputShapeMismatch(layer: name, expected: "rank \(rank)", actual: input.shape)
        }
        let source = axis == nil ? TensorOf(uncheckedShape: [input.scalars.count], scalars: input.scalars) : input
        let along = axis ?? 0
        let size = source.shape[along]
        guard let length = repeatedLength(size) else {
            throw .inputShapeMismatch(layer: name, expected: "\(repeats.count) elements along the repeated axis", actual: input.shape)
        }
        var outputShape = source.shape
        outputShape[along] = length
        _ = try checkedOutputCount(outputShape, layer: name)
        var taken: [Int] = []
        taken.reserveCapacity(length)
        for position in 0..<size {
            for _ in 0..<(repeats.count == 1 ? repeats[0] : repeats[position]) { taken.append(position) }
        }
        var positions = source.shape.map { Array(0..<$0) }
        positions[along] = taken
        return [try gatheredTensor(source, positions: positions, outputShape: outputShape, call: call, layer: name)]
    }

    var timeBehavior: TimeBehavior { (axis ?? 0) >= 2 ? .stepwise : .wholeSequence }
}
