import Foundation
import KerasKitTestSupport
import Testing

@Suite("keraskit inspect")
struct InspectCommandTests {
    /// Counts come from the files on disk, not from a number written here (the import tests
    /// check the two agree file by file).
    @Test("the manifest is read and lists every model and error file on disk, from both writers")
    func manifestIsRead() {
        #expect(Fixtures.manifestError == nil, "\(Fixtures.manifestError ?? "")")
        #expect(Set(Fixtures.all.map(\.writer)) == ["keras2", "keras3"])
        #expect(!Fixtures.modelFilesOnDisk.isEmpty)
        // Counts only: the import tests' manifestIsComplete names the files that differ.
        #expect(Fixtures.everything.count == Fixtures.modelFilesOnDisk.count)
        let sameModels = Set(Fixtures.everything.map(\.model)) == Set(Fixtures.modelFilesOnDisk)
        #expect(sameModels, "the manifest's model files are not those on disk")
        #expect(Fixtures.errors.count == Fixtures.errorFilesOnDisk.count)
        let sameErrors = Set(Fixtures.errors.map(\.file)) == Set(Fixtures.errorFilesOnDisk)
        #expect(sameErrors, "the manifest's error files are not those on disk")
    }

    @Test("the keraskit binary is found next to the test bundle")
    func binaryIsFound() throws {
        let binary = try #require(Keraskit.binary, "no keraskit binary near \(CommandLine.arguments[0])")
        #expect(binary.lastPathComponent == "keraskit")
    }

    @Test("inspect --json counts (total, trainable, per layer) equal Keras's, and each row carries its own layer's config", arguments: Fixtures.all)
    func jsonTotalsEqualKeras(fixture: Fixtures.Fixture) throws {
        let result = try Keraskit.run(["inspect", "--json", Fixtures.path(fixture.model)])
        expectSuccess(result)
        let report = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any], "not a JSON object: \(result.stdout)")
        #expect((report["total_params"] as? NSNumber)?.intValue == fixture.total_params)
        let layers = try #require(report["layers"] as? [[String: Any]])
        #expect(layers.map { ($0["params"] as? NSNumber)?.intValue ?? -1 } == fixture.layers.map(\.params))
        #expect(layers.map { $0["name"] as? String ?? "" } == fixture.layers.map(\.name))
        // Keras's trainable split, and each row's config is its own layer's.
        #expect((report["trainable_params"] as? NSNumber)?.intValue == fixture.trainable_params)
        #expect((report["non_trainable_params"] as? NSNumber)?.intValue == fixture.non_trainable_params)
        #expect(layers.map { ($0["trainable_params"] as? NSNumber)?.intValue ?? -1 } == fixture.layers.map { $0.trainable_params ?? -2 })
        #expect(layers.map { ($0["config"] as? [String: Any])?["name"] as? String ?? "" } == fixture.layers.map(\.name))
        #expect(layers.map { $0["class_name"] as? String ?? "" } == fixture.layers.map(\.class_name))
    }

    @Test("inspect prints a Keras-style summary with the totals")
    func textSummary() throws {
        let fixture = Fixtures.lstmLast
        let result = try Keraskit.run(["inspect", Fixtures.path(fixture.model)])
        expectSuccess(result)
        #expect(result.stdout.contains("Total params: \(fixture.total_params)"))
        #expect(result.stdout.contains("Keras version: "))
        #expect(result.stdout.contains("lstm (LSTM)"))
    }
}
