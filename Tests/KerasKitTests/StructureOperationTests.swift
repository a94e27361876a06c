import Foundation
import Testing
@testable import KerasKit

/// Keras 3's operation nodes that move values (`Transpose`, `Reshape`, `GetItem`, …): hostile
/// configs and call arguments are refused in one typed line naming the node, before anything is
/// sized from them; slices clamp as Python's do. The fixtures `ops_struct_*` check the values
/// against Keras.
@Suite("Structure operation nodes: refusals by name, Python's slices")
struct StructureOperationTests {
    static let x = #"{"class_name": "__keras_tensor__", "config": {"keras_history": ["x", 0, 0]}}"#

    /// `x: (None, 4, 6) → <className>(config)` called with `args` (`$x` is the input tensor), as
    /// Keras 3 writes it; without modules when `legacy` (Keras 3's `.h5`).
    static func graph(_ className: String, _ config: String, args: String = "$x", shape: String = "[null, 4, 6]", legacy: Bool = false) -> String {
        let module = legacy ? "" : #""module": "keras.src.ops.numpy", "#
        let arguments = args.replacingOccurrences(of: "$x", with: x)
        return """
        {"class_name": "Functional", "config": {"name": "ops", "layers": [
         {"class_name": "InputLayer", "config": {"batch_shape": \(shape), "name": "x"}, "name": "x", "inbound_nodes": []},
         {\(module)"class_name": "\(className)", "config": {"name": "op"\(config.isEmpty ? "" : ", " + config)}, "name": "op",
          "inbound_nodes": [{"args": [\(arguments)], "kwargs": {}}]}
        ], "input_layers": [["x", 0, 0]], "output_layers": [["op", 0, 0]]}}
        """
    }

    static func model(_ json: String) throws -> KerasModel {
        try KerasModel(config: ModelConfig(json: Data(json.utf8)), weights: [:], kerasVersion: "3.15.1")
    }

    static let configCases: [(className: String, config: String, fragment: String)] = [
        ("Transpose", #""axes": [0, 99, 1]"#, "axes: axis 99 is outside"),
        ("Transpose", #""axes": "0,2,1""#, "axes: expected an integer or a list"),
        ("Reshape", #""newshape": [-1, -1]"#, "newshape: [-1, -1] must hold sizes ≥ 0 and at most one -1"),
        ("Reshape", #""newshape": [-2, 3]"#, "newshape: [-2, 3] must hold"),
        ("Reshape", #""newshape": [16777216, 16777216, 16777216, 16777216]"#, "has too many elements"),
        ("Reshape", "", "newshape: required"),
        ("Reshape", #""target_shape": [4, 6]"#, "newshape: required"),
        ("Squeeze", #""axis": [1, 1]"#, "axis: axis [1, 1] repeats an axis"),
        ("ExpandDims", #""axis": [1, 1]"#, "axis: axis [1, 1] repeats an axis"),
        ("Concatenate", #""axis": 99"#, "axis"),
        ("Stack", #""axis": 1.5"#, "axis"),
        ("Take", #""axis": 99"#, "axis"),
        ("Tile", #""repeats": [1, -2, 1]"#, "repeats: [1, -2, 1] must not be negative"),
        ("Tile", #""repeats": 1099511627776"#, "repeats: expected an integer"),
        ("Tile", "", "repeats: required"),
        ("Repeat", #""repeats": -1"#, "repeats: -1 is not a count ≥ 0"),
        ("Repeat", #""repeats": []"#, "repeats: expected an integer or a non-empty list"),
        ("Repeat", #""repeats": [1, 2.5]"#, "repeats: 2.5 is not a count"),
        ("Flip", #""axis": [2, 2]"#, "repeats an axis"),
        ("Roll", #""shift": [1, 2], "axis": 1"#, "shift: [1, 2] doesn't match axis [1]"),
        ("Roll", #""axis": 1"#, "shift: required"),
        ("BroadcastTo", #""shape": [2, -1, 6]"#, "shape: [2, -1, 6] must hold sizes ≥ 0"),
        ("BroadcastTo", #""shape": [16777216, 16777216, 16777216, 16777216]"#, "shape"),
        ("GetItem", #""key": [0]"#, "unsupported argument 'key'"),
        ("Transpose", #""axes": null, "perm": [1]"#, "unsupported argument 'perm'"),
    ]

    @Test("a bad argument names the node, the class and the key, with or without a module", arguments: configCases, [false, true])
    func refusedConfig(bad: (className: String, config: String, fragment: String), legacy: Bool) {
        let (className, config, fragment) = bad
        #expect {
            _ = try ModelConfig(json: Data(Self.graph(className, config, legacy: legacy).utf8))
        } throws: { error in
            guard case .invalidLayerConfig(let layer, let name, let reason)? = error as? KerasConfigError else { return false }
            return layer == "op" && name == className && reason.contains(fragment) && !"\(error)".contains("\n")
        }
    }

    static let constant = #"{"class_name": "__tensor__", "config": {"value": [[0.5, 1.5]], "dtype": "float32"}}"#
    static let buildCases: [(className: String, config: String, args: String, fragment: String)] = [
        ("Transpose", #""axes": [0, 1]"#, "$x", "axes [0, 1] is not a permutation of the axes of input (None, 4, 6)"),
        ("Transpose", #""axes": [0, 2, 2]"#, "$x", "is not a permutation"),
        ("Transpose", #""axes": [0, 2, 1]"#, "$x, $x", "the operation takes 1 positional argument, the call passes 2"),
        ("Reshape", #""newshape": [2, 0, -1]"#, "$x", "infers its -1 from a product of 0"),
        ("Squeeze", #""axis": 1"#, "$x", "cannot squeeze axis 1 of input (None, 4, 6): its size is not 1"),
        ("Squeeze", #""axis": 0"#, "$x", "cannot squeeze axis 0"),
        ("Squeeze", #""axis": 3"#, "$x", "axis 3 is outside input (None, 4, 6)"),
        ("ExpandDims", #""axis": [1, -4]"#, "$x", "doesn't fit an output of rank 5"),
        ("Concatenate", #""axis": 1"#, "[$x, \(constant)]", "list item 2 is a constant __tensor__ (float32), not a tensor of the model"),
        ("Concatenate", #""axis": 3"#, "[$x, $x]", "axis 3 is outside input (None, 4, 6)"),
        ("Concatenate", #""axis": 1"#, "$x, $x", "the operation takes one list of tensors"),
        ("Stack", #""axis": 1"#, "[\(constant), $x]", "list item 1 is a constant __tensor__"),
        ("Stack", #""axis": 4"#, "[$x, $x]", "axis 4 doesn't fit an output of rank 4"),
        ("Take", #""axis": 1"#, "$x, $x", "the indices is a tensor of the model"),
        ("Take", #""axis": 1"#, "\(constant), $x", "the tensor taken from is a constant __tensor__ (float32)"),
        ("Take", #""axis": 1"#, "$x, [0.5]", "holds 0.5, not an integer index"),
        ("Take", #""axis": 1"#, "$x, [[0], [1, 2]]", "the indices is a ragged list"),
        ("Take", #""axis": 1"#, "$x, [4]", "index 4 is outside an axis of 4"),
        ("Take", #""axis": 1"#, "$x, [-5]", "index -5 is outside an axis of 4"),
        ("Take", #""axis": 1"#, "$x, \(constant)", "the indices has dtype float32; indices must be integers"),
        ("Take", #""axis": 1"#, "$x", "take needs the tensor and its indices"),
        ("Take", #""axis": 1"#, #"$x, [[[[[[[[[0]]]]]]]]]"#, "nests deeper than 8 levels"),
        ("GetItem", "", "$x, \(x)", "the key holds a tensor of the model"),
        ("GetItem", "", "$x, [[0, 1]]", "the key holds a list of indices (advanced indexing)"),
        ("GetItem", "", #"$x, [{"class_name": "__ellipsis__", "config": {}}, {"class_name": "__ellipsis__", "config": {}}]"#, "more than one Ellipsis"),
        ("GetItem", "", "$x, [0, 1, 2, 3]", "the key indexes 4 axes of input (None, 4, 6)"),
        ("GetItem", "", #"$x, [{"class_name": "__slice__", "config": {"start": null, "stop": null, "step": 0}}]"#, "a slice step of 0"),
        ("GetItem", "", #"$x, [{"class_name": "__slice__", "config": {"start": 0.5, "stop": null, "step": null}}]"#, "slice start 0.5 is not an integer"),
        ("GetItem", "", "$x, [0, -5]", "index -5 is outside axis 1 of input (None, 4, 6)"),
        ("GetItem", "", "$x, [0, true]", "the key holds True"),
        ("GetItem", "", "$x, \(constant)", "the key holds a constant __tensor__"),
        ("GetItem", "", "$x, [null, null, null, null, null, null]", "more than 8 axes"),
        ("TakeAlongAxis", #""axis": 1"#, "$x, [[0, 1]]", "indices of shape (1, 2) don't have the rank 3"),
        ("TakeAlongAxis", #""axis": 1"#, "$x, [[[0, 1], [1, 0]]]", "don't broadcast with input (None, 4, 6) outside axis 1"),
        ("TakeAlongAxis", #""axis": 1"#, "$x, $x", "the indices is a tensor of the model"),
        ("TakeAlongAxis", "", "$x, [[0]]", "don't have the rank 1 of the flattened input"),
        ("Tile", #""repeats": [1, 16777216, 16777216]"#, "$x", "gives an axis too long"),
        ("Repeat", #""repeats": [1, 2, 3], "axis": 1"#, "$x", "3 repeat counts don't fit an axis of 4"),
        ("Repeat", #""repeats": 2, "axis": -4"#, "$x", "axis -4 is outside input (None, 4, 6)"),
        ("Flip", #""axis": [2, -1]"#, "$x", "names axis 2 twice"),
        ("Roll", #""shift": 1, "axis": 3"#, "$x", "axis 3 is outside"),
        ("BroadcastTo", #""shape": [2, 5, 6]"#, "$x", "input (None, 4, 6) doesn't broadcast to (2, 5, 6)"),
        ("BroadcastTo", #""shape": [4, 6]"#, "$x", "doesn't broadcast to (4, 6)"),
    ]

    @Test("a call the operation can't take is refused when the model is built, naming the node", arguments: buildCases)
    func refusedAtBuild(className: String, config: String, args: String, fragment: String) throws {
        let config = try ModelConfig(json: Data(Self.graph(className, config, args: args).utf8))
        #expect {
            _ = try KerasModel(config: config, weights: [:], kerasVersion: "3.15.1")
        } throws: { error in
            guard case .unsupportedTopology(let layer, let reason)? = error as? WeightLoadingError else { return false }
            return layer == "op" && reason.contains(fragment) && !"\(error)".contains("\n")
        }
    }

    @Test("with every size known, a reshape that doesn't fit is refused when the model is built")
    func staticReshape() throws {
        let config = try ModelConfig(json: Data(Self.graph("Reshape", #""newshape": [-1, 5]"#, shape: "[2, 4, 6]").utf8))
        #expect(throws: WeightLoadingError.unsupportedTopology(layer: "op", reason: "cannot reshape (2, 4, 6) (48 elements) to newshape [-1, 5]")) {
            _ = try KerasModel(config: config, weights: [:], kerasVersion: "3.15.1")
        }
    }

    @Test("an index or a size known only when the model runs is checked then")
    func refusedAtPredict() throws {
        let cases: [(className: String, config: String, args: String, shape: String, input: [Int])] = [
            ("Take", "", "$x, [48]", "[null, 4, 6]", [2, 4, 6]),
            ("Take", #""axis": 0"#, "$x, [-3]", "[null, 4, 6]", [2, 4, 6]),
            ("TakeAlongAxis", #""axis": 0"#, "$x, [[[2]]]", "[null, 4, 6]", [2, 4, 6]),
            ("GetItem", "", "$x, 2", "[null, 4, 6]", [2, 4, 6]),
            ("GetItem", "", "$x, [0, -4]", "[null, null, 6]", [2, 3, 6]),
            // axis None: an axis of unknown size that is 1 would be dropped by Keras, changing the rank.
            ("Squeeze", "", "$x", "[null, null, 6]", [2, 1, 6]),
            ("Repeat", #""repeats": [1, 2], "axis": 1"#, "$x", "[null, null, 6]", [2, 3, 6]),
            ("BroadcastTo", #""shape": [2, 4, 6]"#, "$x", "[null, 4, 6]", [3, 4, 6]),
            ("Reshape", #""newshape": [2, 24]"#, "$x", "[null, 4, 6]", [3, 4, 6]),
            ("Reshape", #""newshape": [-1, 5]"#, "$x", "[null, 4, 6]", [2, 4, 6]),
            ("Tile", #""repeats": [1, 16777216, 16777216, 1]"#, "$x", "[null, null, null, 1]", [1, 2, 2, 1]),
        ]
        for (className, config, args, shape, inputShape) in cases {
            let model = try Self.model(Self.graph(className, config, args: args, shape: shape))
            #expect(throws: PredictionError.self, "\(className) \(config) \(args) on \(inputShape)") {
                _ = try model.predict(try Tensor(zeros: inputShape))
            }
        }
    }

    /// Python's `list(range(length))[start:stop:step]`.
    static let slices: [(start: Int?, stop: Int?, step: Int?, length: Int, positions: [Int])] = [
        (nil, nil, nil, 5, [0, 1, 2, 3, 4]),
        (nil, nil, -1, 5, [4, 3, 2, 1, 0]),
        (1, nil, -2, 5, [1]),
        (-2, nil, nil, 5, [3, 4]),
        (-9, 2, nil, 5, [0, 1]),
        (3, 0, -1, 5, [3, 2, 1]),
        (nil, nil, -2, 4, [3, 1]),
        (10, nil, nil, 5, []),
        (nil, -10, -1, 5, [4, 3, 2, 1, 0]),
        (-1, -6, -2, 5, [4, 2, 0]),
        (2, -1, nil, 5, [2, 3]),
        (0, 5, 3, 5, [0, 3]),
        (4, 1, 1, 5, []),
        (nil, 2, -1, 5, [4, 3]),
        (nil, nil, nil, 0, []),
        (nil, nil, -1, 0, []),
        (-1, nil, -1, 1, [0]),
        (7, -7, -1, 5, [4, 3, 2, 1, 0]),
        (nil, nil, 4, 9, [0, 4, 8]),
        (nil, -3, -3, 9, [8]),
    ]

    @Test("slices clamp and step as Python's do", arguments: slices)
    func slice(start: Int?, stop: Int?, step: Int?, length: Int, positions: [Int]) {
        let range = sliceRange(start: start, stop: stop, step: step, length: length)
        #expect((0..<range.count).map { range.first + $0 * range.step } == positions)
    }

    @Test("x[key] on a run: the key's slices, indices, None and ... give NumPy's values")
    func getItemValues() throws {
        // x[:, ::-1, None, ..., 1:5:2] and x[-1, 2] on a (2, 3, 6) input 0, 1, 2, …
        let key = #"[{"class_name": "__slice__", "config": {"start": null, "stop": null, "step": null}}, {"class_name": "__slice__", "config": {"start": null, "stop": null, "step": -1}}, null, {"class_name": "__ellipsis__", "config": {}}, {"class_name": "__slice__", "config": {"start": 1, "stop": 5, "step": 2}}]"#
        let input = try Tensor(shape: [2, 3, 6], scalars: (0..<36).map(Float.init))
        let sliced = try Self.model(Self.graph("GetItem", "", args: "$x, \(key)", shape: "[null, 3, 6]")).predict(input)[0]
        #expect(sliced.shape == [2, 3, 1, 2])
        #expect(sliced.scalars == [13, 15, 7, 9, 1, 3, 31, 33, 25, 27, 19, 21])
        let picked = try Self.model(Self.graph("GetItem", "", args: "$x, [-1, 2]", shape: "[null, 3, 6]")).predict(input)[0]
        #expect(picked.shape == [6])
        #expect(picked.scalars == [30, 31, 32, 33, 34, 35])
    }

    @Test("Keras 3's legacy .h5 node of an operation with arguments is an operation; a layer config keeps its class")
    func legacyNodes() throws {
        let operation = try ModelConfig(json: Data(Self.graph("Reshape", #""newshape": [-1, 24]"#, legacy: true).utf8))
        #expect(operation.layers.last?.configuration is ReshapeOperationConfig)
        let layer = Self.graph("Reshape", #""trainable": true, "dtype": "float32", "target_shape": [24]"#, legacy: true)
        #expect(try ModelConfig(json: Data(layer.utf8)).layers.last?.configuration is ReshapeConfig)
        let output = try Self.model(Self.graph("Reshape", #""newshape": [-1, 24]"#, legacy: true)).predict(try Tensor(shape: [1, 4, 6], scalars: (0..<24).map(Float.init)))[0]
        #expect(output.shape == [1, 24])
    }

    @Test("streaming: an operation is per step only when it keeps the batch and time axes")
    func timeBehavior() throws {
        let cases: [(className: String, config: String, args: String, stepwise: Bool)] = [
            ("Transpose", #""axes": [0, 1, 3, 2]"#, "$x", true),
            ("Transpose", #""axes": [1, 0, 2, 3]"#, "$x", false),
            ("Transpose", #""axes": null"#, "$x", false),
            ("GetItem", "", #"$x, [{"class_name": "__slice__", "config": {"start": null, "stop": null, "step": null}}, {"class_name": "__slice__", "config": {"start": null, "stop": null, "step": null}}, 0]"#, true),
            ("GetItem", "", #"$x, [{"class_name": "__slice__", "config": {"start": null, "stop": null, "step": null}}, 0]"#, false),
            ("Flip", #""axis": [2, 3]"#, "$x", true),
            ("Flip", #""axis": 1"#, "$x", false),
            ("Take", #""axis": -1"#, "$x, [1, 0]", true),
            ("Take", #""axis": 1"#, "$x, [1, 0]", false),
            ("Concatenate", #""axis": -1"#, "[$x, $x]", true),
            ("Stack", #""axis": 1"#, "[$x, $x]", false),
            ("Reshape", #""newshape": [-1, 5, 6]"#, "$x", false),
        ]
        for (className, config, args, stepwise) in cases {
            let model = try Self.model(Self.graph(className, config, args: args, shape: "[null, null, 2, 3]"))
            let layer = try #require(model.engine.layer(named: "op"), "\(className)")
            #expect((layer.timeBehavior == .stepwise) == stepwise, "\(className) \(config) \(args)")
        }
    }

    /// tf-keras: `x: (None, 4, 6) → <className>(function)` called with `kwargs`.
    static func keras2Graph(_ className: String, _ function: String, kwargs: String) -> String {
        """
        {"class_name": "Functional", "config": {"name": "m", "layers": [
         {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 4, 6], "dtype": "float32", "name": "x"}, "name": "x", "inbound_nodes": []},
         {"class_name": "\(className)", "config": {"name": "op", "trainable": true, "dtype": "float32", "function": "\(function)"}, "name": "op",
          "inbound_nodes": [["x", 0, 0, {\(kwargs)}]]}
        ], "input_layers": [["x", 0, 0]], "output_layers": [["op", 0, 0]]}}
        """
    }

    static let keras2Cases: [(className: String, function: String, kwargs: String, fragment: String)] = [
        ("TFOpLambda", "compat.v1.transpose", #""perm": [0, 2, 1], "name": "transpose", "conjugate": true"#, "conjugate=True"),
        ("TFOpLambda", "compat.v1.transpose", #""perm": [0, 1], "name": "transpose", "conjugate": false"#, "axes [0, 1] is not a permutation"),
        ("TFOpLambda", "reshape", #""shape": [-1, -1]"#, "at most one -1"),
        ("TFOpLambda", "reshape", #""shape": [-1, 24], "order": "C""#, "the argument 'order'"),
        ("TFOpLambda", "reshape", "", "tf.reshape needs 'shape'"),
        ("TFOpLambda", "tile", #""multiples": [2, 1], "name": null"#, "multiples [2, 1] must be 3 counts"),
        ("TFOpLambda", "compat.v1.gather", #""indices": [0, -1], "validate_indices": null, "name": null, "axis": 1, "batch_dims": 0"#, "index -1 is negative"),
        ("TFOpLambda", "compat.v1.gather", #""indices": [0, 1], "validate_indices": null, "name": null, "axis": 1, "batch_dims": 1"#, "batch_dims 1 is not supported"),
        ("TFOpLambda", "compat.v1.gather", #""indices": ["x", 0, 0], "axis": 1"#, "'indices' is a tensor of the model"),
        ("TFOpLambda", "roll", #""shift": [1, 2], "axis": 1"#, "one shift per axis"),
        ("TFOpLambda", "expand_dims", #""axis": [1, 2]"#, "'axis' = [1, 2] is not one integer"),
        ("TFOpLambda", "math.reduce_sum", #""axis": 1, "exclusive": true"#, "the argument 'exclusive'"),
        ("TFOpLambda", "einsum", "", "TFOpLambda function tf.einsum is not supported"),
        ("SlicingOpLambda", "__operators__.getitem", #""slice_spec": [{"start": null, "stop": null, "step": null}, ["x", 0, 0]]"#, "the key holds a tensor of the model"),
        ("SlicingOpLambda", "__operators__.getitem", #""slice_spec": [[0, 1]]"#, "advanced indexing"),
        ("SlicingOpLambda", "__operators__.setitem", #""slice_spec": 0"#, "tf.__operators__.setitem is not supported"),
    ]

    @Test("tf-keras's TensorFlow functions: a bad argument or an unsupported function is refused by name", arguments: keras2Cases)
    func keras2Refused(className: String, function: String, kwargs: String, fragment: String) throws {
        let config = try ModelConfig(json: Data(Self.keras2Graph(className, function, kwargs: kwargs).utf8))
        #expect {
            _ = try KerasModel(config: config, weights: [:], kerasVersion: "2.21.0")
        } throws: { error in
            guard case .unsupportedTopology(let layer, let reason)? = error as? WeightLoadingError else { return false }
            return layer == "op" && reason.contains(fragment) && !"\(error)".contains("\n")
        }
    }

    @Test("tf-keras's x[key] reads the bare slice dicts: x[:, ::-1, 1:5:2]")
    func slicingOpLambda() throws {
        let spec = #""slice_spec": [{"start": null, "stop": null, "step": null}, {"start": null, "stop": null, "step": -1}, {"start": 1, "stop": 5, "step": 2}]"#
        let model = try KerasModel(config: ModelConfig(json: Data(Self.keras2Graph("SlicingOpLambda", "__operators__.getitem", kwargs: spec).utf8)), weights: [:], kerasVersion: "2.21.0")
        let output = try model.predict(try Tensor(shape: [1, 4, 6], scalars: (0..<24).map(Float.init)))[0]
        #expect(output.shape == [1, 4, 2])
        #expect(output.scalars == [19, 21, 13, 15, 7, 9, 1, 3])
    }
}
