import Foundation
import Testing
@testable import KerasKit

/// Arithmetic recorded as graph nodes: Keras 3's operation nodes (module `keras.src.ops.numpy`,
/// or no module in Keras 3's legacy `.h5`) and Keras 2's `TFOpLambda` layers. Real models
/// (keras.applications' MobileNetV3 in `Fixtures/app_mobilenetv3small`) check them against
/// Keras; these check operand order, the two namespaces and the refusals.
@Suite("Arithmetic operation nodes and TFOpLambda")
struct OperationNodeTests {
    static func tensor(_ layer: String) -> String {
        #"{"class_name": "__keras_tensor__", "config": {"keras_history": ["\#(layer)", 0, 0]}}"#
    }

    /// `x → (x + 3) → 2 − · → · × x → · / 4 → max(·, 0.5) → ·^2`, as Keras 3 writes it; without
    /// modules when `legacy` (Keras 3's `.h5`).
    static func keras3Graph(legacy: Bool) -> String {
        let module = legacy ? "" : #""module": "keras.src.ops.numpy", "#
        func node(_ className: String, _ name: String, _ args: String) -> String {
            #"{\#(module)"class_name": "\#(className)", "config": {"name": "\#(name)"}, "name": "\#(name)", "inbound_nodes": [{"args": [\#(args)], "kwargs": {}}]}"#
        }
        return """
        {"class_name": "Functional", "config": {"name": "ops", "layers": [
         {"class_name": "InputLayer", "config": {"batch_shape": [null, 3], "name": "x"}, "name": "x", "inbound_nodes": []},
         \(node("Add", "add", "\(tensor("x")), 3.0")),
         \(node("Subtract", "sub", "2.0, \(tensor("add"))")),
         \(node("Multiply", "mul", "\(tensor("sub")), \(tensor("x"))")),
         \(node("TrueDivide", "div", "\(tensor("mul")), 4.0")),
         \(node("Maximum", "max", "\(tensor("div")), 0.5")),
         \(node("Power", "pow", "\(tensor("max")), 2.0"))
        ], "input_layers": [["x", 0, 0]], "output_layers": [["pow", 0, 0]]}}
        """
    }

    static let input: [Float] = [-1, 0.5, 2]
    static func expected(_ x: Float) -> Float {
        let value = max((2 - (x + 3)) * x / 4, 0.5)
        return value * value
    }

    @Test("Keras 3 operation nodes run with their constants on either side, with or without a module", arguments: [false, true])
    func keras3Operations(legacy: Bool) throws {
        let config = try ModelConfig(json: Data(Self.keras3Graph(legacy: legacy).utf8))
        #expect(config.layers.filter(\.isOperation).count == 6)
        let model = try KerasModel(config: config, weights: [:], kerasVersion: "3.15.1")
        let output = try model.predict(try Tensor(shape: [1, 3], scalars: Self.input))[0]
        #expect(output.scalars == Self.input.map(Self.expected))
    }

    @Test("the Add layer stays a layer: a merge of a list of tensors with a layer's config")
    func addLayerIsNotAnOperation() throws {
        let json = """
        {"class_name": "Functional", "config": {"name": "m", "layers": [
         {"class_name": "InputLayer", "config": {"batch_shape": [null, 2], "name": "a"}, "name": "a", "inbound_nodes": []},
         {"class_name": "InputLayer", "config": {"batch_shape": [null, 2], "name": "b"}, "name": "b", "inbound_nodes": []},
         {"class_name": "Add", "config": {"name": "add", "trainable": true, "dtype": "float32"}, "name": "add",
          "inbound_nodes": [{"args": [[\(Self.tensor("a")), \(Self.tensor("b"))]], "kwargs": {}}]}
        ], "input_layers": [["a", 0, 0], ["b", 0, 0]], "output_layers": [["add", 0, 0]]}}
        """
        let config = try ModelConfig(json: Data(json.utf8))
        #expect(config.layers.last?.isOperation == false)
        let model = try KerasModel(config: config, weights: [:], kerasVersion: "3.15.1")
        let output = try model.predict([try Tensor(shape: [1, 2], scalars: [1, 2]), try Tensor(shape: [1, 2], scalars: [10, 20])])[0]
        #expect(output.scalars == [11, 22])
    }

    @Test("an operation node of a class KerasKit doesn't run is refused with its name, even when a layer has that name")
    func unknownOperation() throws {
        let json = Self.keras3Graph(legacy: false).replacingOccurrences(of: #""class_name": "Power""#, with: #""class_name": "Dot""#)
        let config = try ModelConfig(json: Data(json.utf8))
        #expect(throws: WeightLoadingError.unsupportedLayerClasses([UnsupportedLayerClass(className: "Dot", layers: ["pow"])])) {
            try KerasModel(config: config, weights: [:], kerasVersion: "3.15.1")
        }
    }

    /// Keras 2: `y = tf.math.multiply(x + 3.0, x)`, the second operand a tensor in the kwargs.
    static func keras2Graph(function: String = "math.multiply") -> String {
        """
        {"class_name": "Functional", "config": {"name": "m", "layers": [
         {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 3], "dtype": "float32", "name": "x"}, "name": "x", "inbound_nodes": []},
         {"class_name": "TFOpLambda", "config": {"name": "tf.__operators__.add", "trainable": true, "dtype": "float32", "function": "__operators__.add"},
          "name": "tf.__operators__.add", "inbound_nodes": [["x", 0, 0, {"y": 3.0, "name": null}]]},
         {"class_name": "TFOpLambda", "config": {"name": "tf.math.op", "trainable": true, "dtype": "float32", "function": "\(function)"},
          "name": "tf.math.op", "inbound_nodes": [["tf.__operators__.add", 0, 0, {"y": ["x", 0, 0], "name": null}]]}
        ], "input_layers": [["x", 0, 0]], "output_layers": [["tf.math.op", 0, 0]]}}
        """
    }

    @Test("Keras 2's TFOpLambda runs tf arithmetic with a constant or a tensor operand from its kwargs")
    func tfOpLambda() throws {
        let model = try KerasModel(config: ModelConfig(json: Data(Self.keras2Graph().utf8)), weights: [:], kerasVersion: "2.21.0")
        let output = try model.predict(try Tensor(shape: [1, 3], scalars: Self.input))[0]
        #expect(output.scalars == Self.input.map { ($0 + 3) * $0 })
    }

    @Test("a TFOpLambda function KerasKit doesn't run is refused by name when the model is built, and inspect still reads it")
    func tfOpLambdaUnknownFunction() throws {
        let config = try ModelConfig(json: Data(Self.keras2Graph(function: "nn.bias_add").utf8))
        let error = #expect(throws: WeightLoadingError.self) {
            try KerasModel(config: config, weights: [:], kerasVersion: "2.21.0")
        }
        #expect(error?.description.contains("TFOpLambda function tf.nn.bias_add is not supported") == true)
    }

    @Test("a TFOpLambda call's other keyword arguments are refused by name")
    func tfOpLambdaExtraArguments() throws {
        let json = Self.keras2Graph().replacingOccurrences(of: #"{"y": 3.0, "name": null}"#, with: #"{"y": 3.0, "name": null, "axis": 1}"#)
        let error = #expect(throws: WeightLoadingError.self) {
            try KerasModel(config: ModelConfig(json: Data(json.utf8)), weights: [:], kerasVersion: "2.21.0")
        }
        #expect(error?.description.contains("'axis'") == true)
    }
}
