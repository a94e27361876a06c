import Foundation

/// The typed config of one Keras layer class: what a layer file declares about its class for
/// the generic code (decoding, `inspect`, weight checking, nested-model splitting, `.keras`
/// paths, native packing, counts), which never names a class.
///
/// Each supported class has one, listed once in ``LayerRegistry``; its
/// ``init(common:arguments:)`` reads every key of the class with Keras's default.
public protocol LayerConfiguration: Sendable {
    /// The Keras class name this config decodes (`"LSTM"`).
    static var className: String { get }
    /// Other names Keras writes for the same class (Keras 2 aliases).
    static var aliases: [String] { get }
    /// Whether the class is a Keras 3 operation recorded in Functional graphs (`NotEqual`,
    /// `Any`, …) rather than a layer: it is not in `model.layers` and owns no weights.
    static var isOperation: Bool { get }
    /// Whether Keras 3 also writes the class as an operation node (module `keras.src.ops.*`)
    /// with the same name and meaning; true for every operation. (`Concatenate` and `Reshape`
    /// are not: their operations are classes of their own.)
    static var isRecordedAsOperation: Bool { get }
    /// Whether the class computes the same in training as at inference, so a call recorded
    /// with `training=True` (Keras 3 records its preprocessing layers' signature default) runs
    /// as written.
    static var ignoresTraining: Bool { get }
    /// The names of `call`'s tensor parameters in its signature's order, for a layer whose
    /// calls may pass them by keyword (`MultiHeadAttention`'s `query`, `value`, `key`): a call's
    /// positional arguments fill them from the first, its keyword arguments by name, and the
    /// graph gives the layer all of them as its inputs, in this order. Empty (the default) for a
    /// layer whose tensors are its positional arguments only.
    static var tensorParameters: [String] { get }
    /// `call`'s parameters that take a tensor by keyword only, beside the inputs
    /// (`attention_mask`): the layer reads them from ``LayerCall/keywordInputs``. Any other
    /// keyword tensor a call passes is refused by name.
    static var keywordTensorParameters: [String] { get }
    /// `call`'s other keyword arguments the layer implements (`use_causal_mask`,
    /// `return_attention_scores`): it reads them when it is built, from
    /// ``LayerBuildContext/callOptions``, and every call of a shared layer must pass the same.
    /// Any other argument is refused by name.
    static var callOptions: [String] { get }
    /// The Python class a `.keras` archive names the layer's weights group after, when it isn't
    /// the class name the config writes (`GroupQueryAttention` is an alias of the class
    /// `GroupedQueryAttention`); nil for the written name.
    static var archiveClassName: String? { get }
    /// Reads the class's own arguments, each once with Keras's default; `common` holds the
    /// fields every layer has.
    /// - Throws: ``KerasConfigError`` naming the layer and the key.
    init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError)
    /// Fields every layer has.
    var common: LayerCommonConfig { get }
    /// How many tensors one call returns (3 for an LSTM with `return_state`).
    var outputCount: Int { get }
    /// Whether the layer takes `initial_state` (Keras 2 writes it as extra inputs).
    var isRecurrent: Bool { get }
    /// Whether the layer carries states across predict calls.
    var isStateful: Bool { get }
    /// The layer's weights in Keras's stored order: name, and whether training updates it.
    var weightRoles: [WeightRole] { get }
    /// Where a `.keras` archive keeps the layer's weights.
    var archiveWeights: ArchiveWeights { get }
    /// The layers this one wraps (`Bidirectional`'s two, `TimeDistributed`'s one).
    var wrappedLayers: [LayerConfig] { get }
}

extension LayerConfiguration {
    public static var aliases: [String] { [] }
    public static var isOperation: Bool { false }
    public static var isRecordedAsOperation: Bool { isOperation }
    public static var ignoresTraining: Bool { false }
    public static var tensorParameters: [String] { [] }
    public static var keywordTensorParameters: [String] { [] }
    public static var callOptions: [String] { [] }
    public static var archiveClassName: String? { nil }
    public var outputCount: Int { 1 }
    public var isRecurrent: Bool { false }
    public var isStateful: Bool { false }
    public var weightRoles: [WeightRole] { [] }
    public var archiveWeights: ArchiveWeights { .vars(at: "vars") }
    public var wrappedLayers: [LayerConfig] { [] }
}

/// One weight a layer declares.
public struct WeightRole: Sendable, Hashable {
    /// The name Keras gives it (`kernel`, `recurrent_kernel`, `moving_mean`, …); stored names
    /// end in it (`.keras` archives number them instead).
    public var name: String
    /// Whether training updates it (Keras's `trainable_weights`); `moving_mean` and the other
    /// statistics are not.
    public var trainable: Bool
    /// For a matrix the layer multiplies by, the column groups its product splits it into (4
    /// for an LSTM's gates): such a weight may be stored packed for the SIMD kernels.
    public var packedGroups: Int?
    /// Other names a writer gives the same weight (tf-keras's `depthwise_kernel` is Keras 3's
    /// `kernel`).
    public var otherNames: [String]
    /// Whether the layer keeps the weight without computing with it (`Normalization`'s `count`,
    /// which Keras stores as an int64): it may be stored in any dtype, and only its shape is
    /// checked. Every other weight must be floating point.
    public var unread: Bool

    /// Declares a weight.
    public init(_ name: String, trainable: Bool = true, packedGroups: Int? = nil, otherNames: [String] = [], unread: Bool = false) {
        self.name = name
        self.trainable = trainable
        self.packedGroups = packedGroups
        self.otherNames = otherNames
        self.unread = unread
    }
}

/// Where a `.keras` archive's `model.weights.h5` keeps a layer's weights, relative to the
/// layer's own group (`layers/dense`).
public enum ArchiveWeights: Sendable {
    /// The datasets `0`, `1`, … of the `vars` group at this path (`vars`, or `cell/vars` for
    /// a recurrent layer, which saves its weights through its cell).
    case vars(at: String)
    /// The weights of sublayers, each in its own group at a path, in this order.
    case sublayers([(path: String, layer: LayerConfig)])
    /// A nested model: its layers under its own `layers` group.
    case nestedModel(ModelConfig)
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
    /// Every argument as the config type read it, defaults applied, in Keras's order.
    public let kerasArguments: [(name: String, value: JSONValue)]

    /// Wraps a typed configuration with the arguments it was read from.
    public init(_ configuration: any LayerConfiguration, module: String? = nil, className: String? = nil,
                kerasArguments: [(name: String, value: JSONValue)]? = nil) {
        self.className = className ?? type(of: configuration).className
        self.configuration = configuration
        self.module = module
        self.kerasArguments = kerasArguments ?? configuration.common.kerasArguments
    }

    /// Whether this is a Keras 3 operation (`NotEqual`, `Any`, …) recorded in a Functional
    /// graph rather than a layer: it is not in `model.layers` and owns no weights.
    public var isOperation: Bool { type(of: configuration).isOperation || (module.map(isOperationModule) ?? false) }

    /// The configuration as `type`, or nil for another class.
    public func configuration<Configuration: LayerConfiguration>(as type: Configuration.Type) -> Configuration? {
        configuration as? Configuration
    }

    /// The Keras class names KerasKit can rebuild.
    public static var supportedClassNames: [String] { LayerRegistry.classNames }

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

    /// Whether KerasKit implements the class (and every class it wraps or contains).
    public var isSupported: Bool { unsupportedLayers.isEmpty }

    /// This layer and every layer inside it (wrapped layers, nested models' layers) whose class
    /// KerasKit doesn't implement, depth first.
    public var unsupportedLayers: [LayerConfig] {
        if configuration is UnsupportedLayerConfig { return [self] }
        if let nested = configuration as? NestedModelConfig { return nested.model.layers.flatMap(\.unsupportedLayers) }
        return configuration.wrappedLayers.flatMap(\.unsupportedLayers)
    }

    /// `{"class_name": …, "config": {arguments}}`, as `inspect` shows a wrapped layer.
    var argumentsJSON: JSONValue {
        .object(["class_name": .string(className), "config": .object(Dictionary(kerasArguments, uniquingKeysWith: { first, _ in first }))])
    }

    /// The weights the layer declares, with its own `trainable` flag applied: a frozen layer's
    /// weights are all non-trainable, as Keras counts them.
    public var weightRoles: [WeightRole] {
        let roles = configuration.weightRoles
        guard !common.trainable else { return roles }
        return roles.map { role in
            var frozen = role
            frozen.trainable = false
            return frozen
        }
    }

    /// Decodes one `{"class_name": …, "config": {…}}` layer entry. A class KerasKit doesn't
    /// implement decodes as an ``UnsupportedLayerConfig``, so the model can still be inspected;
    /// building it refuses every such class at once.
    /// - Throws: ``KerasConfigError`` naming the layer and class on any problem.
    public static func decode(entry: JSONValue, index: Int) throws(KerasConfigError) -> LayerConfig {
        guard let className = entry["class_name"]?.stringValue else {
            throw .invalidModelConfig(reason: "layer #\(index) has no class_name")
        }
        guard let config = entry["config"], let members = config.objectValue else {
            throw .invalidModelConfig(reason: "layer #\(index) (\(className)) has no config object")
        }
        let name = config["name"]?.stringValue ?? entry["name"]?.stringValue ?? "#\(index)"
        let module = entry["module"]?.stringValue
        if NestedModelConfig.classNames.contains(className) {
            let nested = try NestedModelConfig(entry: entry, name: name)
            return LayerConfig(nested, module: module, className: className, kerasArguments: nested.common.kerasArguments + [("model", nested.model.json)])
        }
        // An operation node is looked up among operations only: `Add` there is `keras.ops.add`
        // (which may take a constant), not the `Add` layer.
        let isOperationNode = module.map(isOperationModule) ?? isLegacyOperationNode(entry, config: members, className: className)
        let found = isOperationNode ? LayerRegistry.operationType(named: className) : LayerRegistry.configurationType(named: className)
        guard let type = found else {
            return LayerConfig(UnsupportedLayerConfig(common: LayerCommonConfig(name: name), className: className, config: config),
                               module: module, className: className, kerasArguments: members.keys.sorted().map { ($0, members[$0] ?? .null) })
        }
        var arguments = LayerArguments(members, layer: name, className: className)
        let common = try LayerCommonConfig(reading: &arguments, name: name)
        let configuration = try type.init(common: common, arguments: &arguments)
        try arguments.checkAllRead()
        return LayerConfig(configuration, module: module, className: className, kerasArguments: arguments.recorded)
    }
}

/// Whether a Keras 3 module holds operations rather than layers: `keras.src.ops.*`, and
/// `keras.src.activations.activations`, whose `ReLU` class `keras.activations.relu` records.
private func isOperationModule(_ module: String) -> Bool {
    module.hasPrefix("keras.src.ops") || module.hasPrefix("keras.src.activations")
}

/// Whether an entry without a `module` (Keras 3's legacy `.h5` drops it) is an operation node
/// of a Keras 3 call (`args` recorded): a layer's config always holds `trainable` (and
/// `dtype`), an operation's never does. A config of `name` alone may still be a hand-written
/// layer's: it is an operation when its call passes the operands as separate arguments (a
/// merge layer takes one list of tensors).
private func isLegacyOperationNode(_ entry: JSONValue, config: [String: JSONValue], className: String) -> Bool {
    guard LayerRegistry.operationType(named: className) != nil, config["trainable"] == nil,
          let node = entry["inbound_nodes"]?.arrayValue?.first, let arguments = node["args"]?.arrayValue else { return false }
    if config.keys.contains(where: { $0 != "name" }) { return true }
    return !(arguments.count == 1 && arguments[0].arrayValue != nil)
}

/// A layer whose class KerasKit doesn't implement: kept with its config as written, so the model
/// can be inspected. Loading a model that holds one fails, naming every such class.
public struct UnsupportedLayerConfig: LayerConfiguration {
    public static let className = "(unsupported)"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The Keras class name as written.
    public let className: String
    /// The layer's config object as written.
    public let config: JSONValue

    init(common: LayerCommonConfig, className: String, config: JSONValue) {
        self.common = common
        self.className = className
        self.config = config
    }

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        throw .unsupportedLayer(className: arguments.className, name: common.name)
    }
}

/// Keys every Keras layer config carries.
public struct LayerCommonConfig: Sendable, Hashable {
    /// The layer's unique name within its model.
    public var name: String
    /// Whether training updates the weights (no effect on inference; it decides which weights
    /// Keras counts as trainable).
    public var trainable: Bool
    /// The dtype policy; nil when the file writes none.
    public var dtype: DTypePolicy?
    /// Older Sequential configs put the model's input shape on the first layer.
    public var batchInputShape: [Int?]?

    init(name: String) {
        self.name = name
        trainable = true
    }

    /// Reads `name`, `trainable`, `dtype` and the batch input shape Keras 2 (`batch_input_shape`)
    /// or Keras 3 (`batch_shape`) may write.
    init(reading arguments: inout LayerArguments, name: String) throws(KerasConfigError) {
        self.name = name
        _ = try arguments.string("name", default: name)
        trainable = try arguments.flag("trainable", default: true)
        if let value = arguments.take("dtype"), value != .null {
            do {
                dtype = try value.decode(DTypePolicy.self)
            } catch {
                throw arguments.invalid("dtype", "expected a dtype name or policy, found \(pythonLiteral(value))")
            }
        }
        arguments.record("dtype", dtype.map { .string($0.name) } ?? .null)
        for key in ["batch_input_shape", "batch_shape"] where arguments.contains(key) {
            if let shape = try arguments.shape(key) { batchInputShape = shape }
        }
    }

    /// `name`, `trainable` and `dtype` as Keras lists them.
    public var kerasArguments: [(name: String, value: JSONValue)] {
        [("name", .string(name)), ("trainable", .bool(trainable)), ("dtype", dtype.map { .string($0.name) } ?? .null)]
    }
}
