/// Names one tensor in a model graph: output `tensor` of call `node` of layer `layer`,
/// as Keras's `[layer_name, node_index, tensor_index]` triples do.
public struct TensorReference: Sendable, Hashable, CustomStringConvertible {
    /// The producing layer's name.
    public var layer: String
    /// Which call of the layer (0 for the first).
    public var node: Int
    /// Which of that call's outputs.
    public var tensor: Int

    /// Creates a reference.
    public init(layer: String, node: Int = 0, tensor: Int = 0) {
        self.layer = layer
        self.node = node
        self.tensor = tensor
    }

    public var description: String { "\(layer)[\(node)][\(tensor)]" }
}

/// One call of a layer in a model graph: what it was called on.
public struct NodeConfig: Sendable, Hashable {
    /// The call's tensor inputs, in order (several for merge layers).
    public var inputs: [TensorReference]
    /// States passed as `initial_state` to a recurrent layer.
    public var initialState: [TensorReference]
    /// Masks passed explicitly as the call's `mask=` argument, one per input (nil where that
    /// input's own mask applies); empty when the call passes none.
    public var masks: [TensorReference?]
    /// The call's positional arguments as written (Keras 3 only), tensors included as
    /// `__keras_tensor__` objects: operations read their constants from here.
    public var arguments: [JSONValue]
    /// The call's keyword arguments as written (`training`, `mask`, …), the tensors that are
    /// ``inputs`` or ``keywordInputs`` aside.
    public var keywordArguments: [String: JSONValue]
    /// The tensors the call passes by keyword that are not among its inputs (`attention_mask=`),
    /// by parameter name.
    public var keywordInputs: [String: TensorReference]

    /// Creates a node.
    public init(inputs: [TensorReference], initialState: [TensorReference] = [], masks: [TensorReference?] = [],
                arguments: [JSONValue] = [], keywordArguments: [String: JSONValue] = [:], keywordInputs: [String: TensorReference] = [:]) {
        self.inputs = inputs
        self.initialState = initialState
        self.masks = masks
        self.arguments = arguments
        self.keywordArguments = keywordArguments
        self.keywordInputs = keywordInputs
    }

    /// Every tensor the call reads: inputs, initial states, keyword tensors and `mask=` tensors.
    public var allReferences: [TensorReference] {
        inputs + initialState + keywordInputs.keys.sorted().compactMap { keywordInputs[$0] } + masks.compactMap { $0 }
    }

    /// The same call with every reference passed through `transform`.
    func mapReferences(_ transform: (TensorReference) -> TensorReference) -> NodeConfig {
        NodeConfig(inputs: inputs.map(transform), initialState: initialState.map(transform), masks: masks.map { $0.map(transform) },
                   arguments: arguments, keywordArguments: keywordArguments, keywordInputs: keywordInputs.mapValues(transform))
    }
}

/// How a model's layers are wired: each layer's calls, and the model's inputs and outputs.
///
/// A Sequential model is the chain in which each layer is called once on the previous layer's
/// output; a Functional model spells out its graph.
public struct ModelGraph: Sendable, Hashable {
    /// The model's inputs in order: each names an `InputLayer` (or, for a Sequential model, the
    /// implicit input).
    public var inputs: [TensorReference]
    /// The model's outputs in order.
    public var outputs: [TensorReference]
    /// Per layer name, its calls in call order.
    public var nodes: [String: [NodeConfig]]

    /// Creates a graph.
    public init(inputs: [TensorReference], outputs: [TensorReference], nodes: [String: [NodeConfig]]) {
        self.inputs = inputs
        self.outputs = outputs
        self.nodes = nodes
    }
}

extension ModelGraph {
    /// Reads a Keras 2 list-form or Keras 3 dict-form `inbound_nodes` list.
    static func decodeNodes(_ value: JSONValue?, layer: LayerConfig) throws(KerasConfigError) -> [NodeConfig] {
        guard let value, value != .null else { return [] }
        guard let calls = value.arrayValue else {
            throw .invalidLayerConfig(layer: layer.name, className: layer.className, reason: "inbound_nodes is not a list")
        }
        var nodes: [NodeConfig] = []
        for call in calls {
            if let members = call.objectValue {
                // Keras 3: {"args": [...], "kwargs": {...}} with __keras_tensor__ leaves.
                let arguments = members["args"]?.arrayValue ?? []
                var inputs: [TensorReference] = []
                for argument in arguments {
                    inputs += try kerasTensors(in: argument, layer: layer)
                }
                var kwargs = members["kwargs"]?.objectValue ?? [:]
                inputs += try keywordParameterInputs(&kwargs, positionalCount: arguments.count, layer: layer) { value throws(KerasConfigError) in
                    let found = try kerasTensors(in: value, layer: layer)
                    return value["class_name"]?.stringValue == "__keras_tensor__" ? found.first : nil
                }
                let initialState = try kwargs["initial_state"].map { value throws(KerasConfigError) in try kerasTensors(in: value, layer: layer) } ?? []
                let masks = try explicitMasks(kwargs["mask"], inputCount: inputs.count, layer: layer)
                var keywordInputs: [String: TensorReference] = [:]
                for (name, value) in kwargs where name != "mask" && name != "initial_state" && value["class_name"]?.stringValue == "__keras_tensor__" {
                    keywordInputs[name] = try kerasTensors(in: value, layer: layer).first
                    kwargs.removeValue(forKey: name)
                }
                nodes.append(NodeConfig(inputs: inputs, initialState: initialState, masks: masks,
                                        arguments: arguments, keywordArguments: kwargs, keywordInputs: keywordInputs))
            } else if let references = call.arrayValue, references.first?.stringValue != nil {
                nodes.append(try tensorOperationNode(call, layer: layer))
            } else if let references = call.arrayValue {
                // Keras 2: [[name, node, tensor, kwargs], ...]; a recurrent layer's extra
                // inputs are its initial states.
                var inputs: [TensorReference] = []
                for reference in references {
                    inputs.append(try tensorReference(reference, layer: layer))
                }
                var kwargs = references.first?.arrayValue.flatMap { $0.count > 3 ? $0[3].objectValue : nil } ?? [:]
                // tf-keras writes every argument after the first by name, tensors as triples.
                func triple(_ value: JSONValue) throws(KerasConfigError) -> TensorReference? {
                    guard let items = value.arrayValue, items.count == 3, items[0].stringValue != nil else { return nil }
                    return try tensorReference(value, layer: layer)
                }
                inputs += try keywordParameterInputs(&kwargs, positionalCount: 1, layer: layer, tensor: triple)
                var keywordInputs: [String: TensorReference] = [:]
                for (name, value) in kwargs where name != "mask" && name != "initial_state" {
                    if let reference = try triple(value) {
                        keywordInputs[name] = reference
                        kwargs.removeValue(forKey: name)
                    }
                }
                if layer.isRecurrent, inputs.count > 1 {
                    let masks = try explicitMasks(kwargs["mask"], inputCount: 1, layer: layer)
                    nodes.append(NodeConfig(inputs: [inputs[0]], initialState: Array(inputs.dropFirst()), masks: masks,
                                            keywordArguments: kwargs, keywordInputs: keywordInputs))
                } else {
                    let masks = try explicitMasks(kwargs["mask"], inputCount: inputs.count, layer: layer)
                    nodes.append(NodeConfig(inputs: inputs, masks: masks, keywordArguments: kwargs, keywordInputs: keywordInputs))
                }
            } else {
                throw .invalidLayerConfig(layer: layer.name, className: layer.className, reason: "inbound node is neither a list nor an object")
            }
        }
        return nodes
    }

    /// The inputs a call passes by keyword for a layer whose ``LayerConfiguration/tensorParameters``
    /// name them (`value=`, `key=`), removed from `kwargs`, in the signature's order after the
    /// `positionalCount` parameters the positional arguments fill. A parameter passed both ways,
    /// or one passed while an earlier one is missing, is refused.
    private static func keywordParameterInputs(
        _ kwargs: inout [String: JSONValue], positionalCount: Int, layer: LayerConfig,
        tensor: (JSONValue) throws(KerasConfigError) -> TensorReference?
    ) throws(KerasConfigError) -> [TensorReference] {
        let parameters = type(of: layer.configuration).tensorParameters
        for name in parameters.prefix(positionalCount) where kwargs[name] != nil && kwargs[name] != .null {
            throw .invalidLayerConfig(layer: layer.name, className: layer.className, reason: "the call passes '\(name)' both by position and by keyword")
        }
        var inputs: [TensorReference] = []
        var missing: String?
        for name in parameters.dropFirst(positionalCount) {
            guard let value = kwargs.removeValue(forKey: name), value != .null else {
                missing = missing ?? name
                continue
            }
            guard let reference = try tensor(value) else {
                throw .invalidLayerConfig(layer: layer.name, className: layer.className, reason: "the call's '\(name)' = \(value) is not one tensor")
            }
            if let missing {
                throw .invalidLayerConfig(layer: layer.name, className: layer.className, reason: "the call passes '\(name)' but not '\(missing)'")
            }
            inputs.append(reference)
        }
        return inputs
    }

    /// A Keras 2 call of a TensorFlow operation (`TFOpLambda`: `x + 3.0`, `tf.math.multiply(x, s)`),
    /// written as one `[name, node, tensor, kwargs]` reference whose kwargs hold the other
    /// operand `y`: a constant, or a tensor reference that becomes the second input. The operands
    /// become the node's positional arguments as Keras 3 writes them (tensors as
    /// `__keras_tensor__` placeholders), so operations read their constants one way.
    private static func tensorOperationNode(_ call: JSONValue, layer: LayerConfig) throws(KerasConfigError) -> NodeConfig {
        let first = try tensorReference(call, layer: layer)
        var kwargs = call.arrayValue.flatMap { $0.count > 3 ? $0[3].objectValue : nil } ?? [:]
        let placeholder = JSONValue.object(["class_name": .string("__keras_tensor__")])
        var inputs = [first]
        var arguments = [placeholder]
        if let operand = kwargs.removeValue(forKey: "y") {
            if operand.arrayValue?.first?.stringValue != nil {
                inputs.append(try tensorReference(operand, layer: layer))
                arguments.append(placeholder)
            } else {
                arguments.append(operand)
            }
        }
        if kwargs["name"] == .null { kwargs.removeValue(forKey: "name") }
        return NodeConfig(inputs: inputs, arguments: arguments, keywordArguments: kwargs)
    }

    /// A call's `mask=` argument: Keras 3 writes `null`, a `__keras_tensor__` or a list of them
    /// (one per input, `null` where none); Keras 2 a `[layer, node, tensor]` triple or a list.
    private static func explicitMasks(_ value: JSONValue?, inputCount: Int, layer: LayerConfig) throws(KerasConfigError) -> [TensorReference?] {
        guard let value, value != .null else { return [] }
        func reference(_ item: JSONValue) throws(KerasConfigError) -> TensorReference? {
            if item == .null { return nil }
            if item["class_name"]?.stringValue == "__keras_tensor__" {
                let found = try kerasTensors(in: item, layer: layer)
                return found.first
            }
            return try tensorReference(item, layer: layer)
        }
        let items: [JSONValue]
        if value.objectValue != nil || (value.arrayValue?.first?.stringValue != nil) {
            items = [value]
        } else if let list = value.arrayValue {
            items = list
        } else {
            throw .invalidLayerConfig(layer: layer.name, className: layer.className, reason: "mask argument \(value) is neither a tensor nor a list of tensors")
        }
        // Fewer masks than inputs leave the last inputs without one (Attention's
        // `[query_mask, value_mask]` for `[query, value, key]`).
        guard items.count <= inputCount || items.count == 1 else {
            throw .invalidLayerConfig(layer: layer.name, className: layer.className, reason: "\(items.count) masks passed for \(inputCount) inputs")
        }
        var masks: [TensorReference?] = []
        for item in items { masks.append(try reference(item)) }
        if masks.count > 1 { masks += Array(repeating: nil, count: inputCount - masks.count) }
        return masks.allSatisfy { $0 == nil } ? [] : masks
    }

    /// Every `__keras_tensor__` in a Keras 3 call argument, depth first.
    private static func kerasTensors(in value: JSONValue, layer: LayerConfig, depth: Int = 0) throws(KerasConfigError) -> [TensorReference] {
        guard depth < 16 else {
            throw .invalidLayerConfig(layer: layer.name, className: layer.className, reason: "call arguments nest too deeply")
        }
        switch value {
        case .array(let items):
            var result: [TensorReference] = []
            for item in items { result += try kerasTensors(in: item, layer: layer, depth: depth + 1) }
            return result
        case .object(let members):
            if members["class_name"]?.stringValue == "__keras_tensor__" {
                guard let history = value["config"]?["keras_history"] else {
                    throw .invalidLayerConfig(layer: layer.name, className: layer.className, reason: "keras tensor without keras_history")
                }
                return [try tensorReference(history, layer: layer)]
            }
            var result: [TensorReference] = []
            for key in members.keys.sorted() {
                if let member = members[key] { result += try kerasTensors(in: member, layer: layer, depth: depth + 1) }
            }
            return result
        default:
            return []
        }
    }

    /// `[name, node_index, tensor_index, (kwargs)]`.
    static func tensorReference(_ value: JSONValue, layer: LayerConfig?) throws(KerasConfigError) -> TensorReference {
        guard let items = value.arrayValue, items.count >= 3, let name = items[0].stringValue,
              case .number(let node) = items[1], case .number(let tensor) = items[2],
              node >= 0, tensor >= 0, node < 1_000_000, tensor < 1_000_000 else {
            let reason = "invalid tensor reference \(value)"
            if let layer { throw .invalidLayerConfig(layer: layer.name, className: layer.className, reason: reason) }
            throw .invalidModelConfig(reason: reason)
        }
        return TensorReference(layer: name, node: Int(node), tensor: Int(tensor))
    }

    /// `input_layers` / `output_layers`: Keras 2 always writes a list of triples; Keras 3
    /// collapses a single one to the triple itself, and may write a dict.
    static func decodeEndpoints(_ value: JSONValue?, key: String) throws(KerasConfigError) -> [TensorReference] {
        guard let value else { throw .invalidModelConfig(reason: "Functional config has no \(key)") }
        if let items = value.arrayValue, items.count >= 3, items[0].stringValue != nil {
            return [try tensorReference(value, layer: nil)]
        }
        if let items = value.arrayValue {
            var result: [TensorReference] = []
            for item in items { result.append(try tensorReference(item, layer: nil)) }
            return result
        }
        if let members = value.objectValue {
            var result: [TensorReference] = []
            for name in members.keys.sorted() {
                if let member = members[name] { result.append(try tensorReference(member, layer: nil)) }
            }
            return result
        }
        throw .invalidModelConfig(reason: "\(key) is neither a list nor a dict")
    }
}
