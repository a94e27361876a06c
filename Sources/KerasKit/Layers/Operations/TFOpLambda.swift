/// Keras 2's `TFOpLambda`: a TensorFlow function applied to tensors in a Functional model
/// (`x + 3.0` is `tf.__operators__.add`), recorded as a layer with the function's name. KerasKit
/// runs the binary arithmetic functions on a tensor and a constant or on two tensors
/// (keras.applications' MobileNetV3 and ConvNeXt use them), the element-wise math and
/// activation functions that are Keras 3's operations one to one (`tf.math.exp`, `tf.nn.relu`),
/// the reductions and softmaxes with their `axis` and `keepdims` (`tf.reduce_mean(x,
/// axis=-1)`), and `tf.cast` (as Keras 3's `Cast`); any other function, or any other argument, is refused by name. No code is read
/// from the file: the name alone says what runs.
public struct TFOpLambdaConfig: LayerBuilding {
    public static let className = "TFOpLambda"
    /// The reductions' and softmaxes' arguments, which tf-keras writes in the call.
    public static var callOptions: [String] { ["axis", "keepdims", "dtype"] }
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The function's name under `tf.` (`__operators__.add`, `math.multiply`).
    public let function: String

    /// The binary functions KerasKit runs, by their `tf.` names.
    static let operations: [String: ElementwiseOperation] = [
        "__operators__.add": .add, "math.add": .add, "__operators__.sub": .subtract, "math.subtract": .subtract,
        "math.multiply": .multiply, "__operators__.mul": .multiply, "math.truediv": .divide, "__operators__.truediv": .divide,
        "math.divide": .divide, "math.maximum": .maximum, "math.minimum": .minimum, "math.pow": .power, "__operators__.pow": .power,
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
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let name = common.name, className = "tf.\(function)"
        let axisValue = context.callOptions["axis"] ?? .null
        let keepdimsValue = context.callOptions["keepdims"] ?? .bool(false)
        if let operation = Self.operations[function], context.callOptions.isEmpty {
            return RunnableLayer(try ElementwiseOperationLayer<Scalar>(name: name, operation: operation, inputs: inputs, arguments: context.arguments, className: className))
        }
        let known = (["cast"] + Array(Self.operations.keys) + Array(Self.unaryOperations.keys) + Array(Self.reductions.keys) + Array(Self.softmaxes.keys)).sorted()
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
