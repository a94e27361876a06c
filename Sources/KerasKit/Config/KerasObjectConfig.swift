/// A serialized Keras object that does not change inference — an initializer, regularizer or
/// constraint — kept readable: its class and its arguments.
///
/// Keras writes these either as a bare string (`"glorot_uniform"`) or as an object
/// (`{"class_name": "L1L2", "config": {"l1": 0.01, "l2": 0.0}}`).
public struct KerasObjectConfig: Sendable, Hashable, Decodable, CustomStringConvertible {
    /// The Keras class or shorthand name, e.g. `GlorotUniform`, `glorot_uniform`, `L1L2`.
    public var className: String
    /// The object's arguments by their Keras names.
    public var config: [String: JSONValue]

    /// Creates a config from its parts.
    public init(className: String, config: [String: JSONValue] = [:]) {
        self.className = className
        self.config = config
    }

    public init(from decoder: any Decoder) throws {
        let value = try JSONValue(from: decoder)
        switch value {
        case .string(let name):
            self.init(className: name)
        case .object(let members):
            guard let className = members["class_name"]?.stringValue else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "object without class_name"))
            }
            self.init(className: className, config: members["config"]?.objectValue ?? [:])
        default:
            throw DecodingError.typeMismatch(KerasObjectConfig.self, .init(codingPath: decoder.codingPath, debugDescription: "expected a name or an object, found \(value)"))
        }
    }

    /// `L1L2(l1=0.01, l2=0.02)` — the way Keras code would construct it.
    public var description: String {
        let arguments = config.keys.sorted().map { "\($0)=\(config[$0].map(pythonLiteral) ?? "None")" }
        return arguments.isEmpty ? className : "\(className)(\(arguments.joined(separator: ", ")))"
    }

    /// The JSON shape Keras 3 writes.
    public var jsonValue: JSONValue {
        .object(["class_name": .string(className), "config": .object(config)])
    }
}

/// Renders a JSON value as the Python literal Keras code would use.
func pythonLiteral(_ value: JSONValue) -> String {
    switch value {
    case .null: "None"
    case .bool(let flag): flag ? "True" : "False"
    case .string(let text): "'\(text)'"
    case .array(let values): "[" + values.map(pythonLiteral).joined(separator: ", ") + "]"
    default: value.description
    }
}

/// A layer's dtype policy: Keras 2 and Keras 3 < 3.4 write a string, later Keras 3 an object.
public struct DTypePolicy: Sendable, Hashable, Decodable, CustomStringConvertible {
    /// The policy name: `float32`, `float64`, `mixed_float16`, …
    public var name: String

    /// Creates a policy by name.
    public init(name: String) { self.name = name }

    public init(from decoder: any Decoder) throws {
        let value = try JSONValue(from: decoder)
        if let name = value.stringValue {
            self.name = name
        } else if let name = value["config"]?["name"]?.stringValue {
            self.name = name
        } else {
            throw DecodingError.typeMismatch(DTypePolicy.self, .init(codingPath: decoder.codingPath, debugDescription: "expected a dtype name or a DTypePolicy object, found \(value)"))
        }
    }

    public var description: String { name }
}
