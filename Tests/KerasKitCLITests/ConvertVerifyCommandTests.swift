import Foundation
import KerasKit
import KerasKitTestSupport
import Testing

@Suite("keraskit convert and verify")
struct ConvertVerifyCommandTests {
    /// Converts lstm_last (Keras 3) with a self-check into `directory`.
    func convertedModel(in directory: TemporaryDirectory, checkInput: Bool = true) throws -> (fixture: Fixtures.Fixture, path: String) {
        let fixture = Fixtures.lstmLast
        let path = directory.path(checkInput ? "model.safetensors" : "unchecked.safetensors")
        let checkArguments = checkInput ? ["--check-input", Fixtures.path(fixture.firstCall.inputs[0])] : []
        let result = try Keraskit.run(["convert", Fixtures.path(fixture.model), path] + checkArguments)
        expectSuccess(result)
        return (fixture, path)
    }

    @Test("verify exits 1 when a weight byte of the native file is flipped")
    func tamperedWeightFailsSelfCheck() throws {
        let directory = try TemporaryDirectory()
        let (_, path) = try convertedModel(in: directory)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let headerLength = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
        let header = try #require(try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + headerLength)])) as? [String: Any])
        let (name, entry) = try #require(header.compactMap { name, value -> (String, [String: Any])? in
            guard !name.hasPrefix("keraskit.check"), name.hasSuffix("kernel") || name.hasSuffix("kernel:0"),
                  !name.contains("recurrent"), let entry = value as? [String: Any] else { return nil }
            return (name, entry)
        }.first, "no kernel tensor in \(header.keys)")
        let begin = try #require((entry["data_offsets"] as? [NSNumber])?.first?.intValue)
        let size = ["F16": 2, "F32": 4, "F64": 8][entry["dtype"] as? String ?? ""] ?? 4
        // The first element's most significant byte: its exponent changes, so the value does.
        bytes[8 + headerLength + begin + size - 1] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let result = try Keraskit.run(["verify", path])
        expectError(result, naming: path, "self-check")
        #expect(result.stdout.contains("MISMATCH"), "tampered \(name): \(result.stdout)")
    }

    @Test("verify exits 1 for a native file without a self-check and no inputs")
    func noSelfCheck() throws {
        let directory = try TemporaryDirectory()
        let (_, path) = try convertedModel(in: directory, checkInput: false)
        expectError(try Keraskit.run(["verify", path]), naming: path, "self-check")
    }

    @Test("verify --input --expected passes within --atol and exits 1 beyond it")
    func verifyAgainstExpected() throws {
        let fixture = Fixtures.lstmLast
        let directory = try TemporaryDirectory()
        let model = Fixtures.path(fixture.model)
        let input = Fixtures.path(fixture.firstCall.inputs[0])
        let expectedPath = Fixtures.path(fixture.firstCall.outputs[0])
        let passing = try Keraskit.run(["verify", model, "--input", input, "--expected", expectedPath])
        expectSuccess(passing)
        #expect(passing.stdout.contains("OK"))

        let expected = try NumpyArray(contentsOf: expectedPath)
        var values = expected.values
        values[0] += 1e-3
        let shifted = try directory.write(NpyWriter.data(shape: expected.shape, dtype: .float32, values: values), to: "shifted.npy")
        let failing = try Keraskit.run(["verify", model, "--input", input, "--expected", shifted])
        expectError(failing, naming: model, "--expected")
        #expect(failing.stdout.contains("MISMATCH"))
        expectSuccess(try Keraskit.run(["verify", model, "--input", input, "--expected", shifted, "--atol", "0.01"]))
    }

    @Test("the model kind comes from the first bytes, not the file name")
    func kindFromBytes() throws {
        let directory = try TemporaryDirectory()
        let (fixture, native) = try convertedModel(in: directory)
        let h5Named = directory.path("really-native.h5")
        let nativeNamed = directory.path("really-hdf5.safetensors")
        try FileManager.default.copyItem(atPath: native, toPath: h5Named)
        try FileManager.default.copyItem(atPath: Fixtures.path(fixture.model), toPath: nativeNamed)
        let input = Fixtures.path(fixture.firstCall.inputs[0])
        let reference = try Keraskit.run(["predict", Fixtures.path(fixture.model), "--input", input])
        expectSuccess(reference)
        for path in [h5Named, nativeNamed] {
            let result = try Keraskit.run(["predict", path, "--input", input])
            expectSuccess(result)
            #expect(result.stdout == reference.stdout, "\(path)")
            expectSuccess(try Keraskit.run(["inspect", "--json", path]))
        }
        expectSuccess(try Keraskit.run(["verify", h5Named]))
        // A native file can itself be converted again, keeping its self-check only if asked.
        let again = directory.path("again.safetensors")
        expectSuccess(try Keraskit.run(["convert", nativeNamed, again, "--check-input", input]))
        expectSuccess(try Keraskit.run(["verify", again]))
    }

    @Test("a truncated or malformed native file is an error naming the file")
    func malformedNative() throws {
        let directory = try TemporaryDirectory()
        let (_, native) = try convertedModel(in: directory)
        let data = try Data(contentsOf: URL(fileURLWithPath: native))
        let truncated = try directory.write(data.prefix(data.count - 7), to: "truncated.safetensors")
        expectError(try Keraskit.run(["inspect", truncated]), naming: truncated)
        // A header length far beyond the file.
        var huge = data
        huge.replaceSubrange(0..<8, with: [0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0])
        let lying = try directory.write(huge, to: "lying.safetensors")
        expectError(try Keraskit.run(["predict", lying, "--input", native]), naming: lying)
        // Valid safetensors without KerasKit metadata.
        let plain = try directory.write(Data([8, 0, 0, 0, 0, 0, 0, 0] + Array("{}      ".utf8)), to: "plain.safetensors")
        expectError(try Keraskit.run(["verify", plain]), naming: plain, "keraskit")
    }

    @Test("convert exits 1 when the output can't be written or a check input doesn't fit")
    func convertErrors() throws {
        let directory = try TemporaryDirectory()
        let fixture = Fixtures.lstmLast
        let model = Fixtures.path(fixture.model)
        let unwritable = directory.path("missing-directory/model.safetensors")
        expectError(try Keraskit.run(["convert", model, unwritable]), naming: unwritable)
        let wrongShape = try directory.write(NpyWriter.data(shape: [1, 7, 4], dtype: .float32, values: Array(repeating: 0.5, count: 28)), to: "wrong.npy")
        expectError(try Keraskit.run(["convert", model, directory.path("out.safetensors"), "--check-input", wrongShape]), naming: model)
        #expect(!FileManager.default.fileExists(atPath: directory.path("out.safetensors")))
    }
}
