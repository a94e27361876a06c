import Foundation
import KerasKit
import KerasKitImport
import KerasKitTestSupport
import Testing

/// Checks `body` throws an error whose one-line message contains every fragment.
func expectMessage(
    _ fragments: [String], sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("expected an error containing \(fragments)", sourceLocation: sourceLocation)
    } catch {
        let message = "\(error)"
        #expect(!message.contains("\n"), "message is not one line: \(message)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(message.contains(fragment), "'\(message)' lacks '\(fragment)'", sourceLocation: sourceLocation)
        }
    }
}

/// A temporary file holding `bytes`, removed after `body`.
func withTemporaryFile(_ bytes: [UInt8], suffix: String, _ body: (String) throws -> Void) throws {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("keraskit-hostile-\(UUID().uuidString)\(suffix)").path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    try body(path)
}

/// Every class of bad input gives its own clear, typed, one-line message naming the file.
@Suite("Hostile and broken inputs give clear errors")
struct HostileInputTests {
    static let modelPath = "lstm_seq/keras3/model.h5"

    static func modelBytes() throws -> [UInt8] {
        try [UInt8](Data(contentsOf: URL(fileURLWithPath: Fixtures.path(modelPath))))
    }

    static func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var generator = SplitMix64(state: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    }

    // MARK: Not a model file at all

    @Test("an empty file, on disk and in memory")
    func emptyFile() throws {
        try withTemporaryFile([], suffix: ".h5") { path in
            expectMessage([path, "the file is empty"]) { _ = try KerasModel.load(contentsOf: path) }
            expectMessage([path, "empty (0 bytes)"]) { _ = try KerasModel.load(h5File: path) }
        }
        expectMessage(["empty.h5", "empty (0 bytes)"]) { _ = try KerasModel.load(h5Bytes: [], name: "empty.h5") }
        expectMessage(["empty.safetensors", "shorter than the 8-byte header length"]) {
            _ = try KerasModel.load(nativeData: Data(), name: "empty.safetensors")
        }
        expectMessage(["empty.keras", "not a readable zip archive"]) {
            _ = try KerasModel.load(kerasArchiveData: Data(), name: "empty.keras")
        }
    }

    @Test("random bytes")
    func randomBytes() throws {
        let noise = Self.randomBytes(4096, seed: 1)
        try withTemporaryFile(noise, suffix: ".h5") { path in
            let shown = noise.prefix(8).map { String(format: "%02x", $0) }.joined(separator: " ")
            expectMessage([path, "not a model file KerasKit reads", shown]) { _ = try KerasModel.load(contentsOf: path) }
        }
        expectMessage(["noise.h5", "not a readable HDF5 file", "signature"]) {
            _ = try KerasModel.load(h5Bytes: noise, name: "noise.h5")
        }
        expectMessage(["noise.safetensors", "byte 0: header length"]) {
            _ = try KerasModel.load(nativeData: Data(noise), name: "noise.safetensors")
        }
    }

    @Test("a text file")
    func textFile() throws {
        let text = Array("name,value\nunits,4\n".utf8)
        try withTemporaryFile(text, suffix: ".h5") { path in
            expectMessage([path, "not a model file KerasKit reads (starts with 6e 61 6d 65"]) {
                _ = try KerasModel.load(contentsOf: path)
            }
        }
        expectMessage(["notes.h5", "not a readable HDF5 file", "signature"]) {
            _ = try KerasModel.load(h5Bytes: text, name: "notes.h5")
        }
    }

    @Test("a truncated .h5 file")
    func truncatedH5() throws {
        let bytes = try Self.modelBytes()
        expectMessage(["half.h5", "not a readable HDF5 file", "truncated"]) {
            _ = try KerasModel.load(h5Bytes: Array(bytes.prefix(bytes.count / 2)), name: "half.h5")
        }
        expectMessage(["head.h5", "not a readable HDF5 file"]) {
            _ = try KerasModel.load(h5Bytes: Array(bytes.prefix(100)), name: "head.h5")
        }
    }

    /// The offset of the first occurrence of `needle` in `bytes`.
    static func find(_ needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        return (0...(bytes.count - needle.count)).first { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    @Test(".h5 structures libhdf5 would read out of bounds are refused before it sees them")
    func damagedHDF5Structures() throws {
        let bytes = try Self.modelBytes()
        // A global heap object claiming more than its collection holds.
        let heap = try #require(Self.find(Array("GCOL".utf8), in: bytes))
        var oversized = bytes
        oversized[heap + 16 + 8 + 2] ^= 0x20  // the first object's size field, +2 MiB
        expectMessage(["heap.h5", "not a readable HDF5 file", "the file is damaged: global heap object 1 at byte \(heap + 16) claims"]) {
            _ = try KerasModel.load(h5Bytes: oversized, name: "heap.h5")
        }
        // An attribute name whose stored length does not end at its NUL.
        let name = try #require(Self.find(Array("model_config\0".utf8), in: bytes))
        var unterminated = bytes
        unterminated[name + 12] = UInt8(ascii: "X")
        expectMessage(["name.h5", "/: the file is damaged: attribute message", "is not NUL-terminated at its stored length 13"]) {
            _ = try KerasModel.load(h5Bytes: unterminated, name: "name.h5")
        }
    }

    @Test("a weights-only file says how to save the whole model", arguments: [
        ("keras2", "weights-only file (save_weights output) with no model_config"),
        ("keras3", "Keras 3 weights file (.weights.h5) with no model_config"),
    ])
    func weightsOnly(writer: String, kind: String) throws {
        let path = Fixtures.path("errors/weights_only.\(writer).h5")
        expectMessage([path, kind, "save the whole model"]) { _ = try KerasModel.load(contentsOf: path) }
    }

    // MARK: Native files

    /// A native file of `lstm_seq`, split into its parts for editing.
    static func nativeParts() throws -> (metadata: [String: String], tensors: [(name: String, shape: [Int], storage: WeightArray.Storage)]) {
        let data = try KerasModel.load(h5File: Fixtures.path(modelPath)).nativeFileData(layout: .rowMajor)
        let file = try SafetensorsFile(data: data, name: "lstm_seq.safetensors")
        return (file.metadata, file.entries.map { ($0.name, $0.shape, file.weight($0)) })
    }

    @Test("native files: broken config, missing, extra, mis-shaped and stray weights")
    func nativeFileProblems() throws {
        let (metadata, tensors) = try Self.nativeParts()
        let name = "edited.safetensors"
        func load(_ metadata: [String: String], _ tensors: [(name: String, shape: [Int], storage: WeightArray.Storage)]) throws {
            _ = try KerasModel.load(nativeData: SafetensorsFile.serialize(tensors: tensors, metadata: metadata), name: name)
        }
        var broken = metadata
        broken["model_config"] = "{\"class_name\": \"Sequential\", \"config\": {"
        expectMessage([name, "model_config is not valid JSON"]) { try load(broken, tensors) }
        broken["model_config"] = nil
        expectMessage([name, "metadata has no model_config"]) { try load(broken, tensors) }

        // The LSTM's weights are kernel, recurrent_kernel, bias: drop the bias everywhere.
        let bias = try #require(tensors.first { $0.name.hasSuffix("bias") }?.name)
        var withoutBias = metadata
        withoutBias["layers"] = metadata["layers"]?.replacingOccurrences(of: ", \"\(bias)\"", with: "")
        expectMessage([name, "layer 'lstm'", "missing weights"]) { try load(withoutBias, tensors.filter { $0.name != bias }) }
        // Listed but absent, and present but listed nowhere.
        expectMessage([name, "names tensor '\(bias)', which the file doesn't have"]) { try load(metadata, tensors.filter { $0.name != bias }) }
        expectMessage([name, "tensor '\(bias)' belongs to no layer"]) { try load(withoutBias, tensors) }

        var extra = metadata
        extra["layers"] = metadata["layers"]?.replacingOccurrences(of: "\"\(bias)\"", with: "\"\(bias)\", \"lstm/extra_weight\"")
        expectMessage([name, "layer 'lstm'", "unexpected extra weights", "extra_weight"]) {
            try load(extra, tensors + [(name: "lstm/extra_weight", shape: [5], storage: .float32(Array(repeating: 0, count: 5)))])
        }

        let kernel = try #require(tensors.first { $0.name.split(separator: "/").last?.split(separator: ":").first == "kernel" })
        let transposed = tensors.map { $0.name == kernel.name ? ($0.name, Array($0.shape.reversed()), $0.storage) : $0 }
        expectMessage([name, "layer 'lstm'", "has shape (20, 3), expected (3, 20)"]) { try load(metadata, transposed) }
    }

    @Test("native files whose header claims sizes the file doesn't have")
    func nativeFileClaims() throws {
        func header(_ json: String, dataBytes: Int = 4) -> Data {
            var bytes = Array(json.utf8)
            var data = Data()
            withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { data.append(contentsOf: $0) }
            data.append(contentsOf: bytes)
            bytes = Array(repeating: 0, count: dataBytes)
            data.append(contentsOf: bytes)
            return data
        }
        // 10^12 elements claimed for 4 bytes of data.
        expectMessage(["claims.safetensors: byte ", "tensor 'w' shape (1000000, 1000000) of F32 does not fill its 4 bytes"]) {
            _ = try KerasModel.load(nativeData: header(#"{"w": {"dtype": "F32", "shape": [1000000, 1000000], "data_offsets": [0, 4]}}"#), name: "claims.safetensors")
        }
        expectMessage(["claims.safetensors", "data_offsets outside the 4-byte data section"]) {
            _ = try KerasModel.load(nativeData: header(#"{"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 1099511627776]}}"#), name: "claims.safetensors")
        }
        var length = Data()
        withUnsafeBytes(of: UInt64(1 << 40).littleEndian) { length.append(contentsOf: $0) }
        expectMessage(["claims.safetensors", "byte 0: header length 1099511627776 exceeds the limit"]) {
            _ = try KerasModel.load(nativeData: length + Data("{}".utf8), name: "claims.safetensors")
        }
    }

    // MARK: .keras archives

    static func configText() throws -> String {
        try #require(try KerasModel.load(h5File: Fixtures.path(modelPath)).config.sourceText)
    }

    @Test(".keras archives: not a zip, missing entries, bad JSON")
    func kerasArchiveProblems() throws {
        let config = try Self.configText()
        let name = "broken.keras"
        func load(_ entries: [TestZip.Entry]) throws { _ = try KerasModel.load(kerasArchiveData: TestZip.archive(entries), name: name) }

        expectMessage([name, "not a readable zip archive"]) {
            _ = try KerasModel.load(kerasArchiveData: Data([0x50, 0x4B, 0x03, 0x04] + Self.randomBytes(200, seed: 2)), name: name)
        }
        var pastEnd = TestZip.archive([TestZip.stored("config.json", text: config)])
        pastEnd.replaceSubrange((pastEnd.count - 6)..<(pastEnd.count - 2), with: [0xFF, 0xFF, 0xFF, 0x7F])
        expectMessage([name, "not a readable zip archive: zip central directory offset 2147483647 lies past the end"]) {
            _ = try KerasModel.load(kerasArchiveData: pastEnd, name: name)
        }
        expectMessage([name, "zip archive without config.json"]) {
            try load([TestZip.stored("metadata.json", text: "{}"), TestZip.stored("model.weights.h5", try Self.modelBytes())])
        }
        expectMessage([name, "config.json", "model_config is not valid JSON"]) {
            try load([TestZip.stored("config.json", text: "{\"class_name\": \"Sequential\", "), TestZip.stored("metadata.json", text: "{}")])
        }
        expectMessage([name, "config.json", "layer 'lstm'"]) {
            try load([TestZip.stored("config.json", text: config.replacingOccurrences(of: "\"units\": 5", with: "\"units\": \"five\""))])
        }
        expectMessage([name, "no model.weights.h5 entry"]) {
            try load([TestZip.stored("config.json", text: config), TestZip.stored("metadata.json", text: "{}")])
        }
        expectMessage([name, "model.weights.npz; KerasKit reads model.weights.h5"]) {
            try load([TestZip.stored("config.json", text: config), TestZip.stored("model.weights.npz", [0])])
        }
        expectMessage([name, "model.weights.h5", "not a readable HDF5 file"]) {
            try load([TestZip.stored("config.json", text: config), TestZip.stored("model.weights.h5", Array("not hdf5".utf8))])
        }
        expectMessage([name, "model.weights.h5", "truncated"]) {
            let weights = try Self.modelBytes()
            try load([TestZip.stored("config.json", text: config), TestZip.stored("model.weights.h5", Array(weights.prefix(weights.count / 2)))])
        }
    }

    @Test(".keras zip bombs: oversized declared entries and entries that inflate past their size")
    func zipBombs() throws {
        let config = try Self.configText()
        let name = "bomb.keras"
        func load(_ entries: [TestZip.Entry]) throws { _ = try KerasModel.load(kerasArchiveData: TestZip.archive(entries), name: name) }
        // About 6.5 KB that inflate to 1 MB, declared honestly beyond each entry's cap.
        expectMessage([name, "config.json", "zip entry size 400000000 is more than the limit 268435456"]) {
            try load([TestZip.zeroBomb("config.json", copies: 4000, declaredSize: 400_000_000)])
        }
        expectMessage([name, "model.weights.h5", "zip entry size 4026531840 is more than the limit"]) {
            try load([TestZip.stored("config.json", text: config), TestZip.zeroBomb("model.weights.h5", copies: 4000, declaredSize: 0xF000_0000)])
        }
        // Declared honestly within the cap, but 15,000 times its compressed size.
        expectMessage([name, "model.weights.h5: zip entry compression ratio", "is more than the limit 100"]) {
            try load([TestZip.stored("config.json", text: config), TestZip.zeroBomb("model.weights.h5", copies: 4000, declaredSize: 100_000_000)])
        }
        // Declared small, inflating to 1 MB: stopped once it passes the declared size.
        expectMessage([name, "zip entry 'config.json' inflates past its declared 100 bytes"]) {
            try load([TestZip.zeroBomb("config.json", copies: 4000, declaredSize: 100)])
        }
        expectMessage([name, "zip entry 'model.weights.h5' inflates past its declared 1000 bytes"]) {
            try load([TestZip.stored("config.json", text: config), TestZip.zeroBomb("model.weights.h5", copies: 4000, declaredSize: 1000)])
        }
    }

    // MARK: Inputs

    @Test(".npy inputs of the wrong rank or feature count, through predict")
    func npyInputs() throws {
        let model = try KerasModel.load(h5File: Fixtures.path(Self.modelPath))
        let shape = model.inputShape
        try #require(shape.count == 3)
        let steps = try #require(shape[1]), features = try #require(shape[2])
        let wrongRank = try NumpyArray(npy: Tensor(zeros: [steps, features]).npyData)
        expectMessage(["input has 2 axes (\(steps), \(features)), the model takes 3 axes"]) { _ = try model.predict(wrongRank.tensor) }
        let wrongFeatures = try NumpyArray(npy: Tensor(zeros: [2, steps, features + 1]).npyData)
        expectMessage(["input axis 2 has size \(features + 1) in (2, \(steps), \(features + 1)), the model expects \(features)"]) {
            _ = try model.predict(wrongFeatures.tensor)
        }
        expectMessage(["the model takes 1 input array(s), got 2"]) { _ = try model.predict([wrongFeatures.tensor, wrongFeatures.tensor]) }
        expectMessage(["bad .npy header: no 'descr' string"]) { _ = try NumpyArray(npy: Data([0x93] + Array("NUMPY".utf8) + [1, 0, 4, 0] + Array("{}  ".utf8))) }
    }

    @Test("an empty input claiming 2^40 time steps is refused by predict and step-by-step streaming")
    func emptyInputWithHugeTimeAxis() throws {
        let model = try KerasModel.load(h5File: Fixtures.path(Self.modelPath))
        let features = try #require(model.inputShape.last ?? nil)
        let phantom = try NumpyArray(npy: Tensor(zeros: [0, 1 << 40, features]).npyData).tensor
        expectMessage(["input axis 1 has size 1099511627776"]) { _ = try StreamingSession(model: model).feedStepByStep([phantom]) }
    }

    // MARK: Sizes claimed by a config

    /// A Sequential config of one layer on a `[None, 10, 3]` input.
    static func sequential(_ layer: String) -> String {
        #"{"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "InputLayer", "config": {"batch_shape": [null, 10, 3], "name": "in"}}, "# + layer + "]}}"
    }

    @Test("a config claiming 2^40 units, or axes of 2^40, is refused before anything is sized", arguments: [
        (#"{"class_name": "Dense", "config": {"name": "d", "units": 1099511627776}}"#, "layer 'd' (Dense)"),
        (#"{"class_name": "LSTM", "config": {"name": "l", "units": 1099511627776}}"#, "layer 'l' (LSTM)"),
        (#"{"class_name": "Dense", "config": {"name": "d", "units": 1e300}}"#, "layer 'd' (Dense)"),
    ])
    func hugeUnits(layer: String, fragment: String) throws {
        expectMessage([fragment, "invalid config"]) { _ = try ModelConfig(json: Data(Self.sequential(layer).utf8)) }
    }

    @Test("a config claiming a 2^40 input axis is refused")
    func hugeAxis() throws {
        let json = Self.sequential(#"{"class_name": "Dense", "config": {"name": "d", "units": 2}}"#)
            .replacingOccurrences(of: "[null, 10, 3]", with: "[null, 10, 1099511627776]")
        expectMessage(["invalid axis size"]) { _ = try ModelConfig(json: Data(json.utf8)) }
    }

    @Test("a config inside a model file claiming 2^40 units names the file")
    func hugeUnitsInFile() throws {
        let (metadata, tensors) = try Self.nativeParts()
        var edited = metadata
        edited["model_config"] = metadata["model_config"]?.replacingOccurrences(of: "\"units\": 5", with: "\"units\": 1099511627776")
        #expect(edited["model_config"] != metadata["model_config"])
        expectMessage(["units.safetensors", "layer 'lstm' (LSTM): invalid config"]) {
            _ = try KerasModel.load(nativeData: SafetensorsFile.serialize(tensors: tensors, metadata: edited), name: "units.safetensors")
        }
    }

    @Test("a zero-width input axis declared by a config runs instead of dividing by zero")
    func zeroWidthDense() throws {
        let json = #"{"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "InputLayer", "config": {"batch_shape": [null, 0], "name": "in"}}, {"class_name": "Dense", "config": {"name": "d", "units": 2}}]}}"#
        let model = try KerasModel(config: ModelConfig(json: Data(json.utf8)), weights: [
            "d": [try WeightArray(name: "d/kernel:0", shape: [0, 2], storage: .float32([])),
                  try WeightArray(name: "d/bias:0", shape: [2], storage: .float32([0.5, -1]))],
        ], kerasVersion: "3.15.1")
        let outputs = try model.predict(try Tensor(zeros: [3, 0]))
        #expect(outputs.map(\.shape) == [[3, 2]])
    }

    @Test("JSON nested deeper than any config is refused without recursion")
    func deepJSON() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        expectMessage(["nesting deeper than"]) { _ = try ModelConfig(json: Data(deep.utf8)) }
    }
}
