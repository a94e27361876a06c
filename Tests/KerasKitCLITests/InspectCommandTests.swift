import Foundation
import Testing

@Suite("keraskit inspect")
struct InspectCommandTests {
    @Test("the manifest is read and lists fixtures from both writers")
    func manifestIsRead() {
        #expect(Set(CLIFixtures.all.map(\.writer)) == ["keras2", "keras3"])
        #expect(CLIFixtures.all.count >= 60)
        #expect(!CLIFixtures.errors.isEmpty)
    }

    @Test("the keraskit binary is found next to the test bundle")
    func binaryIsFound() throws {
        let binary = try #require(Keraskit.binary, "no keraskit binary near \(CommandLine.arguments[0])")
        #expect(binary.lastPathComponent == "keraskit")
    }

    @Test("inspect --json parameter totals equal Keras's count_params()", arguments: CLIFixtures.all)
    func jsonTotalsEqualKeras(fixture: CLIFixtures.Fixture) throws {
        let result = try Keraskit.run(["inspect", "--json", CLIFixtures.path(fixture.model)])
        expectSuccess(result)
        let report = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any], "not a JSON object: \(result.stdout)")
        #expect((report["total_params"] as? NSNumber)?.intValue == fixture.total_params)
        let layers = try #require(report["layers"] as? [[String: Any]])
        #expect(layers.map { ($0["params"] as? NSNumber)?.intValue ?? -1 } == fixture.layers.map(\.params))
        #expect(layers.map { $0["name"] as? String ?? "" } == fixture.layers.map(\.name))
    }

    @Test("inspect prints a Keras-style summary with the totals")
    func textSummary() throws {
        let fixture = CLIFixtures.lstmLast
        let result = try Keraskit.run(["inspect", CLIFixtures.path(fixture.model)])
        expectSuccess(result)
        #expect(result.stdout.contains("Total params: \(fixture.total_params)"))
        #expect(result.stdout.contains("Keras version: "))
        #expect(result.stdout.contains("lstm (LSTM)"))
    }
}
