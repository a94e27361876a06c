import Foundation
import KerasKit
import Testing

/// Hostile configs and calls for EinsumDense, the attention layers and the product operations:
/// each is refused in one typed line naming the layer, before anything is sized from it.
@Suite("Bad einsum and attention configs and calls are refused by name")
struct AttentionLayerErrorTests {
    static let sequence = "[null, 5, 8]"

    static let configCases: [(className: String, arguments: String, fragment: String)] = [
        ("EinsumDense", #""output_shape": 4"#, "equation: required"),
        ("EinsumDense", #""equation": "ab,bc", "output_shape": 4"#, "is not of a form Keras accepts"),
        ("EinsumDense", #""equation": "ab,bc,cd->ad", "output_shape": 4"#, "is not of a form Keras accepts"),
        ("EinsumDense", #""equation": "a1,bc->ac", "output_shape": 4"#, "is not of a form Keras accepts"),
        ("EinsumDense", #""equation": "abc,cd->abd", "output_shape": [4]"#, "output_shape: 1 sizes for the 2 output axes"),
        ("EinsumDense", #""equation": "abc,cd->abd", "output_shape": [null, 4], "bias_axes": "x""#, "bias_axes: 'x' is not an output axis"),
        ("EinsumDense", #""equation": "abc,cd->abd", "output_shape": [null, 4], "lora_rank": 2"#, "lora_rank: 2 is not supported"),
        ("EinsumDense", #""equation": "abc,cd->abd", "output_shape": [null, 4], "mystery": 1"#, "unsupported argument 'mystery'"),
        ("MultiHeadAttention", #""num_heads": 0, "key_dim": 4"#, "num_heads"),
        ("MultiHeadAttention", #""num_heads": 2, "key_dim": 1099511627776"#, "key_dim"),
        ("MultiHeadAttention", #""num_heads": 16777216, "key_dim": 16777216"#, "is too large"),
        ("MultiHeadAttention", #""num_heads": 2, "key_dim": 4, "output_shape": [0]"#, "output_shape"),
        ("MultiHeadAttention", #""num_heads": 2, "key_dim": 4, "flash_attention": true"#, "flash_attention: True is not supported"),
        ("GroupQueryAttention", #""head_dim": 4, "num_query_heads": 3, "num_key_value_heads": 2"#, "doesn't divide num_query_heads"),
        ("GroupQueryAttention", #""head_dim": 4, "num_query_heads": 0, "num_key_value_heads": 1"#, "num_query_heads"),
    ]

    @Test("each bad argument names the layer, the class and the key", arguments: configCases)
    func refused(className: String, arguments: String, fragment: String) {
        #expect {
            _ = try ModelConfig(json: Data(oneLayerModel(className, arguments, shape: Self.sequence).utf8))
        } throws: { error in
            guard case .invalidLayerConfig(let layer, let name, let reason)? = error as? KerasConfigError else { return false }
            return layer == "l" && name == className && reason.contains(fragment) && !"\(error)".contains("\n")
        }
    }

    /// Placeholder weights with the names the class declares: the shapes are refused before
    /// any weight is read.
    static func placeholderWeights(_ className: String) throws -> [String: [WeightArray]] {
        let names = className == "EinsumDense" ? ["kernel"] : Array(repeating: ["kernel", "bias"], count: 4).flatMap { $0 }
        return ["l": try names.map { try WeightArray(name: "l/\($0)", shape: [1], storage: .float32([0])) }]
    }

    static let buildCases: [(className: String, arguments: String, shape: String, fragment: String)] = [
        ("EinsumDense", #""equation": "abc,cd->abd", "output_shape": [null, 4]"#, "[null, 8]", "takes inputs of rank 3"),
        ("EinsumDense", #""equation": "abc,cd->abd", "output_shape": [6, 4]"#, sequence, "is 5 in the input"),
        ("EinsumDense", #""equation": "abc,cd->abd", "output_shape": [null, 4]"#, "[null, 5, null]", "has no known size"),
        ("EinsumDense", #""equation": "abc,cx->abd", "output_shape": [null, 4]"#, sequence, "in neither the input nor the kernel"),
        ("MultiHeadAttention", #""num_heads": 2, "key_dim": 4"#, sequence, "takes query, value"),
        ("GroupQueryAttention", #""head_dim": 4, "num_query_heads": 2, "num_key_value_heads": 1"#, sequence, "takes query, value"),
    ]

    @Test("a shape the layer can't take is refused when the model is built, naming the layer", arguments: buildCases)
    func refusedAtBuild(className: String, arguments: String, shape: String, fragment: String) throws {
        let config = try ModelConfig(json: Data(oneLayerModel(className, arguments, shape: shape).utf8))
        let weights = try Self.placeholderWeights(className)
        #expect {
            _ = try KerasModel(config: config, weights: weights, kerasVersion: "3.15.1")
        } throws: { error in
            guard case .unsupportedTopology(let layer, let reason)? = error as? WeightLoadingError else { return false }
            return layer == "l" && reason.contains(fragment) && !"\(error)".contains("\n")
        }
    }

    /// A Functional graph `x (5, 8), y (5, 5)` → the call `call` of layer `l` (class, config).
    static func graph(_ className: String, _ config: String, call: String, module: String = "keras.layers") -> String {
        #"""
        {"class_name": "Functional", "config": {"name": "f", "layers": [
         {"class_name": "InputLayer", "config": {"batch_shape": [null, 5, 8], "name": "x"}, "name": "x", "inbound_nodes": []},
         {"class_name": "InputLayer", "config": {"batch_shape": [null, 5, 5], "name": "y"}, "name": "y", "inbound_nodes": []},
         {"module": "\#(module)", "class_name": "\#(className)", "config": {"name": "l"\#(config.isEmpty ? "" : ", " + config)}, "name": "l",
          "inbound_nodes": [\#(call)]}
        ], "input_layers": [["x", 0, 0], ["y", 0, 0]], "output_layers": [["l", 0, 0]]}}
        """#
    }

    static func tensor(_ layer: String) -> String {
        #"{"class_name": "__keras_tensor__", "config": {"keras_history": ["\#(layer)", 0, 0]}}"#
    }

    static let mha = #""num_heads": 2, "key_dim": 4"#

    static let callCases: [(json: String, fragment: String)] = [
        (graph("MultiHeadAttention", mha, call: #"{"args": [\#(tensor("x"))], "kwargs": {"key": \#(tensor("x"))}}"#), "passes 'key' but not 'value'"),
        (graph("MultiHeadAttention", mha, call: #"{"args": [\#(tensor("x")), \#(tensor("x"))], "kwargs": {"value": \#(tensor("x"))}}"#), "both by position and by keyword"),
        (graph("MultiHeadAttention", mha, call: #"{"args": [\#(tensor("x")), \#(tensor("x"))], "kwargs": {"value_mask": \#(tensor("y"))}}"#), "a tensor as 'value_mask'"),
        (graph("MultiHeadAttention", mha, call: #"{"args": [\#(tensor("x")), \#(tensor("x"))], "kwargs": {"use_causal_mask": "yes"}}"#), "is not a boolean"),
        (graph("MultiHeadAttention", mha, call: #"{"args": [\#(tensor("x")), \#(tensor("x"))], "kwargs": {"return_attention_weights": true}}"#), "the argument 'return_attention_weights'"),
        (graph("Einsum", #""subscripts": "bij,bjk->bik""#, call: #"{"args": [\#(tensor("x"))], "kwargs": {}}"#, module: "keras.src.ops.numpy"), "names 2 operand(s), the call has 1"),
        (graph("Einsum", #""subscripts": "bij,bjk->bik->b""#, call: #"{"args": [\#(tensor("x")), \#(tensor("y"))], "kwargs": {}}"#, module: "keras.src.ops.numpy"), "more than one '->'"),
        (graph("Einsum", #""subscripts": "bii->bi""#, call: #"{"args": [\#(tensor("y"))], "kwargs": {}}"#, module: "keras.src.ops.numpy"), "repeats a label within one operand"),
        (graph("Einsum", #""subscripts": "bij,bjk->bik""#, call: #"{"args": [\#(tensor("x")), \#(tensor("y"))], "kwargs": {}}"#, module: "keras.src.ops.numpy"), "is 8 in one operand and 5 in another"),
        (graph("Matmul", "", call: #"{"args": [\#(tensor("x")), \#(tensor("y"))], "kwargs": {}}"#, module: "keras.src.ops.numpy"), "inner sizes differ"),
        (graph("Matmul", "", call: #"{"args": [\#(tensor("x")), 2.0], "kwargs": {}}"#, module: "keras.src.ops.numpy"), "matmul takes two tensors"),
    ]

    @Test("a call the layer can't take is refused in one line naming it", arguments: callCases)
    func refusedCall(json: String, fragment: String) {
        #expect {
            let config = try ModelConfig(json: Data(json.utf8))
            let attention = config.layers.contains { $0.className == "MultiHeadAttention" }
            _ = try KerasModel(config: config, weights: attention ? try Self.placeholderWeights("MultiHeadAttention") : [:], kerasVersion: "3.15.1")
        } throws: { error in
            "\(error)".contains(fragment) && "\(error)".contains("'l'") && !"\(error)".contains("\n")
        }
    }

    @Test("an unregistered Keras 3 operation is refused with its class name")
    func unknownOperation() throws {
        let config = try ModelConfig(json: Data(Self.graph("Fft2", "", call: #"{"args": [\#(Self.tensor("x"))], "kwargs": {}}"#, module: "keras.src.ops.math").utf8))
        #expect {
            _ = try KerasModel(config: config, weights: [:], kerasVersion: "3.15.1")
        } throws: { error in
            "\(error)".contains("Fft2") && !"\(error)".contains("\n")
        }
    }
}
