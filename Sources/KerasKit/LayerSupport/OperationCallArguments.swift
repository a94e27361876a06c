// How a Keras 3 operation node's call arguments are read. The graph gives an operation every
// `__keras_tensor__` of its positional arguments as an input, depth first; what is not a tensor
// is a constant the operation reads from ``LayerBuildContext/arguments``: a number, a (nested)
// Python list, or a tensor Keras folded at save time (`{"class_name": "__tensor__" | "__numpy__",
// "config": {"value": …, "dtype": …}}`, from `ops.arange`, `ops.ones`, a NumPy array…).

/// Whether a call argument is a tensor of the graph.
func isKerasTensor(_ argument: JSONValue) -> Bool {
    argument["class_name"]?.stringValue == "__keras_tensor__"
}

/// Whether a tf-keras call argument is or holds a tensor of the graph, written as a
/// `[layer, node, tensor]` reference (a `TFOpLambda` call keeps every argument but its first
/// tensor and `y` as it was written).
func holdsKeras2Tensor(_ value: JSONValue, depth: Int = 0) -> Bool {
    guard depth < 16, let items = value.arrayValue else { return false }
    if (3...4).contains(items.count), items[0].stringValue != nil, case .number = items[1] { return true }
    return items.contains { holdsKeras2Tensor($0, depth: depth + 1) }
}

/// One line naming a call argument for errors: the tensor placeholder, a folded constant by its
/// class and dtype, anything else as Python writes it (shortened).
func operandDescription(_ argument: JSONValue) -> String {
    if isKerasTensor(argument) { return "a tensor" }
    if let className = argument["class_name"]?.stringValue {
        let dtype = argument["config"]?["dtype"]?.stringValue.map { " (\($0))" } ?? ""
        return "a constant \(className)\(dtype)"
    }
    let literal = pythonLiteral(argument)
    return literal.count > 60 ? String(literal.prefix(57)) + "..." : literal
}

/// Checks that an operation on tensors only was called on `inputCount` tensors: its positional
/// arguments (none recorded for a hand-written or Keras 2 node) are exactly `expected`
/// tensors. A constant operand where a tensor belongs (a folded `__tensor__` a NumPy array
/// became) is refused by name: it would otherwise silently drop out of the inputs.
func checkTensorOperands(_ arguments: [JSONValue], inputCount: Int, expected: Int, layer: String) throws(WeightLoadingError) {
    if !arguments.isEmpty {
        guard arguments.count == expected else {
            throw .unsupportedTopology(layer: layer, reason: "the operation takes \(expected) positional argument\(expected == 1 ? "" : "s"), the call passes \(arguments.count)")
        }
        for (position, argument) in arguments.enumerated() where !isKerasTensor(argument) {
            throw .unsupportedTopology(layer: layer, reason: "operand \(position + 1) is \(operandDescription(argument)), not a tensor of the model; KerasKit runs this operation on tensors only")
        }
    }
    guard inputCount == expected else {
        throw .unsupportedTopology(layer: layer, reason: "the operation takes \(expected) tensor\(expected == 1 ? "" : "s"), the call passes \(inputCount)")
    }
}

/// Checks that a list operation (`concatenate`, `stack`) was called with one list of tensors:
/// every item a tensor of the model (a constant item is refused by name).
func checkTensorList(_ arguments: [JSONValue], inputCount: Int, layer: String) throws(WeightLoadingError) {
    guard inputCount >= 1 else { throw .unsupportedTopology(layer: layer, reason: "the operation takes a list of tensors, the call passes none") }
    guard !arguments.isEmpty else { return }
    guard arguments.count == 1, let items = arguments[0].arrayValue else {
        throw .unsupportedTopology(layer: layer, reason: "the operation takes one list of tensors, the call passes \(arguments.map(operandDescription).joined(separator: ", "))")
    }
    for (position, item) in items.enumerated() where !isKerasTensor(item) {
        throw .unsupportedTopology(layer: layer, reason: "list item \(position + 1) is \(operandDescription(item)), not a tensor of the model; KerasKit joins tensors only")
    }
    guard items.count == inputCount else {
        throw .unsupportedTopology(layer: layer, reason: "the call's list holds \(items.count) tensors but \(inputCount) reach the operation")
    }
}

/// An integer array a call passes as a constant (`take`'s indices): its shape and its values in
/// row-major order.
struct IntegerConstant: Sendable, Equatable {
    /// The shape: `[]` for a single integer.
    var shape: [Int]
    /// The values, row-major.
    var values: [Int]

    /// The most values read from a call's constant.
    static let maxCount = 1 << 20

    /// Reads a number, a rectangular nested list of integers, or a folded `__tensor__` /
    /// `__numpy__` constant of an integer dtype.
    /// - Throws: ``WeightLoadingError/unsupportedTopology(layer:reason:)`` naming `role` for a
    ///   tensor of the model, a float or boolean, a ragged or too deep list, or too many values.
    init(_ argument: JSONValue, role: String, layer: String) throws(WeightLoadingError) {
        var value = argument
        if isKerasTensor(argument) {
            throw .unsupportedTopology(layer: layer, reason: "\(role) is a tensor of the model; KerasKit takes \(role) written as constants only")
        }
        if let className = argument["class_name"]?.stringValue {
            guard className == "__tensor__" || className == "__numpy__", let folded = argument["config"]?["value"] else {
                throw .unsupportedTopology(layer: layer, reason: "\(role) is \(operandDescription(argument)), which KerasKit does not read")
            }
            let dtype = argument["config"]?["dtype"]?.stringValue ?? "int32"
            guard dtype.hasPrefix("int") || dtype.hasPrefix("uint") else {
                throw .unsupportedTopology(layer: layer, reason: "\(role) has dtype \(dtype); indices must be integers")
            }
            value = folded
        }
        var shape: [Int] = []
        var values: [Int] = []
        var level: [JSONValue] = [value]
        // Breadth first, one nesting level at a time: every list of a level must be as long as
        // the first, so the shape is rectangular.
        while let first = level.first, let items = first.arrayValue {
            guard shape.count < KerasLimits.maxRank else {
                throw .unsupportedTopology(layer: layer, reason: "\(role) nests deeper than \(KerasLimits.maxRank) levels")
            }
            var next: [JSONValue] = []
            for entry in level {
                guard let list = entry.arrayValue, list.count == items.count else {
                    throw .unsupportedTopology(layer: layer, reason: "\(role) is a ragged list")
                }
                next += list
                guard next.count <= Self.maxCount else {
                    throw .unsupportedTopology(layer: layer, reason: "\(role) holds more than \(Self.maxCount) values")
                }
            }
            shape.append(items.count)
            level = next
        }
        for entry in level {
            guard case .number(let number) = entry, number == number.rounded(), abs(number) <= Double(KerasLimits.maxDimension) else {
                throw .unsupportedTopology(layer: layer, reason: "\(role) holds \(pythonLiteral(entry)), not an integer index")
            }
            values.append(Int(number))
        }
        self.shape = shape
        self.values = values
    }
}

/// Python's `slice.indices(length)` and `len(range(…))`: the first position, the step and the
/// count of a slice `start:stop:step` (nil = omitted) on an axis of `length`, as NumPy and
/// TensorFlow's `__getitem__` clamp it. `step` must not be 0.
func sliceRange(start: Int?, stop: Int?, step: Int?, length: Int) -> (first: Int, step: Int, count: Int) {
    let step = step ?? 1
    func clamp(_ value: Int?, ifNil fallback: Int) -> Int {
        guard var value else { return fallback }
        if value < 0 { value += length }
        return step > 0 ? Swift.min(Swift.max(value, 0), length) : Swift.min(Swift.max(value, -1), length - 1)
    }
    let first = clamp(start, ifNil: step > 0 ? 0 : length - 1)
    let end = clamp(stop, ifNil: step > 0 ? length : -1)
    let count = step > 0 ? (end > first ? (end - first + step - 1) / step : 0) : (first > end ? (first - end - step - 1) / -step : 0)
    return (first, step, count)
}
