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

extension JSONValue {
    /// Decodes a typed value from this JSON value.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONValueDecoder.decode(type, from: self, codingPath: [])
    }
}
