/// Keras 2's `TFOpLambda`: a TensorFlow function applied to tensors in a Functional model
/// (`x + 3.0` is `tf.__operators__.add`), recorded as a layer with the function's name and its
/// other arguments as the call's keyword arguments. KerasKit runs the binary arithmetic
/// functions on a tensor and a constant or on two tensors (keras.applications' MobileNetV3 and
/// ConvNeXt use them), and the functions that move values which match a Keras 3 operation one
/// to one (`tf.transpose`, `tf.reshape`, …), the element-wise math and activation functions that
/// are Keras 3's operations one to one (`tf.math.exp`, `tf.nn.relu`), the reductions and softmaxes
/// with their `axis` and `keepdims`, and `tf.cast`; any other function, or argument, is refused by
/// name. No code is read from the file: the name alone says what runs.
public struct TFOpLambdaConfig: LayerBuilding {
    public static let className = "TFOpLambda"
    /// The arguments the functions KerasKit runs take besides their tensors; each function
    /// refuses the ones that aren't its own.
    public static let callOptions = Array(Set(structuralArguments.values.joined()).union(mathArguments)).sorted()
    /// The reductions', softmaxes' and `tf.cast`'s arguments, which tf-keras writes in the call.
    static let mathArguments = ["axis", "keepdims", "dtype"]
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

    /// The element-wise functions of one tensor, by their `tf.` names.
    static let unaryOperations: [String: UnaryOperation] = [
        "math.exp": .exp, "math.log": .log, "math.sqrt": .sqrt, "math.rsqrt": .rsqrt, "math.square": .square,
        "math.abs": .absolute, "math.negative": .negative, "math.sign": .sign, "math.reciprocal": .reciprocal,
        "math.log1p": .log1p, "math.expm1": .expm1, "math.erf": .erf, "math.floor": .floor, "math.ceil": .ceil,
        "math.round": .round(decimals: 0), "math.sin": .sin, "math.cos": .cos, "math.tanh": .tanh, "nn.tanh": .tanh,
        "math.sigmoid": .activation(.sigmoid), "nn.sigmoid": .activation(.sigmoid), "nn.relu": .activation(.relu),
        "nn.relu6": .activation(.relu6), "nn.elu": .elu(alpha: 1), "nn.selu": .activation(.selu),
        "nn.gelu": .gelu(approximate: false), "nn.silu": .activation(.silu), "nn.swish": .activation(.silu),
        "math.softplus": .activation(.softplus), "nn.softplus": .activation(.softplus), "math.softsign": .activation(.softsign),
        "nn.softsign": .activation(.softsign), "math.log_sigmoid": .activation(.logSigmoid),
    ]

    /// The reductions, by their `tf.` names.
    static let reductions: [String: Reduction] = [
        "math.reduce_mean": .mean, "math.reduce_sum": .sum, "math.reduce_max": .max, "math.reduce_min": .min,
        "math.reduce_prod": .prod, "math.reduce_variance": .variance, "math.reduce_std": .std,
        "math.reduce_logsumexp": .logsumexp, "math.argmax": .argmax, "math.argmin": .argmin,
    ]

    /// The softmaxes, by their `tf.` names.
    static let softmaxes: [String: AxisFunction] = ["nn.softmax": .softmax, "math.softmax": .softmax, "nn.log_softmax": .logSoftmax, "math.log_softmax": .logSoftmax]

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        function = try arguments.string("function", default: nil) ?? ""
        operation = Self.operations[function]
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let options = context.callOptions
        if Self.structuralArguments[function] == nil, Self.operations[function] == nil || !options.isEmpty {
            return try makeMathLayer(inputs: inputs, context: context)
        }
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

    /// The element-wise math, reductions, softmaxes and `tf.cast` (and the binary functions, with
    /// arguments they don't take refused).
    private func makeMathLayer<Scalar: ComputeScalar>(inputs: [[Int?]], context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let name = common.name, className = "tf.\(function)"
        let axisValue = context.callOptions["axis"] ?? .null
        let keepdimsValue = context.callOptions["keepdims"] ?? .bool(false)
        for key in context.callOptions.keys.sorted() where !Self.mathArguments.contains(key) {
            throw .unsupportedTopology(layer: name, reason: "the call passes the argument '\(key)' = \(pythonLiteral(context.callOptions[key] ?? .null)), which \(className) in KerasKit does not implement")
        }
        let known = (["cast"] + Array(Self.operations.keys) + Array(Self.structuralArguments.keys) + Array(Self.unaryOperations.keys) + Array(Self.reductions.keys) + Array(Self.softmaxes.keys)).sorted()
        guard known.contains(function) else {
            throw .unsupportedTopology(layer: name, reason: "TFOpLambda function \(className) is not supported (KerasKit runs \(known.map { "tf.\($0)" }.joined(separator: ", ")))")
        }
        guard inputs.count == 1 else {
            throw .unsupportedTopology(layer: name, reason: "TFOpLambda function \(className) takes one tensor here, got \(inputs.count)")
        }
        if let operation = Self.unaryOperations[function], context.callOptions.isEmpty, context.arguments.count <= 1 {
            return RunnableLayer(UnaryOperationLayer<Scalar>(name: name, operation: operation))
        }
        if let reduction = Self.reductions[function], context.arguments.count <= 1 {
            guard case .bool(let keepdims) = keepdimsValue, !(reduction == .argmax || reduction == .argmin) || context.callOptions["keepdims"] == nil else {
                throw .unsupportedTopology(layer: name, reason: "\(className): keepdims=\(pythonLiteral(keepdimsValue)) is not supported")
            }
            // tf.math.argmax's axis None is axis 0, the batch axis; the reductions' is every axis.
            let axis: [Int]?
            switch axisValue {
            case .null: axis = reduction == .argmax || reduction == .argmin ? [0] : nil
            case .number(let value) where value == value.rounded() && abs(value) <= Double(KerasLimits.maxRank): axis = [Int(value)]
            case .array(let items) where reduction != .argmax && reduction != .argmin && items.count <= KerasLimits.maxRank:
                var entries: [Int] = []
                for item in items {
                    guard case .number(let value) = item, value == value.rounded(), abs(value) <= Double(KerasLimits.maxRank) else {
                        throw .unsupportedTopology(layer: name, reason: "\(className): axis \(pythonLiteral(axisValue)) is not a list of axes")
                    }
                    entries.append(Int(value))
                }
                axis = entries
            default: throw .unsupportedTopology(layer: name, reason: "\(className): axis \(pythonLiteral(axisValue)) is not supported")
            }
            return RunnableLayer(try ReductionLayer<Scalar>(name: name, className: className, reduction: reduction, axis: axis, input: inputs[0], keepdims: keepdims, initial: nil))
        }
        if function == "cast", context.arguments.count <= 1, Set(context.callOptions.keys) == ["dtype"] {
            guard let name = context.callOptions["dtype"]?.stringValue, let target = CastTarget(rawValue: name) else {
                throw .unsupportedTopology(layer: common.name, reason: "tf.cast to \(pythonLiteral(context.callOptions["dtype"] ?? .null)) is not supported")
            }
            return RunnableLayer(CastLayer<Scalar>(name: common.name, target: target))
        }
        if let softmax = Self.softmaxes[function], context.callOptions["keepdims"] == nil, context.arguments.count <= 1 {
            // tf.nn.softmax's axis None is the last axis.
            let axis: Int
            switch axisValue {
            case .null: axis = -1
            case .number(let value) where value == value.rounded() && abs(value) <= Double(KerasLimits.maxRank): axis = Int(value)
            default: throw .unsupportedTopology(layer: name, reason: "\(className): axis \(pythonLiteral(axisValue)) is not supported (one integer axis)")
            }
            return RunnableLayer(try AxisOperationLayer<Scalar>(name: name, className: className, function: softmax, axis: axis, input: inputs[0]))
        }
        throw .unsupportedTopology(layer: name, reason: "TFOpLambda function \(className) is supported, but not with the argument(s) \(context.callOptions.keys.sorted().map { "'\($0)' = \(pythonLiteral(context.callOptions[$0] ?? .null))" }.joined(separator: ", ")) or \(context.arguments.count) operand(s)")
    }
}
