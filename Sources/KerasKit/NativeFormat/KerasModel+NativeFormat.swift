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
    static let packing = "packing"
}

/// How a native file stores the matrices a float32 model's layers multiply by.
public enum NativeMatrixLayout: Sendable, Equatable {
    /// Row-major, as Keras stores them (format version 1): every machine packs them at load.
    case rowMajor
    /// In the panels of `level`'s kernels (format version 2): a machine that runs that level
    /// computes with them straight from the file's memory map; the panel width is 8 at the
    /// baseline level on x86-64, 16 for AVX2 and NEON (arm64's baseline), 32 for AVX-512.
    case packed(for: SIMDLevel)
}

extension KerasModel {
    /// The value of the `format` metadata key in a native file.
    public static let nativeFormatName = "keraskit"
    /// The newest native format version this build reads. It writes version 2 when a file
    /// stores matrices packed (see docs/FORMAT.md), version 1 otherwise.
    public static let nativeFormatVersion = 2

    /// The model as a KerasKit native file: a valid safetensors file whose tensors are the Keras
    /// weights (by their Keras names, in their stored precision) and whose metadata carries the
    /// original `model_config` JSON unchanged. See docs/FORMAT.md.
    ///
    /// The dtype policies stay in `model_config`, so a float64 model's native file computes in
    /// `Double` too; its self-check tensors are stored in the model's precision (F64 for a
    /// float64 model, F32 otherwise).
    ///
    /// A float32 model's matrices that its layers multiply by (the kernels of `LSTM`, `GRU`,
    /// `SimpleRNN` and `Dense` layers at the top level of the model or in a `Bidirectional` or
    /// `TimeDistributed` wrapper there) are stored as `layout` says. Packed for the machine that loads the file, they are computed with in place in its
    /// memory map: no copy. Elsewhere they are unpacked and repacked at load.
    ///
    /// - Parameters:
    ///   - checkInputs: Inputs to store with the model's outputs for them, so ``selfCheck`` can
    ///     later prove the file still computes the same; empty for none.
    ///   - layout: How to store the matrices; by default packed for this machine.
    /// - Returns: The file's bytes.
    /// - Throws: ``PredictionError`` when `checkInputs` don't fit the model.
    public func nativeFileData(checkInputs: [Tensor] = [], layout: NativeMatrixLayout = .packed(for: .current)) throws(PredictionError) -> Data {
        try nativeFileData(checking: checkInputs, layout: layout)
    }

    /// The model as a KerasKit native file, with float64 self-check inputs (a float64 model's
    /// check then keeps every digit). See ``nativeFileData(checkInputs:)-([Tensor])``.
    ///
    /// - Parameters:
    ///   - checkInputs: Inputs to store with the model's outputs for them; empty for none.
    ///   - layout: How to store the matrices, as in ``nativeFileData(checkInputs:layout:)-([Tensor],_)``.
    /// - Returns: The file's bytes.
    /// - Throws: ``PredictionError`` when `checkInputs` don't fit the model.
    public func nativeFileData(checkInputs: [TensorOf<Double>], layout: NativeMatrixLayout = .packed(for: .current)) throws(PredictionError) -> Data {
        try nativeFileData(checking: checkInputs, layout: layout)
    }

    /// For each top-level layer whose Float layer multiplies by a whole stored matrix: the
    /// weight's index and its column groups (as the layer builders prepare them).
    private var packableWeights: [String: [Int: Int]] {
        guard computePrecision == .float32 else { return [:] }
        var result: [String: [Int: Int]] = [:]
        for layer in config.layers {
            let arrays = weights.first { $0.layer == layer.name }?.arrays ?? []
            let packable = (layer.configuration as? any LayerBuilding)?.packedWeights(stored: arrays) ?? [:]
            if !packable.isEmpty { result[layer.name] = packable }
        }
        return result
    }

    private func nativeFileData<Input: ComputeScalar>(checking checkInputs: [TensorOf<Input>], layout: NativeMatrixLayout) throws(PredictionError) -> Data {
        let width: Int
        switch layout {
        case .rowMajor: width = 0
        case .packed(let level): width = level.panelWidth
        }
        let packable = width == 0 ? [:] : packableWeights
        var packing: [String: JSONValue] = [:]
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
            for (index, array) in arrays.enumerated() {
                let name = unique(array.name, layer: layer)
                names.append(.string(name))
                if let groups = packable[layer]?[index], array.dtypeName == "float32", array.shape.count == 2,
                   let layout = PanelPacking(rows: array.shape[0], columns: array.shape[1], groups: groups, panelWidth: width),
                   let stored = layout.storedCount {
                    packing[name] = .object([
                        "shape": .array(array.shape.map { .number(Double($0)) }),
                        "groups": .number(Double(groups)),
                        "panel_width": .number(Double(width)),
                    ])
                    // Already in this layout in a mapped file: its bytes as they are.
                    if case .mapped(let mapped) = array.storage, mapped.packing == layout, mapped.range.count == stored * 4 {
                        tensors.append((name, [stored], array.storage))
                    } else {
                        tensors.append((name, [stored], .float32(layout.pack(array.floats))))
                    }
                } else {
                    tensors.append((name, array.shape, array.storage))
                }
            }
            layerEntries.append(.object(["name": .string(layer), "weights": .array(names)]))
        }
        var metadata: [String: String] = [
            NativeFormatKey.format: Self.nativeFormatName,
            NativeFormatKey.formatVersion: packing.isEmpty ? "1" : "2",
            NativeFormatKey.modelConfig: config.sourceText ?? config.json.description,
            NativeFormatKey.layers: JSONValue.array(layerEntries).description,
        ]
        if !packing.isEmpty { metadata[NativeFormatKey.packing] = JSONValue.object(packing).description }
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
        // Packed matrices first: whole 64-byte lines from a 64-byte-aligned data section.
        return SafetensorsFile.serialize(tensors: tensors, metadata: metadata, alignedFirst: Set(packing.keys))
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
        // Matrices stored packed: their tensor name → the layout, checked against the tensor.
        var packings: [String: (shape: [Int], layout: PanelPacking)] = [:]
        if let text = metadata[NativeFormatKey.packing] {
            guard version >= 2, let object = try? JSONValue.parse(Data(text.utf8), maxDepth: 4).objectValue else {
                throw fail("metadata 'packing' is not a JSON object (or the file's version, \(version), has none)")
            }
            for (name, value) in object {
                func integer(_ json: JSONValue?) -> Int? {
                    guard case .number(let number)? = json, number >= 0, number <= Double(Int32.max), number == number.rounded() else { return nil }
                    return Int(number)
                }
                guard let shapeValues = value["shape"]?.arrayValue, shapeValues.count == 2,
                      let rows = integer(shapeValues[0]), let columns = integer(shapeValues[1]),
                      let groups = integer(value["groups"]), let width = integer(value["panel_width"]),
                      let layout = PanelPacking(rows: rows, columns: columns, groups: groups, panelWidth: width),
                      let stored = layout.storedCount else {
                    throw fail("metadata 'packing' entry '\(name)' is not a valid panel layout (shape [rows, columns] > 0, groups dividing columns, panel_width 8, 16 or 32)")
                }
                let entry = try tensor(name)
                guard entry.dtype == .F32, entry.shape == [stored] else {
                    throw fail("tensor '\(name)' holds \(entry.dtype) \(entry.shape.shapeDescription); packed \(rows)×\(columns) in \(groups) groups of \(width)-wide panels takes F32 [\(stored)]")
                }
                packings[name] = ([rows, columns], layout)
            }
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
                // Left in the mapping: nothing is read here, and packed matrices are computed with in place.
                let packed = packings[name]
                do {
                    arrays.append(try WeightArray(name: name, shape: packed?.shape ?? entry.shape,
                                                  storage: .mapped(file.mappedWeight(entry, packing: packed?.layout)), source: "tensor '\(name)'"))
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
