import Foundation
@testable import KerasKit
import KerasKitImport
import KerasKitTestSupport
import Testing

/// Native files that store matrices in the kernels' panels: loaded with no copy of them, and
/// computing exactly what the Keras file computes whatever machine they were packed for.
@Suite("Native files compute from their memory map")
struct NativePackingTests {
    /// Fixtures with LSTM, GRU (both reset modes), SimpleRNN, Dense and Embedding layers, at the
    /// top level and in Bidirectional and TimeDistributed wrappers.
    static let models = [
        "lstm_seq/keras3/model.h5", "stacked/keras2/model.h5", "gru_seq/keras3/model.h5", "gru_reset_before/keras2/model.h5",
        "rnn_last/keras3/model.h5", "dense_2d/keras3/model.h5", "seed/keras2/model.h5", "embedding_lstm_seq/keras3/model.h5",
        "bidi_lstm_concat_seq/keras3/model.h5", "bidi_gru_concat_seq/keras2/model.h5", "time_distributed_dense/keras3/model.h5",
    ]

    /// The model's float32 layers by name, with the layers wrappers hold (named after the wrapper).
    static func layers(_ model: KerasModel) throws -> [(name: String, layer: any InferenceLayer<Float>)] {
        guard case .float32(let graph) = model.engine else { throw TestFailure("not a float32 model") }
        func expand(_ name: String, _ layer: any InferenceLayer<Float>) -> [(String, any InferenceLayer<Float>)] {
            switch layer {
            case let bidirectional as BidirectionalLayer<Float>:
                return expand(name + ".forward", bidirectional.forwardLayer.layer) + expand(name + ".backward", bidirectional.backwardLayer.layer)
            case let wrapper as TimeDistributedLayer<Float>:
                return expand(name + ".inner", wrapper.inner.layer)
            default:
                return [(name, layer)]
            }
        }
        return graph.layers.sorted { $0.key < $1.key }.flatMap { expand($0.key, $0.value.layer) }
    }

    /// Every bias and embedding table of the model's float32 layers, by layer name.
    static func vectors(_ model: KerasModel) throws -> [(layer: String, vector: WeightVector<Float>)] {
        var result: [(String, WeightVector<Float>)] = []
        for (name, layer) in try layers(model) {
            switch layer {
            case let lstm as RecurrentLayer<LSTMCell<Float>>:
                result += [lstm.cell.inputBias, lstm.cell.fast.bias].compactMap { $0 }.map { (name, $0) }
            case let gru as RecurrentLayer<GRUCell<Float>>:
                result += [gru.cell.inputBias, gru.cell.recurrentBias].compactMap { $0 }.map { (name, $0) }
            case let rnn as RecurrentLayer<SimpleRNNCell<Float>>:
                result += [rnn.cell.inputBias].compactMap { $0 }.map { (name, $0) }
            case let dense as DenseLayer<Float>:
                result += [dense.bias].compactMap { $0 }.map { (name, $0) }
            case let embedding as EmbeddingLayer<Float>:
                result.append((name, embedding.embeddings))
            default: break
            }
        }
        return result
    }

    /// Every packed matrix of the model's float32 layers, by layer name, and whether it is a
    /// whole stored weight (a GRU without reset_after splits its U into two new matrices).
    static func matrices(_ model: KerasModel) throws -> [(layer: String, matrix: PackedMatrix, isWholeWeight: Bool)] {
        var result: [(String, PackedMatrix, Bool)] = []
        for (name, layer) in try layers(model) {
            switch layer {
            case let lstm as RecurrentLayer<LSTMCell<Float>>:
                result += [(name, lstm.cell.fast.kernel, true), (name, lstm.cell.fast.recurrentKernel, true)]
            case let gru as RecurrentLayer<GRUCell<Float>>:
                result += [(name, gru.cell.packedKernel, true), (name, gru.cell.packedRecurrent, gru.cell.resetAfter)]
                if let candidate = gru.cell.packedCandidate { result.append((name, candidate, false)) }
            case let rnn as RecurrentLayer<SimpleRNNCell<Float>>:
                result += [(name, rnn.cell.packedKernel, true), (name, rnn.cell.packedRecurrent, true)]
            case let dense as DenseLayer<Float>:
                result.append((name, dense.kernel, true))
            default: break
            }
        }
        return result
    }

    /// Whether the matrix's panels lie inside the mapping it keeps alive.
    static func isInPlace(_ matrix: PackedMatrix) -> Bool {
        guard let mapping = matrix.mapping, let base = mapping.base else { return false }
        let panels = UnsafeRawPointer(matrix.packedPointer)
        return panels >= base && panels < base + mapping.count
    }

    struct TestFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    @Test("packed for this machine: matrices, biases and embedding tables are read in place, and predictions keep every bit", arguments: models)
    func inPlace(model path: String) throws {
        let original = try KerasModel.load(contentsOf: Fixtures.path(path))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keraskit-packing-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("model.safetensors").path
        try original.nativeFileData().write(to: URL(fileURLWithPath: file))
        let native = try KerasModel.load(nativeFile: file)

        let matrices = try Self.matrices(native)
        #expect(!matrices.isEmpty)
        for (layer, matrix, isWholeWeight) in matrices {
            #expect(Self.isInPlace(matrix) == isWholeWeight,
                    "\(path): the \(matrix.rows)×\(matrix.columns) matrix of '\(layer)' is \(Self.isInPlace(matrix) ? "" : "not ")in the mapping")
        }
        // Biases and embedding tables are read in place too: the load copied no weight.
        let vectors = try Self.vectors(native)
        #expect(!vectors.isEmpty)
        for (layer, vector) in vectors {
            #expect(vector.isMapped, "\(path): a vector of \(vector.count) values of '\(layer)' was copied")
        }
        // The same bits as the Keras file, and the unpacked weights are Keras's own.
        let x = try Self.input(model: path)
        #expect(try native.predict(x).map(\.scalars) == original.predict(x).map(\.scalars))
        for ((layer, arrays), (nativeLayer, nativeArrays)) in zip(original.weights, native.weights) {
            #expect(layer == nativeLayer)
            #expect(arrays.map(\.shape) == nativeArrays.map(\.shape), "\(layer)")
            #expect(arrays.map(\.floats) == nativeArrays.map(\.floats), "\(layer): unpacked values differ")
        }
    }

    @Test("packed for another width or row-major: packed at load instead, with the same bits", arguments: models)
    func repacked(model path: String) throws {
        let original = try KerasModel.load(contentsOf: Fixtures.path(path))
        let x = try Self.input(model: path)
        let expected = try original.predict(x).map(\.scalars)
        let otherWidth = SIMDLevel.allCases.first { $0.panelWidth != SIMDLevel.current.panelWidth } ?? .avx512
        for layout in [NativeMatrixLayout.rowMajor, .packed(for: otherWidth)] {
            let data = try original.nativeFileData(layout: layout)
            let native = try KerasModel.load(nativeData: data, name: "model.safetensors")
            // Biases and tables need no layout: still read in place.
            #expect(try Self.vectors(native).allSatisfy { $0.vector.isMapped })
            for (layer, matrix, _) in try Self.matrices(native) {
                #expect(!Self.isInPlace(matrix), "\(path) \(layout): '\(layer)' claims to read panels of another layout in place")
            }
            #expect(try native.predict(x).map(\.scalars) == expected, "\(path) \(layout)")
            // Rewriting for this machine from a file packed for another gives this machine's file.
            let rewritten = try native.nativeFileData()
            #expect(rewritten == (try original.nativeFileData()), "\(path) \(layout): rewriting differs from converting")
        }
    }

    @Test("a packing entry that doesn't describe its tensor is refused with a one-line reason")
    func hostilePacking() throws {
        let data = try KerasModel.load(contentsOf: Fixtures.path("lstm_seq/keras3/model.h5")).nativeFileData(layout: .packed(for: .avx2))
        let file = try SafetensorsFile(data: data, name: "lstm.safetensors")
        let tensors = file.entries.map { ($0.name, $0.shape, file.weight($0)) }
        let packing = try #require(file.metadata["packing"])
        let name = "edited.safetensors"
        func load(packing text: String?, version: String = "2") throws {
            var metadata = file.metadata
            metadata["packing"] = text
            metadata["format_version"] = version
            _ = try KerasModel.load(nativeData: SafetensorsFile.serialize(tensors: tensors, metadata: metadata), name: name)
        }
        try load(packing: packing) // unedited: loads
        // Every edit below must change the text, or it tests nothing.
        for (old, new) in [("\"groups\": 4", "\"groups\": 7"), ("\"panel_width\": 16", "\"panel_width\": 12")] {
            #expect(packing.replacingOccurrences(of: old, with: new) != packing, "\(old) not in \(packing)")
        }
        expectMessage([name, "metadata 'packing' is not a JSON object"]) { try load(packing: "[1, 2]") }
        expectMessage([name, "metadata 'packing' is not a JSON object", "version, 1"]) { try load(packing: packing, version: "1") }
        expectMessage([name, "not a valid panel layout"]) { try load(packing: packing.replacingOccurrences(of: "\"groups\": 4", with: "\"groups\": 7")) }
        expectMessage([name, "not a valid panel layout"]) { try load(packing: packing.replacingOccurrences(of: "\"panel_width\": 16", with: "\"panel_width\": 12")) }
        expectMessage([name, "not a valid panel layout"]) { try load(packing: packing.replacingOccurrences(of: "\"groups\": 4", with: "\"groups\": -4")) }
        // Claims a different width: the stored floats no longer fit.
        expectMessage([name, "in 4 groups of 32-wide panels takes F32"]) { try load(packing: packing.replacingOccurrences(of: "\"panel_width\": 16", with: "\"panel_width\": 32")) }
        expectMessage([name, "names tensor 'nope'"]) { try load(packing: "{\"nope\": {\"shape\": [2, 4], \"groups\": 1, \"panel_width\": 8}}") }
    }

    /// The input Keras was called with when the fixture was made.
    static func input(model path: String) throws -> Tensor {
        let directory = (path as NSString).deletingLastPathComponent
        return try NumpyArray(contentsOf: Fixtures.path(directory + "/call0_input0.npy")).tensor(as: Float.self)
    }
}
