import Foundation
import KerasKit
import Testing

/// Hostile configs, calls, weights and inputs for Attention and AdditiveAttention: each is
/// refused in one typed line naming the layer (`l`); a well-formed call of the same models runs,
/// so each refusal is the case's own.
@Suite("Bad attention configs, calls and masks are refused by name")
struct ScoreAttentionLayerErrorTests {
    /// A Keras 3 Functional config: inputs `q`, `v`, … of the given batch shapes (a trailing
    /// `bool` marks a mask input), and one call of `className` named `l` on the tensors `args`
    /// with `kwargs`, its output the model's.
    static func model(_ className: String, _ arguments: String = "", inputs: [(String, String)] = [("q", "[null, 4, 3]"), ("v", "[null, 5, 3]")],
                      args: [String] = ["q", "v"], kwargs: String = "") -> String {
        func tensor(_ name: String) -> String {
            #"{"class_name": "__keras_tensor__", "config": {"keras_history": [""# + name + #"", 0, 0]}}"#
        }
        let layers = inputs.map { name, shape in
            let dtype = name.hasSuffix("m") ? "bool" : "float32"
            return #"{"class_name": "InputLayer", "config": {"name": ""# + name + #"", "batch_shape": "# + shape + #", "dtype": ""# + dtype
                + #""}, "name": ""# + name + #"", "inbound_nodes": []}"#
        }
        let call = #"{"class_name": ""# + className + #"", "config": {"name": "l""# + (arguments.isEmpty ? "" : ", " + arguments)
            + #"}, "name": "l", "inbound_nodes": [{"args": [["# + args.map(tensor).joined(separator: ", ") + #"]], "kwargs": {"# + kwargs + "}}]}"
        let inputList = inputs.map { #"[""# + $0.0 + #"", 0, 0]"# }.joined(separator: ", ")
        return #"{"class_name": "Functional", "config": {"name": "m", "layers": ["# + (layers + [call]).joined(separator: ", ")
            + #"], "input_layers": ["# + inputList + #"], "output_layers": [["l", 0, 0]]}}"#
    }

    static func tensor(_ name: String) -> String {
        #"{"class_name": "__keras_tensor__", "config": {"keras_history": [""# + name + #"", 0, 0]}}"#
    }

    static func scale(_ shape: [Int], name: String = "scale") throws -> WeightArray {
        try WeightArray(name: "l/\(name):0", shape: shape, storage: .float32(Array(repeating: 0.5, count: shape.reduce(1, *))))
    }

    static func oneLine(_ error: any Error) -> String? {
        let text = "\(error)"
        return text.contains("\n") ? nil : text
    }

    static let configCases: [(className: String, arguments: String, fragment: String)] = [
        ("Attention", #""score_mode": "general""#, "score_mode: 'general' is not one of 'dot', 'concat'"),
        ("Attention", #""score_mode": "Dot""#, "score_mode: 'Dot' is not one of"),
        ("Attention", #""score_mode": 3"#, "score_mode"),
        ("Attention", #""dropout": 1.5"#, "dropout"),
        ("Attention", #""use_scale": "yes""#, "use_scale"),
        ("Attention", #""causal": 1"#, "causal"),
        ("Attention", #""num_heads": 2"#, "unsupported argument 'num_heads'"),
        ("AdditiveAttention", #""score_mode": "dot""#, "unsupported argument 'score_mode'"),
        ("AdditiveAttention", #""dropout": -0.1"#, "dropout"),
    ]

    @Test("each bad argument names the layer, the class and the key", arguments: configCases)
    func refused(className: String, arguments: String, fragment: String) {
        #expect {
            _ = try ModelConfig(json: Data(Self.model(className, arguments).utf8))
        } throws: { error in
            guard case .invalidLayerConfig(let layer, let name, let reason)? = error as? KerasConfigError else { return false }
            return layer == "l" && name == className && reason.contains(fragment) && Self.oneLine(error) != nil
        }
    }

    static let buildCases: [(name: String, json: String, weights: [String: [Int]], fragment: String)] = [
        ("query and key sizes differ", model("Attention", inputs: [("q", "[null, 4, 3]"), ("v", "[null, 5, 2]")]), [:],
         "the query's 3 features differ from the key's 2"),
        ("key and value steps differ", model("Attention", inputs: [("q", "[null, 4, 3]"), ("v", "[null, 5, 3]"), ("k", "[null, 6, 3]")], args: ["q", "v", "k"]), [:],
         "the value's 5 steps differ from the key's 6"),
        ("batch sizes differ", model("Attention", inputs: [("q", "[2, 4, 3]"), ("v", "[3, 5, 3]")]), [:], "batch sizes differ"),
        ("one input", model("Attention", args: ["q"]), [:], "takes [query, value] or [query, value, key], got 1 input(s)"),
        ("four inputs", model("Attention", args: ["q", "v", "v", "v"]), [:], "got 4 input(s)"),
        ("rank-2 query", model("Attention", inputs: [("q", "[null, 3]"), ("v", "[null, 5, 3]")]), [:], "is not (batch, steps, features)"),
        ("rank-4 value", model("AdditiveAttention", inputs: [("q", "[null, 4, 3]"), ("v", "[null, 5, 2, 3]")]), ["scale": [3]], "is not (batch, steps, features)"),
        ("unknown feature size", model("Attention", inputs: [("q", "[null, 4, null]"), ("v", "[null, 5, 3]")]), [:], "unknown"),
        ("use_causal_mask not a boolean", model("Attention", kwargs: #""use_causal_mask": "yes""#), [:], "use_causal_mask='yes'; KerasKit takes True or False"),
        ("return_attention_scores not a boolean", model("Attention", kwargs: #""return_attention_scores": 1"#), [:], "return_attention_scores=1"),
        ("another call argument", model("Attention", kwargs: #""use_bias": true"#), [:], "the argument 'use_bias'"),
        ("training call", model("Attention", kwargs: #""training": true"#), [:], "training=True"),
        ("Keras 2's causal flag in a Keras 3 file", model("Attention", #""causal": true"#), [:], "causal=True, which Keras 3 refuses"),
        ("scale of the wrong size", model("AdditiveAttention"), ["scale": [4]], "scale"),
        ("scale missing", model("Attention", #""use_scale": true"#), [:], "scale"),
        ("concat weight missing", model("Attention", #""score_mode": "concat""#), [:], "concat_score_weight"),
        ("a stray weight", model("Attention"), ["scale": []], "scale"),
    ]

    @Test("a call, shape or weight the layer can't take is refused when the model is built", arguments: buildCases)
    func refusedAtBuild(name: String, json: String, weights: [String: [Int]], fragment: String) throws {
        let config = try ModelConfig(json: Data(json.utf8))
        let arrays = try weights.keys.sorted().map { try Self.scale(weights[$0] ?? [], name: $0) }
        #expect {
            _ = try KerasModel(config: config, weights: arrays.isEmpty ? [:] : ["l": arrays], kerasVersion: "3.15.1")
        } throws: { error in
            guard let line = Self.oneLine(error) else { return false }
            return line.contains("'l'") && line.contains(fragment)
        }
    }

    /// `q (4, 3)`, `v (5, 3)` and the masks `qm`, `vm` of the given shapes, passed as `mask=`.
    static func maskedModel(queryMask: String, valueMask: String) throws -> KerasModel {
        let json = model("Attention", inputs: [("q", "[null, 4, 3]"), ("v", "[null, 5, 3]"), ("qm", queryMask), ("vm", valueMask)],
                         kwargs: #""mask": ["# + tensor("qm") + ", " + tensor("vm") + "]")
        return try KerasModel(config: ModelConfig(json: Data(json.utf8)), weights: [:], kerasVersion: "3.15.1")
    }

    static func inputs(batch: Int = 2, queryMask: [Int], valueMask: [Int]) throws -> [Tensor] {
        func filled(_ shape: [Int], _ value: Float) throws -> Tensor {
            try Tensor(shape: shape, scalars: Array(repeating: value, count: shape.reduce(1, *)))
        }
        return [try filled([batch, 4, 3], 0.25), try filled([batch, 5, 3], 0.5), try filled(queryMask, 1), try filled(valueMask, 1)]
    }

    static let maskCases: [(name: String, queryMask: [Int], valueMask: [Int], fragment: String)] = [
        ("query mask too short", [2, 3], [2, 5], "a query mask of shape (2, 4)"),
        ("value mask too long", [2, 4], [2, 6], "a value mask of shape (2, 5)"),
        ("value mask of another batch", [2, 4], [3, 5], "a value mask of shape (2, 5)"),
    ]

    @Test("a mask= tensor of the wrong shape is refused at predict, naming the layer", arguments: maskCases)
    func maskShape(name: String, queryMask: [Int], valueMask: [Int], fragment: String) throws {
        let model = try Self.maskedModel(queryMask: "[null, null]", valueMask: "[null, null]")
        #expect(try model.predict(Self.inputs(queryMask: [2, 4], valueMask: [2, 5]))[0].shape == [2, 4, 3], "the well-shaped masks run")
        #expect {
            _ = try model.predict(Self.inputs(queryMask: queryMask, valueMask: valueMask))
        } throws: { error in
            guard let error = error as? PredictionError, let line = Self.oneLine(error) else { return false }
            return line.contains("'l'") && line.contains(fragment)
        }
    }

    @Test("inputs whose batch sizes differ at predict are refused in one line")
    func batchMismatch() throws {
        let model = try KerasModel(config: ModelConfig(json: Data(Self.model("Attention").utf8)), weights: [:], kerasVersion: "3.15.1")
        let q = try Tensor(shape: [2, 4, 3], scalars: Array(repeating: 0.5, count: 24))
        #expect(try model.predict([q, Tensor(shape: [2, 5, 3], scalars: Array(repeating: 0.5, count: 30))])[0].shape == [2, 4, 3])
        #expect {
            _ = try model.predict([q, Tensor(shape: [3, 5, 3], scalars: Array(repeating: 0.5, count: 45))])
        } throws: { error in
            guard let error = error as? PredictionError, let line = Self.oneLine(error) else { return false }
            return line.contains("'l'")
        }
    }

    @Test("a 3-input call may pass [query_mask, value_mask]; the key's mask is not needed")
    func twoMasksForThreeInputs() throws {
        let json = Self.model("Attention", inputs: [("q", "[null, 4, 3]"), ("v", "[null, 5, 3]"), ("k", "[null, 5, 3]"), ("qm", "[null, 4]"), ("vm", "[null, 5]")],
                              args: ["q", "v", "k"], kwargs: #""mask": ["# + Self.tensor("qm") + ", " + Self.tensor("vm") + "]")
        let model = try KerasModel(config: ModelConfig(json: Data(json.utf8)), weights: [:], kerasVersion: "3.15.1")
        var inputs = try Self.inputs(queryMask: [2, 4], valueMask: [2, 5])
        inputs.insert(inputs[1], at: 2)
        // The first sample's first query step is masked: its output row is zero.
        inputs[3] = try Tensor(shape: [2, 4], scalars: [0, 1, 1, 1, 1, 1, 1, 1])
        let output = try model.predict(inputs)[0]
        #expect(output.scalars[0..<3].allSatisfy { $0 == 0 })
        #expect(output.scalars[3..<6].allSatisfy { abs($0 - 0.5) < 1e-6 })
    }
}
