import Foundation
import KerasKit
import KerasKitImport
import Testing

@Suite("Parity with Keras's own predict on every fixture")
struct ParityTests {
    @Test("the manifest lists fixtures from both writers")
    func manifestIsComplete() {
        let writers = Set(Fixtures.all.map(\.writer))
        #expect(writers == ["keras2", "keras3"])
        #expect(Fixtures.all.count >= 60)
        #expect(Fixtures.all.contains { $0.name == "seed" && $0.writer == "keras3" })
    }

    @Test("predict matches Keras within 1e-5", arguments: Fixtures.all)
    func predictMatchesKeras(fixture: Fixtures.Fixture) throws {
        let model = try KerasModel.load(contentsOf: Fixtures.path(fixture.model))
        for (index, call) in fixture.calls.enumerated() {
            if call.reset_states_before { model.resetStates() }
            let inputs = try call.inputs.map { try Fixtures.array($0).tensor }
            let outputs = try model.predict(inputs)
            try #require(outputs.count == call.outputs.count, "call \(index): \(outputs.count) outputs, Keras gave \(call.outputs.count)")
            for (output, expectedPath) in zip(outputs, call.outputs) {
                expectClose(output, try Fixtures.array(expectedPath).tensor, "call \(index) \(expectedPath)")
            }
        }
    }

    @Test("parameter counts equal Keras's count_params()", arguments: Fixtures.all)
    func parameterCounts(fixture: Fixtures.Fixture) throws {
        let model = try KerasModel.load(contentsOf: Fixtures.path(fixture.model))
        #expect(model.parameterCount == fixture.total_params)
        #expect(model.summaryRows.map(\.parameterCount) == fixture.layers.map(\.params))
        #expect(model.summaryRows.map(\.name) == fixture.layers.map(\.name))
        #expect(model.kerasVersion == fixture.keras_version)
    }
}

@Suite("Broken model files give clear errors")
struct ErrorFixtureTests {
    @Test("each broken fixture fails with a message naming the cause", arguments: Fixtures.errors)
    func brokenFileIsRejected(fixture: Fixtures.ErrorFixture) {
        #expect {
            _ = try KerasModel.load(contentsOf: Fixtures.path(fixture.file))
        } throws: { error in
            let message = "\(error)"
            return error is KerasFileError && message.contains(fixture.expect) && message.contains(fixture.file.split(separator: "/").last.map(String.init) ?? "")
        }
    }
}
