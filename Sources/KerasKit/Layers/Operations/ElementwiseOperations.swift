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
        RunnableLayer(try ElementwiseOperationLayer<Scalar>(name: common.name, operation: Self.operation, inputs: inputs, arguments: context.arguments, className: Self.className))
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
/// a constant from the call's positional arguments (a number, or an array Keras folded), in
/// either position. Operations carry no Keras mask.
struct ElementwiseOperationLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let operation: ElementwiseOperation
    /// The constant operand when the call has one tensor, and whether it comes first.
    let constant: (value: TensorOf<Scalar>, first: Bool)?

    var parameterCount: Int { 0 }

    /// Reads the operands from a Keras 3 call node's positional arguments
    /// (``OperationOperands``): every argument that is not a `__keras_tensor__` is a constant,
    /// and its position decides the operand order.
    init(name: String, operation: ElementwiseOperation, inputs: [[Int?]], arguments: [JSONValue], className: String) throws(WeightLoadingError) {
        self.name = name
        self.operation = operation
        // Keras's TensorFlow comparisons and `mod` convert a Python number to a float32 tensor
        // (floatx) before promoting it with the other operand; the others keep it weakly typed.
        let arguments = operation.roundsNumbersToFloat32 ? arguments.map { argument in
            guard case .number(let value) = argument, value != value.rounded() else { return argument }
            return .number(Double(Float(value)))
        } : arguments
        let operands = try OperationOperands<Scalar>(arguments: arguments, inputCount: inputs.count, layer: name)
        try operands.checkPrecision(exact: operation.isExact, layer: name, className: className)
        switch (inputs.count, operands.operands.count) {
        case (2, 2):
            constant = nil
        case (1, 2):
            let first: Bool
            let value: TensorOf<Scalar>
            switch (operands.operands[0], operands.operands[1]) {
            case (.constant(let tensor), .input): (value, first) = (tensor, true)
            case (.input, .constant(let tensor)): (value, first) = (tensor, false)
            default: throw .unsupportedTopology(layer: name, reason: "expected one tensor and one constant operand")
            }
            constant = (value, first)
            _ = try checkConstantBroadcast(operands.shapes(inputs: inputs), operands: operands.operands.map { if case .constant = $0 { true } else { false } }, layer: name)
        default:
            throw .unsupportedTopology(layer: name, reason: "expected two tensor operands, or one tensor and one constant in the call's arguments; got \(inputs.count) tensor(s) and \(operands.operands.count - inputs.count) constant(s)")
        }
    }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        if let constant {
            guard let shape = broadcastShapes(inputs[0], constant.value.shape.map { Optional($0) }), shape.count == inputs[0].count else {
                throw .unsupportedTopology(layer: name, reason: "operand \(inputs[0].shapeDescription) doesn't broadcast with the constant \(constant.value.shape.shapeDescription)")
            }
            return [shape]
        }
        guard inputs.count == 2, let shape = broadcastShapes(inputs[0], inputs[1]) else {
            throw .unsupportedTopology(layer: name, reason: "operands \(inputs.map(\.shapeDescription).joined(separator: ", ")) don't broadcast")
        }
        return [shape]
    }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let operation = operation
        if let constant {
            let input = call.input
            guard constant.value.scalars.count == 1 else {
                return [try constant.first
                    ? broadcastCombine(constant.value, input, layer: name) { operation.apply($0, $1) }
                    : broadcastCombine(input, constant.value, layer: name) { operation.apply($0, $1) }]
            }
            let value = constant.value.scalars[0]
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
    case equal, greater, greaterEqual, less, lessEqual, logicalXor, floorDivide, mod

    /// Whether the result is a 0/1 comparison or logical value.
    var isLogical: Bool {
        switch self {
        case .notEqual, .logicalOr, .logicalAnd, .equal, .greater, .greaterEqual, .less, .lessEqual, .logicalXor: true
        default: false
        }
    }

    /// Whether Keras's TensorFlow backend converts a Python number operand to a float32 tensor
    /// first (`convert_to_tensor` without a dtype), so a float64 model compares with, or takes
    /// the remainder by, the float32 value.
    var roundsNumbersToFloat32: Bool { isLogical || self == .mod }

    /// Whether the result is exact in any precision (a 0/1 value or one of the operands), so it
    /// may take a tensor Keras holds in a narrower type.
    var isExact: Bool { isLogical || self == .maximum || self == .minimum }

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
        case .equal: a == b ? 1 : 0
        case .greater: a > b ? 1 : 0
        case .greaterEqual: a >= b ? 1 : 0
        case .less: a < b ? 1 : 0
        case .lessEqual: a <= b ? 1 : 0
        case .logicalXor: (a != 0) != (b != 0) ? 1 : 0
        // TensorFlow's floordiv on floats: floor(a / b).
        case .floorDivide: (a / b).rounded(.down)
        // TensorFlow's floormod: fmod, moved to the divisor's sign.
        case .mod: ElementwiseOperation.floorMod(a, b)
        }
    }
}

extension ElementwiseOperation {
    /// `a − b·floor(a / b)` as TensorFlow's floormod computes it: the truncated remainder,
    /// plus `b` when it is non-zero and its sign differs from `b`'s.
    @inline(__always)
    static func floorMod<Value: ComputeScalar>(_ a: Value, _ b: Value) -> Value {
        let remainder = a.truncatingRemainder(dividingBy: b)
        return remainder != 0 && (remainder < 0) != (b < 0) ? remainder + b : remainder
    }
}
