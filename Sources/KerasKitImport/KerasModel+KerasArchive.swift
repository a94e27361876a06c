import Foundation
import KerasKit
internal import HDF5Reading

extension KerasModel {
    /// Loads a Keras 3 `.keras` archive (a zip of `config.json`, `metadata.json` and
    /// `model.weights.h5`), reading every entry in memory — nothing is extracted to disk.
    ///
    /// Weights are stored by position under each layer's path (`layers/lstm/cell/vars/0`), the
    /// path built from class names and counters exactly as Keras's saver builds it.
    /// - Parameter path: The `.keras` file.
    /// - Throws: ``KerasFileError`` naming the file and the entry or weight at fault.
    public static func load(kerasArchive path: String) throws(KerasFileError) -> KerasModel {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            throw KerasFileError(file: path, reason: .unreadable(fileProblem(reading: path, error)))
        }
        return try load(kerasArchiveData: data, name: path)
    }

    /// Loads a `.keras` archive from bytes in memory.
    /// - Throws: ``KerasFileError`` naming `name` and the entry or weight at fault.
    public static func load(kerasArchiveData data: Data, name: String) throws(KerasFileError) -> KerasModel {
        try readContents(kerasArchiveData: data, name: name).model()
    }

    /// Reads a `.keras` archive's config and weights without building the model.
    static func readContents(kerasArchiveData data: Data, name: String) throws(KerasFileError) -> ModelFileContents {
        let archive = try ZipArchiveReader(data: data, label: name)
        func fail(_ reason: KerasFileError.Reason) -> KerasFileError { KerasFileError(file: name, reason: reason) }
        guard let configData = try archive.read("config.json", limit: 256 << 20) else {
            throw fail(.notAKerasModel("zip archive without config.json: not a .keras model"))
        }
        let metadata = try archive.read("metadata.json", limit: 1 << 20)
        let kerasVersion = metadata.flatMap { try? JSONValue.parse($0) }?["keras_version"]?.stringValue
        let config: ModelConfig
        do {
            config = try ModelConfig(json: configData)
        } catch {
            throw fail(.storage(path: "config.json", message: error.description))
        }
        guard let weightsData = try archive.read("model.weights.h5") else {
            if archive.paths.contains("model.weights.npz") {
                throw fail(.notAKerasModel("the archive stores its weights as model.weights.npz; KerasKit reads model.weights.h5"))
            }
            throw fail(.notAKerasModel("the archive has no model.weights.h5 entry"))
        }
        let file: HDF5File
        do {
            file = try HDF5File(image: [UInt8](weightsData), name: "\(name)!model.weights.h5")
        } catch {
            throw fail(.storage(path: "model.weights.h5", message: error.keraskitReason(opening: true).description))
        }
        let reader = ArchiveWeightReader(file: file, label: name)
        let weights = try reader.weights(for: config)
        return ModelFileContents(file: name, config: config, weights: weights, kerasVersion: kerasVersion, backend: nil)
    }
}

/// Maps a config's layers to their `vars` groups in a Keras 3 weights file.
struct ArchiveWeightReader {
    let file: HDF5File
    let label: String

    func fail(_ reason: KerasFileError.Reason) -> KerasFileError { KerasFileError(file: label, reason: reason) }

    /// Every top-level layer's weights, in Keras's order, by layer name.
    func weights(for config: ModelConfig) throws(KerasFileError) -> [String: [WeightArray]] {
        var result: [String: [WeightArray]] = [:]
        let container = try layersContainer(under: "")
        for (layer, path) in Self.paths(of: config.layers.filter { !$0.isOperation }, in: container) {
            result[layer.name] = try weights(of: layer, at: path)
        }
        return result
    }

    /// `layers`, or the `_layer_checkpoint_dependencies` that Keras 2.13's archives used.
    private func layersContainer(under root: String) throws(KerasFileError) -> String {
        let modern = root.isEmpty ? "layers" : "\(root)/layers"
        if try kind(modern) != nil { return modern }
        let legacy = root.isEmpty ? "_layer_checkpoint_dependencies" : "\(root)/_layer_checkpoint_dependencies"
        if try kind(legacy) != nil { return legacy }
        return modern
    }

    /// Keras names each child of a container by its class in snake case, with `_1`, `_2`, …
    /// for repeats (`saving_lib._get_unique_name`); layer names are never used.
    static func paths(of layers: [LayerConfig], in container: String) -> [(LayerConfig, String)] {
        var seen: [String: Int] = [:]
        return layers.map { layer in
            let base = snakeCase(type(of: layer.configuration).archiveClassName ?? layer.className)
            let count = seen[base, default: 0]
            seen[base] = count + 1
            return (layer, "\(container)/\(count == 0 ? base : "\(base)_\(count)")")
        }
    }

    /// Keras's `to_snake_case`: `LSTM` → `lstm`, `SimpleRNN` → `simple_rnn`, `Conv1D` → `conv1d`.
    static func snakeCase(_ name: String) -> String {
        let characters = Array(name.filter { $0.isLetter || $0.isNumber || $0 == "_" })
        // (.)([A-Z][a-z]+) → \1_\2
        var first: [Character] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if index > 0, character.isUppercase, index + 1 < characters.count, characters[index + 1].isLowercase {
                first.append("_")
            }
            first.append(character)
            index += 1
        }
        // ([a-z])([A-Z]) → \1_\2
        var second: [Character] = []
        for (position, character) in first.enumerated() {
            if position > 0, character.isUppercase, first[position - 1].isLowercase { second.append("_") }
            second.append(character)
        }
        return String(second).lowercased()
    }

    /// A layer's weights: its own `vars`, or those of the objects Keras saves it through.
    private func weights(of layer: LayerConfig, at path: String) throws(KerasFileError) -> [WeightArray] {
        switch layer.configuration.archiveWeights {
        case .vars(let relative):
            return try vars(at: "\(path)/\(relative)")
        case .sublayers(let sublayers):
            var arrays: [WeightArray] = []
            for sublayer in sublayers {
                // tf-keras's archives name a sublayer after the private attribute holding it
                // (`_query_dense`), Keras 3's after its public property (`query_dense`).
                let named = "\(path)/\(sublayer.path)", attribute = "\(path)/_\(sublayer.path)"
                var found = named
                if try kind(named) == nil, try kind(attribute) != nil { found = attribute }
                arrays += try weights(of: sublayer.layer, at: found)
            }
            return arrays
        case .nestedModel(let model):
            let container = try layersContainer(under: path)
            var perLayer: [String: [WeightArray]] = [:]
            for (layer, layerPath) in Self.paths(of: model.layers.filter { !$0.isOperation }, in: container) {
                perLayer[layer.name] = try weights(of: layer, at: layerPath)
            }
            return (layer.configuration as? NestedModelConfig)?.legacyOrderedWeights(perLayer) ?? perLayer.values.flatMap { $0 }
        }
    }

    /// The datasets `0`, `1`, … of a `vars` group, in order; none when the group is absent.
    private func vars(at path: String) throws(KerasFileError) -> [WeightArray] {
        guard try kind(path) == .group else { return [] }
        let names: [String]
        do {
            names = try file.childNames(ofGroup: path)
        } catch {
            throw fail(error.keraskitReason(opening: false))
        }
        let indices = names.compactMap(Int.init).sorted()
        guard indices == Array(0..<indices.count), indices.count == names.count else {
            throw fail(.storage(path: path, message: "expected datasets named 0…n-1, found [\(names.joined(separator: ", "))]"))
        }
        var arrays: [WeightArray] = []
        for index in indices {
            let datasetPath = "\(path)/\(index)"
            let array: HDF5Array
            do {
                array = try file.readDataset(at: datasetPath)
            } catch {
                throw fail(error.keraskitReason(opening: false))
            }
            arrays.append(try H5ModelReader.weightArray(array, name: datasetPath, source: "model.weights.h5:\(datasetPath)", label: label))
        }
        return arrays
    }

    private func kind(_ path: String) throws(KerasFileError) -> HDF5ObjectKind? {
        do {
            return try file.kind(at: path)
        } catch {
            throw fail(error.keraskitReason(opening: false))
        }
    }
}
