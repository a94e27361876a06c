import Foundation
import KerasKit
import KerasKitImport
import KerasKitTestSupport
import Testing

/// SplitMix64: a tiny deterministic generator, so every run mutates the same bytes.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Truncated and bit-flipped copies of real model files: each must load (and then predict) or
/// fail with a typed, one-line error naming the file. A trap anywhere kills the test process.
@Suite("Mutated model files load or fail cleanly, never crash")
struct MutationTests {
    enum Format: String, CaseIterable { case h5, keras, native }

    /// One well-formed file to mutate, with an input it predicts on.
    struct Subject {
        var label: String
        var format: Format
        var bytes: [UInt8]
        var inputs: [Tensor]
    }

    /// How the mutated loads ended.
    struct Tally {
        var variants = 0
        var predicted = 0
        var predictErrors = 0
        var loadErrors: [String: Int] = [:]
        var badMessages: [String] = []
    }

    /// The fixtures mutated, from both writers, as `.h5` and (where the manifest lists one) as
    /// `.keras`: recurrent, stacked, masked, embedding, chunked-attribute, Bidirectional, Conv1D,
    /// nested, grouped/depthwise/transposed convolution, 2-D pooling, ConvLSTM, EinsumDense, masked MultiHeadAttention and Attention models, and
    /// operation nodes that index (Keras 3 `Take`/`GetItem`, tf-keras `TFOpLambda`/`SlicingOpLambda`). A name the manifest lacks from either writer fails the test: a renamed
    /// fixture must not silently drop its layers from the run.
    static let subjectNames = [
        "lstm_seq", "stacked", "dense_3d", "lstm_state_last", "chunked_weight_names", "int_input",
        "gru_seq", "embedding_mask_lstm", "masking_td", "bidi_lstm_concat_seq", "conv1d_same", "func_nested_functional",
        "conv2d_groups", "depthwise_conv2d", "conv2d_transpose_output_padding", "maxpool2d_same", "convlstm2d_state",
        "einsum_dense", "mha_masked", "attention_seq2seq_tokens", "attention_explicit_mask",
        "ops_struct_index",
    ]
    static let writers = ["keras2", "keras3"]
    /// How many `.h5` subjects also become native files.
    static let nativeSubjects = 2
    static let seed: UInt64 = 0x4B65_7261_734B_6974  // "KerasKit"
    static let flipsPerSubject = 40
    /// A run that takes longer than this stops early (and fails), so the suite stays bounded.
    static let timeBudget: Duration = .seconds(180)

    /// The subjects, and the (name, writer) pairs the manifest has no `.h5` fixture for.
    static func subjects() throws -> (subjects: [Subject], missing: [String]) {
        var result: [Subject] = []
        var missing: [String] = []
        func inputs(_ fixture: Fixtures.Fixture) throws -> [Tensor] {
            try (fixture.calls.first?.inputs ?? []).map { try Fixtures.array($0).tensor }
        }
        func subject(_ fixture: Fixtures.Fixture, _ format: Format) throws -> Subject {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Fixtures.path(fixture.model))))
            return Subject(label: fixture.model, format: format, bytes: bytes, inputs: try inputs(fixture))
        }
        for name in subjectNames {
            for writer in writers {
                let entries = Fixtures.all.filter { $0.name == name && $0.writer == writer }
                guard let h5 = entries.first(where: { $0.format == "h5" }) else {
                    missing.append("\(name) (\(writer))")
                    continue
                }
                result.append(try subject(h5, .h5))
                if let archive = entries.first(where: { $0.format == "keras" }) { result.append(try subject(archive, .keras)) }
            }
        }
        // Native files made from the first .h5 subjects, with their self-check tensors.
        for subject in result.filter({ $0.format == .h5 }).prefix(nativeSubjects) {
            let model = try KerasModel.load(h5Bytes: subject.bytes, name: subject.label)
            let data = try model.nativeFileData(checkInputs: subject.inputs)
            result.append(Subject(label: subject.label + ".safetensors", format: .native, bytes: [UInt8](data), inputs: subject.inputs))
        }
        return (result, missing)
    }

    /// The mutated copies of `bytes`: truncations at fixed and evenly spaced points, and copies
    /// with one to three flipped bits (half of them in the first 4 KiB, where headers live).
    static func variants(of bytes: [UInt8], generator: inout SplitMix64) -> [(String, [UInt8])] {
        var result: [(String, [UInt8])] = []
        var cuts = Set([0, 1, 4, 8, 9, 12, 16, 64, 512, 1024, 2048, 4096].filter { $0 < bytes.count })
        for step in 1..<16 { cuts.insert(bytes.count * step / 16) }
        cuts.insert(bytes.count - 1)
        for cut in cuts.sorted() { result.append(("truncated at \(cut)", Array(bytes.prefix(cut)))) }
        guard !bytes.isEmpty else { return result }
        for index in 0..<flipsPerSubject {
            var copy = bytes
            var places: [String] = []
            let window = index.isMultiple(of: 2) ? copy.count : min(copy.count, 4096)
            for _ in 0..<(1 + Int(generator.next() % 3)) {
                let offset = Int(generator.next() % UInt64(window))
                let bit = UInt8(1) << UInt8(generator.next() % 8)
                copy[offset] ^= bit
                places.append("\(offset):\(bit)")
            }
            result.append(("bits flipped at \(places.joined(separator: ","))", copy))
        }
        return result
    }

    static func load(_ format: Format, _ bytes: [UInt8], name: String) throws(KerasFileError) -> KerasModel {
        switch format {
        case .h5: try KerasModel.load(h5Bytes: bytes, name: name)
        case .keras: try KerasModel.load(kerasArchiveData: Data(bytes), name: name)
        case .native: try KerasModel.load(nativeData: Data(bytes), name: name)
        }
    }

    /// The case name of a reason, for the tally.
    static func kind(of reason: KerasFileError.Reason) -> String {
        Mirror(reflecting: reason).children.first?.label ?? "\(reason)"
    }

    @Test("every fixture truncated and bit-flipped under a fixed seed ends in a result or a typed error")
    func mutatedFilesNeverCrash() throws {
        let (subjects, missing) = try Self.subjects()
        #expect(missing.isEmpty, "subjects missing from the manifest: \(missing)")
        try #require(subjects.contains { $0.format == .keras } && subjects.contains { $0.format == .native })
        // The variants made per format, to check each one ran.
        var planned: [Format: Int] = [:]
        var generator = SplitMix64(state: Self.seed)
        var tallies: [Format: Tally] = [:]
        let clock = ContinuousClock()
        let start = clock.now
        // KERASKIT_MUTATION_TRACE=1 names each variant before loading it, to find a crash.
        let trace = ProcessInfo.processInfo.environment["KERASKIT_MUTATION_TRACE"] != nil
        // KERASKIT_MUTATION_DUMP=dir writes every variant there instead of loading it (to replay
        // them under AddressSanitizer through the fuzz targets, or to seed their corpora).
        let dump = ProcessInfo.processInfo.environment["KERASKIT_MUTATION_DUMP"]
        outer: for subject in subjects {
            let variants = Self.variants(of: subject.bytes, generator: &generator)
            planned[subject.format, default: 0] += variants.count
            for (mutation, bytes) in variants {
                guard clock.now - start < Self.timeBudget else {
                    Issue.record("mutation run exceeded its \(Self.timeBudget) budget")
                    break outer
                }
                let name = "\(subject.label) [\(mutation)]"
                if trace { FileHandle.standardError.write(Data("mutation: \(name)\n".utf8)) }
                if let dump {
                    let file = "\(dump)/\(subject.format)-\(tallies[subject.format]?.variants ?? 0)-\(subject.label.replacingOccurrences(of: "/", with: "_"))"
                    try Data(bytes).write(to: URL(fileURLWithPath: file))
                    tallies[subject.format, default: Tally()].variants += 1
                    continue
                }
                var tally = tallies[subject.format] ?? Tally()
                tally.variants += 1
                do {
                    let model = try Self.load(subject.format, bytes, name: name)
                    model.resetStates()
                    do {
                        _ = try model.predict(subject.inputs)
                        tally.predicted += 1
                    } catch {
                        tally.predictErrors += 1
                    }
                } catch {
                    tally.loadErrors[Self.kind(of: error.reason), default: 0] += 1
                    let message = error.description
                    if !message.hasPrefix(name) || message.contains("\n") {
                        tally.badMessages.append(message)
                    }
                }
                tallies[subject.format] = tally
            }
        }
        let elapsed = clock.now - start
        var total = 0
        for format in Format.allCases {
            guard let tally = tallies[format] else { continue }
            total += tally.variants
            let errors = tally.loadErrors.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            print("mutation [\(format)]: \(tally.variants) variants: \(tally.predicted) loaded and predicted, \(tally.predictErrors) loaded but predict refused, load errors: \(errors.isEmpty ? "none" : errors)")
            #expect(tally.badMessages.isEmpty, "\(format): errors not one line naming the file: \(tally.badMessages.prefix(3))")
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("mutation: \(total) variants of \(subjects.count) files in \(String(format: "%.1f", seconds)) s")
        for format in Format.allCases {
            #expect(tallies[format]?.variants == planned[format], "\(format): \(tallies[format]?.variants ?? 0) of \(planned[format] ?? 0) variants ran")
        }
    }
}
