import Foundation

/// The metadata keys of a KerasKit native file (see docs/FORMAT.md).
enum NativeFormatKey {
    static let format = "format"
    static let formatVersion = "format_version"
    static let modelConfig = "model_config"
    static let kerasVersion = "keras_version"
    static let backend = "backend"
    static let layers = "layers"
    static let checkInputs = "check_inputs"
    static let checkOutputs = "check_outputs"
}

extension KerasModel {
    /// The value of the `format` metadata key in a native file.
    public static let nativeFormatName = "keraskit"
    /// The native format version this build writes and reads.
    public static let nativeFormatVersion = 1

    /// The model as a KerasKit native file: a valid safetensors file whose tensors are the Keras
    /// weights (by their Keras names, in their stored precision) and whose metadata carries the
    /// original `model_config` JSON unchanged. See docs/FORMAT.md.
    ///
    /// The dtype policies stay in `model_config`, so a float64 model's native file computes in
    /// `Double` too; its self-check tensors are stored in the model's precision (F64 for a
    /// float64 model, F32 otherwise).
    ///
    /// - Parameter checkInputs: Inputs to store with the model's outputs for them, so
    ///   ``selfCheck`` can later prove the file still computes the same; empty for none.
    /// - Returns: The file's bytes.
    /// - Throws: ``PredictionError`` when `checkInputs` don't fit the model.
    public func nativeFileData(checkInputs: [Tensor] = []) throws(PredictionError) -> Data {
        try nativeFileData(checking: checkInputs)
    }

    /// The model as a KerasKit native file, with float64 self-check inputs (a float64 model's
    /// check then keeps every digit). See ``nativeFileData(checkInputs:)-([Tensor])``.
    ///
    /// - Parameter checkInputs: Inputs to store with the model's outputs for them; empty for none.
    /// - Returns: The file's bytes.
    /// - Throws: ``PredictionError`` when `checkInputs` don't fit the model.
    public func nativeFileData(checkInputs: [TensorOf<Double>]) throws(PredictionError) -> Data {
        try nativeFileData(checking: checkInputs)
    }

    private func nativeFileData<Input: ComputeScalar>(checking checkInputs: [TensorOf<Input>]) throws(PredictionError) -> Data {
        var tensors: [(name: String, shape: [Int], storage: WeightArray.Storage)] = []
        var used = Set<String>()
        func unique(_ name: String, layer: String) -> String {
            var candidate = used.contains(name) ? "\(layer)/\(name)" : name
            var suffix = 1
            while used.contains(candidate) {
                candidate = "\(layer)/\(name)#\(suffix)"
                suffix += 1
            }
            used.insert(candidate)
            return candidate
        }
        var layerEntries: [JSONValue] = []
        for (layer, arrays) in weights {
            var names: [JSONValue] = []
            for array in arrays {
                let name = unique(array.name, layer: layer)
                tensors.append((name, array.shape, array.storage))
                names.append(.string(name))
            }
            layerEntries.append(.object(["name": .string(layer), "weights": .array(names)]))
        }
        var metadata: [String: String] = [
            NativeFormatKey.format: Self.nativeFormatName,
            NativeFormatKey.formatVersion: String(Self.nativeFormatVersion),
            NativeFormatKey.modelConfig: config.sourceText ?? config.json.description,
            NativeFormatKey.layers: JSONValue.array(layerEntries).description,
        ]
        metadata[NativeFormatKey.kerasVersion] = kerasVersion
        metadata[NativeFormatKey.backend] = backend
        if !checkInputs.isEmpty {
            // From zero states, leaving a stateful model's carried states alone.
            let outputs = try predict(checkInputs, fromInitialStates: true)
            let inputNames = checkInputs.indices.map { unique("keraskit.check/input\($0)", layer: "keraskit.check") }
            let outputNames = outputs.indices.map { unique("keraskit.check/output\($0)", layer: "keraskit.check") }
            for (name, tensor) in zip(inputNames + outputNames, checkInputs + outputs) {
                // In the model's precision: what it computed, and what Keras fed it.
                let storage: WeightArray.Storage = switch computePrecision {
                case .float32: .float32(Tensor(tensor).scalars)
                case .float64: .float64(TensorOf<Double>(tensor).scalars)
                }
                tensors.append((name, tensor.shape, storage))
            }
            metadata[NativeFormatKey.checkInputs] = JSONValue.array(inputNames.map(JSONValue.string)).description
            metadata[NativeFormatKey.checkOutputs] = JSONValue.array(outputNames.map(JSONValue.string)).description
        }
        return SafetensorsFile.serialize(tensors: tensors, metadata: metadata)
    }

    /// Loads a KerasKit native file (made by `keraskit convert`) in pure Swift: no HDF5.
    ///
    /// The file is memory-mapped and its whole header validated — every offset, length, dtype and
    /// shape against the file's size — before any tensor is read.
    /// - Parameter path: The `.safetensors` file.
    /// - Throws: ``KerasFileError`` naming the file and the cause.
    public static func load(nativeFile path: String) throws(KerasFileError) -> KerasModel {
        let file: SafetensorsFile
        do {
            file = try SafetensorsFile(contentsOf: path)
        } catch {
            throw KerasFileError(file: path, reason: .malformed(offset: error.offset, message: error.problem))
        }
        return try load(native: file, label: path)
    }

    /// Loads a KerasKit native file from bytes in memory.
    /// - Throws: ``KerasFileError`` naming `name` and the cause.
    public static func load(nativeData data: Data, name: String) throws(KerasFileError) -> KerasModel {
        let file: SafetensorsFile
        do {
            file = try SafetensorsFile(data: data, name: name)
        } catch {
            throw KerasFileError(file: name, reason: .malformed(offset: error.offset, message: error.problem))
        }
        return try load(native: file, label: name)
    }

    private static func load(native file: SafetensorsFile, label: String) throws(KerasFileError) -> KerasModel {
        func fail(_ message: String) -> KerasFileError {
            KerasFileError(file: label, reason: .malformed(offset: nil, message: message))
        }
        let metadata = file.metadata
        guard metadata[NativeFormatKey.format] == nativeFormatName else {
            throw KerasFileError(file: label, reason: .notAKerasModel("safetensors file without KerasKit metadata (format = \(metadata[NativeFormatKey.format] ?? "missing")); make one with keraskit convert"))
        }
        guard let version = metadata[NativeFormatKey.formatVersion].flatMap(Int.init), version <= nativeFormatVersion, version >= 1 else {
            throw fail("unsupported native format version \(metadata[NativeFormatKey.formatVersion] ?? "missing") (this build reads 1...\(nativeFormatVersion))")
        }
        guard let configText = metadata[NativeFormatKey.modelConfig] else { throw fail("metadata has no model_config") }
        let config: ModelConfig
        do {
            config = try ModelConfig(json: Data(configText.utf8))
        } catch {
            throw KerasFileError(file: label, reason: .config(error))
        }
        func names(_ key: String) throws(KerasFileError) -> [String]? {
            guard let text = metadata[key] else { return nil }
            guard let values = try? JSONValue.parse(Data(text.utf8), maxDepth: 4).arrayValue else {
                throw fail("metadata '\(key)' is not a JSON array")
            }
            var result: [String] = []
            for value in values {
                guard let name = value.stringValue else { throw fail("metadata '\(key)' holds a non-string") }
                result.append(name)
            }
            return result
        }
        func tensor(_ name: String) throws(KerasFileError) -> SafetensorsFile.Entry {
            guard let entry = file.entry(named: name) else { throw fail("metadata names tensor '\(name)', which the file doesn't have") }
            return entry
        }

        guard let layerText = metadata[NativeFormatKey.layers],
              let layerList = try? JSONValue.parse(Data(layerText.utf8), maxDepth: 6).arrayValue else {
            throw fail("metadata 'layers' is missing or not a JSON array")
        }
        var weights: [String: [WeightArray]] = [:]
        var claimed = Set<String>()
        for layer in layerList {
            guard let layerName = layer["name"]?.stringValue, let tensorNames = layer["weights"]?.arrayValue else {
                throw fail("metadata 'layers' entry without name and weights")
            }
            var arrays: [WeightArray] = []
            for value in tensorNames {
                guard let name = value.stringValue else { throw fail("layer '\(layerName)' lists a non-string weight") }
                let entry = try tensor(name)
                claimed.insert(name)
                do {
                    arrays.append(try WeightArray(name: name, shape: entry.shape, storage: file.weight(entry), source: "tensor '\(name)'"))
                } catch {
                    throw fail("tensor '\(name)': \(error)")
                }
            }
            weights[layerName] = arrays
        }
        var selfCheck: SelfCheck?
        if let inputNames = try names(NativeFormatKey.checkInputs), let outputNames = try names(NativeFormatKey.checkOutputs) {
            var tensors: [TensorOf<Double>] = []
            for name in inputNames + outputNames {
                let entry = try tensor(name)
                claimed.insert(name)
                tensors.append(TensorOf(uncheckedShape: entry.shape, scalars: file.weight(entry).values(as: Double.self)))
            }
            selfCheck = SelfCheck(inputs: Array(tensors.prefix(inputNames.count)), outputs: Array(tensors.dropFirst(inputNames.count)))
        }
        if let stray = file.entries.first(where: { !claimed.contains($0.name) }) {
            throw fail("tensor '\(stray.name)' belongs to no layer")
        }
        do {
            return try KerasModel(config: config, weights: weights, kerasVersion: metadata[NativeFormatKey.kerasVersion],
                                  backend: metadata[NativeFormatKey.backend], selfCheck: selfCheck)
        } catch {
            throw KerasFileError(file: label, reason: .weights(error))
        }
    }
}
