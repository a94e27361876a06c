import Foundation
import Testing
@testable import KerasKit

/// Keras 3's math operation nodes (activations on tensors, element-wise math, comparisons,
/// Where, Cast, reductions). The `ops_*` fixtures check the numbers against Keras; these check
/// the refusals, Cast's rounding and wrapping, and the operand forms the fixtures don't hold.
@Suite("Math operation nodes")
struct MathOperationTests {
    static func tensor(_ layer: String, dtype: String? = nil) -> String {
        let type = dtype.map { #", "dtype": "\#($0)""# } ?? ""
        return #"{"class_name": "__keras_tensor__", "config": {"keras_history": ["\#(layer)", 0, 0]\#(type)}}"#
    }

    /// A Functional model `x → op(args)`; `args` names the input `x` through ``tensor(_:dtype:)``.
    static func graph(_ className: String, config: String = "", args: String? = nil, shape: String = "[null, 4]",
                      module: String = "keras.src.ops.numpy") -> String {
        let members = config.isEmpty ? #""name": "op""# : #""name": "op", \#(config)"#
        return """
        {"class_name": "Functional", "config": {"name": "m", "layers": [
         {"class_name": "InputLayer", "config": {"batch_shape": \(shape), "name": "x"}, "name": "x", "inbound_nodes": []},
         {"module": "\(module)", "class_name": "\(className)", "config": {\(members)}, "name": "op",
          "inbound_nodes": [{"args": [\(args ?? tensor("x"))], "kwargs": {}}]}
        ], "input_layers": [["x", 0, 0]], "output_layers": [["op", 0, 0]]}}
        """
    }

    static func model(_ json: String) throws -> KerasModel {
        try KerasModel(config: try ModelConfig(json: Data(json.utf8)), weights: [:], kerasVersion: "3.15.1")
    }

    static func run(_ json: String, _ input: [Float], shape: [Int]) throws -> TensorOf<Float> {
        try model(json).predict(try Tensor(shape: shape, scalars: input))[0]
    }

    /// Config or graph that must be refused, and a phrase of the one-line message.
    struct Hostile: Sendable, CustomTestStringConvertible {
        let label: String
        let json: String
        let phrase: String
        var testDescription: String { label }
    }

    static let hostile: [Hostile] = [
        Hostile(label: "Mean over the batch axis", json: graph("Mean", config: #""axis": 0, "keepdims": false"#), phrase: "batch axis"),
        Hostile(label: "Mean with axis None", json: graph("Mean", config: #""axis": null, "keepdims": false"#), phrase: "axis=None"),
        Hostile(label: "Sum over an axis outside the input", json: graph("Sum", config: #""axis": 5, "keepdims": false"#), phrase: "axis 5 is outside"),
        Hostile(label: "Max over an axis beyond any rank", json: graph("Max", config: #""axis": 99, "keepdims": false, "initial": null"#), phrase: "axis 99"),
        Hostile(label: "Max with a repeated axis", json: graph("Max", config: #""axis": [1, 1], "keepdims": false, "initial": null"#, shape: "[null, 3, 4]"), phrase: "repeats"),
        Hostile(label: "Prod with a dtype", json: graph("Prod", config: #""axis": -1, "keepdims": false, "dtype": "int32""#), phrase: "dtype"),
        Hostile(label: "Argmax with an axis list", json: graph("Argmax", config: #""axis": [1, 2], "keepdims": false"#), phrase: "axis"),
        Hostile(label: "Softmax over an axis tuple", json: graph("Softmax", config: #""axis": [1, 2]"#, shape: "[null, 3, 4]", module: "keras.src.ops.nn"), phrase: "one integer axis"),
        Hostile(label: "LogSoftmax with axis None", json: graph("LogSoftmax", config: #""axis": null"#, module: "keras.src.ops.nn"), phrase: "batch axis"),
        Hostile(label: "Glu over an odd axis", json: graph("Glu", config: #""axis": -1"#, shape: "[null, 5]", module: "keras.src.ops.nn"), phrase: "odd"),
        Hostile(label: "Cast to a complex type", json: graph("Cast", config: #""dtype": "complex64""#, module: "keras.src.ops.core"), phrase: "complex64"),
        Hostile(label: "Cast without a dtype", json: graph("Cast", module: "keras.src.ops.core"), phrase: "required"),
        Hostile(label: "Clip without x_max", json: graph("Clip", config: #""x_min": 0"#), phrase: "x_max: required"),
        Hostile(label: "Round to 10^9 decimals", json: graph("Round", config: #""decimals": 1000000000"#), phrase: "decimals"),
        Hostile(label: "Gelu with an unknown argument", json: graph("Gelu", config: #""approximate": false, "beta": 2"#, module: "keras.src.ops.nn"), phrase: "'beta'"),
        Hostile(label: "Threshold without default_value", json: graph("Threshold", config: #""threshold": 0.5"#, module: "keras.src.ops.nn"), phrase: "default_value: required"),
        Hostile(label: "Where with two operands", json: graph("Where", args: "\(tensor("x")), 1.0"), phrase: "condition and two values"),
        Hostile(label: "Exp with a second operand", json: graph("Exp", args: "\(tensor("x")), 2.0"), phrase: "takes one tensor"),
        Hostile(label: "Add with a string operand", json: graph("Add", args: #"\#(tensor("x")), "three""#), phrase: "is not a tensor, a number or a constant array"),
        Hostile(label: "Add with a constant of 9 axes", json: graph("Add", args: #"\#(tensor("x")), {"class_name": "__tensor__", "config": {"value": [[[[[[[[[1]]]]]]]]], "dtype": "float32"}}"#), phrase: "more than 8 axes"),
        Hostile(label: "Add with a ragged constant", json: graph("Add", args: #"\#(tensor("x")), {"class_name": "__tensor__", "config": {"value": [[1, 2], [3]], "dtype": "float32"}}"#), phrase: "rectangular"),
        Hostile(label: "Add with a string constant", json: graph("Add", args: #"\#(tensor("x")), {"class_name": "__tensor__", "config": {"value": ["a"], "dtype": "string"}}"#), phrase: "dtype string"),
        Hostile(label: "Add with an int constant float32 can't hold", json: graph("Add", args: #"\#(tensor("x")), {"class_name": "__tensor__", "config": {"value": [16777217, 0, 0, 0], "dtype": "int32"}}"#), phrase: "not exact"),
        Hostile(label: "Add with a constant that broadcasts over the batch", json: graph("Add", args: #"\#(tensor("x")), {"class_name": "__tensor__", "config": {"value": [[1, 2, 3, 4], [5, 6, 7, 8]], "dtype": "float32"}}"#), phrase: "batch axis"),
        Hostile(label: "Add with a constant that doesn't broadcast", json: graph("Add", args: #"\#(tensor("x")), {"class_name": "__tensor__", "config": {"value": [1, 2, 3], "dtype": "float32"}}"#), phrase: "broadcast"),
        Hostile(label: "Exp on a float16 tensor", json: graph("Exp", args: tensor("x", dtype: "float16")), phrase: "float16 tensor"),
        Hostile(label: "Maximum of a bfloat16 tensor and a constant bfloat16 can't hold", json: graph("Maximum", args: "\(tensor("x", dtype: "bfloat16")), 0.3"), phrase: "rounds it to bfloat16"),
    ]

    @Test("hostile operation configs and calls are refused with one line naming the problem", arguments: hostile)
    func refusesHostile(_ testCase: Hostile) throws {
        do {
            _ = try Self.model(testCase.json)
            Issue.record("\(testCase.label): accepted")
        } catch {
            let message = "\(error)"
            #expect(message.contains(testCase.phrase), "\(testCase.label): \(message)")
            #expect(!message.contains("\n"), "\(testCase.label): \(message)")
        }
    }

    @Test("an operation node of a class KerasKit doesn't run is refused with its class name", arguments: ["Cumsum", "FFT", "Sparsemax", "Cumprod"])
    func unregisteredOperation(_ className: String) throws {
        let config = try ModelConfig(json: Data(Self.graph(className, config: #""axis": -1"#).utf8))
        #expect(throws: WeightLoadingError.unsupportedLayerClasses([UnsupportedLayerClass(className: className, layers: ["op"])])) {
            try KerasModel(config: config, weights: [:], kerasVersion: "3.15.1")
        }
    }

    @Test("the operations that reproduce no value exactly in a narrower type still run on one when exact")
    func exactOperationsOnNarrowTensors() throws {
        let input: [Float] = [-1, 0.5, 2, -0.25]
        let greater = try Self.run(Self.graph("Greater", args: "\(Self.tensor("x", dtype: "float16")), 0.5"), input, shape: [1, 4])
        #expect(greater.scalars == [0, 0, 1, 0])
        let negative = try Self.run(Self.graph("Negative", args: Self.tensor("x", dtype: "bfloat16")), input, shape: [1, 4])
        #expect(negative.scalars == input.map { -$0 })
    }

    @Test("Where takes its constants in any position, arrays included")
    func whereConstants() throws {
        let input: [Float] = [-1, 0.5, 2, -0.25]
        let condition = #"{"class_name": "__numpy__", "config": {"value": [true, false, true, false], "dtype": "bool"}}"#
        let output = try Self.run(Self.graph("Where", args: "\(condition), \(Self.tensor("x")), 9"), input, shape: [1, 4])
        #expect(output.scalars == [-1, 9, 2, 9])
        let second = try Self.run(Self.graph("Where", args: "\(Self.tensor("x")), 1, 0"), input, shape: [1, 4])
        #expect(second.scalars == [1, 1, 1, 1])
    }

    @Test("folded constant arrays broadcast by NumPy's rules, on either side")
    func constantArrays() throws {
        let input: [Float] = [1, 2, 3, 4, 5, 6, 7, 8]
        let arange = #"{"class_name": "__tensor__", "config": {"value": [0, 1, 2, 3], "dtype": "int32"}}"#
        let added = try Self.run(Self.graph("Add", args: "\(Self.tensor("x")), \(arange)"), input, shape: [2, 4])
        #expect(added.scalars == [1, 3, 5, 7, 5, 7, 9, 11])
        let column = #"{"class_name": "__numpy__", "config": {"value": [[[10], [20]]], "dtype": "float64"}}"#
        let subtracted = try Self.run(Self.graph("Subtract", args: "\(column), \(Self.tensor("x"))", shape: "[null, 2, 2]"), input, shape: [2, 2, 2])
        #expect(subtracted.scalars == [9, 8, 17, 16, 5, 4, 13, 12])
    }

    @Test("Cast rounds to float16 and bfloat16 as TensorFlow does: ties to even, subnormals, overflow to infinity")
    func castToNarrowFloats() throws {
        // Values and tf.cast's results (measured with TensorFlow 2.21).
        #expect(roundedToHalf(70000) == .infinity)
        #expect(roundedToHalf(65519) == 65504)
        #expect(roundedToHalf(65520) == .infinity)
        #expect(roundedToHalf(6e-8) == 5.960464477539063e-08)
        #expect(roundedToHalf(2e-8) == 0)
        #expect(roundedToHalf(Float(1 + 0x1p-11)) == 1)  // a tie: to even
        #expect(roundedToHalf(Float(1 + 0x1p-10 + 0x1p-11)) == Float(1 + 0x1p-9))
        #expect(roundedToBFloat16(1.00390625) == 1)
        #expect(roundedToBFloat16(1.01171875) == 1.015625)
        #expect(roundedToBFloat16(0.1) == 0.10009765625)
        #expect(roundedToBFloat16(3.4e38) == .infinity)
        #expect(roundedToBFloat16(.nan).isNaN)
        #if !(os(macOS) && arch(x86_64))
        // Every float16 value and the midpoints between them round as Swift's own Float16 does.
        for bits in UInt16(0)..<0x7c00 {
            let value = Float(Float16(bitPattern: bits))
            #expect(roundedToHalf(value) == value)
            let next = Float(Float16(bitPattern: bits + 1))
            let midpoint = (value + next) / 2
            #expect(roundedToHalf(midpoint) == Float(Float16(midpoint)), "\(midpoint)")
            #expect(roundedToHalf(-midpoint) == -Float(Float16(midpoint)))
        }
        #endif
        // A float64 rounds through float32, as Eigen converts: 1 + 2^-11 + 2^-40 is a float32 tie.
        let json = Self.graph("Cast", config: #""dtype": "float16""#, module: "keras.src.ops.core")
        let model = try KerasModel(config: try ModelConfig(json: Data(json.utf8)), weights: [:], generation: .keras3, kerasVersion: "3.15.1", precision: .float64)
        let output = try model.predict(TensorOf<Double>(shape: [1, 4], scalars: [1 + 0x1p-11 + 0x1p-40, 0.1, 1e-8, -65536]))[0]
        #expect(output.scalars == [1, 0.0999755859375, 0, -.infinity])
    }

    @Test("Cast truncates toward zero and wraps to the integer type as TensorFlow does", arguments: [
        ("int8", [300.7, -300.7, 129.9, -1.5] as [Float], [44, -44, -127, -1] as [Float]),
        ("uint8", [-300.7, 255.9, -2.7, 2.7], [212, 255, 254, 2]),
        ("int16", [70000.5, -300.7, 129.9, -2.7], [4464, -300, 129, -2]),
        ("uint16", [-300.7, 70000.5, -1.5, 2.7], [65236, 4464, 65535, 2]),
        ("int32", [300.7, -300.7, 70000.5, -2.7], [300, -300, 70000, -2]),
        ("uint32", [-300.7, 3e9, -1.5, 2.7], [4294966996, 3e9, 4294967295, 2]),
        ("int64", [3e9, -3e9, -1.5, 2.7], [3e9, -3e9, -1, 2]),
        ("bool", [0, -0.0, 0.1, .nan], [0, 0, 1, 1]),
    ])
    func castToIntegers(_ dtype: String, _ input: [Float], _ expected: [Float]) throws {
        let output = try Self.run(Self.graph("Cast", config: #""dtype": "\#(dtype)""#, module: "keras.src.ops.core"), input, shape: [1, 4])
        #expect(output.scalars == expected)
    }

    @Test("Cast refuses, when predict meets one, a value whose integer conversion TensorFlow leaves to the hardware", arguments: [
        ("int32", Float(3e9)), ("int8", Float.nan), ("uint64", Float(-1)), ("int16", Float.infinity),
    ])
    func castRefusesUndefinedConversions(_ dtype: String, _ value: Float) throws {
        let model = try Self.model(Self.graph("Cast", config: #""dtype": "\#(dtype)""#, module: "keras.src.ops.core"))
        do {
            _ = try model.predict(try Tensor(shape: [1, 4], scalars: [0, value, 1, 2]))
            Issue.record("\(dtype) of \(value) accepted")
        } catch let error as PredictionError {
            guard case .unrepresentableValue(let layer, _, let reason) = error else { Issue.record("\(error)"); return }
            #expect(layer == "op" && reason.contains(dtype))
        }
    }

    @Test("Keras 3's legacy .h5 drops the module: an operation with arguments is told from a layer by its missing 'trainable'")
    func legacyOperationsWithArguments() throws {
        let json = Self.graph("Softmax", config: #""axis": -1"#).replacingOccurrences(of: #""module": "keras.src.ops.numpy", "#, with: "")
        let config = try ModelConfig(json: Data(json.utf8))
        #expect(config.layers.last?.isOperation == true)
        #expect(config.layers.last?.configuration is SoftmaxOperationConfig)
        let layer = json.replacingOccurrences(of: #""name": "op", "axis": -1"#, with: #""name": "op", "trainable": true, "dtype": "float32", "axis": -1"#)
        #expect(try ModelConfig(json: Data(layer.utf8)).layers.last?.configuration is SoftmaxConfig)
        let relu = Self.graph("ReLU", config: #""negative_slope": 0.0, "max_value": null, "threshold": 0.0"#, module: "keras.src.activations.activations")
        #expect(try ModelConfig(json: Data(relu.utf8)).layers.last?.configuration is ReLUOperationConfig)
    }

    @Test("reductions keep the steps axis stepwise only when they don't reduce it")
    func reductionTimeBehavior() throws {
        let over = { (axes: [Int]) in ReductionLayer<Float>(name: "r", reduction: .mean, axes: axes, rank: 4, keepdims: false, initial: nil).timeBehavior }
        #expect(over([2, 3]) == .stepwise)
        #expect(over([1]) == .wholeSequence)
        #expect(over([1, 3]) == .wholeSequence)
        #expect(AxisOperationLayer<Float>(name: "s", function: .softmax, axis: 1, rank: 3).timeBehavior == .wholeSequence)
        #expect(AxisOperationLayer<Float>(name: "s", function: .softmax, axis: 2, rank: 3).timeBehavior == .stepwise)
    }

    /// tf-keras: `tf.<function>(x, **kwargs)` on a `(batch, 3, 4)` input, as a TFOpLambda layer.
    static func tfGraph(_ function: String, kwargs: String = "") -> String {
        """
        {"class_name": "Functional", "config": {"name": "m", "layers": [
         {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 3, 4], "dtype": "float32", "name": "x"}, "name": "x", "inbound_nodes": []},
         {"class_name": "TFOpLambda", "config": {"name": "op", "trainable": true, "dtype": "float32", "function": "\(function)"},
          "name": "op", "inbound_nodes": [["x", 0, 0, {\(kwargs)}]]}
        ], "input_layers": [["x", 0, 0]], "output_layers": [["op", 0, 0]]}}
        """
    }

    @Test("tf-keras's TFOpLambda reductions, softmaxes and casts read axis, keepdims and dtype; the batch axis and other arguments are refused", arguments: [
        ("math.reduce_mean", "", "axis=None"),
        ("math.argmax", "", "the batch axis"),
        ("math.reduce_sum", #""axis": 0"#, "the batch axis"),
        ("math.argmax", #""axis": -1, "output_type": "int32""#, "'output_type'"),
        ("nn.softmax", #""axis": [1, 2]"#, "one integer axis"),
        ("math.exp", #""axis": 1"#, "'axis' = 1"),
        ("cast", #""dtype": "string""#, "'string'"),
        ("nn.bias_add", "", "tf.nn.bias_add is not supported"),
    ])
    func tfOpLambdaRefusals(_ function: String, _ kwargs: String, _ phrase: String) throws {
        do {
            _ = try KerasModel(config: try ModelConfig(json: Data(Self.tfGraph(function, kwargs: kwargs).utf8)), weights: [:], kerasVersion: "2.21.0")
            Issue.record("tf.\(function)(\(kwargs)) accepted")
        } catch {
            #expect("\(error)".contains(phrase), "\(error)")
        }
    }

    @Test("tf-keras's TFOpLambda reductions and casts run")
    func tfOpLambdaRuns() throws {
        let input: [Float] = (0..<12).map { Float($0) - 5.5 }
        func run(_ function: String, _ kwargs: String) throws -> TensorOf<Float> {
            let model = try KerasModel(config: try ModelConfig(json: Data(Self.tfGraph(function, kwargs: kwargs).utf8)), weights: [:], kerasVersion: "2.21.0")
            return try model.predict(try Tensor(shape: [1, 3, 4], scalars: input))[0]
        }
        let mean = try run("math.reduce_mean", #""axis": -1, "keepdims": true"#)
        #expect(mean.shape == [1, 3, 1] && mean.scalars == [-4, 0, 4])
        #expect(try run("math.reduce_max", #""axis": [1, 2]"#).scalars == [5.5])
        #expect(try run("math.argmin", #""axis": 1"#).scalars == [0, 0, 0, 0])
        #expect(try run("cast", #""dtype": "int8""#).scalars == input.map { $0.rounded(.towardZero) })
    }

    @Test("Argmax and Argmin give the first extreme index as a float; −0 counts below +0")
    func argExtremes() throws {
        let input: [Float] = [0, -0.0, 3, 3, -0.0, 0, -5, -5]
        let argmax = try Self.run(Self.graph("Argmax", config: #""axis": -1, "keepdims": false"#), input, shape: [2, 4])
        #expect(argmax.scalars == [2, 1])
        let argmin = try Self.run(Self.graph("Argmin", config: #""axis": -1, "keepdims": true"#), input, shape: [2, 4])
        #expect(argmin.shape == [2, 1])
        #expect(argmin.scalars == [1, 2])
    }
}
