import ArgumentParser
import Foundation
import KerasKit

/// `keraskit convert MODEL OUT.safetensors [--check-input X.npy …]`.
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a model as a KerasKit native file (safetensors) that loads without libhdf5.",
        discussion: "With --check-input, the file also stores that input and the model's output for it, so `keraskit verify OUT` can prove the deployed file still computes the same."
    )

    @Argument(help: "A Keras .h5 model file (or a native file to rewrite).")
    var model: String

    @Argument(help: "Where to write the native file.")
    var output: String

    @Option(name: .customLong("check-input"), help: "A .npy input to store with the model's output for it.")
    var checkInputs: [String] = []

    func run() throws {
        let loaded = try loadModel(model)
        let inputs = try readInputs(checkInputs, inputNames: loaded.config.inputNames)
        let data: Data
        do {
            data = try loaded.nativeFileData(checkInputs: inputs)
        } catch {
            throw CommandFailure("\(model): \(error)")
        }
        do {
            try data.write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw CommandFailure("\(output): cannot write: \((error as NSError).localizedDescription)")
        }
        print("Wrote \(output) (\(data.count) bytes, \(loaded.parameterCount) parameters\(inputs.isEmpty ? "" : ", self-check with \(inputs.count) input(s)"))")
    }
}
