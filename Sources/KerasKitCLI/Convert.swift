import ArgumentParser
import Foundation
import KerasKit

/// `keraskit convert MODEL OUT.safetensors [--check-input X.npy …] [--pack-for LEVEL]`.
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a model as a KerasKit native file (safetensors) that loads without libhdf5.",
        discussion: "With --check-input, the file also stores that input and the model's output for it, so `keraskit verify OUT` can prove the deployed file still computes the same."
    )

    @Argument(help: "A Keras .h5 file or a Keras 3 .keras archive (or a native file to rewrite).")
    var model: String

    @Argument(help: "Where to write the native file.")
    var output: String

    @Option(name: .customLong("check-input"), help: "A .npy input (repeat for several model inputs), or one .npz holding them all, to store with the model's output for it.")
    var checkInputs: [String] = []

    @Option(name: .customLong("pack-for"),
            help: "Store the matrices packed for the machine that will load the file, which then computes with them in place in its memory map: native (this machine), baseline, avx2, avx512, arm64 (or neon: the avx2 panels, which arm64's kernels read); or row-major (Keras's layout, format version 1).")
    var packFor: String = "native"

    func validate() throws {
        _ = try layout
    }

    /// `--pack-for` as a layout; an unknown name is a usage error (exit status 2).
    private var layout: NativeMatrixLayout {
        get throws(ValidationError) {
            switch packFor {
            case "native": return .packed(for: .current)
            case "row-major": return .rowMajor
            // arm64's kernels (NEON, its only level) read 16-float panels, as AVX2's do.
            case "arm64", "neon": return .packed(for: .avx2)
            default:
                guard let level = SIMDLevel.allCases.first(where: { $0.description == packFor }) else {
                    throw ValidationError("--pack-for \(packFor): expected native, baseline, avx2, avx512, arm64, neon or row-major")
                }
                return .packed(for: level)
            }
        }
    }

    func run() throws {
        let loaded = try loadModel(model)
        let (data, inputCount) = try loaded.withCommandScalar { scalar in try nativeFile(loaded, as: scalar) }
        do {
            try data.write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw CommandFailure("\(output): cannot write: \(fileProblem(writing: output, error))")
        }
        print("Wrote \(output) (\(data.count) bytes, \(loaded.parameterCount) parameters\(inputCount == 0 ? "" : ", self-check with \(inputCount) input(s)"))")
    }

    /// The native file, with the check inputs read in the model's precision (float64 inputs of
    /// a float64 model keep every digit), and how many there were.
    private func nativeFile<Scalar: CommandScalar>(_ loaded: KerasModel, as scalar: Scalar.Type) throws(CommandFailure) -> (Data, Int) {
        let inputs = try readInputs(checkInputs, inputNames: loaded.config.inputNames, as: Scalar.self)
        do {
            return (try Scalar.nativeFileData(loaded, checkInputs: inputs, layout: try layout), inputs.count)
        } catch {
            throw CommandFailure("\(model): \(error)")
        }
    }
}
