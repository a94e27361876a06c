/// `keras.ops.tile` (class `Tile`): repeats the whole tensor `repeats[i]` times along axis `i`.
public struct TileConfig: LayerBuilding {
    public static let className = "Tile"
    public static let isOperation = true
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    /// The repetitions per axis, aligned at the last axis: a shorter list leaves the leading
    /// axes once, a longer one adds leading axes (an integer is a list of one).
    public let repeats: [Int]

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        guard let repeats = try arguments.integers("repeats") else { throw arguments.invalid("repeats", "required") }
        guard repeats.allSatisfy({ $0 >= 0 }) else { throw arguments.invalid("repeats", "\(repeats) must not be negative") }
        self.repeats = repeats
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        try checkTensorOperands(context.arguments, inputCount: inputs.count, expected: 1, layer: common.name)
        return RunnableLayer(try TileLayer<Scalar>(name: common.name, repeats: repeats, input: inputs[0]))
    }
}

/// `Tile`: the input (with leading size-1 axes up to `repeats.count`) repeated per axis.
struct TileLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    /// One repetition count per output axis.
    let repeats: [Int]
    let rank: Int

    var parameterCount: Int { 0 }

    /// `repeats` padded with leading 1s to the input's rank, checked against the input.
    init(name: String, repeats: [Int], input: [Int?]) throws(WeightLoadingError) {
        self.name = name
        rank = input.count
        self.repeats = Array(repeating: 1, count: Swift.max(rank - repeats.count, 0)) + repeats
        _ = try outputShapes(for: [input])
    }

    private func padded<Size>(_ shape: [Size], one: Size) -> [Size] {
        Array(repeating: one, count: repeats.count - shape.count) + shape
    }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        guard inputs[0].count == rank else {
            throw .unsupportedTopology(layer: name, reason: "built for rank \(rank), got \(inputs[0].shapeDescription)")
        }
        var output: [Int?] = []
        for (size, count) in zip(padded(inputs[0], one: 1), repeats) {
            guard let size else { output.append(nil); continue }
            let (product, overflow) = size.multipliedReportingOverflow(by: count)
            guard !overflow, product <= KerasLimits.maxDimension else {
                throw .unsupportedTopology(layer: name, reason: "repeats \(repeats) on input \(inputs[0].shapeDescription) gives an axis too long")
            }
            output.append(product)
        }
        return [output]
    }
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank == rank else {
            throw .inputShapeMismatch(layer: name, expected: "rank \(rank)", actual: input.shape)
        }
        let shape = padded(input.shape, one: 1)
        var outputShape: [Int] = []
        for (size, count) in zip(shape, repeats) {
            let (product, overflow) = size.multipliedReportingOverflow(by: count)
            guard !overflow else { throw .tooLarge(layer: name, elements: "tiled axis") }
            outputShape.append(product)
        }
        _ = try checkedOutputCount(outputShape, layer: name)
        let positions = zip(shape, outputShape).map { size, length in (0..<length).map { $0 % size } }
        let source = TensorOf(uncheckedShape: shape, scalars: input.scalars)
        return [try gatheredTensor(source, positions: positions, outputShape: outputShape, call: call, layer: name)]
    }

    /// Repeating only axes after the time axis stays within each step.
    var timeBehavior: TimeBehavior { repeats.count == rank && rank >= 2 && repeats[0] == 1 && repeats[1] == 1 ? .stepwise : .wholeSequence }
}
