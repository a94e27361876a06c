/// `keras.layers.SpatialDropout1D`: the identity at inference; the same arguments as `Dropout`.
public struct SpatialDropout1DConfig: LayerConfiguration {
    public static let className = "SpatialDropout1D"
    /// The arguments, decoded as for `Dropout`.
    public var dropout: DropoutConfig
    /// Fields every layer has.
    public var common: LayerCommonConfig { dropout.common }

    public init(from decoder: any Decoder) throws {
        dropout = try DropoutConfig(from: decoder)
    }

    public var kerasArguments: [(name: String, value: JSONValue)] { dropout.kerasArguments }
}

/// `keras.layers.Flatten`: `(batch, …)` → `(batch, product of the rest)`.
public struct FlattenConfig: LayerConfiguration {
    public static let className = "Flatten"
    /// Fields every layer has.
    public var common: LayerCommonConfig
    /// With `channels_first`, the channel axis (1) moves last before flattening.
    public var dataFormat: DataFormat

    enum CodingKeys: String, CodingKey { case dataFormat = "data_format" }

    public init(from decoder: any Decoder) throws {
        common = try LayerCommonConfig(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        dataFormat = try container.decodeDataFormat(forKey: .dataFormat)
    }

    public var kerasArguments: [(name: String, value: JSONValue)] { [("data_format", .string(dataFormat.rawValue))] }
}

/// `keras.layers.Reshape`: reshapes every sample to `target_shape` (one axis may be -1).
public struct ReshapeConfig: LayerConfiguration {
    public static let className = "Reshape"
    /// Fields every layer has.
    public var common: LayerCommonConfig
    /// The sample shape, batch axis excluded; at most one entry is -1 (inferred).
    public var targetShape: [Int]

    enum CodingKeys: String, CodingKey { case targetShape = "target_shape" }

    public init(from decoder: any Decoder) throws {
        common = try LayerCommonConfig(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard let shape = try container.decodeIntegers(forKey: .targetShape) else {
            throw DecodingError.keyNotFound(CodingKeys.targetShape, .init(codingPath: decoder.codingPath, debugDescription: "required"))
        }
        guard shape.count < KerasLimits.maxRank else {
            throw DecodingError.dataCorruptedError(forKey: .targetShape, in: container, debugDescription: "\(shape.count) axes plus the batch axis is more than \(KerasLimits.maxRank)")
        }
        guard shape.allSatisfy({ $0 > 0 || $0 == -1 }), shape.filter({ $0 == -1 }).count <= 1 else {
            throw DecodingError.dataCorruptedError(forKey: .targetShape, in: container, debugDescription: "\(shape) must hold positive sizes and at most one -1")
        }
        guard (try? Tensor.elementCount(of: shape.map { max($0, 1) })) != nil else {
            throw DecodingError.dataCorruptedError(forKey: .targetShape, in: container, debugDescription: "\(shape) has too many elements")
        }
        targetShape = shape
    }

    public var kerasArguments: [(name: String, value: JSONValue)] { [("target_shape", targetShape.json)] }
}

/// `keras.layers.Permute`: reorders the non-batch axes; `dims` counts from 1.
public struct PermuteConfig: LayerConfiguration {
    public static let className = "Permute"
    /// Fields every layer has.
    public var common: LayerCommonConfig
    /// Output axis `i + 1` is input axis `dims[i]`; a permutation of `1...dims.count`.
    public var dims: [Int]

    enum CodingKeys: String, CodingKey { case dims }

    public init(from decoder: any Decoder) throws {
        common = try LayerCommonConfig(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard let dims = try container.decodeIntegers(forKey: .dims) else {
            throw DecodingError.keyNotFound(CodingKeys.dims, .init(codingPath: decoder.codingPath, debugDescription: "required"))
        }
        guard !dims.isEmpty, dims.sorted() == Array(1...dims.count) else {
            throw DecodingError.dataCorruptedError(forKey: .dims, in: container, debugDescription: "\(dims) is not a permutation of 1...\(max(dims.count, 1))")
        }
        self.dims = dims
    }

    public var kerasArguments: [(name: String, value: JSONValue)] { [("dims", dims.json)] }
}

/// `keras.layers.RepeatVector`: `(batch, features)` → `(batch, n, features)`.
public struct RepeatVectorConfig: LayerConfiguration {
    public static let className = "RepeatVector"
    /// Fields every layer has.
    public var common: LayerCommonConfig
    /// How many times the vector is repeated.
    public var n: Int

    enum CodingKeys: String, CodingKey { case n }

    public init(from decoder: any Decoder) throws {
        common = try LayerCommonConfig(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        n = try container.decodeSize(forKey: .n)
    }

    public var kerasArguments: [(name: String, value: JSONValue)] { [("n", .number(Double(n)))] }
}
