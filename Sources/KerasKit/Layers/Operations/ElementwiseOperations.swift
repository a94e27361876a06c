import Foundation

// Keras 3 writes the tensor operations a Functional model applies outside layers — the mask
// computations of `Masking` and `Embedding(mask_zero=True)`, and arithmetic such as `x + 3.0`
// (ArithmeticOperations.swift) — as entries with module `keras.src.ops.numpy`. Comparisons and
// logical operations give booleans; KerasKit represents them as 0/1.

/// An element-wise operation on two operands, one of which may be a constant of the call.
protocol ElementwiseOperationConfiguration: LayerBuilding {
    /// What the operation computes.
    static var operation: ElementwiseOperation { get }
}

extension ElementwiseOperationConfiguration {
    public static var isOperation: Bool { true }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        RunnableLayer(try ElementwiseOperationLayer<Scalar>(name: common.name, operation: Self.operation, inputCount: inputs.count, arguments: context.arguments))
    }
}

/// `keras.ops.not_equal` (class `NotEqual`): 1 where the operands differ, else 0. The constant
/// operand is not part of the config but a positional argument of the call node.
public struct NotEqualConfig: ElementwiseOperationConfiguration {
    public static let className = "NotEqual"
    static let operation = ElementwiseOperation.notEqual
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.logical_or` (class `LogicalOr`): 1 where either operand is non-zero. Keras 3
/// writes it when it combines the masks of merged inputs.
public struct LogicalOrConfig: ElementwiseOperationConfiguration {
    public static let className = "LogicalOr"
    static let operation = ElementwiseOperation.logicalOr
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.logical_and` (class `LogicalAnd`): 1 where both operands are non-zero.
public struct LogicalAndConfig: ElementwiseOperationConfiguration {
    public static let className = "LogicalAnd"
    static let operation = ElementwiseOperation.logicalAnd
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// A Keras 3 element-wise operation on two tensors (NumPy broadcasting), or on one tensor and
/// a constant from the call's positional arguments, in either position. Operations carry no
/// Keras mask.
struct ElementwiseOperationLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let operation: ElementwiseOperation
    /// The constant operand when the call has one tensor, and whether it comes first.
    let constant: (value: Scalar, first: Bool)?

    var parameterCount: Int { 0 }

    /// Reads the constant operand from a Keras 3 call node's positional arguments: every
    /// argument that is not a `__keras_tensor__` is a constant, and its position decides the
    /// operand order.
    init(name: String, operation: ElementwiseOperation, inputCount: Int, arguments: [JSONValue]) throws(WeightLoadingError) {
        self.name = name
        self.operation = operation
        var constants: [(value: Scalar, first: Bool)] = []
        for (position, argument) in arguments.enumerated() where argument["class_name"]?.stringValue != "__keras_tensor__" {
            switch argument {
            case .number(let value): constants.append((Scalar(value), position == 0))
            case .bool(let flag): constants.append((flag ? 1 : 0, position == 0))
            default:
                throw .unsupportedTopology(layer: name, reason: "operand \(argument) is not a tensor or a number (KerasKit takes scalar constants only)")
            }
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
    /// The comparisons and logical operations compute masks, whose `(batch, steps)` tensors are
    /// sequences; arithmetic on a rank-2 tensor is on features.
    var readsRank2Sequences: Bool { operation.isLogical }
}

/// What is computed from the two operands, in order.
enum ElementwiseOperation: Sendable {
    case notEqual, logicalOr, logicalAnd
    case add, subtract, multiply, divide, maximum, minimum, power

    /// Whether the result is a 0/1 comparison or logical value.
    var isLogical: Bool {
        switch self {
        case .notEqual, .logicalOr, .logicalAnd: true
        default: false
        }
    }

    @inline(__always)
    func apply<Value: ComputeScalar>(_ a: Value, _ b: Value) -> Value {
        switch self {
        case .notEqual: a != b ? 1 : 0
        case .logicalOr: a != 0 || b != 0 ? 1 : 0
        case .logicalAnd: a != 0 && b != 0 ? 1 : 0
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
