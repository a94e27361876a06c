/// `keras.ops.get_item` (class `GetItem`, what `x[key]` on a symbolic tensor records; tf-keras's
/// `SlicingOpLambda` builds the same layer): basic
/// indexing with a constant key of integers, slices (`start:stop:step`, any of them negative
/// or omitted), `None` (a new axis of size 1) and one `...`. The key is the call's second
/// argument; a tensor or a list of indices in it is refused by name.
public struct GetItemConfig: LayerBuilding {
    public static let className = "GetItem"
    public static let isOperation = true
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let arguments = context.arguments
        guard arguments.count == 2, isKerasTensor(arguments[0]) else {
            throw .unsupportedTopology(layer: common.name, reason: "get_item needs a tensor and a key as the call's two arguments, the call records \(arguments.map(operandDescription).joined(separator: ", "))")
        }
        guard inputs.count == 1 else {
            throw .unsupportedTopology(layer: common.name, reason: "the key holds a tensor of the model; KerasKit takes constant keys only")
        }
        return RunnableLayer(try GetItemLayer<Scalar>(name: common.name, key: arguments[1], input: inputs[0]))
    }
}

/// `GetItem`: `x[key]`, the key resolved to one entry per input axis (and new axes).
struct GetItemLayer<Scalar: ComputeScalar>: InferenceLayer {
    /// One item of a key.
    enum Entry: Equatable, Sendable {
        /// One position (negative from the end); the axis goes.
        case index(Int)
        /// Python's `start:stop:step`, nil where omitted.
        case slice(start: Int?, stop: Int?, step: Int?)
        /// `None` (`np.newaxis`): a new axis of size 1, consuming none.
        case newAxis
        /// `...`: replaced by full slices when the key is resolved.
        case ellipsis

        /// Reads one item as Keras 3 writes it: an integer, `{"class_name": "__slice__"}`,
        /// `null`, or `{"class_name": "__ellipsis__"}`.
        init(_ item: JSONValue, layer: String) throws(WeightLoadingError) {
            func bound(_ value: JSONValue?, _ part: String) throws(WeightLoadingError) -> Int? {
                guard let value, value != .null else { return nil }
                guard case .number(let number) = value, number == number.rounded(), number.magnitude < 0x1p62 else {
                    throw .unsupportedTopology(layer: layer, reason: "slice \(part) \(operandDescription(value)) is not an integer; KerasKit takes constant keys only")
                }
                // Any bound beyond every axis clamps the same way; keep the arithmetic in range.
                return Int(Swift.max(Swift.min(number, 0x1p40), -0x1p40))
            }
            switch item {
            case .null: self = .newAxis
            case .number:
                self = .index(try bound(item, "index") ?? 0)
            case .object where item["class_name"]?.stringValue == "__slice__" || (item["class_name"] == nil && item.objectValue?.keys.contains("step") == true):
                // Keras 3 writes {"class_name": "__slice__", "config": {…}}; tf-keras's
                // SlicingOpLambda the bare {"start", "stop", "step"}.
                let config = item["class_name"] == nil ? item : item["config"]
                let step = try bound(config?["step"], "step")
                guard step != 0 else { throw .unsupportedTopology(layer: layer, reason: "a slice step of 0") }
                self = .slice(start: try bound(config?["start"], "start"), stop: try bound(config?["stop"], "stop"), step: step)
            case .object where item["class_name"]?.stringValue == "__ellipsis__": self = .ellipsis
            case .array:
                throw .unsupportedTopology(layer: layer, reason: "the key holds a list of indices (advanced indexing), which KerasKit does not implement")
            default:
                throw .unsupportedTopology(layer: layer, reason: "the key holds \(operandDescription(item)); KerasKit takes integers, slices, None and Ellipsis")
            }
        }

        /// Whether the entry keeps a whole axis in order whatever its length.
        var isFull: Bool {
            guard case .slice(let start, let stop, let step) = self else { return false }
            return (start ?? 0) == 0 && stop == nil && (step ?? 1) == 1
        }
    }

    let name: String
    /// One entry per input axis, in order, with new axes among them.
    let key: [Entry]
    let rank: Int

    var parameterCount: Int { 0 }

    /// Reads a key (one item or a list of them), expands its `...` (implicitly at the end) to
    /// as many full slices as the axes left over, and checks it against the input.
    init(name: String, key value: JSONValue, input: [Int?]) throws(WeightLoadingError) {
        self.name = name
        let items = value.arrayValue ?? [value]
        var key: [Entry] = []
        for item in items { key.append(try Entry(item, layer: name)) }
        guard key.filter({ $0 == .ellipsis }).count <= 1 else { throw .unsupportedTopology(layer: name, reason: "the key holds more than one Ellipsis") }
        rank = input.count
        if !key.contains(.ellipsis) { key.append(.ellipsis) }
        let consuming = key.filter { $0 != .ellipsis && $0 != .newAxis }.count
        guard consuming <= rank, let at = key.firstIndex(of: .ellipsis) else {
            throw .unsupportedTopology(layer: name, reason: "the key indexes \(consuming) axes of input \(input.shapeDescription)")
        }
        key.replaceSubrange(at...at, with: Array(repeating: .slice(start: nil, stop: nil, step: nil), count: rank - consuming))
        let dropped = key.filter { if case .index = $0 { true } else { false } }.count
        guard key.filter({ $0 == .newAxis }).count + rank - dropped <= KerasLimits.maxRank else {
            throw .unsupportedTopology(layer: name, reason: "the output would have more than \(KerasLimits.maxRank) axes")
        }
        self.key = key
        _ = try outputShapes(for: [input])
    }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        let input = inputs[0]
        guard input.count == rank else {
            throw .unsupportedTopology(layer: name, reason: "built for rank \(rank), got \(input.shapeDescription)")
        }
        var output: [Int?] = []
        var axis = 0
        for entry in key {
            switch entry {
            case .newAxis: output.append(1)
            case .index(let index):
                if let length = input[axis], index >= length || index < -length {
                    throw .unsupportedTopology(layer: name, reason: "index \(index) is outside axis \(axis) of input \(input.shapeDescription)")
                }
                axis += 1
            case .slice(let start, let stop, let step):
                output.append(input[axis].map { sliceRange(start: start, stop: stop, step: step, length: $0).count })
                axis += 1
            case .ellipsis: axis += 1
            }
        }
        return [output]
    }
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank == rank else {
            throw .inputShapeMismatch(layer: name, expected: "rank \(rank)", actual: input.shape)
        }
        var positions: [[Int]] = []
        var outputShape: [Int] = []
        for entry in key {
            if entry == .newAxis {
                outputShape.append(1)
                continue
            }
            let length = input.shape[positions.count]
            switch entry {
            case .newAxis: break
            case .index(let index):
                let position = index < 0 ? index + length : index
                guard (0..<length).contains(position) else {
                    throw .indexOutOfRange(layer: name, index: Double(index), inputDim: length)
                }
                positions.append([position])
            case .slice(let start, let stop, let step):
                let range = sliceRange(start: start, stop: stop, step: step, length: length)
                positions.append((0..<range.count).map { range.first + $0 * range.step })
                outputShape.append(range.count)
            case .ellipsis:
                positions.append(Array(0..<length))
                outputShape.append(length)
            }
        }
        return [try gatheredTensor(input, positions: positions, outputShape: outputShape, call: call, layer: name)]
    }

    /// A key that keeps the batch and time axes whole selects within each step.
    var timeBehavior: TimeBehavior { key.count >= 2 && key[0].isFull && key[1].isFull ? .stepwise : .wholeSequence }
}
