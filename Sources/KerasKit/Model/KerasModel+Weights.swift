/// Why a model's weights don't fit its config.
public enum WeightLoadingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The layer needs weights the file doesn't have.
    case missingWeights(layer: String, expected: [String], found: [String])
    /// The file has more weights for the layer than it uses.
    case extraWeights(layer: String, extra: [String])
    /// A weight's shape differs from what the config implies.
    case shapeMismatch(layer: String, weight: String, expected: [Int], actual: [Int])
    /// The file has weights for a layer the config doesn't name.
    case unknownLayer(layer: String, weights: [String])
    /// The layer's input shape can't be known from the config.
    case unknownInputSize(layer: String, shape: [Int?])
    /// The layers can't be wired as the config asks.
    case unsupportedTopology(layer: String, reason: String)

    public var description: String {
        switch self {
        case .missingWeights(let layer, let expected, let found):
            "layer '\(layer)': missing weights: expects [\(expected.joined(separator: ", "))], the file has [\(found.joined(separator: ", "))]"
        case .extraWeights(let layer, let extra):
            "layer '\(layer)': unexpected extra weights [\(extra.joined(separator: ", "))]"
        case .shapeMismatch(let layer, let weight, let expected, let actual):
            "layer '\(layer)': weight \(weight) has shape \(actual.shapeDescription), expected \(expected.shapeDescription)"
        case .unknownLayer(let layer, let weights):
            "weights for layer '\(layer)' that the model config doesn't have: [\(weights.joined(separator: ", "))]"
        case .unknownInputSize(let layer, let shape):
            "layer '\(layer)': input shape \(shape.shapeDescription) leaves the feature axis unknown"
        case .unsupportedTopology(let layer, let reason):
            "layer '\(layer)': \(reason)"
        }
    }
}

// The single place where Keras's stored weights become native layers: every count and shape is
// checked against the config before a layer is built.
extension KerasModel {
    static func makeLayer(_ config: LayerConfig, inputs: [[Int?]], weights: [WeightArray], generation: KerasGeneration) throws(WeightLoadingError) -> any InferenceLayer {
        let input = inputs.first ?? []
        switch config {
        case .input:
            throw .unsupportedTopology(layer: config.name, reason: "InputLayer inside the layer list")
        case .dropout(let dropout):
            try expect(weights, layer: config.name, roles: [])
            return DropoutLayer(config: dropout)
        case .activation(let activation):
            try expect(weights, layer: config.name, roles: [])
            return ActivationLayer(config: activation, generation: generation)
        case .dense(let dense):
            guard let last = input.last, let inputUnits = last else {
                throw .unknownInputSize(layer: config.name, shape: input)
            }
            let roles = dense.useBias ? ["kernel", "bias"] : ["kernel"]
            try expect(weights, layer: config.name, roles: roles)
            try checkShape(weights[0], layer: config.name, expected: [inputUnits, dense.units])
            if dense.useBias { try checkShape(weights[1], layer: config.name, expected: [dense.units]) }
            return DenseLayer(config: dense, generation: generation, inputUnits: inputUnits, kernel: weights[0].floats, bias: dense.useBias ? weights[1].floats : nil)
        case .lstm(let lstm):
            guard input.count == 3, let last = input.last, let inputUnits = last else {
                throw .unknownInputSize(layer: config.name, shape: input)
            }
            let roles = lstm.useBias ? ["kernel", "recurrent_kernel", "bias"] : ["kernel", "recurrent_kernel"]
            try expect(weights, layer: config.name, roles: roles)
            let gates = 4 * lstm.units
            try checkShape(weights[0], layer: config.name, expected: [inputUnits, gates])
            try checkShape(weights[1], layer: config.name, expected: [lstm.units, gates])
            if lstm.useBias { try checkShape(weights[2], layer: config.name, expected: [gates]) }
            return LSTMLayer(
                config: lstm, generation: generation, inputUnits: inputUnits,
                kernel: weights[0].floats, recurrentKernel: weights[1].floats,
                bias: lstm.useBias ? weights[2].floats : nil
            )
        }
    }

    /// Checks the count of weights, and that each stored name ends in the role Keras gives it
    /// (`kernel`, `recurrent_kernel`, `bias`; `:0` and scope prefixes aside).
    private static func expect(_ weights: [WeightArray], layer: String, roles: [String]) throws(WeightLoadingError) {
        let names = weights.map(\.source)
        if weights.count < roles.count {
            throw .missingWeights(layer: layer, expected: roles, found: names)
        }
        if weights.count > roles.count {
            throw .extraWeights(layer: layer, extra: Array(names[roles.count...]))
        }
        for (weight, role) in zip(weights, roles) {
            let leaf = weight.name.split(separator: "/").last.map { String($0.split(separator: ":").first ?? $0) } ?? weight.name
            // Keras 3 `.keras` archives store by position (`vars/0`), so digits carry no role.
            if leaf != role, Int(leaf) == nil {
                throw .missingWeights(layer: layer, expected: roles, found: names)
            }
        }
    }

    private static func checkShape(_ weight: WeightArray, layer: String, expected: [Int]) throws(WeightLoadingError) {
        guard weight.shape == expected else {
            throw .shapeMismatch(layer: layer, weight: weight.source, expected: expected, actual: weight.shape)
        }
    }
}
