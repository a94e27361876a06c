import Foundation

/// Keras's `data_format` for sequence and image layers: where the channel axis is.
public enum DataFormat: String, Sendable, Hashable {
    /// `(batch, steps, channels)`, Keras's default.
    case channelsLast = "channels_last"
    /// `(batch, channels, steps)`.
    case channelsFirst = "channels_first"
}

/// How a convolution or pooling window treats the sequence ends.
public enum Padding: String, Sendable, Hashable {
    /// No padding: only windows that fit entirely inside the input.
    case valid
    /// Pad so the output has `ceil(length / strides)` steps (TensorFlow's `SAME` split: the
    /// extra element, if any, goes on the right).
    case same
    /// Pad `(kernel_size - 1) · dilation_rate` zeros on the left only (`Conv1D`).
    case causal
}

extension KeyedDecodingContainer {
    /// An initializer, regularizer or constraint: the file's value, or `fallback` when the key is
    /// absent (an explicit `null` stays nil).
    func decodeObject(forKey key: Key, default fallback: String?) throws -> KerasObjectConfig? {
        if contains(key) { return try decodeIfPresent(KerasObjectConfig.self, forKey: key) }
        return fallback.map { KerasObjectConfig(className: $0) }
    }

    /// A boolean with Keras's default for an absent or `null` key.
    func decodeFlag(forKey key: Key, default fallback: Bool) throws -> Bool {
        try decodeIfPresent(Bool.self, forKey: key) ?? fallback
    }

    /// The integers of a JSON value written as a number, a list, or Keras 2's `__tuple__` wrapper.
    func decodeIntegers(forKey key: Key) throws -> [Int]? {
        guard var value = try decodeIfPresent(JSONValue.self, forKey: key), value != .null else { return nil }
        if let items = value["items"], value["class_name"] != nil { value = items }
        let elements: [JSONValue]
        switch value {
        case .number: elements = [value]
        case .array(let items): elements = items
        default:
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "expected an integer or a list of integers, found \(value)")
        }
        guard elements.count <= KerasLimits.maxRank else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\(elements.count) entries is more than \(KerasLimits.maxRank)")
        }
        return try elements.map { element in
            guard case .number(let number) = element, number == number.rounded(),
                  abs(number) <= Double(KerasLimits.maxDimension) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "expected an integer, found \(element)")
            }
            return Int(number)
        }
    }

    /// A one-dimensional window argument (`kernel_size`, `strides`, `pool_size`,
    /// `dilation_rate`): an integer or a one-element list, in `1...maxDimension`.
    func decodeWindow(forKey key: Key, default fallback: Int?) throws -> Int {
        guard let values = try decodeIntegers(forKey: key) else {
            guard let fallback else {
                throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "required"))
            }
            return fallback
        }
        guard values.count == 1, let value = values.first else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "expected one value for a 1-D layer, found \(values)")
        }
        guard value > 0 else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\(value) is not positive")
        }
        return value
    }

    /// An axis list (`axis` of normalization layers): an integer or a list, each within the
    /// largest rank KerasKit accepts.
    func decodeAxes(forKey key: Key, default fallback: [Int]) throws -> [Int] {
        guard let axes = try decodeIntegers(forKey: key) else { return fallback }
        guard !axes.isEmpty else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "the axis list is empty")
        }
        for axis in axes where abs(axis) > KerasLimits.maxRank {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "axis \(axis) is outside a rank-\(KerasLimits.maxRank) tensor")
        }
        guard Set(axes).count == axes.count else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "axis \(axes) repeats an axis")
        }
        return axes
    }

    /// `data_format`; `null` or absent is Keras's default `channels_last`.
    func decodeDataFormat(forKey key: Key) throws -> DataFormat {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return .channelsLast }
        guard let format = DataFormat(rawValue: text.lowercased()) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "unknown data_format '\(text)' (expected channels_last or channels_first)")
        }
        return format
    }

    /// `padding`, lower-cased as Keras does, restricted to `allowed`.
    func decodePadding(forKey key: Key, allowed: [Padding]) throws -> Padding {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return .valid }
        guard let padding = Padding(rawValue: text.lowercased()), allowed.contains(padding) else {
            let names = allowed.map(\.rawValue).joined(separator: ", ")
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "unsupported padding '\(text)' (expected one of \(names))")
        }
        return padding
    }

    /// A finite float (`epsilon`, `momentum`, `mask_value`).
    func decodeFinite(forKey key: Key, default fallback: Double) throws -> Double {
        let value = try decodeIfPresent(Double.self, forKey: key) ?? fallback
        guard value.isFinite else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\(value) is not a finite number")
        }
        return value
    }
}

extension Array where Element == Int {
    /// `[1, 2]` as a JSON list.
    var json: JSONValue { .array(map { .number(Double($0)) }) }
}

extension Optional where Wrapped == Int {
    /// The number, or `null`.
    var json: JSONValue { map { .number(Double($0)) } ?? .null }
}
