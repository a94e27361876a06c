import Foundation
import KerasKit
import KerasKitImport
import KerasKitTestSupport
import Testing

@Suite("Parity with Keras's own predict on every fixture")
struct ParityTests {
    /// The fixture counts are not written here: the manifest and the files on disk are two
    /// independent records of what `scripts/make_fixtures.py` made, and they must agree exactly,
    /// per writer and format, so a fixture dropped from either (a skipped model, a stale
    /// manifest) fails instead of silently shrinking every parameterized test.
    @Test("the manifest lists exactly the model and error files on disk, from both writers")
    func manifestIsComplete() {
        #expect(Fixtures.manifestError == nil, "\(Fixtures.manifestError ?? "")")
        let listed = Fixtures.everything.map(\.model)
        let onDisk = Fixtures.modelFilesOnDisk
        #expect(!onDisk.isEmpty, "no model files under \(Fixtures.root.path)")
        #expect(listed.count == Set(listed).count, "the manifest lists a model file twice")
        let unlisted = Set(onDisk).subtracting(listed).sorted(), missing = Set(listed).subtracting(onDisk).sorted()
        #expect(unlisted.isEmpty && missing.isEmpty, "\(unlisted.count) on disk, not listed: \(unlisted.prefix(8)); \(missing.count) listed, not on disk: \(missing.prefix(8))")
        // The same agreement, counted per writer and format (an entry's path says both).
        func counts(_ paths: [String]) -> [String: Int] {
            Dictionary(grouping: paths) { path in
                let parts = path.split(separator: "/")
                return parts.count == 3 ? "\(parts[1]) .\(parts[2].split(separator: ".").last ?? "")" : path
            }.mapValues(\.count)
        }
        #expect(counts(listed) == counts(onDisk))
        #expect(Set(counts(onDisk).keys) == ["keras2 .h5", "keras2 .keras", "keras3 .h5", "keras3 .keras"])
        for fixture in Fixtures.all {
            #expect(fixture.model == "\(fixture.name)/\(fixture.writer)/model.\(fixture.format)", "\(fixture.testDescription): \(fixture.model)")
        }
        let errorFiles = Fixtures.errors.map(\.file)
        #expect(errorFiles.count == Set(errorFiles).count, "the manifest lists an error file twice")
        #expect(Set(errorFiles) == Set(Fixtures.errorFilesOnDisk), "error files on disk, not listed: \(Set(Fixtures.errorFilesOnDisk).subtracting(errorFiles).sorted()); listed, not on disk: \(Set(errorFiles).subtracting(Fixtures.errorFilesOnDisk).sorted())")
        #expect(Fixtures.all.contains { $0.name == "seed" && $0.writer == "keras3" })
    }

    @Test("the manifest gives float64 models a float64 tolerance")
    func float64FixturesAreListed() {
        // Which fixtures are float64 is checked per entry against the file itself
        // (`predictMatchesKeras` loads each and compares its computePrecision); here, that each
        // float64 model comes from both writers in both formats (Keras 3 only for the classes
        // Keras 2 doesn't have).
        let float64 = Fixtures.all.filter { $0.dtype == "float64" }
        let keras3Only: Set = ["adaptive_pooling_float64", "ops_float64", "gqa_float64", "ops_attention_float64"]
        #expect(Set(float64.map(\.name)).contains("float64_model"))
        for name in Set(float64.map(\.name)) {
            let entries = float64.filter { $0.name == name }.map { "\($0.writer) .\($0.format)" }
            let expected = keras3Only.contains(name) ? ["keras3 .h5", "keras3 .keras"] : ["keras2 .h5", "keras2 .keras", "keras3 .h5", "keras3 .keras"]
            #expect(entries.sorted() == expected, "\(name): \(entries)")
        }
        #expect(float64.allSatisfy { $0.atol <= 1e-9 })
        #expect(Fixtures.all.filter { $0.dtype != "float64" }.allSatisfy { $0.atol <= ($0.name.hasPrefix("app_") ? 1e-4 : 1e-5) })
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
