/// Why a model's weights don't fit its config.
public enum WeightLoadingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The layer needs weights the file doesn't have.
    case missingWeights(layer: String, expected: [String], found: [String])
    /// The file has more weights for the layer than it uses.
    case extraWeights(layer: String, extra: [String])
    /// A weight's shape differs from what the config implies.
    case shapeMismatch(layer: String, weight: String, expected: [Int], actual: [Int])
    /// A weight the layer computes with is not stored as floating point.
    case notFloatingPoint(layer: String, weight: String, dtype: String)
    /// The file has weights for a layer the config doesn't name.
    case unknownLayer(layer: String, weights: [String])
    /// The layer's input shape can't be known from the config.
    case unknownInputSize(layer: String, shape: [Int?])
    /// The layers can't be wired as the config asks.
    case unsupportedTopology(layer: String, reason: String)
    /// The model holds layer classes KerasKit doesn't implement: each class with its layers' names.
    case unsupportedLayerClasses([UnsupportedLayerClass])

    public var description: String {
        switch self {
        case .missingWeights(let layer, let expected, let found):
            "layer '\(layer)': missing weights: expects [\(expected.joined(separator: ", "))], the file has [\(found.joined(separator: ", "))]"
        case .extraWeights(let layer, let extra):
            "layer '\(layer)': unexpected extra weights [\(extra.joined(separator: ", "))]"
        case .shapeMismatch(let layer, let weight, let expected, let actual):
            "layer '\(layer)': weight \(weight) has shape \(actual.shapeDescription), expected \(expected.shapeDescription)"
        case .notFloatingPoint(let layer, let weight, let dtype):
            "layer '\(layer)': weight \(weight) must be floating point, found \(dtype)"
        case .unknownLayer(let layer, let weights):
            "weights for layer '\(layer)' that the model config doesn't have: [\(weights.joined(separator: ", "))]"
        case .unknownInputSize(let layer, let shape):
            "layer '\(layer)': input shape \(shape.shapeDescription) leaves a needed axis unknown"
        case .unsupportedTopology(let layer, let reason):
            "layer '\(layer)': \(reason)"
        case .unsupportedLayerClasses(let classes):
            "unsupported layer class\(classes.count == 1 ? "" : "es"): "
                + classes.map { "\($0.className) (\($0.layers.joined(separator: ", ")))" }.joined(separator: ", ")
        }
    }
}

/// A layer's stored weights with the checks every layer applies: the count, the role each name
/// ends in, and each shape; read as the `Scalar` the layer computes in.
struct WeightList<Scalar: ComputeScalar> {
    let layer: String
    let arrays: [WeightArray]
    /// The roles the layer declares, in stored order.
    var roles: [WeightRole] = []

    /// Checks the stored weights against the declared roles (``expect(_:)``).
    func expectRoles() throws(WeightLoadingError) {
        try expect(roles)
    }

    /// The index of the declared role `name`.
    func index(of name: String) throws(WeightLoadingError) -> Int {
        guard let index = roles.firstIndex(where: { $0.name == name }) else {
            throw .missingWeights(layer: layer, expected: [name], found: arrays.map(\.source))
        }
        return index
    }

    /// The weight of role `name` as `Scalar`, after checking its shape.
    func values(_ name: String, shape expected: [Int]) throws(WeightLoadingError) -> [Scalar] {
        try values(try index(of: name), shape: expected)
    }

    /// The weight of role `name` as constant values, in place in a native file's mapping when it can.
    func vector(_ name: String, shape expected: [Int]) throws(WeightLoadingError) -> WeightVector<Scalar> {
        try vector(try index(of: name), shape: expected)
    }

    /// The weight of role `name` as a matrix for products in `groups` column groups.
    func matrix(_ name: String, shape expected: [Int], groups: Int) throws(WeightLoadingError) -> Scalar.Matrix {
        try matrix(try index(of: name), shape: expected, groups: groups)
    }

    /// Checks there are exactly as many weights as `roles`, that each stored name ends in its
    /// role (`kernel`, `recurrent_kernel`, `bias`, …; `:0`, scopes and `.keras`'s numeric
    /// `vars/N` names aside), and that each is floating point unless its role is
    /// ``WeightRole/unread``.
    func expect(_ roles: [String]) throws(WeightLoadingError) {
        try expect(roles.map { WeightRole($0) })
    }

    /// ``expect(_:)`` for declared roles, each stored under its name or one of its other names.
    func expect(_ roles: [WeightRole]) throws(WeightLoadingError) {
        let names = arrays.map(\.source)
        let expected = roles.map(\.name)
        if arrays.count < roles.count {
            throw .missingWeights(layer: layer, expected: expected, found: names)
        }
        if arrays.count > roles.count {
            throw .extraWeights(layer: layer, extra: Array(names[roles.count...]))
        }
        for (weight, role) in zip(arrays, roles) {
            let leaf = weight.name.split(separator: "/").last.map { String($0.split(separator: ":").first ?? $0) } ?? weight.name
            if leaf != role.name, !role.otherNames.contains(leaf), !role.otherNames.contains(withoutNumberSuffix(leaf)), Int(leaf) == nil {
                throw .missingWeights(layer: layer, expected: expected, found: names)
            }
            if !role.unread, !weight.isFloatingPoint {
                throw .notFloatingPoint(layer: layer, weight: weight.source, dtype: weight.dtypeName)
            }
        }
    }

    /// Weight `index`, which a layer is about to compute with: refused unless floating point.
    private func floatingPoint(_ index: Int) throws(WeightLoadingError) -> WeightArray {
        let weight = arrays[index]
        guard weight.isFloatingPoint else {
            throw .notFloatingPoint(layer: layer, weight: weight.source, dtype: weight.dtypeName)
        }
        return weight
    }

    /// Checks the shape of the ``WeightRole/unread`` weight `name` (any dtype) without reading it.
    func checkUnread(_ name: String, shape expected: [Int]) throws(WeightLoadingError) {
        let weight = arrays[try index(of: name)]
        guard weight.shape == expected else {
            throw .shapeMismatch(layer: layer, weight: weight.source, expected: expected, actual: weight.shape)
        }
    }

    /// Weight `index` as `Scalar` (widened exactly, or rounded to nearest when a float64 weight
    /// feeds a float32 model), after checking its shape.
    func values(_ index: Int, shape expected: [Int]) throws(WeightLoadingError) -> [Scalar] {
        guard index < arrays.count else {
            throw .missingWeights(layer: layer, expected: ["#\(index)"], found: arrays.map(\.source))
        }
        let weight = try floatingPoint(index)
        guard weight.shape == expected else {
            throw .shapeMismatch(layer: layer, weight: weight.source, expected: expected, actual: weight.shape)
        }
        return weight.values(as: Scalar.self)
    }

    /// Weight `index` as constant `Scalar` values after checking its shape: in place in a
    /// native file's mapping when the file stores it as `Scalar` (no copy).
    func vector(_ index: Int, shape expected: [Int]) throws(WeightLoadingError) -> WeightVector<Scalar> {
        guard index < arrays.count else {
            throw .missingWeights(layer: layer, expected: ["#\(index)"], found: arrays.map(\.source))
        }
        let weight = try floatingPoint(index)
        guard weight.shape == expected else {
            throw .shapeMismatch(layer: layer, weight: weight.source, expected: expected, actual: weight.shape)
        }
        return WeightVector(weight)
    }

    /// Weight `index`, a `rows × columns` matrix (`shape`), prepared for products in `groups`
    /// column groups after checking its shape: straight from a native file's mapping when it
    /// stores the matrix packed for this machine (no copy), else from its values.
    func matrix(_ index: Int, shape expected: [Int], groups: Int) throws(WeightLoadingError) -> Scalar.Matrix {
        guard index < arrays.count else {
            throw .missingWeights(layer: layer, expected: ["#\(index)"], found: arrays.map(\.source))
        }
        let weight = try floatingPoint(index)
        guard weight.shape == expected, expected.count == 2 else {
            throw .shapeMismatch(layer: layer, weight: weight.source, expected: expected, actual: weight.shape)
        }
        return Scalar.matrix(weight, rows: expected[0], columns: expected[1], groups: groups)
    }
}

/// `variable_1` as `variable`: Keras 3 numbers its unnamed variables model-wide (`variable`,
/// `variable_1`, …), so only the name before the number says which weight it is.
func withoutNumberSuffix(_ name: String) -> String {
    guard let underscore = name.lastIndex(of: "_"), Int(name[name.index(after: underscore)...]) != nil else { return name }
    return String(name[..<underscore])
}

/// The last axis of a shape, which must be known to size a kernel.
func knownLastAxis(_ shape: [Int?], layer: String) throws(WeightLoadingError) -> Int {
    guard let last = shape.last, let size = last else { throw .unknownInputSize(layer: layer, shape: shape) }
    return size
}


extension ModelConfig {
    /// The layer classes of the model (wrapped and nested layers included) that KerasKit doesn't
    /// implement, each with its layers' names, in model order; empty for a model it runs.
    public var unsupportedLayerClasses: [UnsupportedLayerClass] {
        var classes: [UnsupportedLayerClass] = []
        for layer in layers.flatMap(\.unsupportedLayers) {
            if let index = classes.firstIndex(where: { $0.className == layer.className }) {
                classes[index].layers.append(layer.name)
            } else {
                classes.append(UnsupportedLayerClass(className: layer.className, layers: [layer.name]))
            }
        }
        return classes
    }
}

/// A layer class KerasKit doesn't implement, with the names of the model's layers of that class.
public struct UnsupportedLayerClass: Sendable, Hashable {
    /// The Keras class name.
    public var className: String
    /// The layers of that class, in model order (wrapped and nested ones included).
    public var layers: [String]

    /// Creates an entry.
    public init(className: String, layers: [String]) {
        self.className = className
        self.layers = layers
    }
}
