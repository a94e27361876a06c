/// `keras.ops.roll` (class `Roll`): shifts elements along axes, those that leave at one end
/// coming back at the other.
public struct RollConfig: LayerBuilding {
    public static let className = "Roll"
    public static let isOperation = true
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    /// The shift per entry of `axis` (one when `axis` is an integer or None).
    public let shift: [Int]
    /// The shifted axes (negative from the end; an axis named twice shifts by the sum, as
    /// TensorFlow's `roll` does); nil shifts the flattened tensor.
    public let axis: [Int]?

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        guard let shift = try arguments.integers("shift"), !shift.isEmpty else { throw arguments.invalid("shift", "required") }
        self.shift = shift
        let axis = try arguments.integers("axis")
        for entry in axis ?? [] where abs(entry) > KerasLimits.maxRank {
            throw arguments.invalid("axis", "axis \(entry) is outside a rank-\(KerasLimits.maxRank) tensor")
        }
        // TensorFlow's roll takes as many shifts as axes (Keras passes both as written).
        guard shift.count == (axis?.count ?? 1) else {
            throw arguments.invalid("shift", "\(shift) doesn't match axis \(axis.map { "\($0)" } ?? "None"): one shift per axis")
        }
        self.axis = axis
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        try checkTensorOperands(context.arguments, inputCount: inputs.count, expected: 1, layer: common.name)
        return RunnableLayer(try RollLayer<Scalar>(name: common.name, shift: shift, axis: axis, input: inputs[0]))
    }
}

/// `Roll`: output position `i` of a shifted axis is input position `(i - shift) mod length`.
struct RollLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    /// The total shift per axis; nil rolls the flattened tensor by `flatShift`.
    let shifts: [Int: Int]?
    let flatShift: Int
    let rank: Int

    var parameterCount: Int { 0 }

    /// Resolves `axis` (one shift each; nil: one shift of the flattened tensor).
    init(name: String, shift: [Int], axis: [Int]?, input: [Int?]) throws(WeightLoadingError) {
        self.name = name
        rank = input.count
        guard !shift.isEmpty, shift.count == (axis?.count ?? 1) else {
            throw .unsupportedTopology(layer: name, reason: "shift \(shift) doesn't match axis \(axis.map { "\($0)" } ?? "None"): one shift per axis")
        }
        flatShift = shift[0]
        guard let axis else {
            shifts = nil
            return
        }
        var shifts: [Int: Int] = [:]
        for (entry, amount) in zip(axis, shift) {
            shifts[try resolvedInputAxis(entry, input: input, layer: name), default: 0] += amount
        }
        self.shifts = shifts
    }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        guard inputs[0].count == rank else {
            throw .unsupportedTopology(layer: name, reason: "built for rank \(rank), got \(inputs[0].shapeDescription)")
        }
        return [inputs[0]]
    }

    private static func rolled(_ length: Int, by shift: Int) -> [Int] {
        guard length > 0 else { return [] }
        let offset = ((shift % length) + length) % length
        return (0..<length).map { ($0 - offset + length) % length }
    }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank == rank else {
            throw .inputShapeMismatch(layer: name, expected: "rank \(rank)", actual: input.shape)
        }
        guard let shifts else {
            let flat = TensorOf(uncheckedShape: [input.scalars.count], scalars: input.scalars)
            return [try gatheredTensor(flat, positions: [Self.rolled(input.scalars.count, by: flatShift)], outputShape: input.shape, call: call, layer: name)]
        }
        let positions = input.shape.indices.map { axis in Self.rolled(input.shape[axis], by: shifts[axis] ?? 0) }
        return [try gatheredTensor(input, positions: positions, outputShape: input.shape, call: call, layer: name)]
    }

    var timeBehavior: TimeBehavior { (shifts?.keys.allSatisfy { $0 >= 2 } ?? false) ? .stepwise : .wholeSequence }
}
