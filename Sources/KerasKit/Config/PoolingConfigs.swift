/// A 1-D pooling window: `MaxPooling1D` or `AveragePooling1D`.
public protocol Pooling1DConfiguration: LayerConfiguration {
    /// Fields every layer has.
    var common: LayerCommonConfig { get }
    /// The window length.
    var poolSize: Int { get }
    /// The step between windows (Keras's `None` means `pool_size`).
    var strides: Int { get }
    /// `valid` or `same`.
    var padding: Padding { get }
    /// Where the channel axis is.
    var dataFormat: DataFormat { get }
    /// Whether the window takes the mean (else the maximum).
    static var averages: Bool { get }
}

/// The fields both 1-D pooling layers decode.
struct Pooling1DFields {
    var common: LayerCommonConfig
    var poolSize: Int, strides: Int, padding: Padding, dataFormat: DataFormat

    enum CodingKeys: String, CodingKey { case poolSize = "pool_size", strides, padding, dataFormat = "data_format" }

    init(from decoder: any Decoder) throws {
        common = try LayerCommonConfig(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        poolSize = try container.decodeWindow(forKey: .poolSize, default: 2)
        strides = try container.decodeWindow(forKey: .strides, default: poolSize)
        padding = try container.decodePadding(forKey: .padding, allowed: [.valid, .same])
        dataFormat = try container.decodeDataFormat(forKey: .dataFormat)
    }
}

extension Pooling1DConfiguration {
    public var kerasArguments: [(name: String, value: JSONValue)] {
        [
            ("pool_size", [poolSize].json), ("strides", [strides].json),
            ("padding", .string(padding.rawValue)), ("data_format", .string(dataFormat.rawValue)),
        ]
    }
}

/// `keras.layers.MaxPooling1D`: the maximum of each window.
public struct MaxPooling1DConfig: Pooling1DConfiguration {
    public static let className = "MaxPooling1D"
    public static let averages = false
    /// Fields every layer has.
    public var common: LayerCommonConfig
    /// The window length, the step between windows, the padding and the channel axis.
    public var poolSize: Int, strides: Int, padding: Padding, dataFormat: DataFormat

    public init(from decoder: any Decoder) throws {
        let fields = try Pooling1DFields(from: decoder)
        (common, poolSize, strides, padding, dataFormat) = (fields.common, fields.poolSize, fields.strides, fields.padding, fields.dataFormat)
    }
}

/// `keras.layers.AveragePooling1D`: the mean of each window; with `same` padding the mean of
/// the window's elements inside the input (padding is not counted), as TensorFlow computes it.
public struct AveragePooling1DConfig: Pooling1DConfiguration {
    public static let className = "AveragePooling1D"
    public static let averages = true
    /// Fields every layer has.
    public var common: LayerCommonConfig
    /// The window length, the step between windows, the padding and the channel axis.
    public var poolSize: Int, strides: Int, padding: Padding, dataFormat: DataFormat

    public init(from decoder: any Decoder) throws {
        let fields = try Pooling1DFields(from: decoder)
        (common, poolSize, strides, padding, dataFormat) = (fields.common, fields.poolSize, fields.strides, fields.padding, fields.dataFormat)
    }
}

/// A pooling over the whole step axis: `GlobalAveragePooling1D` or `GlobalMaxPooling1D`.
public protocol GlobalPooling1DConfiguration: LayerConfiguration {
    /// Fields every layer has.
    var common: LayerCommonConfig { get }
    /// Where the channel axis is.
    var dataFormat: DataFormat { get }
    /// Whether the step axis stays, with size 1.
    var keepdims: Bool { get }
    /// Whether the layer takes the mean (else the maximum).
    static var averages: Bool { get }
}

/// The fields both global 1-D pooling layers decode.
struct GlobalPooling1DFields {
    var common: LayerCommonConfig
    var dataFormat: DataFormat, keepdims: Bool

    enum CodingKeys: String, CodingKey { case dataFormat = "data_format", keepdims }

    init(from decoder: any Decoder) throws {
        common = try LayerCommonConfig(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        dataFormat = try container.decodeDataFormat(forKey: .dataFormat)
        keepdims = try container.decodeFlag(forKey: .keepdims, default: false)
    }
}

extension GlobalPooling1DConfiguration {
    public var kerasArguments: [(name: String, value: JSONValue)] {
        [("data_format", .string(dataFormat.rawValue)), ("keepdims", .bool(keepdims))]
    }
}

/// `keras.layers.GlobalAveragePooling1D`: the mean over steps; with a mask, the mean over the
/// valid steps only.
public struct GlobalAveragePooling1DConfig: GlobalPooling1DConfiguration {
    public static let className = "GlobalAveragePooling1D"
    public static let averages = true
    /// Fields every layer has.
    public var common: LayerCommonConfig
    /// The channel axis, and whether the step axis stays with size 1.
    public var dataFormat: DataFormat, keepdims: Bool

    public init(from decoder: any Decoder) throws {
        let fields = try GlobalPooling1DFields(from: decoder)
        (common, dataFormat, keepdims) = (fields.common, fields.dataFormat, fields.keepdims)
    }
}

/// `keras.layers.GlobalMaxPooling1D`: the maximum over steps. It doesn't support masking in
/// Keras 2 or 3: a mask is ignored (Keras 3 drops it with a warning).
public struct GlobalMaxPooling1DConfig: GlobalPooling1DConfiguration {
    public static let className = "GlobalMaxPooling1D"
    public static let averages = false
    /// Fields every layer has.
    public var common: LayerCommonConfig
    /// The channel axis, and whether the step axis stays with size 1.
    public var dataFormat: DataFormat, keepdims: Bool

    public init(from decoder: any Decoder) throws {
        let fields = try GlobalPooling1DFields(from: decoder)
        (common, dataFormat, keepdims) = (fields.common, fields.dataFormat, fields.keepdims)
    }
}
