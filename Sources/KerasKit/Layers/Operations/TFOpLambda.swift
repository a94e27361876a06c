/// Keras 2's `TFOpLambda`: a TensorFlow function applied to tensors in a Functional model
/// (`x + 3.0` is `tf.__operators__.add`), recorded as a layer with the function's name and its
/// other arguments as the call's keyword arguments. KerasKit runs the binary arithmetic
/// functions on a tensor and a constant or on two tensors (keras.applications' MobileNetV3 and
/// ConvNeXt use them), and the functions that move values which match a Keras 3 operation one
/// to one (`tf.transpose`, `tf.reshape`, …); any other function, or argument, is refused by
/// name. No code is read from the file: the name alone says what runs.
public struct TFOpLambdaConfig: LayerBuilding {
    public static let className = "TFOpLambda"
    /// The arguments the functions KerasKit runs take besides their tensors; each function
    /// refuses the ones that aren't its own.
    public static let callOptions = Array(Set(structuralArguments.values.joined())).sorted()
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The function's name under `tf.` (`__operators__.add`, `math.multiply`).
    public let function: String
    /// What it computes; nil for a function KerasKit doesn't run (refused when the model is
    /// built, so that `inspect` still shows the model).
    let operation: ElementwiseOperation?

    /// The arithmetic functions KerasKit runs, by their `tf.` names.
    static let operations: [String: ElementwiseOperation] = [
        "__operators__.add": .add, "math.add": .add, "__operators__.sub": .subtract, "math.subtract": .subtract,
        "math.multiply": .multiply, "__operators__.mul": .multiply, "math.truediv": .divide, "__operators__.truediv": .divide,
        "math.divide": .divide, "math.maximum": .maximum, "math.minimum": .minimum, "math.pow": .power, "__operators__.pow": .power,
    ]

    /// The functions that move values, by their `tf.` names, with the arguments each takes.
    static let structuralArguments: [String: [String]] = [
        "transpose": ["perm", "conjugate", "name"], "compat.v1.transpose": ["perm", "conjugate", "name"],
        "reshape": ["shape", "name"],
        "squeeze": ["axis", "name"], "compat.v1.squeeze": ["axis", "squeeze_dims", "name"],
        "expand_dims": ["axis", "name"], "compat.v1.expand_dims": ["axis", "dim", "name"],
        "concat": ["axis", "name"], "stack": ["axis", "name"],
        "tile": ["multiples", "name"], "reverse": ["axis", "name"], "roll": ["shift", "axis", "name"],
        "repeat": ["repeats", "axis", "name"],
        "gather": ["indices", "axis", "batch_dims", "validate_indices", "name"],
        "compat.v1.gather": ["indices", "axis", "batch_dims", "validate_indices", "name"],
    ]

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        function = try arguments.string("function", default: nil) ?? ""
        operation = Self.operations[function]
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let options = context.callOptions
        let accepted = Self.structuralArguments[function] ?? []
        for key in options.keys.sorted() where !accepted.contains(key) {
            throw .unsupportedTopology(layer: common.name, reason: "the call passes the argument '\(key)' = \(pythonLiteral(options[key] ?? .null)), which tf.\(function) in KerasKit does not implement")
        }
        for key in options.keys.sorted() where holdsKeras2Tensor(options[key] ?? .null) {
            throw .unsupportedTopology(layer: common.name, reason: "'\(key)' is a tensor of the model; KerasKit takes it written as a constant only")
        }
        if let operation {
            return RunnableLayer(try ElementwiseOperationLayer<Scalar>(name: common.name, operation: operation, inputs: inputs, arguments: context.arguments, className: Self.className))
        }
        guard Self.structuralArguments[function] != nil, let input = inputs.first else {
            let known = (Array(Self.operations.keys) + Array(Self.structuralArguments.keys)).sorted().map { "tf.\($0)" }.joined(separator: ", ")
            throw .unsupportedTopology(layer: common.name, reason: "TFOpLambda function tf.\(function) is not supported (KerasKit runs \(known))")
        }
        let name = common.name
        func integers(_ key: String) throws(WeightLoadingError) -> [Int]? {
            guard let value = options[key], value != .null else { return nil }
            let constant = try IntegerConstant(value, role: "'\(key)'", layer: name)
            guard constant.shape.count <= 1 else { throw .unsupportedTopology(layer: name, reason: "'\(key)' = \(pythonLiteral(value)) is not an integer or a list of integers") }
            return constant.values
        }
        func integer(_ key: String) throws(WeightLoadingError) -> Int? {
            guard let values = try integers(key) else { return nil }
            guard values.count == 1, options[key]?.arrayValue == nil else {
                throw .unsupportedTopology(layer: name, reason: "'\(key)' = \(pythonLiteral(options[key] ?? .null)) is not one integer")
            }
            return values[0]
        }
        func required<Value>(_ value: Value?, _ key: String) throws(WeightLoadingError) -> Value {
            guard let value else { throw .unsupportedTopology(layer: name, reason: "tf.\(function) needs '\(key)'") }
            return value
        }
        if inputs.count != 1 && function != "concat" && function != "stack" {
            throw .unsupportedTopology(layer: name, reason: "tf.\(function) takes one tensor, the call passes \(inputs.count)")
        }
        switch function {
        case "transpose", "compat.v1.transpose":
            guard options["conjugate"] == nil || options["conjugate"] == .bool(false) else {
                throw .unsupportedTopology(layer: name, reason: "conjugate=True (complex numbers) is not supported")
            }
            return RunnableLayer(try TransposeLayer<Scalar>(name: name, axes: try integers("perm"), input: input))
        case "reshape":
            let shape = try required(try integers("shape"), "shape")
            guard shape.allSatisfy({ $0 >= -1 }), shape.filter({ $0 == -1 }).count <= 1, shape.count <= KerasLimits.maxRank,
                  (try? Tensor.elementCount(of: shape.map { Swift.max($0, 1) })) != nil,
                  !(shape.contains(-1) && shape.contains(0)) else {
                throw .unsupportedTopology(layer: name, reason: "shape \(shape) must hold sizes ≥ 0 (none 0 beside a -1) and at most one -1")
            }
            return RunnableLayer(ReshapeOperationLayer<Scalar>(name: name, newshape: shape))
        case "squeeze", "compat.v1.squeeze":
            let axis = try integers("axis"), dims = try integers("squeeze_dims")
            return RunnableLayer(try SqueezeLayer<Scalar>(name: name, axis: axis ?? dims, input: input))
        case "expand_dims", "compat.v1.expand_dims":
            let axis = try integer("axis"), dim = try integer("dim")
            return RunnableLayer(try ExpandDimsLayer<Scalar>(name: name, axis: [try required(axis ?? dim, "axis")], inputRank: input.count))
        case "concat", "stack":
            let given = try integer("axis")
            let axis = function == "stack" ? given ?? 0 : try required(given, "axis")
            return RunnableLayer(try JoinOperationLayer<Scalar>(name: name, axis: axis, input: input, newAxis: function == "stack"))
        case "tile":
            // tf.tile takes exactly one multiple per axis.
            let multiples = try required(try integers("multiples"), "multiples")
            guard multiples.count == input.count, multiples.allSatisfy({ $0 >= 0 }) else {
                throw .unsupportedTopology(layer: name, reason: "multiples \(multiples) must be \(input.count) counts ≥ 0, one per axis of input \(input.shapeDescription)")
            }
            return RunnableLayer(try TileLayer<Scalar>(name: name, repeats: multiples, input: input))
        case "reverse":
            return RunnableLayer(try FlipLayer<Scalar>(name: name, axis: try required(try integers("axis"), "axis"), input: input))
        case "roll":
            return RunnableLayer(try RollLayer<Scalar>(name: name, shift: try required(try integers("shift"), "shift"), axis: try required(try integers("axis"), "axis"), input: input))
        case "repeat":
            let repeats = try required(try integers("repeats"), "repeats")
            guard !repeats.isEmpty, repeats.allSatisfy({ $0 >= 0 }) else {
                throw .unsupportedTopology(layer: name, reason: "repeats \(repeats) must be counts ≥ 0")
            }
            return RunnableLayer(try RepeatLayer<Scalar>(name: name, repeats: repeats, axis: try integer("axis"), input: input))
        default:  // gather, compat.v1.gather
            let batchDims = try integer("batch_dims")
            guard (batchDims ?? 0) == 0 else {
                throw .unsupportedTopology(layer: name, reason: "batch_dims \(pythonLiteral(options["batch_dims"] ?? .null)) is not supported (only 0)")
            }
            let indices = try IntegerConstant(try required(options["indices"], "indices"), role: "the indices", layer: name)
            // tf.gather takes no negative index (Keras 3's take counts them from the end).
            if let negative = indices.values.first(where: { $0 < 0 }) {
                throw .unsupportedTopology(layer: name, reason: "index \(negative) is negative; tf.gather refuses it")
            }
            let axis = try integer("axis")
            return RunnableLayer(try TakeLayer<Scalar>(name: name, axis: axis ?? 0, indices: indices, input: input))
        }
    }
}
