import Foundation

/// How `Bidirectional` merges the two directions.
public enum BidirectionalMergeMode: String, Sendable, Hashable {
    case concat, sum, mul, ave
}

/// `keras.layers.Bidirectional` around a recurrent layer.
///
/// Keras 2 writes only the wrapped layer; the backward layer is a copy with `go_backwards`
/// flipped. Keras 3 writes both. Either way both directions get
/// `zero_output_for_mask = return_sequences`, as Keras forces.
public struct BidirectionalConfig: LayerConfiguration {
    public static let className = "Bidirectional"
    /// Fields every layer has.
    public var common: LayerCommonConfig
    /// How the directions merge; nil returns both.
    public var mergeMode: BidirectionalMergeMode?
    /// The forward-direction layer.
    public var forward: LayerConfig
    /// The backward-direction layer.
    public var backward: LayerConfig

    enum CodingKeys: String, CodingKey { case mergeMode = "merge_mode", layer, backwardLayer = "backward_layer" }

    public init(from decoder: any Decoder) throws {
        common = try LayerCommonConfig(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.mergeMode), try container.decodeNil(forKey: .mergeMode) {
            mergeMode = nil
        } else {
            let mode = try container.decodeIfPresent(String.self, forKey: .mergeMode) ?? "concat"
            guard let parsed = BidirectionalMergeMode(rawValue: mode) else {
                throw DecodingError.dataCorruptedError(forKey: .mergeMode, in: container, debugDescription: "unknown merge_mode '\(mode)'")
            }
            mergeMode = parsed
        }
        let layer = try container.decode(JSONValue.self, forKey: .layer)
        let backwardLayer = try container.decodeIfPresent(JSONValue.self, forKey: .backwardLayer)
        let returnSequences = layer["config"]?["return_sequences"] == .bool(true)
        func prepare(_ entry: JSONValue, goBackwards: Bool?) -> JSONValue {
            guard case .object(var members) = entry, case .object(var config) = members["config"] ?? .null else { return entry }
            config["zero_output_for_mask"] = .bool(returnSequences)
            if let goBackwards { config["go_backwards"] = .bool(goBackwards) }
            members["config"] = .object(config)
            return .object(members)
        }
        forward = try LayerConfig.decode(entry: prepare(layer, goBackwards: nil), index: 0)
        if let backwardLayer, backwardLayer != .null {
            backward = try LayerConfig.decode(entry: prepare(backwardLayer, goBackwards: nil), index: 1)
        } else {
            let forwardBackwards = layer["config"]?["go_backwards"] == .bool(true)
            backward = try LayerConfig.decode(entry: prepare(layer, goBackwards: !forwardBackwards), index: 1)
        }
        guard forward.isRecurrent, backward.isRecurrent else {
            throw DecodingError.dataCorruptedError(forKey: .layer, in: container, debugDescription: "Bidirectional wraps \(forward.className), not a recurrent layer")
        }
    }

    /// The wrapped layers' sequence options (they share them, but for `go_backwards`).
    var sequenceOptions: SequenceOptions? {
        (forward.configuration as? any RecurrentLayerConfiguration)?.sequenceOptions
    }

    public var outputCount: Int {
        guard let options = sequenceOptions else { return 1 }
        let merged = mergeMode == nil ? 2 : 1
        return options.returnState ? merged + 2 * (forward.outputCount - 1) : merged
    }
    public var isRecurrent: Bool { true }
    public var isStateful: Bool { forward.configuration.isStateful }

    public var kerasArguments: [(name: String, value: JSONValue)] {
        [
            ("merge_mode", mergeMode.map { .string($0.rawValue) } ?? .null),
            ("layer", .object(["class_name": .string(forward.className), "config": .object(Dictionary(forward.kerasArguments, uniquingKeysWith: { first, _ in first }))])),
            ("backward_layer", .object(["class_name": .string(backward.className), "config": .object(Dictionary(backward.kerasArguments, uniquingKeysWith: { first, _ in first }))])),
        ]
    }
}

/// `keras.layers.TimeDistributed`: the wrapped layer applied to every time step.
public struct TimeDistributedConfig: LayerConfiguration {
    public static let className = "TimeDistributed"
    /// Fields every layer has.
    public var common: LayerCommonConfig
    /// The layer applied per step.
    public var layer: LayerConfig

    enum CodingKeys: String, CodingKey { case layer }

    public init(from decoder: any Decoder) throws {
        common = try LayerCommonConfig(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        layer = try LayerConfig.decode(entry: try container.decode(JSONValue.self, forKey: .layer), index: 0)
    }

    public var kerasArguments: [(name: String, value: JSONValue)] {
        [("layer", .object(["class_name": .string(layer.className), "config": .object(Dictionary(layer.kerasArguments, uniquingKeysWith: { first, _ in first }))]))]
    }
}

/// The recurrent layer configs (LSTM, GRU, SimpleRNN).
protocol RecurrentLayerConfiguration: LayerConfiguration {
    var sequenceOptions: SequenceOptions { get }
}

extension LSTMConfig: RecurrentLayerConfiguration {}
extension GRUConfig: RecurrentLayerConfiguration {
    var sequenceOptions: SequenceOptions { recurrent.sequenceOptions }
}
extension SimpleRNNConfig: RecurrentLayerConfiguration {
    var sequenceOptions: SequenceOptions { recurrent.sequenceOptions }
}
