import Foundation
import KerasKit
import KerasKitTestSupport
import Testing

@Suite("keraskit conventions: --version, usage errors with the subcommand's usage, file problems in words")
struct CommandConventionTests {
    @Test("--version prints the package's version and exits 0")
    func version() throws {
        let result = try Keraskit.run(["--version"])
        expectSuccess(result)
        #expect(result.stdout == "\(KerasKitVersion.current)\n")
    }

    @Test("an unknown --pack-for is a usage error on one line with convert's usage, no Swift type name")
    func unknownPackingTarget() throws {
        let scratch = try TemporaryDirectory()
        let result = try Keraskit.run(["convert", Fixtures.path(Fixtures.lstmLast.model), scratch.path("out.safetensors"), "--pack-for", "sparc"])
        expectUsageError(result, "--pack-for sparc: expected native, baseline, avx2, avx512, arm64, neon or row-major")
        #expect(result.stderr.contains("Usage: keraskit convert"))
        #expect(!result.stderr.contains("CommandFailure"))
        #expect(!FileManager.default.fileExists(atPath: scratch.path("out.safetensors")))
    }

    @Test("--pack-for arm64 and neon write the 16-float panels arm64's kernels read, as avx2 does", arguments: ["arm64", "neon"])
    func armPacking(name: String) throws {
        try #require(SIMDLevel.avx2.isSupported, "packing for 16-float panels runs the AVX2 packer here")
        let scratch = try TemporaryDirectory()
        let model = Fixtures.path(Fixtures.lstmLast.model)
        expectSuccess(try Keraskit.run(["convert", model, scratch.path("arm.safetensors"), "--pack-for", name]))
        expectSuccess(try Keraskit.run(["convert", model, scratch.path("avx2.safetensors"), "--pack-for", "avx2"]))
        let arm = try Data(contentsOf: URL(fileURLWithPath: scratch.path("arm.safetensors")))
        let avx2 = try Data(contentsOf: URL(fileURLWithPath: scratch.path("avx2.safetensors")))
        #expect(arm == avx2)
    }

    @Test("a wrong --output count prints predict's usage, not the top level's, and exits 2")
    func outputCount() throws {
        let scratch = try TemporaryDirectory()
        let fixture = Fixtures.lstmLast
        let result = try Keraskit.run(["predict", Fixtures.path(fixture.model), "--input", Fixtures.path(fixture.firstCall.inputs[0]),
                                       "--output", scratch.path("a.npy"), "--output", scratch.path("b.npy")])
        expectUsageError(result, "1 output(s) but 2 --output path(s)")
        #expect(result.stderr.contains("Usage: keraskit predict"))
        #expect(!result.stderr.contains("SUBCOMMANDS"))
    }

    @Test("a directory given as a model, and as an input, is named as one", arguments: ["inspect", "predict"])
    func directory(subcommand: String) throws {
        let scratch = try TemporaryDirectory()
        let folder = scratch.path("model.keras")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        let arguments = subcommand == "inspect" ? ["inspect", folder] : ["predict", Fixtures.path(Fixtures.lstmLast.model), "--input", folder]
        let result = try Keraskit.run(arguments)
        expectError(result, naming: folder, "is a directory")
        #expect(!result.stderr.contains("NSCocoaErrorDomain"))
    }

    @Test("an --output in a folder that doesn't exist names the folder")
    func missingOutputFolder() throws {
        let scratch = try TemporaryDirectory()
        let fixture = Fixtures.lstmLast
        let target = scratch.path("missing/out.npy")
        let result = try Keraskit.run(["predict", Fixtures.path(fixture.model), "--input", Fixtures.path(fixture.firstCall.inputs[0]), "--output", target])
        expectError(result, naming: target, "the folder \(scratch.path("missing")) does not exist")
        #expect(!result.stderr.contains("doesn’t exist") && !result.stderr.contains("doesn't exist"))
    }

    @Test("a zip without its directory record says so in words")
    func brokenZip() throws {
        let scratch = try TemporaryDirectory()
        let path = try scratch.write(Data("PK\u{03}\u{04}garbage".utf8), to: "broken.keras")
        let result = try Keraskit.run(["inspect", path])
        expectError(result, naming: path, "missing end of central directory record")
    }
}
