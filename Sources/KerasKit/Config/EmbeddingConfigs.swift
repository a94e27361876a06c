/// `keras.layers.Embedding`: looks up one row of `embeddings` per integer index.
public struct EmbeddingConfig: LayerConfiguration {
    public static let className = "Embedding"
    /// Fields every layer has.
    public var common: LayerCommonConfig
    /// The number of rows: valid indices are `0..<inputDim`.
    public var inputDim: Int
    /// The length of each row.
    public var outputDim: Int
    /// Initializer, regularizers and constraint: kept for inspection, unused at inference.
    public var embeddingsInitializer: KerasObjectConfig?, embeddingsRegularizer: KerasObjectConfig?
    public var activityRegularizer: KerasObjectConfig?, embeddingsConstraint: KerasObjectConfig?
    /// Whether index 0 marks padding: the output mask is `input != 0`.
    public var maskZero: Bool
    /// Keras 2's declared sequence length (Keras 3 ignores it).
    public var inputLength: JSONValue
    /// Keras 3's LoRA settings, when the layer was fine-tuned with LoRA.
    public var loraRank: Int?, loraAlpha: Int?
    /// Keras 3's quantization settings (`null` for a float layer).
    public var quantizationConfig: JSONValue

    enum CodingKeys: String, CodingKey {
        case inputDim = "input_dim", outputDim = "output_dim"
        case embeddingsInitializer = "embeddings_initializer", embeddingsRegularizer = "embeddings_regularizer"
        case activityRegularizer = "activity_regularizer", embeddingsConstraint = "embeddings_constraint"
        case maskZero = "mask_zero", inputLength = "input_length"
        case loraRank = "lora_rank", loraAlpha = "lora_alpha", quantizationConfig = "quantization_config"
    }

    public init(from decoder: any Decoder) throws {
        common = try LayerCommonConfig(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        inputDim = try container.decodeSize(forKey: .inputDim)
        outputDim = try container.decodeSize(forKey: .outputDim)
        embeddingsInitializer = try container.decodeObject(forKey: .embeddingsInitializer, default: "RandomUniform")
        embeddingsRegularizer = try container.decodeObject(forKey: .embeddingsRegularizer, default: nil)
        activityRegularizer = try container.decodeObject(forKey: .activityRegularizer, default: nil)
        embeddingsConstraint = try container.decodeObject(forKey: .embeddingsConstraint, default: nil)
        maskZero = try container.decodeFlag(forKey: .maskZero, default: false)
        inputLength = try container.decodeIfPresent(JSONValue.self, forKey: .inputLength) ?? .null
        loraRank = try container.decodeIfPresent(Int.self, forKey: .loraRank)
        loraAlpha = try container.decodeIfPresent(Int.self, forKey: .loraAlpha)
        quantizationConfig = try container.decodeIfPresent(JSONValue.self, forKey: .quantizationConfig) ?? .null
    }

    public var kerasArguments: [(name: String, value: JSONValue)] {
        [
            ("input_dim", .number(Double(inputDim))), ("output_dim", .number(Double(outputDim))),
            ("embeddings_initializer", embeddingsInitializer.json), ("embeddings_regularizer", embeddingsRegularizer.json),
            ("activity_regularizer", activityRegularizer.json), ("embeddings_constraint", embeddingsConstraint.json),
            ("mask_zero", .bool(maskZero)), ("input_length", inputLength),
            ("lora_rank", loraRank.json), ("lora_alpha", loraAlpha.json), ("quantization_config", quantizationConfig),
        ]
    }
}

/// `keras.layers.Masking`: masks the steps whose features all equal `mask_value`.
public struct MaskingConfig: LayerConfiguration {
    public static let className = "Masking"
    /// Fields every layer has.
    public var common: LayerCommonConfig
    /// A step is masked when every feature equals this value (compared in float32).
    public var maskValue: Double

    enum CodingKeys: String, CodingKey { case maskValue = "mask_value" }

    public init(from decoder: any Decoder) throws {
        common = try LayerCommonConfig(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // Keras 3 may serialize the value as a tensor object: {"class_name": "__tensor__", "config": {"value": …}}.
        if let value = try container.decodeIfPresent(JSONValue.self, forKey: .maskValue), case .object = value {
            guard case .number(let number) = value["config"]?["value"] ?? .null else {
                throw DecodingError.dataCorruptedError(forKey: .maskValue, in: container, debugDescription: "expected a number, found \(value)")
            }
            maskValue = number
        } else {
            maskValue = try container.decodeIfPresent(Double.self, forKey: .maskValue) ?? 0
        }
    }

    public var kerasArguments: [(name: String, value: JSONValue)] { [("mask_value", .number(maskValue))] }
}
