import Foundation
import KerasKit
import KerasKitImport
import KerasKitTestSupport
import Testing
@testable import KerasKitCLI

@Suite("Native files predict bit for bit what the Keras file predicts")
struct NativeRoundTripTests {
    @Test("library: Keras file → nativeFileData → load(nativeData:) predicts identical bits", arguments: Fixtures.all)
    func libraryRoundTrip(fixture: Fixtures.Fixture) throws {
        // In the model's precision: Double for the float64 models.
        if fixture.isFloat64 {
            try libraryRoundTrip(fixture: fixture, as: Double.self)
        } else {
            try libraryRoundTrip(fixture: fixture, as: Float.self)
        }
    }

    private func libraryRoundTrip<Scalar: CommandScalar>(fixture: Fixtures.Fixture, as scalar: Scalar.Type) throws {
        let path = Fixtures.path(fixture.model)
        let checkInputs = try fixture.firstCall.inputs.map { try NumpyArray(contentsOf: Fixtures.path($0)).tensor(as: Scalar.self) }
        // Convert from one instance and compare against another, so nothing either does to
        // stateful layers' carried states can hide a difference.
        let data = try Scalar.nativeFileData(try KerasModel.load(contentsOf: path), checkInputs: checkInputs, layout: .packed(for: .current))
        let original = try KerasModel.load(contentsOf: path)
        let native = try KerasModel.load(nativeData: data, name: "\(fixture.name).safetensors")
        #expect(native.parameterCount == fixture.total_params)
        for (index, call) in fixture.calls.enumerated() {
            if call.reset_states_before {
                original.resetStates()
                native.resetStates()
            }
            let inputs = try call.inputs.map { try NumpyArray(contentsOf: Fixtures.path($0)).tensor(as: Scalar.self) }
            let expected = try Scalar.predict(original, inputs)
            let actual = try Scalar.predict(native, inputs)
            #expect(actual.map(\.shape) == expected.map(\.shape), "call \(index)")
            #expect(actual.map(\.bits) == expected.map(\.bits), "call \(index): outputs differ")
        }
        // The stored self-check is what a fresh .h5 model computes, and a fresh native model agrees.
        let selfCheck = try #require(native.selfCheck)
        let storedInputs = selfCheck.inputs.map(TensorOf<Scalar>.init)
        #expect(storedInputs.map(\.bits) == checkInputs.map(\.bits))
        let fresh = try KerasModel.load(nativeData: data, name: "\(fixture.name).safetensors")
        #expect(try Scalar.predict(fresh, storedInputs).map(\.bits) == selfCheck.outputs.map(TensorOf<Scalar>.init).map(\.bits))
        #expect(try Scalar.predict(KerasModel.load(contentsOf: path), checkInputs).map(\.bits) == selfCheck.outputs.map(TensorOf<Scalar>.init).map(\.bits))
    }

    @Test("CLI: convert, verify, then predict from the native file writes the .h5's bytes", arguments: Fixtures.all)
    func commandLineRoundTrip(fixture: Fixtures.Fixture) throws {
        let directory = try TemporaryDirectory()
        let model = Fixtures.path(fixture.model)
        let native = directory.path("model.safetensors")
        let inputs = fixture.firstCall.inputs.map(Fixtures.path)
        let convert = try Keraskit.run(["convert", model, native] + inputs.flatMap { ["--check-input", $0] })
        expectSuccess(convert)
        #expect(convert.stdout.contains("\(fixture.total_params) parameters"))

        let verify = try Keraskit.run(["verify", native])
        expectSuccess(verify)
        #expect(verify.stdout.contains("OK") && !verify.stdout.contains("MISMATCH"), "\(verify.stdout)")

        let outputCount = fixture.firstCall.outputs.count
        var results: [[Data]] = []
        for (tag, file) in [("h5", model), ("native", native)] {
            let outputs = (0..<outputCount).map { directory.path("\(tag)_output\($0).npy") }
            let predict = try Keraskit.run(["predict", file] + inputs.flatMap { ["--input", $0] } + outputs.flatMap { ["--output", $0] })
            expectSuccess(predict)
            results.append(try outputs.map { try Data(contentsOf: URL(fileURLWithPath: $0)) })
        }
        #expect(results[0] == results[1], "the native file's outputs differ from the .h5's")

        let inspect = try Keraskit.run(["inspect", "--json", native])
        expectSuccess(inspect)
        let report = try #require(try JSONSerialization.jsonObject(with: inspect.stdoutData) as? [String: Any])
        #expect((report["total_params"] as? NSNumber)?.intValue == fixture.total_params)
    }
}
