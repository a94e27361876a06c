import Foundation

/// The typed config of one Keras layer class. Each supported class has one, registered in
/// ``LayerConfig/registry``; its `init(from:)` applies Keras's defaults to absent keys.
public protocol LayerConfiguration: Sendable, Decodable {
    /// The Keras class name this config decodes (`"LSTM"`).
    static var className: String { get }
    /// Whether the class is a Keras 3 operation recorded in Functional graphs (`NotEqual`,
    /// `Any`, …) rather than a layer: it is not in `model.layers` and owns no weights.
    static var isOperation: Bool { get }
    /// Fields every layer has.
    var common: LayerCommonConfig { get }
    /// The class's own arguments by their Keras names, in Keras's constructor order.
    var kerasArguments: [(name: String, value: JSONValue)] { get }
    /// How many tensors one call returns (3 for an LSTM with `return_state`).
    var outputCount: Int { get }
    /// Whether the layer takes `initial_state` (Keras 2 writes it as extra inputs).
    var isRecurrent: Bool { get }
    /// Whether the layer carries states across predict calls.
    var isStateful: Bool { get }
}

extension LayerConfiguration {
    public static var isOperation: Bool { false }
    public var outputCount: Int { 1 }
    public var isRecurrent: Bool { false }
    public var isStateful: Bool { false }
}

/// One layer of a model config: its Keras class and its typed configuration.
public struct LayerConfig: Sendable {
    /// The Keras class name.
    public let className: String
    /// The typed configuration; cast it to the class's config type (``LSTMConfig``, …) or use
    /// ``configuration(as:)``.
    public let configuration: any LayerConfiguration

    /// The Python module Keras names for the class (Keras 3), e.g. `keras.layers` or
    /// `keras.src.ops.numpy` for operations recorded in Functional graphs.
    public let module: String?

    /// Wraps a typed configuration.
    public init(_ configuration: any LayerConfiguration, module: String? = nil, className: String? = nil) {
        self.className = className ?? type(of: configuration).className
        self.configuration = configuration
        self.module = module
    }

    /// Whether this is a Keras 3 operation (`NotEqual`, `Any`, …) recorded in a Functional
    /// graph rather than a layer: it is not in `model.layers` and owns no weights.
    public var isOperation: Bool { type(of: configuration).isOperation || (module?.hasPrefix("keras.src.ops") ?? false) }

    /// The configuration as `type`, or nil for another class.
    public func configuration<Configuration: LayerConfiguration>(as type: Configuration.Type) -> Configuration? {
        configuration as? Configuration
    }

    /// The config classes KerasKit can rebuild.
    static let registry: [any LayerConfiguration.Type] = coreLayerTypes + recurrentLayerTypes + structuralLayerTypes

    /// Inputs and the basic layers.
    static let coreLayerTypes: [any LayerConfiguration.Type] = [
        InputLayerConfig.self, DenseConfig.self, DropoutConfig.self, ActivationConfig.self,
    ]

    /// Recurrent layers and their wrappers.
    static let recurrentLayerTypes: [any LayerConfiguration.Type] = [
        LSTMConfig.self, GRUConfig.self, SimpleRNNConfig.self, BidirectionalConfig.self, TimeDistributedConfig.self,
    ]

    /// The Keras class names KerasKit can rebuild.
    public static var supportedClassNames: [String] { registry.map { $0.className } }

    /// The layer's name as Keras shows it.
    public var name: String { common.name }

    /// Fields every layer has.
    public var common: LayerCommonConfig { configuration.common }

    /// How many tensors one call of the layer returns.
    public var outputCount: Int { configuration.outputCount }

    /// Whether the layer is recurrent (takes `initial_state`).
    public var isRecurrent: Bool { configuration.isRecurrent }

    /// Whether this is an `InputLayer`.
    public var isInput: Bool { configuration is InputLayerConfig }

    /// Every decoded argument by its Keras name, in the order Keras's constructor lists them.
    public var kerasArguments: [(name: String, value: JSONValue)] {
        common.kerasArguments + configuration.kerasArguments
    }

    /// Decodes one `{"class_name": …, "config": {…}}` layer entry.
    /// - Throws: ``KerasConfigError`` naming the layer and class on any problem.
    public static func decode(entry: JSONValue, index: Int) throws(KerasConfigError) -> LayerConfig {
        guard let className = entry["class_name"]?.stringValue else {
            throw .invalidModelConfig(reason: "layer #\(index) has no class_name")
        }
        guard let config = entry["config"], config.objectValue != nil else {
            throw .invalidModelConfig(reason: "layer #\(index) (\(className)) has no config object")
        }
        let name = config["name"]?.stringValue ?? entry["name"]?.stringValue ?? "#\(index)"
        if NestedModelConfig.classNames.contains(className) {
            return LayerConfig(try NestedModelConfig(entry: entry, name: name), module: entry["module"]?.stringValue, className: className)
        }
        guard let type = registry.first(where: { $0.className == className }) else {
            throw .unsupportedLayer(className: className, name: name)
        }
        do {
            return LayerConfig(try config.decode(type), module: entry["module"]?.stringValue)
        } catch let error as KerasConfigError {
            throw error
        } catch let error as UnsupportedActivationName {
            throw .unsupportedActivation(name: error.name, layer: name)
        } catch let error as DecodingError {
            throw .invalidLayerConfig(layer: name, className: className, reason: error.oneLine)
        } catch {
            throw .invalidLayerConfig(layer: name, className: className, reason: "\(error)")
        }
    }
}

/// Keys every Keras layer config carries.
public struct LayerCommonConfig: Sendable, Hashable, Decodable {
    /// The layer's unique name within its model.
    public var name: String
    /// Whether training updates the weights (no effect on inference).
    public var trainable: Bool
    /// The dtype policy; nil when the file writes none.
    public var dtype: DTypePolicy?
    /// Older Sequential configs put the model's input shape on the first layer.
    public var batchInputShape: [Int?]?

    enum CodingKeys: String, CodingKey {
        case name, trainable, dtype
        case batchInputShape = "batch_input_shape", batchShape = "batch_shape"
    }

    init(name: String) {
        self.name = name
        trainable = true
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        trainable = try container.decodeIfPresent(Bool.self, forKey: .trainable) ?? true
        dtype = try container.decodeIfPresent(DTypePolicy.self, forKey: .dtype)
        batchInputShape = try (container.decodeIfPresent(KerasShape.self, forKey: .batchInputShape)
            ?? container.decodeIfPresent(KerasShape.self, forKey: .batchShape))?.dimensions
    }

    public var kerasArguments: [(name: String, value: JSONValue)] {
        var arguments: [(name: String, value: JSONValue)] = [("name", .string(name)), ("trainable", .bool(trainable))]
        arguments.append(("dtype", dtype.map { .string($0.name) } ?? .null))
        return arguments
    }
}

/// `keras.layers.InputLayer`.
public struct InputLayerConfig: LayerConfiguration {
    public static let className = "InputLayer"
    /// Fields every layer has.
    public var common: LayerCommonConfig
    /// The input shape including the batch axis; `nil` axes take any size.
    public var batchShape: [Int?]
    /// Whether the input is sparse (KerasKit takes dense input only).
    public var sparse: Bool

    enum CodingKeys: String, CodingKey { case sparse, inputShape = "input_shape" }

    /// An implicit input (a Sequential model without an `InputLayer`).
    init(name: String, batchShape: [Int?]) {
        common = LayerCommonConfig(name: name)
        self.batchShape = batchShape
        sparse = false
    }

    public init(from decoder: any Decoder) throws {
        common = try LayerCommonConfig(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sparse = try container.decodeIfPresent(Bool.self, forKey: .sparse) ?? false
        if let shape = common.batchInputShape {
            batchShape = shape
        } else if let shape = try container.decodeIfPresent(KerasShape.self, forKey: .inputShape) {
            batchShape = [nil] + shape.dimensions
        } else {
            throw DecodingError.keyNotFound(LayerCommonConfig.CodingKeys.batchShape, .init(codingPath: decoder.codingPath, debugDescription: "InputLayer without batch_shape or batch_input_shape"))
        }
    }

    public var kerasArguments: [(name: String, value: JSONValue)] {
        [("batch_shape", .array(batchShape.map { $0.map { .number(Double($0)) } ?? .null })), ("sparse", .bool(sparse))]
    }
}

/// `keras.layers.Dense`: `activation(x · kernel + bias)` on the last axis.
public struct DenseConfig: LayerConfiguration {
    public static let className = "Dense"
    /// Fields every layer has.
    public var common: LayerCommonConfig
    /// The output size.
    public var units: Int
    /// Applied to the affine output; `linear` by default.
    public var activation: Activation
    /// Whether a bias vector is added.
    public var useBias: Bool
    /// Initializers, regularizers and constraints: kept for inspection, unused at inference.
    public var kernelInitializer: KerasObjectConfig?, biasInitializer: KerasObjectConfig?
    public var kernelRegularizer: KerasObjectConfig?, biasRegularizer: KerasObjectConfig?, activityRegularizer: KerasObjectConfig?
    public var kernelConstraint: KerasObjectConfig?, biasConstraint: KerasObjectConfig?

    enum CodingKeys: String, CodingKey {
        case units, activation, useBias = "use_bias"
        case kernelInitializer = "kernel_initializer", biasInitializer = "bias_initializer"
        case kernelRegularizer = "kernel_regularizer", biasRegularizer = "bias_regularizer"
        case activityRegularizer = "activity_regularizer"
        case kernelConstraint = "kernel_constraint", biasConstraint = "bias_constraint"
    }

    public init(from decoder: any Decoder) throws {
        common = try LayerCommonConfig(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        units = try container.decodeSize(forKey: .units)
        activation = try container.decodeActivation(forKey: .activation, default: .linear)
        useBias = try container.decodeIfPresent(Bool.self, forKey: .useBias) ?? true
        kernelInitializer = try container.decodeIfPresent(KerasObjectConfig.self, forKey: .kernelInitializer) ?? KerasObjectConfig(className: "GlorotUniform")
        biasInitializer = try container.decodeIfPresent(KerasObjectConfig.self, forKey: .biasInitializer) ?? KerasObjectConfig(className: "Zeros")
        kernelRegularizer = try container.decodeIfPresent(KerasObjectConfig.self, forKey: .kernelRegularizer)
        biasRegularizer = try container.decodeIfPresent(KerasObjectConfig.self, forKey: .biasRegularizer)
        activityRegularizer = try container.decodeIfPresent(KerasObjectConfig.self, forKey: .activityRegularizer)
        kernelConstraint = try container.decodeIfPresent(KerasObjectConfig.self, forKey: .kernelConstraint)
        biasConstraint = try container.decodeIfPresent(KerasObjectConfig.self, forKey: .biasConstraint)
    }

    public var kerasArguments: [(name: String, value: JSONValue)] {
        [
            ("units", .number(Double(units))), ("activation", .string(activation.rawValue)), ("use_bias", .bool(useBias)),
            ("kernel_initializer", kernelInitializer.json), ("bias_initializer", biasInitializer.json),
            ("kernel_regularizer", kernelRegularizer.json), ("bias_regularizer", biasRegularizer.json),
            ("activity_regularizer", activityRegularizer.json),
            ("kernel_constraint", kernelConstraint.json), ("bias_constraint", biasConstraint.json),
        ]
    }
}

/// `keras.layers.Dropout`: the identity at inference.
public struct DropoutConfig: LayerConfiguration {
    public static let className = "Dropout"
    /// Fields every layer has.
    public var common: LayerCommonConfig
    /// The fraction dropped during training.
    public var rate: Double
    /// Broadcast shape of the training-time mask.
    public var noiseShape: [Int?]?
    /// Training-time random seed.
    public var seed: Int?

    enum CodingKeys: String, CodingKey { case rate, noiseShape = "noise_shape", seed }

    public init(from decoder: any Decoder) throws {
        common = try LayerCommonConfig(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        rate = try container.decodeRate(forKey: .rate)
        noiseShape = try container.decodeIfPresent(KerasShape.self, forKey: .noiseShape)?.dimensions
        seed = try container.decodeIfPresent(Int.self, forKey: .seed)
    }

    public var kerasArguments: [(name: String, value: JSONValue)] {
        [
            ("rate", .number(rate)),
            ("noise_shape", noiseShape.map { .array($0.map { $0.map { .number(Double($0)) } ?? .null }) } ?? .null),
            ("seed", seed.map { .number(Double($0)) } ?? .null),
        ]
    }
}

/// `keras.layers.Activation`.
public struct ActivationConfig: LayerConfiguration {
    public static let className = "Activation"
    /// Fields every layer has.
    public var common: LayerCommonConfig
    /// The function applied.
    public var activation: Activation

    enum CodingKeys: String, CodingKey { case activation }

    public init(from decoder: any Decoder) throws {
        common = try LayerCommonConfig(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard container.contains(.activation) else {
            throw DecodingError.keyNotFound(CodingKeys.activation, .init(codingPath: decoder.codingPath, debugDescription: "missing"))
        }
        activation = try container.decodeActivation(forKey: .activation, default: .linear)
    }

    public var kerasArguments: [(name: String, value: JSONValue)] { [("activation", .string(activation.rawValue))] }
}

extension Optional where Wrapped == KerasObjectConfig {
    var json: JSONValue { map(\.jsonValue) ?? .null }
}
