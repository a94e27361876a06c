import ArgumentParser
import Foundation
import KerasKit

/// `keraskit predict MODEL --input X.npy [--output Y.npy …]`.
struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a model (.h5, .keras or native) on .npy or .npz input and write or print its outputs."
    )

    @Argument(help: "A Keras .h5 file, a Keras 3 .keras archive or a KerasKit native file.")
    var model: String

    @Option(name: .customLong("input"), help: "A .npy input (float32, float64, int32 or int64), in the model's input order, or one .npz holding them all.")
    var inputs: [String] = []

    @Option(name: .customLong("output"), help: "Where to write each output as .npy, in output order: float32, or float64 for a float64 model.")
    var outputs: [String] = []

    @Flag(help: "Feed the input one time step at a time through the streaming API (same outputs).")
    var stepByStep = false

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one --input") }
    }

    func run() throws {
        let loaded = try loadModel(model)
        try loaded.withCommandScalar { scalar in try run(loaded, as: scalar) }
    }

    /// Reads the inputs as, computes in and writes the outputs as `Scalar`, the model's precision.
    private func run<Scalar: CommandScalar>(_ loaded: KerasModel, as scalar: Scalar.Type) throws {
        let tensors = try readInputs(inputs, inputNames: loaded.config.inputNames, as: Scalar.self)
        let results: [TensorOf<Scalar>]
        if stepByStep {
            do {
                results = try Scalar.feedStepByStep(try StreamingSession(model: loaded), tensors)
            } catch {
                throw CommandFailure("\(model): \(error)")
            }
        } else {
            results = try runPredict(loaded, path: model, inputs: tensors)
        }
        if outputs.isEmpty {
            for result in results { print(NumpyFormatter.format(result)) }
            return
        }
        guard outputs.count == results.count else {
            throw ValidationError("the model has \(results.count) output(s) but \(outputs.count) --output path(s) were given")
        }
        for (result, path) in zip(results, outputs) {
            do {
                try result.npyData.write(to: URL(fileURLWithPath: path))
            } catch {
                throw CommandFailure("\(path): cannot write: \(fileProblem(writing: path, error))")
            }
        }
    }
}
