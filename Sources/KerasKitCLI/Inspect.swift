import ArgumentParser
import Foundation
import KerasKit

/// `keraskit inspect MODEL [--json]`.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a Keras-style summary, file metadata and every layer's config."
    )

    @Argument(help: "A Keras .h5 model file or a KerasKit native file.")
    var model: String

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func run() throws {
        let loaded = try loadModel(model)
        if json {
            print(InspectReport(model: loaded).json.description)
            return
        }
        print("File: \(model)")
        print("Keras version: \(loaded.kerasVersion ?? "unknown") (\(loaded.generation) numerics)")
        print("Backend: \(loaded.backend ?? "unknown")")
        print("Input shape: \(InspectReport.shapeText(loaded.inputShape))")
        print("Computes in: \(loaded.computePrecision)")
        print(loaded.summary())
        for layer in loaded.config.layers {
            print("\n\(layer.name) (\(layer.className))")
            for argument in layer.kerasArguments {
                print("  \(argument.name) = \(argument.value)")
            }
        }
    }
}

/// What `inspect --json` prints.
struct InspectReport {
    let model: KerasModel

    static func shapeJSON(_ shape: [Int?]) -> JSONValue {
        .array(shape.map { $0.map { .number(Double($0)) } ?? .null })
    }

    static func shapeText(_ shape: [Int?]) -> String {
        "(" + shape.map { $0.map(String.init) ?? "None" }.joined(separator: ", ") + (shape.count == 1 ? ",)" : ")")
    }

    var json: JSONValue {
        let layers: [JSONValue] = zip(model.summaryRows, model.config.layers).map { row, config in
            var arguments: [String: JSONValue] = [:]
            for argument in config.kerasArguments { arguments[argument.name] = argument.value }
            let shapes = row.outputShapes.map(Self.shapeJSON)
            return .object([
                "name": .string(row.name),
                "class_name": .string(row.className),
                "output_shape": shapes.count == 1 ? shapes[0] : .array(shapes),
                "params": .number(Double(row.parameterCount)),
                "config": .object(arguments),
            ])
        }
        return .object([
            "keras_version": model.kerasVersion.map(JSONValue.string) ?? .null,
            "backend": model.backend.map(JSONValue.string) ?? .null,
            "model_class": .string(model.config.className),
            "name": .string(model.config.name),
            "input_shape": Self.shapeJSON(model.inputShape),
            "compute_dtype": .string(model.computePrecision.rawValue),
            "total_params": .number(Double(model.parameterCount)),
            "trainable_params": .number(Double(model.trainableParameterCount)),
            "layers": .array(layers),
        ])
    }
}
