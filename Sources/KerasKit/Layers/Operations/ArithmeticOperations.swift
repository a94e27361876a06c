import Foundation

// Keras 3 writes arithmetic on tensors outside layers (`x + 3.0`, `keras.ops.multiply(x, s)`, as
// keras.applications' MobileNetV3 `hard_sigmoid` does) as operation nodes, module
// `keras.src.ops.numpy`, whose class names are also layers' (`Add`, `Multiply`): the registry
// keeps them in a namespace of their own. An operand that is not a tensor is a constant of the
// call's positional arguments.

/// A binary arithmetic operation: two tensors (NumPy broadcasting), or a tensor and a scalar
/// constant in either position.
protocol ArithmeticOperationConfiguration: LayerBuilding {
    /// What the operation computes.
    static var operation: ArithmeticOperation { get }
}

extension ArithmeticOperationConfiguration {
    public static var isOperation: Bool { true }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        RunnableLayer(try ArithmeticOperationLayer<Scalar>(name: common.name, operation: Self.operation, inputCount: inputs.count, arguments: context.arguments))
    }
}

/// `keras.ops.add` (class `Add`, an operation node).
public struct AddOperationConfig: ArithmeticOperationConfiguration {
    public static let className = "Add"
    static let operation = ArithmeticOperation.add
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.subtract` (class `Subtract`, an operation node).
public struct SubtractOperationConfig: ArithmeticOperationConfiguration {
    public static let className = "Subtract"
    static let operation = ArithmeticOperation.subtract
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.multiply` (class `Multiply`, an operation node).
public struct MultiplyOperationConfig: ArithmeticOperationConfiguration {
    public static let className = "Multiply"
    static let operation = ArithmeticOperation.multiply
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.divide` (class `Divide`, an operation node).
public struct DivideOperationConfig: ArithmeticOperationConfiguration {
    public static let className = "Divide"
    static let operation = ArithmeticOperation.divide
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.true_divide` (class `TrueDivide`, an operation node; `x / y` on tensors).
public struct TrueDivideOperationConfig: ArithmeticOperationConfiguration {
    public static let className = "TrueDivide"
    static let operation = ArithmeticOperation.divide
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.maximum` (class `Maximum`, an operation node).
public struct MaximumOperationConfig: ArithmeticOperationConfiguration {
    public static let className = "Maximum"
    static let operation = ArithmeticOperation.maximum
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.minimum` (class `Minimum`, an operation node).
public struct MinimumOperationConfig: ArithmeticOperationConfiguration {
    public static let className = "Minimum"
    static let operation = ArithmeticOperation.minimum
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.power` (class `Power`, an operation node; `x ** y`).
public struct PowerOperationConfig: ArithmeticOperationConfiguration {
    public static let className = "Power"
    static let operation = ArithmeticOperation.power
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// What an arithmetic operation computes from its two operands, in order.
enum ArithmeticOperation: Sendable {
    case add, subtract, multiply, divide, maximum, minimum, power

    @inline(__always)
    func apply<Value: ComputeScalar>(_ a: Value, _ b: Value) -> Value {
        switch self {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        case .divide: a / b
        // NaN propagates, as in TensorFlow's maximum and minimum.
        case .maximum: a.isNaN || b.isNaN ? .nan : Swift.max(a, b)
        case .minimum: a.isNaN || b.isNaN ? .nan : Swift.min(a, b)
        case .power: Value(Foundation.pow(Double(a), Double(b)))
        }
    }
}

/// A Keras 3 arithmetic operation node on two tensors or on a tensor and a constant, element by
/// element. Operations carry no Keras mask.
struct ArithmeticOperationLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let operation: ArithmeticOperation
    /// The constant operand when the call has one tensor, and whether it comes first.
    let constant: (value: Scalar, first: Bool)?

    var parameterCount: Int { 0 }

    /// Reads the constant from a Keras 3 call node's positional arguments: an argument that is
    /// not a `__keras_tensor__` is a constant, and its position decides the operand order.
    init(name: String, operation: ArithmeticOperation, inputCount: Int, arguments: [JSONValue]) throws(WeightLoadingError) {
        self.name = name
        self.operation = operation
        var constants: [(value: Scalar, first: Bool)] = []
        for (position, argument) in arguments.enumerated() where argument["class_name"]?.stringValue != "__keras_tensor__" {
            guard case .number(let value) = argument else {
                throw .unsupportedTopology(layer: name, reason: "operand \(argument) is not a tensor or a number (KerasKit takes scalar constants only)")
            }
            constants.append((Scalar(value), position == 0))
        }
        switch (inputCount, constants.count) {
        case (2, 0): constant = nil
        case (1, 1): constant = constants[0]
        default:
            throw .unsupportedTopology(layer: name, reason: "expected two tensor operands, or one tensor and one constant in the call's arguments; got \(inputCount) tensor(s) and \(constants.count) constant(s)")
        }
    }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        if constant != nil { return [inputs[0]] }
        guard inputs.count == 2, let shape = broadcastShapes(inputs[0], inputs[1]) else {
            throw .unsupportedTopology(layer: name, reason: "operands \(inputs.map(\.shapeDescription).joined(separator: ", ")) don't broadcast")
        }
        return [shape]
    }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let operation = operation
        if let constant {
            let input = call.input
            let value = constant.value
            let scalars = constant.first ? input.scalars.map { operation.apply(value, $0) } : input.scalars.map { operation.apply($0, value) }
            return [TensorOf(uncheckedShape: input.shape, scalars: scalars)]
        }
        guard call.inputs.count == 2 else {
            throw .inputShapeMismatch(layer: name, expected: "two operands", actual: [call.inputs.count])
        }
        return [try broadcastCombine(call.inputs[0], call.inputs[1], layer: name) { operation.apply($0, $1) }]
    }

    var timeBehavior: TimeBehavior { .stepwise }
}
