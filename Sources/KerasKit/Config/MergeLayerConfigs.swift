/// `keras.layers.Concatenate`: joins its inputs along `axis`. Keras 3's `ops.concatenate`
/// (module `keras.src.ops.numpy`, which Keras 3 writes into Functional configs when it
/// combines masks) has the same class name and config, and the same meaning.
public struct ConcatenateConfig: LayerConfiguration {
    public static let className = "Concatenate"
    /// Fields every layer has.
    public var common: LayerCommonConfig
    /// The axis to join along, batch axis included; negative counts from the end.
    public var axis: Int

    enum CodingKeys: String, CodingKey { case axis }

    public init(from decoder: any Decoder) throws {
        common = try LayerCommonConfig(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        axis = try container.decodeIfPresent(Int.self, forKey: .axis) ?? -1
        guard abs(axis) <= KerasLimits.maxRank else {
            throw DecodingError.dataCorruptedError(forKey: .axis, in: container, debugDescription: "axis \(axis) is outside a rank-\(KerasLimits.maxRank) tensor")
        }
    }

    public var kerasArguments: [(name: String, value: JSONValue)] { [("axis", .number(Double(axis)))] }
}

/// The element-wise merge layers: the operation each applies to its inputs.
public enum MergeOperation: String, Sendable, Hashable {
    /// `Add`, `Subtract`, `Multiply`, `Average`, `Maximum`, `Minimum`.
    case add, subtract, multiply, average, maximum, minimum
}

/// A merge layer without arguments of its own (`Add`, `Subtract`, …).
public protocol ElementwiseMergeConfiguration: LayerConfiguration {
    /// What the layer computes.
    static var operation: MergeOperation { get }
    /// Creates the config from the fields every layer has.
    init(common: LayerCommonConfig)
}

extension ElementwiseMergeConfiguration {
    public init(from decoder: any Decoder) throws {
        self.init(common: try LayerCommonConfig(from: decoder))
    }

    public var kerasArguments: [(name: String, value: JSONValue)] { [] }
}

/// `keras.layers.Add`: the element-wise sum.
public struct AddConfig: ElementwiseMergeConfiguration {
    public static let className = "Add"
    public static let operation = MergeOperation.add
    /// Fields every layer has.
    public var common: LayerCommonConfig
    /// Creates the config from the fields every layer has.
    public init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.Subtract`: `inputs[0] - inputs[1]`.
public struct SubtractConfig: ElementwiseMergeConfiguration {
    public static let className = "Subtract"
    public static let operation = MergeOperation.subtract
    /// Fields every layer has.
    public var common: LayerCommonConfig
    /// Creates the config from the fields every layer has.
    public init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.Multiply`: the element-wise product.
public struct MultiplyConfig: ElementwiseMergeConfiguration {
    public static let className = "Multiply"
    public static let operation = MergeOperation.multiply
    /// Fields every layer has.
    public var common: LayerCommonConfig
    /// Creates the config from the fields every layer has.
    public init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.Average`: the element-wise mean.
public struct AverageConfig: ElementwiseMergeConfiguration {
    public static let className = "Average"
    public static let operation = MergeOperation.average
    /// Fields every layer has.
    public var common: LayerCommonConfig
    /// Creates the config from the fields every layer has.
    public init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.Maximum`: the element-wise maximum.
public struct MaximumConfig: ElementwiseMergeConfiguration {
    public static let className = "Maximum"
    public static let operation = MergeOperation.maximum
    /// Fields every layer has.
    public var common: LayerCommonConfig
    /// Creates the config from the fields every layer has.
    public init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.Minimum`: the element-wise minimum.
public struct MinimumConfig: ElementwiseMergeConfiguration {
    public static let className = "Minimum"
    public static let operation = MergeOperation.minimum
    /// Fields every layer has.
    public var common: LayerCommonConfig
    /// Creates the config from the fields every layer has.
    public init(common: LayerCommonConfig) { self.common = common }
}
