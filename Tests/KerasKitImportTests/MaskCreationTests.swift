import Foundation
@testable import KerasKit
import KerasKitImport
import KerasKitTestSupport
import Testing

/// Which layers make masks of their own, and a nested model that skips its second run (for its
/// masks) only when no mask can come out of it.
@Suite("Layers that make masks, and nested models without them")
struct MaskCreationTests {
    /// The float32 layers of a fixture's model, by name.
    static func layers(_ fixture: String) throws -> [String: any InferenceLayer<Float>] {
        let model = try KerasModel.load(contentsOf: Fixtures.path(fixture))
        guard case .float32(let graph) = model.engine else { throw NativePackingTests.TestFailure("not a float32 model") }
        return graph.layers.mapValues(\.layer)
    }

    /// A fixture's whole model run as a nested layer, as a parent model would hold it.
    static func nested(_ fixture: String) throws -> NestedModelLayer<Float> {
        let model = try KerasModel.load(contentsOf: Fixtures.path(fixture))
        guard case .float32(let graph) = model.engine else { throw NativePackingTests.TestFailure("not a float32 model") }
        return NestedModelLayer(name: "nested", model: model, plan: graph.plan)
    }

    @Test("Masking and Embedding(mask_zero=True) make masks; LSTM and Dense don't")
    func creators() throws {
        let masking = try Self.layers("masking_lstm_seq/keras3/model.h5")
        #expect(masking.values.contains { $0 is MaskingLayer<Float> && $0.createsMasks })
        #expect(masking.values.contains { $0 is RecurrentLayer<LSTMCell<Float>> && !$0.createsMasks })
        let embedding = try Self.layers("embedding_mask_lstm/keras3/model.h5")
        #expect(embedding.values.contains { $0 is EmbeddingLayer<Float> && $0.createsMasks })
        let dense = try Self.layers("dense_2d/keras3/model.h5")
        #expect(!dense.isEmpty && dense.values.allSatisfy { !$0.createsMasks })
    }

    @Test("a nested model makes masks when one of its layers does, and gives none otherwise")
    func nestedModels() throws {
        let input = try NumpyArray(contentsOf: Fixtures.path("masking_lstm_seq/keras3/call0_input0.npy")).tensor(as: Float.self)
        let call = LayerCall(inputs: [input])

        let masking = try Self.nested("masking_lstm_seq/keras3/model.h5")
        #expect(masking.createsMasks)
        var state: LayerState<Float>? = nil
        let outputs = try masking.forward(call, state: &state)
        // The inner Masking layer's mask reaches the returned sequence even though none came in.
        let masks = masking.outputMasks(for: call, outputs: outputs)
        #expect(masks.count == 1 && masks.first??.batch == input.shape[0])

        let plain = try Self.nested("lstm_seq/keras3/model.h5")
        #expect(!plain.createsMasks)
        let plainInput = try NumpyArray(contentsOf: Fixtures.path("lstm_seq/keras3/call0_input0.npy")).tensor(as: Float.self)
        let plainCall = LayerCall(inputs: [plainInput])
        #expect(plain.outputMasks(for: plainCall, outputs: try plain.forward(plainCall, state: &state)).isEmpty)
    }
}
