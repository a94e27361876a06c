import Foundation
import Testing
@testable import KerasKit

/// A Keras 2 (tf-keras 2.21) Sequential config, as its `.h5` writer stores it.
let keras2Config = """
{"class_name": "Sequential", "config": {"name": "sequential", "layers": [
 {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_input_shape": [null, 10, 2], "dtype": "float32", "sparse": false, "ragged": false, "name": "lstm_input"}, "registered_name": null},
 {"module": "keras.layers", "class_name": "LSTM", "config": {"name": "lstm", "trainable": true, "dtype": "float32", "batch_input_shape": [null, 10, 2],
  "return_sequences": true, "return_state": false, "go_backwards": false, "stateful": false, "unroll": false, "time_major": false, "units": 3,
  "activation": "tanh", "recurrent_activation": "hard_sigmoid", "use_bias": true,
  "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null},
  "recurrent_initializer": {"module": "keras.initializers", "class_name": "Orthogonal", "config": {"gain": 1.0, "seed": null}, "registered_name": null},
  "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null},
  "unit_forget_bias": true, "kernel_regularizer": {"module": "keras.regularizers", "class_name": "L1L2", "config": {"l1": 0.01, "l2": 0.02}, "registered_name": null},
  "recurrent_regularizer": null, "bias_regularizer": null, "activity_regularizer": null,
  "kernel_constraint": {"module": "keras.constraints", "class_name": "MaxNorm", "config": {"max_value": 2, "axis": 0}, "registered_name": null},
  "recurrent_constraint": null, "bias_constraint": null, "dropout": 0.3, "recurrent_dropout": 0.0, "implementation": 1}},
 {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "trainable": true, "dtype": "float32", "units": 2, "activation": "softmax", "use_bias": false}}
]}}
"""

/// A Keras 3 (3.15) Sequential config: `batch_shape`, DTypePolicy objects, no `implementation`.
let keras3Config = """
{"class_name": "Sequential", "config": {"name": "sequential", "trainable": true,
 "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null},
 "layers": [
 {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, null, 4], "dtype": "float32", "sparse": false, "ragged": false, "name": "input_layer", "optional": false}, "registered_name": null},
 {"module": "keras.layers", "class_name": "LSTM", "config": {"name": "lstm", "trainable": true,
  "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null},
  "return_sequences": false, "return_state": true, "go_backwards": true, "stateful": false, "unroll": false, "zero_output_for_mask": false,
  "units": 5, "activation": "relu", "recurrent_activation": "sigmoid", "use_bias": false,
  "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null},
  "recurrent_initializer": {"module": "keras.initializers", "class_name": "Orthogonal", "config": {"seed": null, "gain": 1.0}, "registered_name": null},
  "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null},
  "unit_forget_bias": true, "kernel_regularizer": null, "recurrent_regularizer": null, "bias_regularizer": null, "activity_regularizer": null,
  "kernel_constraint": null, "recurrent_constraint": null, "bias_constraint": null, "dropout": 0.0, "recurrent_dropout": 0.0, "seed": null},
  "registered_name": null, "build_config": {"input_shape": [null, null, 4]}}
 ], "build_input_shape": [null, null, 4]}}
"""

@Suite("Decoding Keras configs from both writers")
struct ConfigDecodingTests {
    @Test("Keras 2 schema: batch_input_shape, string dtype, implementation, time_major")
    func keras2Schema() throws {
        let config = try ModelConfig(json: Data(keras2Config.utf8))
        #expect(config.className == "Sequential")
        #expect(config.inputShape == [nil, 10, 2])
        #expect(config.layers.map(\.className) == ["LSTM", "Dense"])
        guard let lstm = config.layers[0].configuration(as: LSTMConfig.self) else { Issue.record("not an LSTM"); return }
        #expect(lstm.units == 3)
        #expect(lstm.activation == .tanh)
        #expect(lstm.recurrentActivation == .hardSigmoid)
        #expect(lstm.implementation == 1)
        #expect(lstm.returnSequences)
        #expect(!lstm.timeMajor)
        #expect(lstm.dropout == 0.3)
        #expect(lstm.common.dtype?.name == "float32")
        #expect(lstm.kernelRegularizer?.description == "L1L2(l1=0.01, l2=0.02)")
        #expect(lstm.kernelConstraint?.className == "MaxNorm")
        #expect(lstm.recurrentRegularizer == nil)
        #expect(lstm.recurrentInitializer?.description == "Orthogonal(gain=1, seed=None)")
        guard let dense = config.layers[1].configuration(as: DenseConfig.self) else { Issue.record("not a Dense"); return }
        #expect(dense.activation == .softmax)
        #expect(!dense.useBias)
    }

    @Test("Keras 3 schema: batch_shape, DTypePolicy objects, no implementation key")
    func keras3Schema() throws {
        let config = try ModelConfig(json: Data(keras3Config.utf8))
        #expect(config.inputShape == [nil, nil, 4])
        guard let lstm = config.layers[0].configuration(as: LSTMConfig.self) else { Issue.record("not an LSTM"); return }
        #expect(lstm.units == 5)
        #expect(lstm.activation == .relu)
        #expect(lstm.implementation == 2, "Keras's default when the key is absent")
        #expect(lstm.returnState && lstm.goBackwards && !lstm.useBias)
        #expect(!lstm.timeMajor)
        #expect(lstm.common.dtype?.name == "float32")
        #expect(lstm.seed == nil)
    }

    @Test("absent keys take Keras's defaults")
    func defaults() throws {
        let json = #"{"class_name": "Sequential", "config": {"layers": [{"class_name": "LSTM", "config": {"name": "l", "units": 7, "batch_input_shape": [null, 3, 2]}}]}}"#
        let config = try ModelConfig(json: Data(json.utf8))
        guard let lstm = config.layers[0].configuration(as: LSTMConfig.self) else { Issue.record("not an LSTM"); return }
        #expect(lstm.activation == .tanh && lstm.recurrentActivation == .sigmoid)
        #expect(lstm.useBias && lstm.unitForgetBias)
        #expect(!lstm.returnSequences && !lstm.returnState && !lstm.goBackwards && !lstm.stateful && !lstm.unroll)
        #expect(!lstm.timeMajor && !lstm.zeroOutputForMask)
        #expect(lstm.dropout == 0 && lstm.recurrentDropout == 0 && lstm.implementation == 2)
        #expect(lstm.kernelInitializer?.className == "GlorotUniform")
        #expect(lstm.recurrentInitializer?.className == "Orthogonal")
        #expect(lstm.biasInitializer?.className == "Zeros")
        #expect(config.inputShape == [nil, 3, 2], "input shape from the first layer's batch_input_shape")
    }

    @Test("activation written as null or as a function object")
    func activationForms() throws {
        let json = #"{"class_name": "Sequential", "config": {"layers": [{"class_name": "InputLayer", "config": {"name": "i", "batch_shape": [null, 3]}}, {"class_name": "Dense", "config": {"name": "d", "units": 2, "activation": null}}, {"class_name": "Activation", "config": {"name": "a", "activation": {"module": "builtins", "class_name": "function", "config": "swish", "registered_name": "function"}}}]}}"#
        let config = try ModelConfig(json: Data(json.utf8))
        guard let dense = config.layers[0].configuration(as: DenseConfig.self), let activation = config.layers[1].configuration(as: ActivationConfig.self) else {
            Issue.record("wrong layers"); return
        }
        #expect(dense.activation == .linear)
        #expect(activation.activation == .silu)
    }

    @Test("an unknown layer class decodes for inspection, and building names every unsupported class at once")
    func unknownLayer() throws {
        let json = #"{"class_name": "Sequential", "config": {"layers": [{"class_name": "InputLayer", "config": {"name": "i", "batch_shape": [null, 3, 2]}}, {"class_name": "Lambda", "config": {"name": "my_lambda", "function": "..."}}, {"class_name": "LocallyConnected2D", "config": {"name": "c1"}}, {"class_name": "Lambda", "config": {"name": "my_lambda_1", "function": "..."}}]}}"#
        let config = try ModelConfig(json: Data(json.utf8))
        #expect(config.layers.map(\.isSupported) == [false, false, false])
        #expect(config.layers.first?.kerasArguments.map(\.name) == ["function", "name"], "the config as written")
        #expect(throws: WeightLoadingError.unsupportedLayerClasses([
            UnsupportedLayerClass(className: "Lambda", layers: ["my_lambda", "my_lambda_1"]), UnsupportedLayerClass(className: "LocallyConnected2D", layers: ["c1"]),
        ])) {
            _ = try KerasModel(config: config, weights: [:], kerasVersion: "3.15.1")
        }
        let message = WeightLoadingError.unsupportedLayerClasses([UnsupportedLayerClass(className: "Lambda", layers: ["my_lambda", "my_lambda_1"]), UnsupportedLayerClass(className: "LocallyConnected2D", layers: ["c1"])]).description
        #expect(message == "unsupported layer classes: Lambda (my_lambda, my_lambda_1), LocallyConnected2D (c1)")
    }

    /// A Keras 3 Functional model `x → Activation(relu)` whose call records `kwargs`.
    static func functional(kwargs: String) -> String {
        #"{"class_name": "Functional", "config": {"name": "m", "layers": [{"class_name": "InputLayer", "name": "x", "config": {"name": "x", "batch_shape": [null, 3]}, "inbound_nodes": []}, {"class_name": "Activation", "name": "a", "config": {"name": "a", "activation": "relu"}, "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"shape": [null, 3], "dtype": "float32", "keras_history": ["x", 0, 0]}}], "kwargs": "# + kwargs + #"}]}], "input_layers": [["x", 0, 0]], "output_layers": [["a", 0, 0]]}}"#
    }

    @Test("a call argument the executor doesn't use is refused by name; training=False and mask=None run")
    func callArguments() throws {
        let plain = try ModelConfig(json: Data(Self.functional(kwargs: #"{"training": false, "mask": null}"#).utf8))
        let model = try KerasModel(config: plain, weights: [:], kerasVersion: "3.15.1")
        #expect(try model.predict(try Tensor(shape: [1, 3], scalars: [-1, 0, 2]))[0].scalars == [0, 0, 2])
        for (kwargs, fragment) in [(#"{"training": true}"#, "training=True"), (#"{"constants": [1, 2]}"#, "'constants'")] {
            let config = try ModelConfig(json: Data(Self.functional(kwargs: kwargs).utf8))
            #expect {
                _ = try KerasModel(config: config, weights: [:], kerasVersion: "3.15.1")
            } throws: { error in
                guard case .unsupportedTopology(let layer, let reason)? = error as? WeightLoadingError else { return false }
                return layer == "a" && reason.contains(fragment)
            }
        }
    }

    @Test("an argument no config reads is refused by name")
    func unknownArgument() {
        let json = #"{"class_name": "Sequential", "config": {"layers": [{"class_name": "InputLayer", "config": {"name": "i", "batch_shape": [null, 3]}}, {"class_name": "Dense", "config": {"name": "d", "units": 2, "fancy": true}}]}}"#
        #expect(throws: KerasConfigError.invalidLayerConfig(layer: "d", className: "Dense", reason: "unsupported argument 'fancy' = True (KerasKit does not implement it)")) {
            _ = try ModelConfig(json: Data(json.utf8))
        }
        let lora = #"{"class_name": "Sequential", "config": {"layers": [{"class_name": "InputLayer", "config": {"name": "i", "batch_shape": [null, 3]}}, {"class_name": "Dense", "config": {"name": "d", "units": 2, "lora_rank": 4}}]}}"#
        #expect(throws: KerasConfigError.invalidLayerConfig(layer: "d", className: "Dense", reason: "lora_rank: 4 is not supported (LoRA-adapted kernels are not supported)")) {
            _ = try ModelConfig(json: Data(lora.utf8))
        }
    }

    @Test("an unknown activation names the activation and the layer")
    func unknownActivation() {
        let json = #"{"class_name": "Sequential", "config": {"layers": [{"class_name": "LSTM", "config": {"name": "rnn", "units": 2, "activation": "my_custom_act", "batch_input_shape": [null, 3, 2]}}]}}"#
        #expect(throws: KerasConfigError.unsupportedActivation(name: "my_custom_act", layer: "rnn")) { () throws -> Void in
            _ = try ModelConfig(json: Data(json.utf8))
        }
    }

    @Test("a wrongly typed value names the layer and the key", arguments: [
        (#""units": "three""#, "units"),
        (#""units": -4"#, "units"),
        (#""units": 1099511627776"#, "units"),
        (#""units": 3, "dropout": 1.5"#, "dropout"),
        (#""units": 3, "implementation": 7"#, "implementation"),
        (#""units": 3, "return_sequences": "yes""#, "return_sequences"),
    ])
    func invalidValues(fragment: String, key: String) {
        let json = #"{"class_name": "Sequential", "config": {"layers": [{"class_name": "LSTM", "config": {"name": "rnn", "batch_input_shape": [null, 3, 2], "# + fragment + "}}]}}"
        #expect {
            _ = try ModelConfig(json: Data(json.utf8))
        } throws: { error in
            guard case .invalidLayerConfig(let layer, let className, let reason) = error as? KerasConfigError else { return false }
            return layer == "rnn" && className == "LSTM" && reason.contains(key)
        }
    }

    @Test("malformed model configs are rejected with a reason", arguments: [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        (#"{"class_name": "MyCustomModel", "config": {}}"#, "unsupported model class 'MyCustomModel'"),
        (#"{"class_name": "Sequential", "config": {}}"#, "no layers list"),
        (#"{"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense", "config": {"name": "d", "units": 2}}]}}"#, "no input shape"),
        (String(repeating: "[", count: 100_000), "nesting deeper"),
    ])
    func malformedModel(json: String, message: String) {
        #expect {
            _ = try ModelConfig(json: Data(json.utf8))
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test("the decoded arguments list every LSTM argument by its Keras name")
    func kerasArgumentNames() throws {
        let config = try ModelConfig(json: Data(keras2Config.utf8))
        let names = config.layers[0].kerasArguments.map(\.name)
        for key in ["units", "activation", "recurrent_activation", "use_bias", "kernel_initializer", "recurrent_initializer",
                    "bias_initializer", "unit_forget_bias", "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
                    "activity_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
                    "recurrent_dropout", "implementation", "return_sequences", "return_state", "go_backwards", "stateful",
                    "unroll", "time_major", "zero_output_for_mask"] {
            #expect(names.contains(key), "\(key)")
        }
    }
}

/// KerasKit's own JSON reader and config decoder (no Foundation JSON), against what RFC 8259 and
/// `JSONDecoder` say.
@Suite("JSON reading")
struct JSONReadingTests {
    @Test("valid JSON reads as written", arguments: [
        (#"{"a": [1, -2.5, 3e2, 0, -0.0, 1E-2], "b": true, "c": false, "d": null}"#,
         JSONValue.object(["a": .array([.number(1), .number(-2.5), .number(300), .number(0), .number(-0.0), .number(0.01)]), "b": .bool(true), "c": .bool(false), "d": .null])),
        (#" [ "x\"y\\z\/\b\f\n\r\t" ] "#, .array([.string("x\"y\\z/\u{08}\u{0C}\n\r\t")])),
        (#"["\u00e9\u20AC\ud83d\ude00", "é€😀"]"#, .array([.string("é€😀"), .string("é€😀")])),
        (#"{"k": 1, "k": 2}"#, .object(["k": .number(2)])),
        ("{}", .object([:])),
        ("[]", .array([])),
        ("\"\"", .string("")),
    ])
    func valid(text: String, expected: JSONValue) throws {
        let value = try JSONValue.parse(Data(text.utf8))
        #expect(value == expected)
        // What it prints reads back as the same value.
        #expect(try JSONValue.parse(Data(value.description.utf8)) == value)
    }

    @Test("invalid JSON is refused with the byte it fails at", arguments: [
        ("", "unexpected end of text"), ("{", "expected a member name"), (#"{"a" 1}"#, "expected ':'"),
        (#"{"a": 1,}"#, "expected a member name"), ("[1,]", "unexpected ']'"), ("[1 2]", "expected ',' or ']'"),
        ("01", "leading zero"), ("-", "malformed number"), ("1.", "malformed number"), ("1e", "malformed number"),
        ("1e999", "out of range"), ("NaN", "unexpected 'N'"), ("Infinity", "unexpected 'I'"), ("nul", "unexpected 'n'"),
        ("\"a", "unterminated string"), ("\"\u{01}\"", "raw control character"), (#""\x""#, "invalid escape"),
        (#""\u12zz""#, #"invalid \u escape"#), (#""\u12""#, "unterminated string"), (#""\ud83d""#, "unpaired surrogate"), (#""\ude00""#, "unpaired surrogate"),
        ("[1] x", "after the value"), ("'a'", "unexpected"),
    ])
    func invalid(text: String, reason: String) {
        #expect {
            _ = try JSONValue.parse(Data(text.utf8))
        } throws: { error in
            guard case .invalidJSON(let message) = error as? KerasConfigError else { return false }
            return message.contains(reason) && message.hasPrefix("byte ")
        }
    }

    @Test("bytes that aren't UTF-8 inside a string are refused")
    func invalidUTF8() {
        #expect(throws: KerasConfigError.self) { _ = try JSONValue.parse(Data([0x22, 0xFF, 0xFE, 0x22])) }
    }

    @Test("nesting beyond the limit is refused, at the limit read")
    func nesting() throws {
        let deep = String(repeating: "[", count: 9) + String(repeating: "]", count: 9)
        #expect(throws: KerasConfigError.self) { _ = try JSONValue.parse(Data(deep.utf8), maxDepth: 8) }
        let limit = String(repeating: "[", count: 8) + String(repeating: "]", count: 8)
        _ = try JSONValue.parse(Data(limit.utf8), maxDepth: 8)
    }

    struct Sample: Decodable, Equatable {
        var count: Int
        var rate: Float
        var name: String
        var flags: [Bool]
        var nested: [String: [Int?]]
        var missing: Int?
    }

    @Test("typed values decode as JSONDecoder decodes them, and mismatches name the key path")
    func typedDecoding() throws {
        let value = try JSONValue.parse(Data(#"{"count": 3.0, "rate": 0.5, "name": "n", "flags": [true, false], "nested": {"a": [1, null]}}"#.utf8))
        #expect(try value.decode(Sample.self) == Sample(count: 3, rate: 0.5, name: "n", flags: [true, false], nested: ["a": [1, nil]], missing: nil))
        for (text, fragment) in [
            (#"{"count": 3.5, "rate": 0, "name": "n", "flags": [], "nested": {}}"#, "count: Parsed JSON number <3.5> does not fit in Int"),
            (#"{"count": "3", "rate": 0, "name": "n", "flags": [], "nested": {}}"#, "count: expected Int"),
            (#"{"count": 3, "rate": 0, "name": "n", "flags": [1], "nested": {}}"#, "flags.[0]: expected Bool"),
            (#"{"count": 3, "rate": 0, "name": null, "flags": [], "nested": {}}"#, "name: expected String, found null"),
            (#"{"rate": 0, "name": "n", "flags": [], "nested": {}}"#, "count: required key is missing"),
            (#"{"count": 3, "rate": 1e300, "name": "n", "flags": [], "nested": {}}"#, "does not fit in Float"),
        ] {
            #expect {
                _ = try JSONValue.parse(Data(text.utf8)).decode(Sample.self)
            } throws: { error in
                guard let error = error as? DecodingError else { return false }
                return error.oneLine.contains(fragment)
            }
        }
    }
}
