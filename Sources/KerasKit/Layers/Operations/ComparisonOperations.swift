// Keras 3's comparisons and the other binary element-wise operations (`x > 0`,
// `keras.ops.equal(a, b)`, `x // 2`), recorded as operation nodes of module
// `keras.src.ops.numpy`; they run as the arithmetic does (ElementwiseOperations.swift), a
// constant on either side. Comparisons give booleans, which KerasKit holds as 0/1.

/// `keras.ops.equal` (class `Equal`): 1 where the operands are equal, else 0.
public struct EqualOperationConfig: ElementwiseOperationConfiguration {
    public static let className = "Equal"
    static let operation = ElementwiseOperation.equal
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.greater` (class `Greater`): 1 where `x1 > x2`, else 0 (`x > c` on tensors).
public struct GreaterOperationConfig: ElementwiseOperationConfiguration {
    public static let className = "Greater"
    static let operation = ElementwiseOperation.greater
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.greater_equal` (class `GreaterEqual`): 1 where `x1 ≥ x2`, else 0.
public struct GreaterEqualOperationConfig: ElementwiseOperationConfiguration {
    public static let className = "GreaterEqual"
    static let operation = ElementwiseOperation.greaterEqual
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.less` (class `Less`): 1 where `x1 < x2`, else 0.
public struct LessOperationConfig: ElementwiseOperationConfiguration {
    public static let className = "Less"
    static let operation = ElementwiseOperation.less
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.less_equal` (class `LessEqual`): 1 where `x1 ≤ x2`, else 0.
public struct LessEqualOperationConfig: ElementwiseOperationConfiguration {
    public static let className = "LessEqual"
    static let operation = ElementwiseOperation.lessEqual
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.logical_xor` (class `LogicalXor`): 1 where exactly one operand is non-zero.
public struct LogicalXorOperationConfig: ElementwiseOperationConfiguration {
    public static let className = "LogicalXor"
    static let operation = ElementwiseOperation.logicalXor
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.floor_divide` (class `FloorDivide`): `floor(x1 / x2)` (`x // y`).
public struct FloorDivideOperationConfig: ElementwiseOperationConfiguration {
    public static let className = "FloorDivide"
    static let operation = ElementwiseOperation.floorDivide
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}

/// `keras.ops.mod` (class `Mod`): `x1 − x2 · floor(x1 / x2)`, TensorFlow's floormod (`x % y`).
public struct ModOperationConfig: ElementwiseOperationConfiguration {
    public static let className = "Mod"
    static let operation = ElementwiseOperation.mod
    /// Fields every layer has (only `name` is written).
    public let common: LayerCommonConfig
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) { self.common = common }
}
