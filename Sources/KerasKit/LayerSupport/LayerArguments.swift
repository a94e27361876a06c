/// The arguments of one layer's config as Keras wrote them, read once each.
///
/// A layer's config type reads each of its keys exactly once, in Keras's constructor order,
/// with Keras's default in the same call (`try arguments.flag("use_bias", default: true)`).
/// Each read records the key with its decoded value, defaults applied: that record is the
/// argument list `inspect` prints (``LayerConfig/kerasArguments``), so no second list exists to
/// drift from the decoding. After the config is decoded, ``checkAllRead()`` refuses every key no
/// read asked for, by name: an argument KerasKit doesn't implement is never silently ignored.
public struct LayerArguments {
    /// The layer's name, for messages.
    public let layer: String
    /// The Keras class name, for messages.
    public let className: String
    private let members: [String: JSONValue]
    private var consumed: Set<String> = []
    /// Every key read so far with its decoded value, in read order.
    public private(set) var recorded: [(name: String, value: JSONValue)] = []

    /// Reads the members of a layer's `config` object.
    public init(_ members: [String: JSONValue], layer: String, className: String) {
        self.members = members
        self.layer = layer
        self.className = className
    }

    /// An error about `key`, naming the layer, its class and the key.
    public func invalid(_ key: String, _ reason: String) -> KerasConfigError {
        .invalidLayerConfig(layer: layer, className: className, reason: "\(key): \(reason)")
    }

    /// Whether the config writes `key` (with any value, `null` included).
    public func contains(_ key: String) -> Bool { members[key] != nil }

    /// The raw value of `key` (nil when absent), marking it read without recording it.
    public mutating func take(_ key: String) -> JSONValue? {
        consumed.insert(key)
        return members[key]
    }

    /// Records `value` under `key` for the argument list (once per key).
    public mutating func record(_ key: String, _ value: JSONValue) {
        consumed.insert(key)
        if let index = recorded.firstIndex(where: { $0.name == key }) {
            recorded[index].value = value
        } else {
            recorded.append((key, value))
        }
    }

    /// The value of `key`, nil when absent or `null`.
    private mutating func present(_ key: String) -> JSONValue? {
        guard let value = take(key), value != .null else { return nil }
        return value
    }

    /// Refuses every key of the config that no read asked for.
    /// - Throws: ``KerasConfigError/invalidLayerConfig(layer:className:reason:)`` naming the keys.
    public func checkAllRead() throws(KerasConfigError) {
        let unread = members.keys.filter { !consumed.contains($0) }.sorted()
        guard !unread.isEmpty else { return }
        let listed = unread.map { "'\($0)' = \(members[$0].map(pythonLiteral) ?? "None")" }.joined(separator: ", ")
        throw .invalidLayerConfig(layer: layer, className: className,
                                  reason: "unsupported argument\(unread.count == 1 ? "" : "s") \(listed) (KerasKit does not implement \(unread.count == 1 ? "it" : "them"))")
    }

    // MARK: Scalars

    /// A boolean; absent or `null` is `fallback`.
    public mutating func flag(_ key: String, default fallback: Bool) throws(KerasConfigError) -> Bool {
        var result = fallback
        if let value = present(key) {
            guard case .bool(let flag) = value else { throw invalid(key, "expected true or false, found \(pythonLiteral(value))") }
            result = flag
        }
        record(key, .bool(result))
        return result
    }

    /// An integer in `range`; absent or `null` is `fallback` (required when nil).
    public mutating func integer(_ key: String, default fallback: Int?, in range: ClosedRange<Int> = -KerasLimits.maxDimension...KerasLimits.maxDimension) throws(KerasConfigError) -> Int {
        let result: Int
        if let value = present(key) {
            guard case .number(let number) = value, number == number.rounded(), abs(number) <= Double(KerasLimits.maxDimension) else {
                throw invalid(key, "expected an integer, found \(pythonLiteral(value))")
            }
            result = Int(number)
        } else if let fallback {
            result = fallback
        } else {
            throw invalid(key, "required")
        }
        guard range.contains(result) else { throw invalid(key, "\(result) is outside \(range.lowerBound)...\(range.upperBound)") }
        record(key, .number(Double(result)))
        return result
    }

    /// An integer or `null` (kept as nil), in `range` when present.
    public mutating func optionalInteger(_ key: String, in range: ClosedRange<Int> = -KerasLimits.maxDimension...KerasLimits.maxDimension) throws(KerasConfigError) -> Int? {
        guard let value = present(key) else {
            record(key, .null)
            return nil
        }
        guard case .number(let number) = value, number == number.rounded(),
              number >= Double(range.lowerBound), number <= Double(range.upperBound) else {
            throw invalid(key, "expected an integer in \(range.lowerBound)...\(range.upperBound), found \(pythonLiteral(value))")
        }
        record(key, .number(number))
        return Int(number)
    }

    /// A required positive size no larger than ``KerasLimits/maxDimension``.
    public mutating func size(_ key: String) throws(KerasConfigError) -> Int {
        try integer(key, default: nil, in: 1...KerasLimits.maxDimension)
    }

    /// A finite number in `range`; absent or `null` is `fallback` (required when nil).
    public mutating func number(_ key: String, default fallback: Double?, in range: ClosedRange<Double> = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude) throws(KerasConfigError) -> Double {
        let result: Double
        if let value = present(key) {
            // Keras 3 may write a constant as a tensor object: {"class_name": "__tensor__", "config": {"value": …}}.
            let scalar = value.objectValue != nil ? (value["config"]?["value"] ?? value) : value
            guard case .number(let number) = scalar, number.isFinite else {
                throw invalid(key, "expected a finite number, found \(pythonLiteral(value))")
            }
            result = number
        } else if let fallback {
            result = fallback
        } else {
            throw invalid(key, "required")
        }
        guard range.contains(result) else { throw invalid(key, "\(result) is outside [\(range.lowerBound), \(range.upperBound)]") }
        record(key, .number(result))
        return result
    }

    /// A number or `null` (kept as nil), finite and in `range` when present.
    public mutating func optionalNumber(_ key: String, in range: ClosedRange<Double> = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude) throws(KerasConfigError) -> Double? {
        guard contains(key), members[key] != .null else {
            record(key, .null)
            return nil
        }
        return try number(key, default: nil, in: range)
    }

    /// A rate in `[0, 1]` (dropout), 0 when absent.
    public mutating func rate(_ key: String, default fallback: Double = 0) throws(KerasConfigError) -> Double {
        try number(key, default: fallback, in: 0...1)
    }

    /// A string; absent or `null` is `fallback`.
    public mutating func string(_ key: String, default fallback: String?) throws(KerasConfigError) -> String? {
        var result = fallback
        if let value = present(key) {
            guard case .string(let text) = value else { throw invalid(key, "expected a string, found \(pythonLiteral(value))") }
            result = text
        }
        record(key, result.map(JSONValue.string) ?? .null)
        return result
    }

    /// One of an enumeration's values, compared lower-cased as Keras does; absent or `null` is
    /// `fallback`; only `allowed` ones are accepted (all when nil).
    public mutating func choice<Choice: RawRepresentable & CaseIterable & Equatable>(_ key: String, default fallback: Choice, allowed: [Choice]? = nil) throws(KerasConfigError) -> Choice where Choice.RawValue == String {
        var result = fallback
        if let value = present(key) {
            let accepted = allowed ?? Array(Choice.allCases)
            guard case .string(let text) = value, let parsed = Choice(rawValue: text.lowercased()), accepted.contains(parsed) else {
                let names = accepted.map { "'\($0.rawValue)'" }.joined(separator: ", ")
                throw invalid(key, "\(pythonLiteral(value)) is not supported (expected one of \(names))")
            }
            result = parsed
        }
        record(key, .string(result.rawValue))
        return result
    }

    /// An activation: a name, `null` (linear) or `{"class_name": "function", "config": name}`.
    public mutating func activation(_ key: String, default fallback: Activation) throws(KerasConfigError) -> Activation {
        guard let value = take(key) else {
            record(key, .string(fallback.rawValue))
            return fallback
        }
        let name: String
        switch value {
        case .null:
            record(key, .string(Activation.linear.rawValue))
            return .linear
        case .string(let text): name = text
        case .object:
            guard let inner = value["config"]?.stringValue ?? value["config"]?["name"]?.stringValue else {
                throw .unsupportedActivation(name: value["class_name"]?.stringValue ?? value.description, layer: layer)
            }
            name = inner
        default:
            throw invalid(key, "expected an activation name, found \(pythonLiteral(value))")
        }
        guard let activation = Activation(kerasName: name) else { throw .unsupportedActivation(name: name, layer: layer) }
        record(key, .string(activation.rawValue))
        return activation
    }

    // MARK: Lists and objects

    /// The integers of a value written as a number, a list, or Keras 2's `__tuple__` wrapper;
    /// nil when absent or `null`.
    public mutating func integers(_ key: String) throws(KerasConfigError) -> [Int]? {
        guard var value = present(key) else {
            record(key, .null)
            return nil
        }
        if let items = value["items"], value["class_name"] != nil { value = items }
        let elements: [JSONValue]
        switch value {
        case .number: elements = [value]
        case .array(let items): elements = items
        default: throw invalid(key, "expected an integer or a list of integers, found \(pythonLiteral(value))")
        }
        guard elements.count <= KerasLimits.maxRank else { throw invalid(key, "\(elements.count) entries is more than \(KerasLimits.maxRank)") }
        var result: [Int] = []
        for element in elements {
            guard case .number(let number) = element, number == number.rounded(), abs(number) <= Double(KerasLimits.maxDimension) else {
                throw invalid(key, "expected an integer, found \(pythonLiteral(element))")
            }
            result.append(Int(number))
        }
        record(key, result.json)
        return result
    }

    /// A window argument (`kernel_size`, `strides`, `pool_size`, `dilation_rate`) of `rank`
    /// axes: an integer (the same on every axis) or a list of `rank`, each in `1...maxDimension`;
    /// absent or `null` is `fallback` (required when nil).
    public mutating func window(_ key: String, rank: Int, default fallback: [Int]?) throws(KerasConfigError) -> [Int] {
        var result: [Int]
        if let values = try integers(key) {
            if values.count == 1, rank > 1 { result = Array(repeating: values[0], count: rank) } else { result = values }
            guard result.count == rank else { throw invalid(key, "expected \(rank) value\(rank == 1 ? "" : "s"), found \(values)") }
        } else if let fallback {
            result = fallback
        } else {
            throw invalid(key, "required")
        }
        for value in result where value <= 0 { throw invalid(key, "\(value) is not positive") }
        record(key, result.json)
        return result
    }

    /// An axis list (normalization `axis`): an integer or a list, each within the largest rank,
    /// none repeated; absent or `null` is `fallback`.
    public mutating func axes(_ key: String, default fallback: [Int]) throws(KerasConfigError) -> [Int] {
        let axes = try integers(key) ?? fallback
        guard !axes.isEmpty else { throw invalid(key, "the axis list is empty") }
        for axis in axes where abs(axis) > KerasLimits.maxRank {
            throw invalid(key, "axis \(axis) is outside a rank-\(KerasLimits.maxRank) tensor")
        }
        guard Set(axes).count == axes.count else { throw invalid(key, "axis \(axes) repeats an axis") }
        record(key, axes.count == 1 ? .number(Double(axes[0])) : axes.json)
        return axes
    }

    /// A shape (sizes and `null`s); nil when absent or `null`.
    public mutating func shape(_ key: String) throws(KerasConfigError) -> [Int?]? {
        guard let value = present(key) else {
            record(key, .null)
            return nil
        }
        let shape: [Int?]
        do {
            shape = try value.decode(KerasShape.self).dimensions
        } catch let error as DecodingError {
            throw invalid(key, "\(error.oneLine) in \(pythonLiteral(value))")
        } catch {
            throw invalid(key, "expected a shape, found \(pythonLiteral(value))")
        }
        record(key, .array(shape.map { $0.map { .number(Double($0)) } ?? .null }))
        return shape
    }

    /// An initializer, regularizer or constraint (training only): the file's value, or
    /// `fallback` when the key is absent (an explicit `null` stays nil).
    public mutating func object(_ key: String, default fallback: String?) throws(KerasConfigError) -> KerasObjectConfig? {
        let result: KerasObjectConfig?
        if let value = take(key) {
            if value == .null {
                result = nil
            } else {
                do {
                    result = try value.decode(KerasObjectConfig.self)
                } catch {
                    throw invalid(key, "expected a Keras object, found \(pythonLiteral(value))")
                }
            }
        } else {
            result = fallback.map { KerasObjectConfig(className: $0) }
        }
        record(key, result.map(\.jsonValue) ?? .null)
        return result
    }

    /// A value that only training reads (seeds, noise shapes, training-time factors): recorded
    /// as written, never used at inference.
    public mutating func trainingOnly(_ key: String, default fallback: JSONValue = .null) {
        record(key, take(key) ?? fallback)
    }

    /// A value that must be absent or one of `accepted` (the values that leave inference as
    /// KerasKit computes it), e.g. `lora_rank` `null`.
    public mutating func mustBe(_ key: String, oneOf accepted: [JSONValue], because reason: String) throws(KerasConfigError) {
        let value = take(key) ?? accepted.first ?? .null
        guard accepted.contains(value) else { throw invalid(key, "\(pythonLiteral(value)) is not supported (\(reason))") }
        record(key, value)
    }

    /// Records every key not read yet as written: for a class all of whose own arguments act in
    /// training only (an augmentation layer is the identity at inference whatever its factors).
    public mutating func recordRemainingAsTrainingOnly() {
        for key in members.keys.sorted() where !consumed.contains(key) { record(key, members[key] ?? .null) }
    }

    /// The raw JSON of `key` for a config to interpret itself, recorded as written.
    public mutating func json(_ key: String, default fallback: JSONValue = .null) -> JSONValue {
        let value = take(key) ?? fallback
        record(key, value)
        return value
    }

    /// A nested layer entry (`{"class_name": …, "config": …}`, as wrappers hold), decoded as any
    /// layer is and recorded as its class and its decoded arguments.
    public mutating func layer(_ key: String, adjusting adjust: (JSONValue) -> JSONValue = { $0 }) throws(KerasConfigError) -> LayerConfig {
        guard let value = present(key) else { throw invalid(key, "required") }
        let layer = try LayerConfig.decode(entry: adjust(value), index: 0)
        record(key, layer.argumentsJSON)
        return layer
    }
}

extension Array where Element == Int {
    /// `[1, 2]` as a JSON list.
    var json: JSONValue { .array(map { .number(Double($0)) }) }
}
