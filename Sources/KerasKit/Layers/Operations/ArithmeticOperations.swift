// Keras 3 writes arithmetic on tensors outside layers (`x + 3.0`, `keras.ops.multiply(x, s)`, as
// keras.applications' MobileNetV3 `hard_sigmoid` does) as operation nodes, module
// `keras.src.ops.numpy`, whose class names are also layers' (`Add`, `Multiply`): the registry
// keeps them in a namespace of their own. They run as the other element-wise operations do
// (ElementwiseOperations.swift): an operand that is not a tensor is a constant of the call.

/// `keras.ops.add` (class `Add`, an operation node).
public struct AddOperationConfig: ElementwiseOperationConfiguration {
    public static let className = "Add"
    static let operation = ElementwiseOperation.add
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.subtract` (class `Subtract`, an operation node).
public struct SubtractOperationConfig: ElementwiseOperationConfiguration {
    public static let className = "Subtract"
    static let operation = ElementwiseOperation.subtract
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.multiply` (class `Multiply`, an operation node).
public struct MultiplyOperationConfig: ElementwiseOperationConfiguration {
    public static let className = "Multiply"
    static let operation = ElementwiseOperation.multiply
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.divide` (class `Divide`, an operation node).
public struct DivideOperationConfig: ElementwiseOperationConfiguration {
    public static let className = "Divide"
    static let operation = ElementwiseOperation.divide
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.true_divide` (class `TrueDivide`, an operation node; `x / y` on tensors).
public struct TrueDivideOperationConfig: ElementwiseOperationConfiguration {
    public static let className = "TrueDivide"
    static let operation = ElementwiseOperation.divide
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.maximum` (class `Maximum`, an operation node).
public struct MaximumOperationConfig: ElementwiseOperationConfiguration {
    public static let className = "Maximum"
    static let operation = ElementwiseOperation.maximum
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.minimum` (class `Minimum`, an operation node).
public struct MinimumOperationConfig: ElementwiseOperationConfiguration {
    public static let className = "Minimum"
    static let operation = ElementwiseOperation.minimum
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.power` (class `Power`, an operation node; `x ** y`).
public struct PowerOperationConfig: ElementwiseOperationConfiguration {
    public static let className = "Power"
    static let operation = ElementwiseOperation.power
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}
