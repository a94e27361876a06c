import Foundation

/// A decoded Keras model config (the `model_config` attribute of an `.h5` file).
public struct ModelConfig: Sendable {
    /// The model class: `Sequential`, `Functional` (or Keras ≤ 2.3's `Model`).
    public var className: String
    /// The model's name.
    public var name: String
    /// The model's layers as Keras's `model.layers` lists them: a Functional model's include its
    /// `InputLayer`s, a Sequential model's don't.
    public var layers: [LayerConfig]
    /// The model's inputs, in input order.
    public var inputs: [InputLayerConfig]
    /// How the layers are called.
    public var graph: ModelGraph
    /// The JSON as parsed.
    public var json: JSONValue
    /// The config text exactly as the file holds it, when decoded from text.
    public var sourceText: String?

    /// The first input's shape including the batch axis; `nil` axes take any size.
    public var inputShape: [Int?] { inputs.first?.batchShape ?? [] }

    /// The names of the model's inputs, in input order.
    public var inputNames: [String] { inputs.map(\.common.name) }

    /// Decodes `{"class_name": "Sequential" | "Functional", "config": …}` as written by Keras 2
    /// (tf.keras, tf-keras, multi-backend Keras) and Keras 3.
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
        let config = json["config"] ?? .null
        self.className = className
        self.json = json
        self.name = config["name"]?.stringValue ?? (className == "Sequential" ? "sequential" : "model")
        switch className {
        case "Sequential":
            (layers, inputs, graph) = try Self.decodeSequential(config)
        case "Functional", "Model":
            (layers, inputs, graph) = try Self.decodeFunctional(config)
        default:
            throw .unsupportedModel(className: className)
        }
    }

    private static func layerEntries(_ config: JSONValue) throws(KerasConfigError) -> [JSONValue] {
        // Very old Keras writes a Sequential's layer list as the whole config.
        guard let entries = config["layers"]?.arrayValue ?? config.arrayValue else {
            throw .invalidModelConfig(reason: "the model config has no layers list")
        }
        guard entries.count <= KerasLimits.maxLayers else {
            throw .invalidModelConfig(reason: "\(entries.count) layers is more than the limit \(KerasLimits.maxLayers)")
        }
        return entries
    }

    private static func decodeSequential(_ config: JSONValue) throws(KerasConfigError) -> ([LayerConfig], [InputLayerConfig], ModelGraph) {
        var layers: [LayerConfig] = []
        var input: InputLayerConfig?
        for (index, entry) in try layerEntries(config).enumerated() {
            let layer = try LayerConfig.decode(entry: entry, index: index)
            if let inputLayer = layer.configuration(as: InputLayerConfig.self) {
                guard layers.isEmpty, input == nil else {
                    throw .invalidModelConfig(reason: "InputLayer '\(inputLayer.common.name)' is not the first layer")
                }
                input = inputLayer
                continue
            }
            if layers.isEmpty, input == nil, let shape = layer.common.batchInputShape {
                input = InputLayerConfig(name: "\(layer.name)_input", batchShape: shape)
            }
            layers.append(layer)
        }
        guard !layers.isEmpty else { throw .invalidModelConfig(reason: "the model has no layers") }
        if input == nil, let build = config["build_input_shape"], let shape = try? build.decode(KerasShape.self).dimensions {
            input = InputLayerConfig(name: "\(layers[0].name)_input", batchShape: shape)
        }
        guard let input else {
            throw .invalidModelConfig(reason: "the model declares no input shape (no InputLayer, batch_input_shape or build_input_shape)")
        }
        var nodes: [String: [NodeConfig]] = [:]
        var previous = TensorReference(layer: input.common.name)
        for layer in layers {
            guard nodes[layer.name] == nil, layer.name != input.common.name else {
                throw .invalidModelConfig(reason: "two layers are named '\(layer.name)'")
            }
            nodes[layer.name] = [NodeConfig(inputs: [previous])]
            previous = TensorReference(layer: layer.name)
        }
        // Keras 3 lets a Sequential model end in a layer with several outputs (return_state).
        let outputCount = layers.last?.outputCount ?? 1
        let graph = ModelGraph(
            inputs: [TensorReference(layer: input.common.name)],
            outputs: (0..<outputCount).map { TensorReference(layer: previous.layer, tensor: $0) },
            nodes: nodes
        )
        return (layers, [input], graph)
    }

    private static func decodeFunctional(_ config: JSONValue) throws(KerasConfigError) -> ([LayerConfig], [InputLayerConfig], ModelGraph) {
        var layers: [LayerConfig] = []
        var nodes: [String: [NodeConfig]] = [:]
        for (index, entry) in try layerEntries(config).enumerated() {
            let layer = try LayerConfig.decode(entry: entry, index: index)
            guard nodes[layer.name] == nil else { throw .invalidModelConfig(reason: "two layers are named '\(layer.name)'") }
            nodes[layer.name] = try ModelGraph.decodeNodes(entry["inbound_nodes"], layer: layer)
            layers.append(layer)
        }
        var inputReferences = try ModelGraph.decodeEndpoints(config["input_layers"], key: "input_layers")
        var outputReferences = try ModelGraph.decodeEndpoints(config["output_layers"], key: "output_layers")
        // Nested models count a construction node that isn't a call: Keras 2 numbers their
        // calls from 1 everywhere, Keras 3 only in input_layers/output_layers (functional.py).
        let keras3 = layerEntriesUseDictNodes(try layerEntries(config))
        let offsets = Dictionary(layers.compactMap { layer -> (String, Int)? in
            guard let nested = layer.configuration as? NestedModelConfig, nested.countsConstructionNode(keras3: keras3) else { return nil }
            return (layer.name, 1)
        }, uniquingKeysWith: { first, _ in first })
        func shift(_ reference: TensorReference) -> TensorReference {
            guard let offset = offsets[reference.layer], reference.node >= offset else { return reference }
            return TensorReference(layer: reference.layer, node: reference.node - offset, tensor: reference.tensor)
        }
        if !offsets.isEmpty {
            inputReferences = inputReferences.map(shift)
            outputReferences = outputReferences.map(shift)
            if !keras3 {
                nodes = nodes.mapValues { calls in
                    calls.map { $0.mapReferences(shift) }
                }
            }
        }
        var inputs: [InputLayerConfig] = []
        for reference in inputReferences {
            guard let input = layers.first(where: { $0.name == reference.layer })?.configuration(as: InputLayerConfig.self) else {
                throw .invalidModelConfig(reason: "input_layers names '\(reference.layer)', which is not an InputLayer of the model")
            }
            inputs.append(input)
        }
        guard !inputs.isEmpty, !outputReferences.isEmpty else { throw .invalidModelConfig(reason: "the model has no inputs or no outputs") }
        return (layers, inputs, ModelGraph(inputs: inputReferences, outputs: outputReferences, nodes: nodes))
    }
}

/// Whether a Functional config writes Keras 3's dict-form nodes.
private func layerEntriesUseDictNodes(_ entries: [JSONValue]) -> Bool {
    entries.contains { $0["inbound_nodes"]?.arrayValue?.first?.objectValue != nil }
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
