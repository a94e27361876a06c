import Foundation

/// An axis list as Keras writes it: a JSON array of sizes and nulls, or Keras 2's
/// `{"class_name": "__tuple__", "items": [...]}` / `TensorShape` wrappers.
struct KerasShape: Decodable, Sendable, Hashable {
    var dimensions: [Int?]

    init(from decoder: any Decoder) throws {
        var value = try JSONValue(from: decoder)
        if let items = value["items"], value["class_name"] != nil { value = items }
        guard let elements = value.arrayValue else {
            throw DecodingError.typeMismatch([Int?].self, .init(codingPath: decoder.codingPath, debugDescription: "expected a shape, found \(value)"))
        }
        guard elements.count <= KerasLimits.maxRank else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "rank \(elements.count) is more than \(KerasLimits.maxRank)"))
        }
        dimensions = try elements.map { element in
            switch element {
            case .null: return nil
            case .number(let number) where number >= 0 && number <= Double(KerasLimits.maxDimension) && number == number.rounded():
                return Int(number)
            default:
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "invalid axis size \(element)"))
            }
        }
    }
}

/// Sanity limits on sizes read from a config, applied before anything is sized from them.
public enum KerasLimits {
    /// The most axes a shape may have.
    public static let maxRank = 8
    /// The largest single axis or unit count accepted from a config.
    public static let maxDimension = 1 << 24
    /// The most layers a model may have.
    public static let maxLayers = 100_000
}

/// Raised inside `init(from:)` when an activation name is not implemented, so the caller can
/// report it with the layer's name.
struct UnsupportedActivationName: Error { var name: String }

extension KeyedDecodingContainer {
    /// An activation field: a name, `null` (linear) or `{"class_name": "function", "config": name}`.
    func decodeActivation(forKey key: Key, default fallback: Activation) throws -> Activation {
        guard let value = try decodeIfPresent(JSONValue.self, forKey: key) else { return fallback }
        let name: String
        switch value {
        case .null: return .linear
        case .string(let text): name = text
        case .object:
            guard let inner = value["config"]?.stringValue ?? value["config"]?["name"]?.stringValue else {
                throw UnsupportedActivationName(name: value["class_name"]?.stringValue ?? value.description)
            }
            name = inner
        default:
            throw DecodingError.typeMismatch(String.self, .init(codingPath: codingPath + [key], debugDescription: "expected an activation name, found \(value)"))
        }
        guard let activation = Activation(kerasName: name) else { throw UnsupportedActivationName(name: name) }
        return activation
    }

    /// A float rate in `[0, 1]`.
    func decodeRate(forKey key: Key) throws -> Double {
        let rate = try decodeIfPresent(Double.self, forKey: key) ?? 0
        guard (0...1).contains(rate) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "rate \(rate) is outside [0, 1]")
        }
        return rate
    }

    /// A positive size no larger than ``KerasLimits/maxDimension``.
    func decodeSize(forKey key: Key) throws -> Int {
        let size = try decode(Int.self, forKey: key)
        guard size > 0, size <= KerasLimits.maxDimension else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\(size) is outside 1...\(KerasLimits.maxDimension)")
        }
        return size
    }
}

extension JSONValue {
    /// Decodes a typed value from this JSON value.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONValueDecoder.decode(type, from: self, codingPath: [])
    }
}
