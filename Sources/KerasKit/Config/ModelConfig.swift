import Foundation

/// A decoded Keras model config (the `model_config` attribute of an `.h5` file).
public struct ModelConfig: Sendable, Hashable {
    /// The model class: `Sequential`.
    public var className: String
    /// The model's name.
    public var name: String
    /// The input shape including the batch axis; `nil` axes take any size.
    public var inputShape: [Int?]
    /// The model's layers in call order, without the `InputLayer`.
    public var layers: [LayerConfig]
    /// The JSON as parsed.
    public var json: JSONValue
    /// The config text exactly as the file holds it, when decoded from text.
    public var sourceText: String?

    /// Creates a config from its parts.
    public init(className: String, name: String, inputShape: [Int?], layers: [LayerConfig], json: JSONValue) {
        self.className = className
        self.name = name
        self.inputShape = inputShape
        self.layers = layers
        self.json = json
    }

    /// Decodes `{"class_name": "Sequential", "config": …}` as written by Keras 2 (tf.keras,
    /// tf-keras, multi-backend Keras) and Keras 3.
    /// - Throws: ``KerasConfigError`` naming the layer and the problem.
    public init(json data: Data) throws(KerasConfigError) {
        try self.init(json: try JSONValue.parse(data))
        sourceText = String(decoding: data, as: UTF8.self)
    }

    /// Decodes an already parsed model config.
    /// - Throws: ``KerasConfigError`` naming the layer and the problem.
    public init(json: JSONValue) throws(KerasConfigError) {
        guard json.objectValue != nil else { throw .invalidModelConfig(reason: "expected a JSON object, found \(json.kindName)") }
        guard let className = json["class_name"]?.stringValue else { throw .invalidModelConfig(reason: "no class_name") }
        guard className == "Sequential" else { throw .unsupportedModel(className: className) }
        let config = json["config"] ?? .null
        // Very old Keras writes the layer list as the whole config.
        guard let entries = config["layers"]?.arrayValue ?? config.arrayValue else {
            throw .invalidModelConfig(reason: "Sequential config has no layers list")
        }
        guard entries.count <= KerasLimits.maxLayers else {
            throw .invalidModelConfig(reason: "\(entries.count) layers is more than the limit \(KerasLimits.maxLayers)")
        }
        var layers: [LayerConfig] = []
        var inputShape: [Int?]?
        for (index, entry) in entries.enumerated() {
            let layer = try LayerConfig.decode(entry: entry, index: index)
            if case .input(let input) = layer {
                guard layers.isEmpty, inputShape == nil else {
                    throw .invalidModelConfig(reason: "InputLayer '\(input.common.name)' is not the first layer")
                }
                inputShape = input.batchShape
                continue
            }
            if layers.isEmpty, inputShape == nil { inputShape = layer.common.batchInputShape }
            layers.append(layer)
        }
        if inputShape == nil, let build = config["build_input_shape"] {
            inputShape = try? build.decode(KerasShape.self).dimensions
        }
        guard let inputShape else {
            throw .invalidModelConfig(reason: "the model declares no input shape (no InputLayer, batch_input_shape or build_input_shape)")
        }
        guard !layers.isEmpty else { throw .invalidModelConfig(reason: "the model has no layers") }
        self.init(className: className, name: config["name"]?.stringValue ?? "sequential", inputShape: inputShape, layers: layers, json: json)
    }
}

extension JSONValue {
    /// `object`, `array`, … for messages.
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
