import Foundation
import Testing
@testable import KerasKit
import KerasKitImport
import KerasKitTestSupport

@Suite("float64 models compute in Double")
struct Float64Tests {
    static let float64Fixtures = Fixtures.all.filter { $0.precision == .float64 }
    static let float32Fixtures = Fixtures.all.filter { $0.precision == .float32 && !precisionBound.contains("\($0.name)/\($0.writer)") }

    /// Float32 fixtures whose Keras result depends on float32 itself, so a Double rebuild rightly
    /// differs: tf.keras's masked softmax adds −1e9, which absorbs the input in float32 (a fully
    /// masked row comes out uniform) but not in float64; `ReLU(threshold=0.3)` compares with
    /// float32's 0.3, and an input equal to it falls on the other side of float64's 0.3.
    /// Attention's padding subtracts 1e9 from masked scores, which likewise makes a row whose
    /// every value step is masked uniform in float32 only; so does tf-keras's MultiHeadAttention
    /// (it adds −1e9 to masked scores) for its padded query rows.
    static let precisionBound: Set<String> = ["softmax_masked/keras2", "relu_options/keras3", "relu_options/keras2",
                                              "attention_explicit_mask/keras2", "attention_explicit_mask/keras3",
                                              "attention_embedding_mask/keras2", "attention_embedding_mask/keras3",
                                              "mha_masked/keras2", "mha_masked_scores/keras2", "transformer_decoder/keras2"]

    /// The same model rebuilt to compute in `precision`, whatever its policy says.
    static func rebuilt(_ model: KerasModel, computingIn precision: ComputePrecision) throws -> KerasModel {
        let weights = Dictionary(model.weights.map { ($0.layer, $0.arrays) }, uniquingKeysWith: { first, _ in first })
        return try KerasModel(config: model.config, weights: weights, generation: model.generation, kerasVersion: model.kerasVersion,
                              backend: model.backend, precision: precision)
    }

    @Test("the 1e-9 tolerance catches float32 arithmetic: the same model run in Float misses it", arguments: float64Fixtures)
    func toleranceCatchesFloat(fixture: Fixtures.Fixture) throws {
        let model = try KerasModel.load(contentsOf: Fixtures.path(fixture.model))
        #expect(model.computePrecision == .float64)
        let call = try #require(fixture.calls.first)
        let inputs = try call.inputs.map { try Fixtures.array($0).tensor(as: Double.self) }
        let expected = try Fixtures.array(call.outputs[0]).tensor(as: Double.self)
        let asFloat = try Self.rebuilt(model, computingIn: .float32).predict(inputs)[0]
        let asDouble = try model.predict(inputs)[0]
        let floatError = zip(asFloat.scalars, expected.scalars).map { abs($0 - $1) }.max() ?? 0
        let doubleError = zip(asDouble.scalars, expected.scalars).map { abs($0 - $1) }.max() ?? 0
        #expect(floatError > 10 * fixture.atol, "Float compute gives \(floatError)")
        #expect(doubleError <= fixture.atol, "Double compute gives \(doubleError)")
    }

    @Test("Float tensors into a float64 model: computed in Double, rounded out", arguments: float64Fixtures)
    func floatAPI(fixture: Fixtures.Fixture) throws {
        let model = try KerasModel.load(contentsOf: Fixtures.path(fixture.model))
        let call = try #require(fixture.calls.first)
        let arrays = try call.inputs.map { try Fixtures.array($0) }
        let fromFloat = try model.predict(try arrays.map { try $0.tensor(as: Float.self) })[0]
        // Keras's predict rounds the input to float32 first, so both APIs see the same input.
        #expect(fromFloat == Tensor(try model.predict(try arrays.map { try $0.tensor(as: Double.self) })[0]))
    }

    @Test("the native file keeps float64 weights and policy, and computes in Double to 1e-9", arguments: float64Fixtures)
    func nativeRoundTrip(fixture: Fixtures.Fixture) throws {
        let model = try KerasModel.load(contentsOf: Fixtures.path(fixture.model))
        let call = try #require(fixture.calls.first)
        let inputs = try call.inputs.map { try Fixtures.array($0).tensor(as: Double.self) }
        let data = try model.nativeFileData(checkInputs: inputs)
        let native = try KerasModel.load(nativeData: data, name: "float64.safetensors")
        #expect(native.computePrecision == .float64)
        // Floating-point weights stay float64; integer ones (Normalization's int64 count, never computed with) stay as stored.
        #expect(native.weights.flatMap(\.arrays).allSatisfy { $0.dtypeName == "float64" || (!$0.isFloatingPoint && $0.dtypeName == "int64") })
        let outputs = try native.predict(inputs)
        for (output, path) in zip(outputs, call.outputs) {
            expectClose(output, try Fixtures.array(path).tensor(as: Double.self), atol: fixture.atol, path)
        }
        // The self-check is stored in float64, every digit of it.
        let selfCheck = try #require(native.selfCheck)
        #expect(selfCheck.inputs == inputs)
        #expect(selfCheck.outputs == (try model.predict(inputs)))
    }

    @Test("every layer has a Double implementation: each float32 fixture rebuilt in Double matches Keras to 1e-5", arguments: float32Fixtures)
    func everyLayerComputesInDouble(fixture: Fixtures.Fixture) throws {
        let model = try Self.rebuilt(try KerasModel.load(contentsOf: Fixtures.path(fixture.model)), computingIn: .float64)
        #expect(model.computePrecision == .float64)
        for (index, call) in fixture.calls.enumerated() {
            if call.reset_states_before { model.resetStates() }
            let inputs = try call.inputs.map { try Fixtures.array($0).tensor(as: Double.self) }
            let outputs = try model.predict(inputs)
            try #require(outputs.count == call.outputs.count)
            for (output, path) in zip(outputs, call.outputs) {
                // Keras's float32 outputs are rounded relative to their size: images of 0…255
                // give outputs in the hundreds, where float32 rounding alone exceeds 1e-5.
                let expected = try Fixtures.array(path).tensor(as: Double.self)
                let scale = max(1, expected.scalars.map(abs).max() ?? 0)
                expectClose(output, expected, atol: fixture.atol * scale, "call \(index) \(path)")
            }
        }
    }
}
