// Keras 3 writes the tensor operations a Functional model applies outside layers — the mask
// computations of `Masking` and `Embedding(mask_zero=True)` in particular — as entries with
// module `keras.src.ops.numpy`. Their results are booleans; KerasKit represents them as 0/1
// floats.

/// `keras.ops.not_equal` (class `NotEqual`): 1 where the operands differ, else 0. The constant
/// operand is not part of the config but a positional argument of the call node.
public struct NotEqualConfig: ArgumentFreeLayerConfiguration {
    public static let className = "NotEqual"
    public static let isOperation = true
    /// Fields every layer has (only `name` is written).
    public var common: LayerCommonConfig
}

/// `keras.ops.any` (class `Any`): 1 where any element along `axis` is non-zero, else 0.
public struct AnyConfig: LayerConfiguration {
    public static let className = "Any"
    public static let isOperation = true
    /// Fields every layer has (only `name` is written).
    public var common: LayerCommonConfig
    /// The reduced axes (batch axis counted; negative from the end); nil reduces every axis.
    public var axis: [Int]?
    /// Whether reduced axes stay, with size 1.
    public var keepdims: Bool

    enum CodingKeys: String, CodingKey { case axis, keepdims }

    public init(from decoder: any Decoder) throws {
        common = try LayerCommonConfig(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if try container.decodeIntegers(forKey: .axis) == nil {
            axis = nil
        } else {
            axis = try container.decodeAxes(forKey: .axis, default: [])
        }
        keepdims = try container.decodeFlag(forKey: .keepdims, default: false)
    }

    public var kerasArguments: [(name: String, value: JSONValue)] {
        let axisValue: JSONValue = axis.map { $0.count == 1 ? .number(Double($0[0])) : $0.json } ?? .null
        return [("axis", axisValue), ("keepdims", .bool(keepdims))]
    }
}

/// `keras.ops.logical_or` (class `LogicalOr`): 1 where either operand is non-zero. Keras 3
/// writes it when it combines the masks of merged inputs.
public struct LogicalOrConfig: ArgumentFreeLayerConfiguration {
    public static let className = "LogicalOr"
    public static let isOperation = true
    /// Fields every layer has (only `name` is written).
    public var common: LayerCommonConfig
}

/// `keras.ops.logical_and` (class `LogicalAnd`): 1 where both operands are non-zero.
public struct LogicalAndConfig: ArgumentFreeLayerConfiguration {
    public static let className = "LogicalAnd"
    public static let isOperation = true
    /// Fields every layer has (only `name` is written).
    public var common: LayerCommonConfig
}

/// `keras.ops.expand_dims` (class `ExpandDims`): inserts size-1 axes.
public struct ExpandDimsConfig: LayerConfiguration {
    public static let className = "ExpandDims"
    public static let isOperation = true
    /// Fields every layer has (only `name` is written).
    public var common: LayerCommonConfig
    /// Where the new axes go, in the output's axis numbering (negative from the end).
    public var axis: [Int]

    enum CodingKeys: String, CodingKey { case axis }

    public init(from decoder: any Decoder) throws {
        common = try LayerCommonConfig(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard container.contains(.axis) else {
            throw DecodingError.keyNotFound(CodingKeys.axis, .init(codingPath: decoder.codingPath, debugDescription: "required"))
        }
        axis = try container.decodeAxes(forKey: .axis, default: [])
    }

    public var kerasArguments: [(name: String, value: JSONValue)] {
        [("axis", axis.count == 1 ? .number(Double(axis[0])) : axis.json)]
    }
}

/// `keras.ops.zeros_like` (class `ZerosLike`): a tensor of the input's shape filled with 0.
public struct ZerosLikeConfig: FillLikeConfiguration {
    public static let className = "ZerosLike"
    public static let isOperation = true
    /// Fields every layer has (only `name` is written).
    public var common: LayerCommonConfig
    /// The requested dtype (`bool` for masks); KerasKit computes in float32.
    public var dtype: String?
}

/// `keras.ops.ones_like` (class `OnesLike`): a tensor of the input's shape filled with 1.
public struct OnesLikeConfig: FillLikeConfiguration {
    public static let className = "OnesLike"
    public static let isOperation = true
    /// Fields every layer has (only `name` is written).
    public var common: LayerCommonConfig
    /// The requested dtype (`bool` for masks); KerasKit computes in float32.
    public var dtype: String?
}

/// `zeros_like` / `ones_like`: the common fields and an optional `dtype`.
protocol FillLikeConfiguration: LayerConfiguration {
    init(common: LayerCommonConfig, dtype: String?)
    var dtype: String? { get }
}

private enum FillLikeCodingKeys: String, CodingKey { case dtype }

extension FillLikeConfiguration {
    public init(from decoder: any Decoder) throws {
        self.init(common: try LayerCommonConfig(from: decoder),
                  dtype: try decoder.container(keyedBy: FillLikeCodingKeys.self).decodeIfPresent(String.self, forKey: .dtype))
    }

    public var kerasArguments: [(name: String, value: JSONValue)] { [("dtype", dtype.map(JSONValue.string) ?? .null)] }
}

/// A layer or operation whose config holds nothing but the common fields.
protocol ArgumentFreeLayerConfiguration: LayerConfiguration {
    var common: LayerCommonConfig { get set }
    init(common: LayerCommonConfig)
}

extension ArgumentFreeLayerConfiguration {
    public init(from decoder: any Decoder) throws {
        self.init(common: try LayerCommonConfig(from: decoder))
    }

    public var kerasArguments: [(name: String, value: JSONValue)] { [] }
}
