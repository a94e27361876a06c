import Foundation

/// The typed config of one layer, by Keras class.
public enum LayerConfig: Sendable, Hashable {
    case input(InputLayerConfig)
    case lstm(LSTMConfig)
    case dense(DenseConfig)
    case dropout(DropoutConfig)
    case activation(ActivationConfig)

    /// The Keras class names KerasKit can rebuild.
    public static let supportedClassNames = ["InputLayer", "LSTM", "Dense", "Dropout", "Activation"]

    /// The layer's name as Keras shows it.
    public var name: String { common.name }

    /// The Keras class name.
    public var className: String {
        switch self {
        case .input: "InputLayer"
        case .lstm: "LSTM"
        case .dense: "Dense"
        case .dropout: "Dropout"
        case .activation: "Activation"
        }
    }

    /// Fields every layer has.
    public var common: LayerCommonConfig {
        switch self {
        case .input(let config): config.common
        case .lstm(let config): config.common
        case .dense(let config): config.common
        case .dropout(let config): config.common
        case .activation(let config): config.common
        }
    }

    /// How many tensors one call of the layer returns.
    public var outputCount: Int {
        if case .lstm(let lstm) = self, lstm.returnState { return 3 }
        return 1
    }

    /// Whether the layer is recurrent (takes `initial_state`).
    public var isRecurrent: Bool {
        if case .lstm = self { return true }
        return false
    }

    /// Every decoded argument by its Keras name, in the order Keras's constructor lists them.
    public var kerasArguments: [(name: String, value: JSONValue)] {
        let specific: [(name: String, value: JSONValue)] = switch self {
        case .input(let config): config.kerasArguments
        case .lstm(let config): config.kerasArguments
        case .dense(let config): config.kerasArguments
        case .dropout(let config): config.kerasArguments
        case .activation(let config): config.kerasArguments
        }
        return common.kerasArguments + specific
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
        do {
            switch className {
            case "InputLayer": return .input(try config.decode(InputLayerConfig.self))
            case "LSTM": return .lstm(try config.decode(LSTMConfig.self))
            case "Dense": return .dense(try config.decode(DenseConfig.self))
            case "Dropout": return .dropout(try config.decode(DropoutConfig.self))
            case "Activation": return .activation(try config.decode(ActivationConfig.self))
            default: throw KerasConfigError.unsupportedLayer(className: className, name: name)
            }
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

    var kerasArguments: [(name: String, value: JSONValue)] {
        var arguments: [(name: String, value: JSONValue)] = [("name", .string(name)), ("trainable", .bool(trainable))]
        arguments.append(("dtype", dtype.map { .string($0.name) } ?? .null))
        return arguments
    }
}

/// `keras.layers.InputLayer`.
public struct InputLayerConfig: Sendable, Hashable, Decodable {
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

    var kerasArguments: [(name: String, value: JSONValue)] {
        [("batch_shape", .array(batchShape.map { $0.map { .number(Double($0)) } ?? .null })), ("sparse", .bool(sparse))]
    }
}

/// `keras.layers.Dense`: `activation(x · kernel + bias)` on the last axis.
public struct DenseConfig: Sendable, Hashable, Decodable {
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

    var kerasArguments: [(name: String, value: JSONValue)] {
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
public struct DropoutConfig: Sendable, Hashable, Decodable {
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

    var kerasArguments: [(name: String, value: JSONValue)] {
        [
            ("rate", .number(rate)),
            ("noise_shape", noiseShape.map { .array($0.map { $0.map { .number(Double($0)) } ?? .null }) } ?? .null),
            ("seed", seed.map { .number(Double($0)) } ?? .null),
        ]
    }
}

/// `keras.layers.Activation`.
public struct ActivationConfig: Sendable, Hashable, Decodable {
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

    var kerasArguments: [(name: String, value: JSONValue)] { [("activation", .string(activation.rawValue))] }
}

extension Optional where Wrapped == KerasObjectConfig {
    var json: JSONValue { map(\.jsonValue) ?? .null }
}
