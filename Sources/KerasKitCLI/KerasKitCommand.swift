import ArgumentParser
import Foundation
import KerasKit
import KerasKitImport

/// `keraskit`: inspect, run, convert and verify Keras models without Python.
@main
struct KerasKitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keraskit",
        abstract: "Inspect, run and verify Keras models (.h5, .keras, KerasKit native files) natively.",
        version: KerasKitVersion.current,
        subcommands: [Inspect.self, Predict.self, Convert.self, Verify.self, Bench.self]
    )

    /// Exit status: 0 success, 1 a model, data or I/O error (one line on stderr), 2 usage errors.
    static func main() {
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            fail(error, as: KerasKitCommand.self)
        }
        do {
            try command.run()
        } catch {
            // A usage error found while running (say, an --output count) shows the
            // subcommand's usage, not the top level's.
            fail(error, as: type(of: command))
        }
    }

    /// Prints `error` and exits with its status.
    private static func fail(_ error: any Error, as command: any ParsableCommand.Type) -> Never {
        if let failure = error as? CommandFailure {
            FileHandle.standardError.write(Data("keraskit: error: \(failure.message)\n".utf8))
            Foundation.exit(1)
        }
        let code = exitCode(for: error)
        if code == .success {
            exit(withError: error)
        }
        var message = fullMessage(for: error)
        if command != KerasKitCommand.self {
            let name = command.configuration.commandName ?? command._commandName
            message = "Error: \(self.message(for: error))\nUsage: \(usageString(for: command))\n  See 'keraskit \(name) --help' for more information."
        }
        FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
        Foundation.exit(code == .validationFailure || code.rawValue == 64 ? 2 : code.rawValue)
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

/// Reads `.npy` arrays into float32 tensors in order (see ``readInputs(_:inputNames:as:)``).
func readInputs(_ paths: [String], inputNames: [String] = []) throws(CommandFailure) -> [Tensor] {
    try readInputs(paths, inputNames: inputNames, as: Float.self)
}

/// Reads `.npy` arrays into tensors of `Scalar` in order; a `.npz` archive (recognized by its
/// bytes) contributes its arrays matched to `inputNames` by name, or else in archive order.
func readInputs<Scalar: KerasScalar>(_ paths: [String], inputNames: [String] = [], as scalar: Scalar.Type) throws(CommandFailure) -> [TensorOf<Scalar>] {
    var tensors: [TensorOf<Scalar>] = []
    for path in paths {
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            let prefix = try handle.read(upToCount: 4) ?? Data()
            guard NumpyArchive.isArchive(prefix: prefix) else {
                tensors.append(try NumpyArray(contentsOf: path).tensor(as: Scalar.self))
                continue
            }
            let archive = try NumpyArchive(contentsOf: path)
            let byName = Dictionary(archive.arrays.map { ($0.name, $0.array) }, uniquingKeysWith: { first, _ in first })
            let wanted = Array(inputNames.dropFirst(tensors.count))
            if !wanted.isEmpty, wanted.allSatisfy({ byName[$0] != nil }) {
                tensors += wanted.compactMap { byName[$0]?.tensor(as: Scalar.self) }
            } else {
                tensors += archive.arrays.map { $0.array.tensor(as: Scalar.self) }
            }
        } catch let error as CocoaError {
            throw CommandFailure("\(path): cannot read: \(fileProblem(reading: path, error))")
        } catch {
            throw CommandFailure(error)
        }
    }
    return tensors
}

/// Runs `predict`, naming the model file in any error.
func runPredict<Scalar: CommandScalar>(_ model: KerasModel, path: String, inputs: [TensorOf<Scalar>]) throws(CommandFailure) -> [TensorOf<Scalar>] {
    do {
        return try Scalar.predict(model, inputs)
    } catch {
        throw CommandFailure("\(path): \(error)")
    }
}

/// The scalar a command reads inputs as, runs a model in and writes outputs as: the model's
/// compute precision (`Float` for float32 models, `Double` for float64 ones), so nothing is
/// rounded on the way.
protocol CommandScalar: KerasScalar {
    /// `model.predict(inputs)` in this scalar.
    static func predict(_ model: KerasModel, _ inputs: [TensorOf<Self>]) throws(PredictionError) -> [TensorOf<Self>]
    /// `session.feedStepByStep(inputs)` in this scalar.
    static func feedStepByStep(_ session: StreamingSession, _ inputs: [TensorOf<Self>]) throws(PredictionError) -> [TensorOf<Self>]
    /// `model.nativeFileData(checkInputs:layout:)` in this scalar.
    static func nativeFileData(_ model: KerasModel, checkInputs: [TensorOf<Self>], layout: NativeMatrixLayout) throws(PredictionError) -> Data
}

extension Float: CommandScalar {
    static func predict(_ model: KerasModel, _ inputs: [Tensor]) throws(PredictionError) -> [Tensor] {
        try model.predict(inputs)
    }

    static func feedStepByStep(_ session: StreamingSession, _ inputs: [Tensor]) throws(PredictionError) -> [Tensor] {
        try session.feedStepByStep(inputs)
    }

    static func nativeFileData(_ model: KerasModel, checkInputs: [Tensor], layout: NativeMatrixLayout) throws(PredictionError) -> Data {
        try model.nativeFileData(checkInputs: checkInputs, layout: layout)
    }
}

extension Double: CommandScalar {
    static func predict(_ model: KerasModel, _ inputs: [TensorOf<Double>]) throws(PredictionError) -> [TensorOf<Double>] {
        try model.predict(inputs)
    }

    static func feedStepByStep(_ session: StreamingSession, _ inputs: [TensorOf<Double>]) throws(PredictionError) -> [TensorOf<Double>] {
        try session.feedStepByStep(inputs)
    }

    static func nativeFileData(_ model: KerasModel, checkInputs: [TensorOf<Double>], layout: NativeMatrixLayout) throws(PredictionError) -> Data {
        try model.nativeFileData(checkInputs: checkInputs, layout: layout)
    }
}

extension KerasModel {
    /// Calls `body` with the scalar type of the model's compute precision.
    func withCommandScalar<Result>(_ body: (any CommandScalar.Type) throws -> Result) rethrows -> Result {
        switch computePrecision {
        case .float32: try body(Float.self)
        case .float64: try body(Double.self)
        }
    }
}
