import ArgumentParser
import Foundation
import KerasKit

/// `keraskit verify MODEL --input X … --expected Y … [--atol 1e-5]`.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare a model's outputs with expected outputs (e.g. Keras's own predict).",
        discussion: "Prints the max absolute difference per output; exits 1 when any exceeds --atol. Without --input, uses the self-check stored in a native file by `keraskit convert --check-input`."
    )

    @Argument(help: "A Keras .h5 file, a Keras 3 .keras archive or a KerasKit native file.")
    var model: String

    @Option(name: .customLong("input"), help: "A .npy input, in the model's input order, or one .npz holding them all.")
    var inputs: [String] = []

    @Option(name: .customLong("expected"), help: "A .npy expected output, in the model's output order.")
    var expected: [String] = []

    @Option(help: "The largest absolute difference accepted.")
    var atol: Double = 1e-5

    @Flag(help: "Print every value beside the expected one.")
    var showValues = false

    func validate() throws {
        guard inputs.isEmpty == expected.isEmpty else { throw ValidationError("give both --input and --expected, or neither to use a native file's self-check") }
        guard atol >= 0, atol.isFinite else { throw ValidationError("--atol must be a finite number ≥ 0") }
    }

    func run() throws {
        let loaded = try loadModel(model)
        try loaded.withCommandScalar { scalar in try verify(loaded, as: scalar) }
    }

    /// Computes and compares in `Scalar`, the model's precision: a float64 model's outputs are
    /// compared with float64 references at float64 precision.
    private func verify<Scalar: CommandScalar>(_ loaded: KerasModel, as scalar: Scalar.Type) throws {
        let checkInputs: [TensorOf<Scalar>]
        let references: [TensorOf<Scalar>]
        if inputs.isEmpty {
            guard let selfCheck = loaded.selfCheck else {
                throw CommandFailure("\(model): the file stores no self-check; give --input and --expected (or convert with --check-input)")
            }
            (checkInputs, references) = (selfCheck.inputs.map(TensorOf<Scalar>.init), selfCheck.outputs.map(TensorOf<Scalar>.init))
        } else {
            (checkInputs, references) = (try readInputs(inputs, inputNames: loaded.config.inputNames, as: Scalar.self),
                                         try readInputs(expected, as: Scalar.self))
        }
        let results = try runPredict(loaded, path: model, inputs: checkInputs)
        guard references.count == results.count else {
            throw CommandFailure("\(model): the model has \(results.count) output(s), \(references.count) --expected given")
        }
        var failed = false
        for (index, (result, reference)) in zip(results, references).enumerated() {
            guard result.shape == reference.shape else {
                print("output \(index): shape \(result.shape) but expected \(reference.shape): MISMATCH")
                failed = true
                continue
            }
            if showValues {
                print("output \(index) \(InspectReport.shapeText(result.shape)):")
                print("  KerasKit            Keras               |diff|")
                let digits = Scalar.self == Double.self ? 15 : 9
                for (ours, theirs) in zip(result.scalars, reference.scalars) {
                    let text = [ours, theirs].map { String(format: "% .\(digits)f", Double($0)).padding(toLength: digits + 11, withPad: " ", startingAt: 0) }
                    print("  " + text.joined() + String(format: "%.2e", Double(abs(ours - theirs))))
                }
            }
            let difference = zip(result.scalars, reference.scalars).reduce(Scalar(0)) { max($0, abs($1.0 - $1.1)) }
            let isNaNMismatch = zip(result.scalars, reference.scalars).contains { $0.isNaN != $1.isNaN }
            let ok = Double(difference) <= atol && !isNaNMismatch
            failed = failed || !ok
            print("output \(index): max |difference| = \(String(format: "%.3e", Double(difference))) (atol \(atol), \(loaded.computePrecision)): \(ok ? "OK" : "MISMATCH")")
        }
        if failed {
            throw CommandFailure("\(model): output differs from \(inputs.isEmpty ? "the stored self-check" : "--expected") beyond --atol \(atol)")
        }
    }
}
