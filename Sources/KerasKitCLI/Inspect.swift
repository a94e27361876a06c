import ArgumentParser
import Foundation
import KerasKit
import KerasKitImport

/// `keraskit inspect MODEL [--json]`.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a Keras-style summary, file metadata and every layer's config.",
        discussion: "A model with layer classes KerasKit doesn't run is still summarized, its unsupported layers marked; the exit status is then 0 too."
    )

    @Argument(help: "A Keras .h5 file, a Keras 3 .keras archive or a KerasKit native file.")
    var model: String

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func run() throws {
        let report = try InspectReport.load(model)
        if json {
            print(report.json.description)
            return
        }
        print("File: \(model)")
        print("Keras version: \(report.kerasVersion ?? "unknown") (\(KerasGeneration(kerasVersion: report.kerasVersion)) numerics)")
        print("Backend: \(report.backend ?? "unknown")")
        print("Input shape: \(InspectReport.shapeText(report.config.inputShape))")
        if let model = report.model {
            print("Computes in: \(model.computePrecision)")
        } else {
            print("Runs in KerasKit: no, \(report.unsupportedDescription)")
        }
        print(KerasModel.summary(name: report.config.name, rows: report.rows))
        for row in report.rows {
            print("\n\(row.name) (\(row.className))\(row.isSupported ? "" : " [unsupported]")")
            for argument in row.layer.kerasArguments {
                print("  \(argument.name) = \(argument.value)")
            }
        }
    }
}

/// What `inspect` shows: from the built model, or, for a model with layer classes KerasKit
/// doesn't implement, from the file's config and weights alone.
struct InspectReport {
    let config: ModelConfig
    let rows: [KerasModel.SummaryRow]
    let kerasVersion: String?
    let backend: String?
    /// The model, when it builds.
    let model: KerasModel?

    init(model: KerasModel) {
        config = model.config
        rows = model.summaryRows
        kerasVersion = model.kerasVersion
        backend = model.backend
        self.model = model
    }

    init(contents: ModelFileContents) {
        config = contents.config
        rows = KerasModel.summaryRows(config: contents.config, weights: contents.weights, kerasVersion: contents.kerasVersion)
        kerasVersion = contents.kerasVersion
        backend = contents.backend
        model = nil
    }

    /// Loads the model; when it holds layer classes KerasKit doesn't implement, reads the file
    /// without building it instead.
    static func load(_ path: String) throws(CommandFailure) -> InspectReport {
        do {
            return InspectReport(model: try KerasModel.load(contentsOf: path))
        } catch {
            guard case .weights(.unsupportedLayerClasses) = error.reason,
                  let contents = try? KerasModel.readContents(of: path) else { throw CommandFailure(error) }
            return InspectReport(contents: contents)
        }
    }

    /// `unsupported layer classes: Conv2D (conv2d), …`.
    var unsupportedDescription: String {
        WeightLoadingError.unsupportedLayerClasses(config.unsupportedLayerClasses).description
    }

    static func shapeJSON(_ shape: [Int?]) -> JSONValue {
        .array(shape.map { $0.map { .number(Double($0)) } ?? .null })
    }

    static func shapeText(_ shape: [Int?]) -> String {
        "(" + shape.map { $0.map(String.init) ?? "None" }.joined(separator: ", ") + (shape.count == 1 ? ",)" : ")")
    }

    var json: JSONValue {
        let layers: [JSONValue] = rows.map { row in
            var arguments: [String: JSONValue] = [:]
            for argument in row.layer.kerasArguments where arguments[argument.name] == nil { arguments[argument.name] = argument.value }
            let shapes = row.outputShapes.map(Self.shapeJSON)
            return .object([
                "name": .string(row.name),
                "class_name": .string(row.className),
                "supported": .bool(row.isSupported),
                "output_shape": shapes.isEmpty ? .null : shapes.count == 1 ? shapes[0] : .array(shapes),
                "params": .number(Double(row.parameterCount)),
                "trainable_params": .number(Double(row.trainableParameterCount)),
                "non_trainable_params": .number(Double(row.nonTrainableParameterCount)),
                "config": .object(arguments),
            ])
        }
        let total = rows.reduce(0) { $0 + $1.parameterCount }
        let trainable = rows.reduce(0) { $0 + $1.trainableParameterCount }
        return .object([
            "keras_version": kerasVersion.map(JSONValue.string) ?? .null,
            "backend": backend.map(JSONValue.string) ?? .null,
            "model_class": .string(config.className),
            "name": .string(config.name),
            "input_shape": Self.shapeJSON(config.inputShape),
            "compute_dtype": model.map { .string($0.computePrecision.rawValue) } ?? .null,
            "supported": .bool(model != nil),
            "total_params": .number(Double(total)),
            "trainable_params": .number(Double(trainable)),
            "non_trainable_params": .number(Double(total - trainable)),
            "layers": .array(layers),
        ])
    }
}
