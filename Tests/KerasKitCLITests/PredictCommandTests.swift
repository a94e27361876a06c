import Foundation
import KerasKit
import KerasKitImport
import KerasKitTestSupport
import Testing
@testable import KerasKitCLI

@Suite("keraskit predict")
struct PredictCommandTests {
    @Test("--output writes float32 .npy (float64 for a float64 model) close to Keras at the fixture's atol; without it, prints them as NumPy does", arguments: Fixtures.all)
    func outputsAndPrinting(fixture: Fixtures.Fixture) throws {
        if fixture.isFloat64 {
            try outputsAndPrinting(fixture: fixture, as: Double.self)
        } else {
            try outputsAndPrinting(fixture: fixture, as: Float.self)
        }
    }

    private func outputsAndPrinting<Scalar: KerasScalar>(fixture: Fixtures.Fixture, as scalar: Scalar.Type) throws {
        let directory = try TemporaryDirectory()
        let call = fixture.firstCall
        let inputArguments = call.inputs.flatMap { ["--input", Fixtures.path($0)] }
        let outputs = call.outputs.indices.map { directory.path("output\($0).npy") }
        let written = try Keraskit.run(["predict", Fixtures.path(fixture.model)] + inputArguments + outputs.flatMap { ["--output", $0] })
        expectSuccess(written)
        #expect(written.stdout.isEmpty)
        var tensors: [TensorOf<Scalar>] = []
        for (path, expectedPath) in zip(outputs, call.outputs) {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(data.starts(with: [0x93] + Array("NUMPY".utf8)))
            let descr = Scalar.numpyDType == .float64 ? "<f8" : "<f4"
            #expect(String(decoding: data.prefix(128), as: UTF8.self).contains("'descr': '\(descr)', 'fortran_order': False"))
            let array = try NumpyArray(npy: data)
            #expect(array.dtype == Scalar.numpyDType)
            let expected = try NumpyArray(contentsOf: Fixtures.path(expectedPath)).tensor(as: Scalar.self)
            #expect(array.shape == expected.shape)
            let difference = zip(array.tensor(as: Scalar.self).scalars, expected.scalars).map { Double(abs($0 - $1)) }.max() ?? 0
            #expect(difference <= fixture.atol, "\(expectedPath): max |diff| \(difference)")
            tensors.append(array.tensor(as: Scalar.self))
        }

        let printed = try Keraskit.run(["predict", Fixtures.path(fixture.model)] + inputArguments)
        expectSuccess(printed)
        #expect(printed.stdout == tensors.map { NumpyFormatter.format($0) + "\n" }.joined())
    }

    @Test("accepts .npy inputs of every supported dtype", arguments: NpyWriter.DType.allCases)
    func inputDTypes(dtype: NpyWriter.DType) throws {
        // int_input's input holds small integers, so every dtype represents it exactly.
        let fixture = try #require(Fixtures.all.first { $0.name == "int_input" })
        let directory = try TemporaryDirectory()
        let original = try NumpyArray(contentsOf: Fixtures.path(fixture.firstCall.inputs[0]))
        let input = try directory.write(NpyWriter.data(shape: original.shape, dtype: dtype, values: original.values), to: "input.npy")
        let model = Fixtures.path(fixture.model)
        let reference = try Keraskit.run(["predict", model, "--input", Fixtures.path(fixture.firstCall.inputs[0]), "--output", directory.path("reference.npy")])
        expectSuccess(reference)
        let result = try Keraskit.run(["predict", model, "--input", input, "--output", directory.path("output.npy")])
        expectSuccess(result)
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.path("output.npy"))) == Data(contentsOf: URL(fileURLWithPath: directory.path("reference.npy"))))
    }

    @Test("float64 input gives the float32 input's result")
    func float64Input() throws {
        let fixture = Fixtures.lstmLast
        let directory = try TemporaryDirectory()
        let original = try NumpyArray(contentsOf: Fixtures.path(fixture.firstCall.inputs[0]))
        let input = try directory.write(NpyWriter.data(shape: original.shape, dtype: .float64, values: original.values), to: "input64.npy")
        let a = try Keraskit.run(["predict", Fixtures.path(fixture.model), "--input", Fixtures.path(fixture.firstCall.inputs[0])])
        let b = try Keraskit.run(["predict", Fixtures.path(fixture.model), "--input", input])
        expectSuccess(a)
        expectSuccess(b)
        #expect(a.stdout == b.stdout)
    }

    @Test("reads inputs by name from one .npz archive, ignoring other arrays")
    func npzByName() throws {
        let fixture = Fixtures.lstmLast
        let directory = try TemporaryDirectory()
        let model = Fixtures.path(fixture.model)
        let inputPath = Fixtures.path(fixture.firstCall.inputs[0])
        let inputName = try #require(try KerasModel.load(contentsOf: model).config.inputNames.first)
        let npy = try Data(contentsOf: URL(fileURLWithPath: inputPath))
        let decoy = NpyWriter.data(shape: [2], dtype: .float32, values: [1, 2])
        let archive = try directory.write(NpzWriter.data([("decoy", decoy), (inputName, npy)]), to: "inputs.npz")
        let fromNpy = try Keraskit.run(["predict", model, "--input", inputPath])
        let fromNpz = try Keraskit.run(["predict", model, "--input", archive])
        expectSuccess(fromNpz)
        #expect(fromNpz.stdout == fromNpy.stdout)

        // numpy.savez(path, x) names its arrays arr_0, …: taken in archive order.
        let unnamed = try directory.write(NpzWriter.data([("arr_0", npy)]), to: "unnamed.npz")
        let fromUnnamed = try Keraskit.run(["predict", model, "--input", unnamed])
        expectSuccess(fromUnnamed)
        #expect(fromUnnamed.stdout == fromNpy.stdout)
    }

    @Test("a .npz archive with a corrupted entry is an error naming the archive")
    func corruptedNpz() throws {
        let fixture = Fixtures.lstmLast
        let directory = try TemporaryDirectory()
        var archive = NpzWriter.data([("x", try Data(contentsOf: URL(fileURLWithPath: Fixtures.path(fixture.firstCall.inputs[0]))))])
        archive[archive.count / 2] ^= 0xff  // in the stored .npy data: the CRC no longer matches
        let path = try directory.write(archive, to: "corrupt.npz")
        expectError(try Keraskit.run(["predict", Fixtures.path(fixture.model), "--input", path]), naming: path)
    }
}
