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
        subcommands: [Inspect.self, Predict.self, Convert.self, Verify.self, Bench.self]
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

/// Reads `.npy` arrays into tensors in order; a `.npz` archive (recognized by its bytes)
/// contributes its arrays matched to `inputNames` by name, or else in archive order.
func readInputs(_ paths: [String], inputNames: [String] = []) throws(CommandFailure) -> [Tensor] {
    var tensors: [Tensor] = []
    for path in paths {
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            let prefix = try handle.read(upToCount: 4) ?? Data()
            guard NumpyArchive.isArchive(prefix: prefix) else {
                tensors.append(try NumpyArray(contentsOf: path).tensor)
                continue
            }
            let archive = try NumpyArchive(contentsOf: path)
            let byName = Dictionary(archive.arrays.map { ($0.name, $0.array) }, uniquingKeysWith: { first, _ in first })
            let wanted = Array(inputNames.dropFirst(tensors.count))
            if !wanted.isEmpty, wanted.allSatisfy({ byName[$0] != nil }) {
                tensors += wanted.compactMap { byName[$0]?.tensor }
            } else {
                tensors += archive.arrays.map(\.array.tensor)
            }
        } catch let error as CocoaError {
            throw CommandFailure("\(path): cannot read: \(error.localizedDescription)")
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
