import ArgumentParser
import Foundation
import KerasKit
import KerasKitImport

/// `keraskit`: inspect, run, convert and verify Keras models without Python.
@main
struct KerasKitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keraskit",
        abstract: "Inspect, run and verify Keras models natively.",
        subcommands: [Inspect.self, Predict.self, Convert.self, Verify.self]
    )

    /// Exit status: 0 success, 1 a model, data or I/O error (one line on stderr), 2 usage errors.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data("keraskit: error: \(failure.message)\n".utf8))
            Foundation.exit(1)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)
            }
            let message = fullMessage(for: error)
            FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
            Foundation.exit(code == .validationFailure || code.rawValue == 64 ? 2 : code.rawValue)
        }
    }
}

/// A model, data or I/O failure: printed as one line, exit status 1.
struct CommandFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
    init(_ error: any Error) { self.message = "\(error)" }
}

/// Loads a model, turning any failure into a one-line ``CommandFailure``.
func loadModel(_ path: String) throws(CommandFailure) -> KerasModel {
    do {
        return try KerasModel.load(contentsOf: path)
    } catch {
        throw CommandFailure(error)
    }
}

/// Reads `.npy` inputs into tensors in order.
func readInputs(_ paths: [String]) throws(CommandFailure) -> [Tensor] {
    var tensors: [Tensor] = []
    for path in paths {
        do {
            tensors.append(try NumpyArray(contentsOf: path).tensor)
        } catch {
            throw CommandFailure(error)
        }
    }
    return tensors
}

/// Runs `predict`, naming the model file in any error.
func runPredict(_ model: KerasModel, path: String, inputs: [Tensor]) throws(CommandFailure) -> [Tensor] {
    do {
        return try model.predict(inputs)
    } catch {
        throw CommandFailure("\(path): \(error)")
    }
}
