import Foundation
import KerasKit
internal import HDF5Reading

extension KerasModel {
    /// Loads a Keras model saved as legacy HDF5 (`model.save("model.h5")`) by Keras 2 (tf.keras,
    /// tf-keras, multi-backend Keras) or Keras 3.
    ///
    /// The architecture comes from the root `model_config` attribute; each layer's weights are
    /// found through the `layer_names` and `weight_names` attributes (also when Keras split them
    /// into `layer_names0`, `layer_names1`, … past HDF5's 64 KB attribute limit), never by
    /// guessing dataset paths. Every weight is checked against the config before use.
    ///
    /// - Parameter path: The `.h5` file.
    /// - Returns: The model, ready to ``KerasModel/predict(_:)``.
    /// - Throws: ``KerasFileError`` naming the file and the cause.
    public static func load(h5File path: String) throws(KerasFileError) -> KerasModel {
        let file: HDF5File
        do {
            file = try HDF5File(path: path)
        } catch {
            throw KerasFileError(file: path, reason: error.keraskitReason(opening: true))
        }
        return try load(h5: file, label: path)
    }

    /// Loads a Keras `.h5` model from bytes in memory (no file is written).
    /// - Parameters:
    ///   - bytes: The whole `.h5` file.
    ///   - name: What errors call the file.
    /// - Throws: ``KerasFileError`` naming `name` and the cause.
    public static func load(h5Bytes bytes: [UInt8], name: String) throws(KerasFileError) -> KerasModel {
        let file: HDF5File
        do {
            file = try HDF5File(image: bytes, name: name)
        } catch {
            throw KerasFileError(file: name, reason: error.keraskitReason(opening: true))
        }
        return try load(h5: file, label: name)
    }

    static func load(h5 file: HDF5File, label: String) throws(KerasFileError) -> KerasModel {
        try H5ModelReader(file: file, label: label).readContents().model()
    }
}

/// Reads one legacy-HDF5 Keras model; the only code that knows that layout.
struct H5ModelReader {
    let file: HDF5File
    let label: String

    /// Names per list attribute and weights per layer: generous, but bounded.
    static let maxNames = 1 << 20
    static let maxChunks = 1 << 16

    func fail(_ reason: KerasFileError.Reason) -> KerasFileError { KerasFileError(file: label, reason: reason) }

    func readContents() throws(KerasFileError) -> ModelFileContents {
        let configText: String
        switch try attribute("model_config", at: "/") {
        case .strings(let values)? where values.count == 1:
            configText = values[0]
        case nil:
            throw fail(.notAKerasModel(try describeModellessFile()))
        default:
            throw fail(.badAttribute(path: "/", name: "model_config", problem: "expected one JSON string"))
        }
        let kerasVersion = try optionalString("keras_version", at: "/")
        let backend = try optionalString("backend", at: "/")
        let config: ModelConfig
        do {
            config = try ModelConfig(json: Data(configText.utf8))
        } catch {
            throw fail(.config(error))
        }

        let weightsRoot = try kind(at: "/model_weights") == .group ? "/model_weights" : "/"
        var weights: [String: [WeightArray]] = [:]
        for layerName in try nameList("layer_names", at: weightsRoot) {
            let groupPath = join(weightsRoot, layerName)
            guard try kind(at: groupPath) == .group else {
                throw fail(.storage(path: groupPath, message: "layer_names lists '\(layerName)' but the file has no such group"))
            }
            var arrays: [WeightArray] = []
            for weightName in try nameList("weight_names", at: groupPath) {
                arrays.append(try readWeight(named: weightName, at: join(groupPath, weightName)))
            }
            weights[layerName] = arrays
        }
        return ModelFileContents(file: label, config: config, weights: weights, kerasVersion: kerasVersion, backend: backend)
    }

    /// Says what a file without `model_config` is, so the message helps.
    private func describeModellessFile() throws(KerasFileError) -> String {
        let hasLayerNames = try attribute("layer_names", at: "/") != nil
        let hasChunkedNames = try attribute("layer_names0", at: "/") != nil
        if hasLayerNames || hasChunkedNames {
            return "weights-only file (save_weights output) with no model_config; save the whole model with model.save(\"model.h5\")"
        }
        let hasLayers = try kind(at: "/layers") != nil
        let hasVars = try kind(at: "/vars") != nil
        if hasLayers || hasVars {
            return "Keras 3 weights file (.weights.h5) with no model_config; save the whole model with model.save()"
        }
        return "HDF5 file without a Keras model_config attribute"
    }

    /// Reads `name`, or Keras's chunked `name0`, `name1`, … when the list outgrew 64 KB.
    func nameList(_ name: String, at path: String) throws(KerasFileError) -> [String] {
        if let value = try attribute(name, at: path) {
            return try strings(value, name: name, at: path)
        }
        var names: [String] = []
        var chunk = 0
        while let value = try attribute("\(name)\(chunk)", at: path) {
            names += try strings(value, name: "\(name)\(chunk)", at: path)
            chunk += 1
            guard chunk <= Self.maxChunks, names.count <= Self.maxNames else {
                throw fail(.limitExceeded(path: path, what: "'\(name)' entries", value: names.count, limit: Self.maxNames))
            }
        }
        return names
    }

    private func strings(_ value: HDF5AttributeValue, name: String, at path: String) throws(KerasFileError) -> [String] {
        switch value {
        case .strings(let strings):
            guard strings.count <= Self.maxNames else {
                throw fail(.limitExceeded(path: path, what: "'\(name)' entries", value: strings.count, limit: Self.maxNames))
            }
            return strings
        // Keras writes an empty name list as an empty float64 array.
        case .floats(let values) where values.isEmpty: return []
        case .integers(let values) where values.isEmpty: return []
        default: throw fail(.badAttribute(path: path, name: name, problem: "expected a list of strings"))
        }
    }

    private func optionalString(_ name: String, at path: String) throws(KerasFileError) -> String? {
        switch try attribute(name, at: path) {
        case nil: return nil
        case .strings(let values)? where values.count == 1: return values[0]
        default: throw fail(.badAttribute(path: path, name: name, problem: "expected a string"))
        }
    }

    private func readWeight(named name: String, at path: String) throws(KerasFileError) -> WeightArray {
        let array: HDF5Array
        do {
            array = try file.readDataset(at: path)
        } catch {
            throw fail(error.keraskitReason(opening: false))
        }
        return try Self.weightArray(array, name: name, source: path, label: label)
    }

    /// An HDF5 dataset as a weight. Integer datasets are kept as int64 values: only a weight its
    /// layer declares ``WeightRole/unread`` (`Normalization`'s `count`) may be one, which the
    /// model checks against the layer's roles when it is built.
    static func weightArray(_ array: HDF5Array, name: String, source: String, label: String) throws(KerasFileError) -> WeightArray {
        let storage: WeightArray.Storage
        switch array.storage {
        case .float16(let bits): storage = .float16(bits)
        case .float32(let values): storage = .float32(values)
        case .float64(let values): storage = .float64(values)
        case .integers(let values): storage = .int64(values)
        }
        do {
            return try WeightArray(name: name, shape: array.shape, storage: storage, source: source)
        } catch {
            throw KerasFileError(file: label, reason: .storage(path: source, message: error.description))
        }
    }

    private func attribute(_ name: String, at path: String) throws(KerasFileError) -> HDF5AttributeValue? {
        do {
            return try file.attribute(name, at: path)
        } catch {
            throw fail(error.keraskitReason(opening: false))
        }
    }

    private func kind(at path: String) throws(KerasFileError) -> HDF5ObjectKind? {
        do {
            return try file.kind(at: path)
        } catch {
            throw fail(error.keraskitReason(opening: false))
        }
    }

    private func join(_ group: String, _ name: String) -> String {
        group.hasSuffix("/") ? group + name : group + "/" + name
    }
}

extension HDF5Error {
    /// The cause without the file name, which ``KerasFileError`` adds itself.
    func keraskitReason(opening: Bool) -> KerasFileError.Reason {
        switch self {
        case .openFailed(_, let reason):
            return opening ? .notAKerasModel("not a readable HDF5 file: \(reason)") : .unreadable(reason)
        case .notFound(_, let path):
            return .storage(path: path, message: "not found")
        case .wrongKind(_, let path, let expected, let actual):
            return .storage(path: path, message: "expected a \(expected), found a \(actual)")
        case .unsupportedType(_, let path, let type):
            return .storage(path: path, message: "unsupported data type \(type)")
        case .readFailed(_, let path, let reason):
            return .storage(path: path, message: reason)
        case .limitExceeded(_, let path, let what, let value, let limit):
            return .limitExceeded(path: path, what: what, value: value, limit: limit)
        }
    }
}
