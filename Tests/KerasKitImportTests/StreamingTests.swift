import Foundation
import KerasKit
import KerasKitImport
import KerasKitTestSupport
import Testing

@Suite("Streaming one step at a time gives what predict gives")
struct StreamingTests {
    /// Fixtures that must stream: stacked, masked and plain recurrent models.
    static let mustStream = [
        "seed", "lstm_seq", "lstm_last", "stacked", "dense_3d", "lstm_state_seq", "int_input",
        "gru_seq", "gru_last", "rnn_relu", "masking_stacked", "masking_lstm_seq", "masking_gru_last",
        "embedding_mask_lstm", "embedding_lstm_seq", "masking_zero_output", "masking_td",
    ]

    /// Single-call fixtures whose models can stream.
    static let streamable: [Fixtures.Fixture] = Fixtures.all.filter { fixture in
        guard fixture.calls.count == 1, !fixture.name.contains("stateful"),
              let model = try? KerasModel.load(contentsOf: Fixtures.path(fixture.model)) else { return false }
        return (try? StreamingSession(model: model)) != nil
    }

    @Test("the models that must stream can, from every writer and format")
    func requiredModelsStream() {
        for name in Self.mustStream {
            let available = Fixtures.all.filter { $0.name == name }
            #expect(!available.isEmpty, "fixture \(name) is missing")
            for fixture in available {
                #expect(Self.streamable.contains { $0.model == fixture.model }, "\(fixture.testDescription) does not stream")
            }
        }
    }

    @Test("feeding one step at a time matches Keras's predict at the fixture's atol (float64 in Double)", arguments: streamable)
    func stepByStep(fixture: Fixtures.Fixture) throws {
        let model = try KerasModel.load(contentsOf: Fixtures.path(fixture.model))
        let call = try #require(fixture.calls.first)
        try fixture.withScalar { scalar in try stepByStep(model, call: call, atol: fixture.atol, as: scalar) }
    }

    private func stepByStep<Scalar: FixtureScalar>(_ model: KerasModel, call: Fixtures.Fixture.Call, atol: Double, as scalar: Scalar.Type) throws {
        let inputs = try call.inputs.map { try Fixtures.array($0).tensor(as: Scalar.self) }
        let outputs = try Scalar.feedStepByStep(try StreamingSession(model: model), inputs)
        for (output, path) in zip(outputs, call.outputs) {
            expectClose(output, try Fixtures.array(path).tensor(as: Scalar.self), atol: atol, path)
        }
    }

    /// The float64 models all of whose layers work step by step (Dot, padding and upsampling mix steps).
    static let streamableFloat64 = ["float64_model", "new_layers_float64"]

    @Test("the float64 model streams in Double", arguments: Fixtures.all.filter { streamableFloat64.contains($0.name) })
    func float64Streams(fixture: Fixtures.Fixture) throws {
        #expect(Self.streamable.contains { $0.model == fixture.model })
    }

    @Test("uneven chunks and a reset give the same as one pass", arguments: streamable.filter { $0.name == "stacked" || $0.name == "masking_stacked" || $0.name == "lstm_seq" })
    func chunks(fixture: Fixtures.Fixture) throws {
        let model = try KerasModel.load(contentsOf: Fixtures.path(fixture.model))
        let call = try #require(fixture.calls.first)
        let inputs = try call.inputs.map { try Fixtures.array($0).tensor }
        let session = try StreamingSession(model: model)
        let whole = try session.feedStepByStep(inputs)
        session.reset()
        let again = try session.feedStepByStep(inputs)
        #expect(whole == again, "reset starts a new sequence")
        let expected = try Fixtures.array(call.outputs[0]).tensor
        expectClose(whole[0], expected, atol: 1e-5)
    }

    @Test("models that need the whole sequence are refused, naming the layer")
    func refusesBackwards() throws {
        for fixture in Fixtures.all where fixture.name == "lstm_backwards_seq" || fixture.name.hasPrefix("bidi_lstm_concat") {
            let model = try KerasModel.load(contentsOf: Fixtures.path(fixture.model))
            #expect {
                _ = try StreamingSession(model: model)
            } throws: { error in
                "\(error)".contains("can't be streamed") && "\(error)".contains("layer '")
            }
        }
    }
}
