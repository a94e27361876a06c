import Foundation
@testable import KerasKit
import KerasKitImport
import KerasKitTestSupport
import Testing

/// What the generic code derives from each layer's declarations — counts, FLOPs, the argument
/// lists `inspect` prints, unsupported classes — checked against what Keras itself reported for
/// every fixture (scripts/make_fixtures.py stores it in the manifest).
@Suite("Counts, FLOPs and arguments from the layers' declarations")
struct LayerDeclarationTests {
    /// Fixtures whose models hold classes KerasKit doesn't implement, on purpose.
    static func isUnsupported(_ fixture: Fixtures.Fixture) -> Bool { fixture.unsupported != nil }

    static let supported = Fixtures.all

    @Test("every fixture states Keras's trainable and non-trainable counts")
    func manifestHasCounts() {
        #expect(!Fixtures.unsupportedModels.isEmpty)
        for fixture in Fixtures.everything {
            #expect(fixture.trainable_params != nil && fixture.non_trainable_params != nil, "\(fixture.testDescription)")
            #expect(fixture.layers.allSatisfy { $0.trainable_params != nil && $0.non_trainable_params != nil && $0.config != nil }, "\(fixture.testDescription)")
        }
    }

    @Test("trainable and non-trainable counts equal Keras's, per layer and in total", arguments: supported)
    func trainableCounts(fixture: Fixtures.Fixture) throws {
        let model = try KerasModel.load(contentsOf: Fixtures.path(fixture.model))
        #expect(model.trainableParameterCount == fixture.trainable_params)
        #expect(model.nonTrainableParameterCount == fixture.non_trainable_params)
        #expect(model.summaryRows.map(\.trainableParameterCount) == fixture.layers.map { $0.trainable_params ?? -1 })
        #expect(model.summaryRows.map(\.nonTrainableParameterCount) == fixture.layers.map { $0.non_trainable_params ?? -1 })
    }

    @Test("a model that can't be built is summarized from its file with Keras's counts", arguments: Fixtures.everything.filter { $0.format == "h5" })
    func countsWithoutBuilding(fixture: Fixtures.Fixture) throws {
        let contents = try KerasModel.readContents(of: Fixtures.path(fixture.model))
        let rows = KerasModel.summaryRows(config: contents.config, weights: contents.weights, kerasVersion: contents.kerasVersion)
        #expect(rows.map(\.name) == fixture.layers.map(\.name))
        #expect(rows.map(\.parameterCount) == fixture.layers.map(\.params))
        #expect(rows.map(\.trainableParameterCount) == fixture.layers.map { $0.trainable_params ?? -1 })
        #expect(rows.contains { !$0.isSupported } == Self.isUnsupported(fixture))
        if !Self.isUnsupported(fixture) {
            let model = try contents.model()
            #expect(rows.map(\.outputShapes) == model.summaryRows.map(\.outputShapes), "shapes inferred without building equal the built model's")
        }
    }

    /// Keras's and KerasKit's value of one argument agree: numbers and booleans exactly, strings
    /// as Keras wrote them (activations by KerasKit's canonical name).
    static func agree(_ keras: JSONValue, _ ours: JSONValue, key: String) -> Bool {
        switch (keras, ours) {
        case (.number(let a), .number(let b)): return a == b || abs(a - b) <= 1e-12 * max(abs(a), abs(b))
        case (.bool(let a), .bool(let b)): return a == b
        case (.null, .null): return true
        case (.string(let a), .string(let b)):
            if a == b { return true }
            return Activation(kerasName: a)?.rawValue == b || a.lowercased() == b
        case (.array(let a), .array(let b)): return a.count == b.count && zip(a, b).allSatisfy { agree($0, $1, key: key) }
        case (.number(let a), .array(let b)): return b.count >= 1 && b.allSatisfy { agree(.number(a), $0, key: key) }
        case (.array(let a), .number): return a.count == 1 && agree(a[0], ours, key: key)
        default: return false
        }
    }

    @Test("each summary row carries its own layer's arguments, equal to the ones Keras wrote", arguments: supported)
    func argumentsMatchKeras(fixture: Fixtures.Fixture) throws {
        let model = try KerasModel.load(contentsOf: Fixtures.path(fixture.model))
        let rows = model.summaryRows
        try #require(rows.count == fixture.layers.count)
        for (row, layer) in zip(rows, fixture.layers) {
            let ours = Dictionary(row.layer.kerasArguments, uniquingKeysWith: { first, _ in first })
            #expect(ours["name"] == .string(layer.name), "row \(row.name) carries the arguments of \(ours["name"].map { "\($0)" } ?? "nothing")")
            #expect(row.className == layer.class_name)
            // A nested model's row lists its whole config as one argument.
            guard !(row.layer.configuration is NestedModelConfig), case .object(let written)? = layer.config else { continue }
            for (key, value) in written.sorted(by: { $0.key < $1.key }) {
                switch value {
                case .number, .bool, .string, .array:
                    // Scalars and lists of scalars; objects (initializers, dtype policies, wrapped layers) aside.
                    if case .array(let items) = value, items.contains(where: { $0.objectValue != nil || $0.arrayValue != nil }) { continue }
                    guard let mine = ours[key] else {
                        Issue.record("\(fixture.testDescription) layer \(layer.name): Keras wrote \(key) = \(value), KerasKit lists no such argument")
                        continue
                    }
                    #expect(Self.agree(value, mine, key: key), "\(fixture.testDescription) layer \(layer.name): \(key) is \(value) in Keras, \(mine) in KerasKit")
                default:
                    continue
                }
            }
        }
    }

    @Test("FLOPs count every layer's products, Keras 3 mask operations in the graph or not")
    func flopsIgnoreOperationNodes() throws {
        let keras2 = try KerasModel.load(contentsOf: Fixtures.path("masking_gru_last/keras2/model.h5"))
        let keras3 = try KerasModel.load(contentsOf: Fixtures.path("masking_gru_last/keras3/model.h5"))
        #expect(keras3.config.layers.contains { $0.isOperation }, "the Keras 3 file records mask operations")
        let flops = keras2.estimatedFLOPs(batch: 4, time: 7)
        #expect(flops > 0)
        #expect(keras3.estimatedFLOPs(batch: 4, time: 7) == flops)
        // A Bidirectional LSTM counts both directions.
        let bidirectional = try KerasModel.load(contentsOf: Fixtures.path("bidi_lstm_concat_seq/keras3/model.h5"))
        #expect(bidirectional.estimatedFLOPs(batch: 2, time: 5) > 0)
    }

    @Test("building names every unsupported class and its layers in one error", arguments: Fixtures.unsupportedModels)
    func unsupportedClassesNamedAtOnce(fixture: Fixtures.Fixture) throws {
        let classes = try #require(fixture.unsupported)
        #expect {
            _ = try KerasModel.load(contentsOf: Fixtures.path(fixture.model))
        } throws: { error in
            let message = "\(error)"
            return message.contains("unsupported layer classes: ") && classes.allSatisfy { message.contains("\($0) (") }
        }
    }
}
