/// A Sequential or Functional model used as a layer of another model.
public struct NestedModelConfig: LayerConfiguration {
    public static let className = "Functional"
    /// The model classes that can be nested.
    static let classNames: Set<String> = ["Sequential", "Functional", "Model"]

    /// Fields every layer has.
    public var common: LayerCommonConfig
    /// The nested model's own config.
    public var model: ModelConfig

    /// Decodes a nested model from its layer entry.
    init(entry: JSONValue, name: String) throws(KerasConfigError) {
        model = try ModelConfig(json: entry)
        var common = LayerCommonConfig(name: name)
        if case .bool(let trainable)? = entry["config"]?["trainable"] { common.trainable = trainable }
        self.common = common
    }

    public init(from decoder: any Decoder) throws {
        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "nested models decode from their whole entry"))
    }

    public var outputCount: Int { model.graph.outputs.count }
    public var isStateful: Bool { model.layers.contains { $0.configuration.isStateful } }
    public var kerasArguments: [(name: String, value: JSONValue)] { [("model", model.json)] }

    /// Whether Keras numbers this model's calls from 1 (its construction node comes first).
    func countsConstructionNode(keras3: Bool) -> Bool {
        if keras3 { return model.className != "Sequential" }
        return model.className != "Sequential" || model.json["config"]?["layers"]?.arrayValue?.first?["class_name"]?.stringValue == "InputLayer"
    }
}
