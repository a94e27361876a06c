/// Why a Keras model config could not be decoded into typed configuration.
public enum KerasConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is not JSON (or nests too deeply to be a Keras config).
    case invalidJSON(reason: String)
    /// The top-level model class is not one KerasKit can rebuild.
    case unsupportedModel(className: String)
    /// A layer class KerasKit does not implement. Nothing from the file is ever executed.
    case unsupportedLayer(className: String, name: String)
    /// A layer names an activation KerasKit does not implement.
    case unsupportedActivation(name: String, layer: String)
    /// A layer's config is malformed: a missing key, a wrong type or an out-of-range value.
    case invalidLayerConfig(layer: String, className: String, reason: String)
    /// The model config itself (outside any one layer) is malformed.
    case invalidModelConfig(reason: String)

    public var description: String {
        switch self {
        case .invalidJSON(let reason):
            "model_config is not valid JSON: \(reason)"
        case .unsupportedModel(let className):
            "unsupported model class '\(className)' (KerasKit rebuilds Sequential and Functional models)"
        case .unsupportedLayer(let className, let name):
            "layer '\(name)': unsupported layer class '\(className)'"
        case .unsupportedActivation(let name, let layer):
            "layer '\(layer)': unsupported activation '\(name)'"
        case .invalidLayerConfig(let layer, let className, let reason):
            "layer '\(layer)' (\(className)): invalid config: \(reason)"
        case .invalidModelConfig(let reason):
            "invalid model config: \(reason)"
        }
    }
}
