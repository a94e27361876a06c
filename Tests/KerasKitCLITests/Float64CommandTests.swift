import Foundation
import KerasKit
import KerasKitTestSupport
import Testing

@Suite("keraskit on float64 models: float64 in, Double compute, float64 out")
struct Float64CommandTests {
    /// The float64 models of one input (the commands below pass one `--input`).
    static let fixtures = Fixtures.all.filter { $0.isFloat64 && $0.calls.allSatisfy { $0.inputs.count == 1 } }

    @Test("there are float64 fixtures from both writers")
    func fixturesExist() {
        #expect(Set(Self.fixtures.map(\.writer)) == ["keras2", "keras3"])
    }

    @Test("verify --expected passes at the fixture's 1e-9 and says it compared in float64", arguments: fixtures)
    func verifyAtFloat64Precision(fixture: Fixtures.Fixture) throws {
        let call = fixture.firstCall
        let result = try Keraskit.run(["verify", Fixtures.path(fixture.model), "--atol", String(fixture.atol)]
            + call.inputs.flatMap { ["--input", Fixtures.path($0)] } + call.outputs.flatMap { ["--expected", Fixtures.path($0)] })
        expectSuccess(result)
        #expect(result.stdout.contains("float64") && result.stdout.contains("OK") && !result.stdout.contains("MISMATCH"), "\(result.stdout)")
    }

    @Test("verify fails when the expected output is off by 1e-8", arguments: fixtures.filter { $0.name == "float64_model" }.prefix(1))
    func verifyDetectsSmallDifferences(fixture: Fixtures.Fixture) throws {
        let directory = try TemporaryDirectory()
        let call = fixture.firstCall
        let expected = try NumpyArray(contentsOf: Fixtures.path(call.outputs[0]))
        let shifted = try directory.write(NpyWriter.data(shape: expected.shape, dtype: .float64, values: expected.values.map { $0 + 1e-8 }), to: "shifted.npy")
        let result = try Keraskit.run(["verify", Fixtures.path(fixture.model), "--atol", "1e-9", "--input", Fixtures.path(call.inputs[0]), "--expected", shifted])
        expectError(result, naming: Fixtures.path(fixture.model), "beyond --atol")
    }

    /// The float64 models all of whose layers work step by step (padding and upsampling mix steps).
    @Test("predict --step-by-step streams in Double and writes float64 close to Keras",
          arguments: fixtures.filter { ["float64_model", "new_layers_float64"].contains($0.name) })
    func stepByStep(fixture: Fixtures.Fixture) throws {
        let directory = try TemporaryDirectory()
        let call = fixture.firstCall
        let output = directory.path("streamed.npy")
        let result = try Keraskit.run(["predict", Fixtures.path(fixture.model), "--step-by-step", "--input", Fixtures.path(call.inputs[0]), "--output", output])
        expectSuccess(result)
        let streamed = try NumpyArray(contentsOf: output)
        let expected = try NumpyArray(contentsOf: Fixtures.path(call.outputs[0]))
        #expect(streamed.dtype == .float64)
        #expect(streamed.shape == expected.shape)
        let difference = zip(streamed.values, expected.values).map { abs($0 - $1) }.max() ?? .infinity
        #expect(difference <= fixture.atol, "max |diff| \(difference)")
    }

    @Test("convert keeps F64 weights and a float64 self-check that verify passes at 1e-9", arguments: fixtures)
    func convertKeepsFloat64(fixture: Fixtures.Fixture) throws {
        let directory = try TemporaryDirectory()
        let native = directory.path("model.safetensors")
        let convert = try Keraskit.run(["convert", Fixtures.path(fixture.model), native, "--check-input", Fixtures.path(fixture.firstCall.inputs[0])])
        expectSuccess(convert)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: native))
        let headerLength = bytes.prefix(8).reversed().reduce(0) { $0 << 8 | Int($1) }
        let header = try #require(try JSONSerialization.jsonObject(with: bytes.subdata(in: 8..<(8 + headerLength))) as? [String: Any])
        let tensors: [(name: String, dtype: String)] = header.filter { $0.key != "__metadata__" }.compactMap { entry in
            ((entry.value as? [String: Any])?["dtype"] as? String).map { (name: entry.key, dtype: $0) }
        }
        // Floating-point tensors are F64; integer ones can only be counters no layer computes with
        // (Normalization's `count`, int64 in Keras), kept as I64 (a layer reading one is refused at build).
        #expect(!tensors.isEmpty && tensors.allSatisfy { $0.dtype == "F64" || $0.dtype == "I64" } && tensors.contains { $0.dtype == "F64" }, "\(tensors)")

        let verify = try Keraskit.run(["verify", native, "--atol", String(fixture.atol)])
        expectSuccess(verify)
        #expect(verify.stdout.contains("float64") && verify.stdout.contains("OK"), "\(verify.stdout)")
        let inspect = try Keraskit.run(["inspect", "--json", native])
        expectSuccess(inspect)
        let report = try #require(try JSONSerialization.jsonObject(with: inspect.stdoutData) as? [String: Any])
        #expect(report["compute_dtype"] as? String == "float64")
    }
}
