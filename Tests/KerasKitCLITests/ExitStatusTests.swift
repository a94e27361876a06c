import Foundation
import KerasKitTestSupport
import Testing

@Suite("keraskit exit statuses: 0 success, 1 model/data/I/O error on one line, 2 usage")
struct ExitStatusTests {
    static let subcommands = ["inspect", "predict", "convert", "verify"]

    /// Arguments that make `subcommand` valid apart from the model file.
    static func arguments(_ subcommand: String, model: String, scratch: TemporaryDirectory) -> [String] {
        let input = Fixtures.path(Fixtures.lstmLast.firstCall.inputs[0])
        switch subcommand {
        case "predict": return ["predict", model, "--input", input]
        case "convert": return ["convert", model, scratch.path("out.safetensors")]
        case "verify": return ["verify", model, "--input", input, "--expected", Fixtures.path(Fixtures.lstmLast.firstCall.outputs[0])]
        default: return [subcommand, model]
        }
    }

    @Test("every subcommand succeeds on a fixture", arguments: subcommands)
    func success(subcommand: String) throws {
        let scratch = try TemporaryDirectory()
        let result = try Keraskit.run(Self.arguments(subcommand, model: Fixtures.path(Fixtures.lstmLast.model), scratch: scratch))
        expectSuccess(result)
        #expect(!result.stdout.isEmpty)
    }

    @Test("every subcommand exits 1 for a model file that doesn't exist", arguments: subcommands)
    func missingModel(subcommand: String) throws {
        let scratch = try TemporaryDirectory()
        let missing = scratch.path("no-such-model.h5")
        expectError(try Keraskit.run(Self.arguments(subcommand, model: missing, scratch: scratch)), naming: missing)
        #expect(!FileManager.default.fileExists(atPath: scratch.path("out.safetensors")))
    }

    /// Each broken fixture with one subcommand, in turn: all four load models the same way.
    static let brokenCases = Fixtures.errors.enumerated().map { (subcommands[$0.offset % subcommands.count], $0.element) }

    @Test("every subcommand exits 1 for a broken Keras file, naming the cause", arguments: brokenCases)
    func brokenModel(subcommand: String, fixture: Fixtures.ErrorFixture) throws {
        let scratch = try TemporaryDirectory()
        let path = Fixtures.path(fixture.file)
        let result = try Keraskit.run(Self.arguments(subcommand, model: path, scratch: scratch))
        if subcommand == "inspect", Self.unsupportedClassFixtures.contains(fixture.name) {
            // A config that parses is summarized, its unsupported layers marked, and inspect succeeds.
            expectSuccess(result)
            #expect(result.stdout.contains("[unsupported]") && result.stdout.contains(fixture.expect), "\(result.stdout)")
        } else {
            expectError(result, naming: path, fixture.expect)
        }
    }

    /// The broken fixtures whose only fault is a layer class KerasKit doesn't implement.
    static let unsupportedClassFixtures: Set<String> = ["lambda", "custom_layer", "unknown_layer"]

    @Test("files that are not Keras models exit 1 without HDF5 console output",
          arguments: ["hdf5/empty.h5", "hdf5/not_hdf5.h5", "hdf5/truncated.h5", "hdf5/past_eof.h5", "hdf5/attributes.h5", "hdf5/datasets.h5", "manifest.json"])
    func notAModel(file: String) throws {
        let path = Fixtures.path(file)
        expectError(try Keraskit.run(["inspect", path]), naming: path)
    }

    /// Bad `.npy` inputs to lstm_last (input (None, 7, 3)), each with a word its message must hold.
    static let badInputs: [(name: String, data: Data, cause: String)] = [
        ("wrong_features.npy", NpyWriter.data(shape: [2, 7, 4], dtype: .float32, values: Array(repeating: 0.25, count: 56)), "4"),
        ("wrong_rank.npy", NpyWriter.data(shape: [7, 3], dtype: .float32, values: Array(repeating: 0.25, count: 21)), "axes"),
        ("bad_header.npy", NpyWriter.data(shape: [1, 7, 3], dtype: .float32, values: Array(repeating: 0.25, count: 21), header: "{'descr': '<f4', 'shape': (1, 7, 3 }"), "header"),
        ("complex.npy", NpyWriter.data(shape: [1], dtype: .float32, values: [0, 0], header: "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }"), "c8"),
        ("truncated.npy", NpyWriter.data(shape: [1, 7, 3], dtype: .float32, values: Array(repeating: 0.25, count: 20)), "truncated"),
        ("not_npy.npy", Data("x,y,z\n1,2,3\n".utf8), "npy"),
        ("empty.npy", Data(), "npy"),
    ]

    @Test("a bad .npy input exits 1 with one line", arguments: badInputs.map(\.name))
    func badInput(name: String) throws {
        let scratch = try TemporaryDirectory()
        let bad = try #require(Self.badInputs.first { $0.name == name })
        let path = try scratch.write(bad.data, to: bad.name)
        let model = Fixtures.path(Fixtures.lstmLast.model)
        let result = try Keraskit.run(["predict", model, "--input", path])
        // Shape problems are reported against the model, file problems against the input.
        expectError(result, naming: result.stderr.contains(path) ? path : model, bad.cause)
    }

    @Test("an input file that doesn't exist or an unwritable --output exits 1")
    func ioErrors() throws {
        let scratch = try TemporaryDirectory()
        let fixture = Fixtures.lstmLast
        let model = Fixtures.path(fixture.model)
        let missing = scratch.path("missing.npy")
        expectError(try Keraskit.run(["predict", model, "--input", missing]), naming: missing)
        let unwritable = scratch.path("missing-directory/out.npy")
        expectError(try Keraskit.run(["predict", model, "--input", Fixtures.path(fixture.firstCall.inputs[0]), "--output", unwritable]), naming: unwritable)
    }

    @Test("usage errors exit 2", arguments: [
        (["predict", "MODEL"], "--input"),
        (["predict", "MODEL", "--input", "INPUT", "--frobnicate"], "--frobnicate"),
        (["inspect"], "model"),
        (["transmogrify", "MODEL"], "transmogrify"),
        (["verify", "MODEL", "--input", "INPUT"], "--expected"),
        (["verify", "MODEL", "--atol", "-1"], "--atol"),
        (["verify", "MODEL", "--atol", "lots"], "lots"),
        (["predict", "MODEL", "--input", "INPUT", "--output", "a.npy", "--output", "b.npy"], "--output"),
    ])
    func usageErrors(arguments: [String], message: String) throws {
        let fixture = Fixtures.lstmLast
        let scratch = try TemporaryDirectory()
        let substituted = arguments.map { argument in
            switch argument {
            case "MODEL": Fixtures.path(fixture.model)
            case "INPUT": Fixtures.path(fixture.firstCall.inputs[0])
            case "a.npy", "b.npy": scratch.path(argument)
            default: argument
            }
        }
        expectUsageError(try Keraskit.run(substituted), message)
    }

    @Test("--help exits 0 and lists the subcommands")
    func help() throws {
        let result = try Keraskit.run(["--help"])
        expectSuccess(result)
        for subcommand in Self.subcommands { #expect(result.stdout.contains(subcommand)) }
    }
}
