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

    @Test("the manifest gives float64 models a float64 tolerance")
    func float64FixturesAreListed() {
        let float64 = Fixtures.all.filter { $0.dtype == "float64" }
        #expect(float64.count == 4, "float64_model from both writers in both formats")
        #expect(float64.allSatisfy { $0.atol <= 1e-9 })
        #expect(Fixtures.all.filter { $0.dtype != "float64" }.allSatisfy { $0.atol <= 1e-5 })
    }

    @Test("predict matches Keras within the fixture's atol (1e-9 for float64 models, in Double)", arguments: Fixtures.all)
    func predictMatchesKeras(fixture: Fixtures.Fixture) throws {
        let model = try KerasModel.load(contentsOf: Fixtures.path(fixture.model))
        #expect(model.computePrecision == fixture.precision)
        try fixture.withScalar { scalar in try predictCalls(of: model, fixture: fixture, as: scalar) }
    }

    /// Runs every call in `Scalar` (the model's precision) and compares with Keras at the fixture's atol.
    private func predictCalls<Scalar: FixtureScalar>(of model: KerasModel, fixture: Fixtures.Fixture, as scalar: Scalar.Type) throws {
        for (index, call) in fixture.calls.enumerated() {
            if call.reset_states_before { model.resetStates() }
            let inputs = try call.inputs.map { try Fixtures.array($0).tensor(as: Scalar.self) }
            let outputs = try Scalar.predict(model, inputs)
            try #require(outputs.count == call.outputs.count, "call \(index): \(outputs.count) outputs, Keras gave \(call.outputs.count)")
            for (output, expectedPath) in zip(outputs, call.outputs) {
                expectClose(output, try Fixtures.array(expectedPath).tensor(as: Scalar.self), atol: fixture.atol, "call \(index) \(expectedPath)")
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
