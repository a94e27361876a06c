import Foundation
import Testing
@testable import KerasKit

// Reference numbers come from Keras 3.15.1 (TensorFlow backend) and tf-keras 2.21, computed once
// with the weights and inputs below and written in here; the tests don't need Python.

private func expectClose(_ actual: Tensor, _ expected: [Float], shape: [Int]? = nil, tolerance: Float = 1e-5, sourceLocation: SourceLocation = #_sourceLocation) {
    if let shape { #expect(actual.shape == shape, sourceLocation: sourceLocation) }
    #expect(actual.scalars.count == expected.count, "\(actual.scalars) vs \(expected)", sourceLocation: sourceLocation)
    for (a, e) in zip(actual.scalars, expected) where !(abs(a - e) <= tolerance) {
        Issue.record("got \(actual.scalars), expected \(expected)", sourceLocation: sourceLocation)
        return
    }
}

/// The layer-config error a model config gives, as text.
private func configError(_ json: String) -> String? {
    do {
        _ = try ModelConfig(json: Data(json.utf8))
        return nil
    } catch {
        return error.description
    }
}

/// A Sequential config with one layer of `className` and `config` (JSON members).
private func oneLayer(_ className: String, _ config: String) -> String {
    #"{"class_name": "Sequential", "config": {"layers": [{"class_name": "InputLayer", "config": {"name": "in", "batch_shape": [null, 5, 2]}}, {"class_name": "\#(className)", "config": {"name": "bad", \#(config)}}]}}"#
}

@Suite("Shape, merge, convolution, pooling, normalization, embedding and operation layers")
struct StructuralLayerTests {
    // MARK: Convolution

    @Test("Conv1D matches Keras for valid, same, causal, strides and dilation", arguments: [
        (#""padding": "valid""#, 3, [1, 4, 2], [2.0625, 0.078125, 0.84375, -1.046875, 0.421875, -1.375, 1.859375, 0.15625] as [Float]),
        (#""padding": "same", "strides": 2"#, 3, [1, 3, 2], [2.0625, 0.078125, 0.421875, -1.375, 1.203125, -1.015625]),
        (#""padding": "causal", "dilation_rate": [2]"#, 3, [1, 6, 2], [0.53125, -0.796875, 1.046875, -1.3125, 0.203125, -1.171875, 1.640625, -0.203125, 1.359375, -0.53125, 0.140625, -1.65625]),
        (#""padding": "same", "strides": [2]"#, 4, [1, 3, 2], [0.59375, -1.390625, 0.640625, -1.765625, 1.859375, 0.15625]),
        (#""padding": "valid", "strides": 2, "activation": "relu""#, 3, [1, 2, 2], [2.0625, 0.078125, 0.421875, 0]),
    ])
    func conv1D(options: String, kernelSize: Int, shape: [Int], expected: [Float]) throws {
        let model = try sequential(input: [6, 2], [#"{"class_name": "Conv1D", "config": {"name": "conv", "filters": 2, "kernel_size": \#(kernelSize), \#(options)}}"#], weights: [
            "conv": [try weight("conv/kernel:0", [kernelSize, 2, 2], pattern(kernelSize * 4, seed: 2)), try weight("conv/bias:0", [2], pattern(2, seed: 3))],
        ])
        #expect(model.outputShapes == [[nil] + Array(shape.dropFirst())])
        #expect(model.parameterCount == kernelSize * 4 + 2)
        expectClose(try model.predict(try Tensor(shape: [1, 6, 2], scalars: pattern(12, seed: 1)))[0], expected, shape: shape)
    }

    @Test("convolutions check kernel shapes and input lengths, and refuse bad windows, groups, output padding and LoRA by name")
    func conv1DErrors() throws {
        let layer = #"{"class_name": "Conv1D", "config": {"name": "conv", "filters": 2, "kernel_size": 3, "use_bias": false}}"#
        #expect(throws: WeightLoadingError.shapeMismatch(layer: "conv", weight: "conv/kernel:0", expected: [3, 2, 2], actual: [3, 3, 2])) {
            try sequential(input: [6, 2], [layer], weights: ["conv": [try weight("conv/kernel:0", [3, 3, 2], pattern(18, seed: 1))]])
        }
        #expect(throws: WeightLoadingError.self) {
            try sequential(input: [2, 2], [layer], weights: ["conv": [try weight("conv/kernel:0", [3, 2, 2], pattern(12, seed: 1))]])
        }
        let model = try sequential(input: [nil, 2], [layer], weights: ["conv": [try weight("conv/kernel:0", [3, 2, 2], pattern(12, seed: 1))]])
        #expect(throws: PredictionError.inputShapeMismatch(layer: "conv", expected: "(batch, ≥3, 2)", actual: [1, 2, 2])) {
            try model.predict(try Tensor(zeros: [1, 2, 2]))
        }
        let groups = configError(oneLayer("Conv1D", #""filters": 3, "kernel_size": 3, "groups": 2"#))
        #expect(groups?.contains("layer 'bad' (Conv1D)") == true)
        #expect(groups?.contains("3 filters don't split into 2 groups") == true)
        let causal = configError(oneLayer("Conv2D", #""filters": 2, "kernel_size": 3, "padding": "causal""#))
        #expect(causal?.contains("padding") == true, "causal padding is 1-D only")
        let zeroStride = configError(oneLayer("Conv2D", #""filters": 2, "kernel_size": 3, "strides": [1, 0]"#))
        #expect(zeroStride?.contains("strides: 0 is not positive") == true)
        let zeroKernel = configError(oneLayer("Conv3D", #""filters": 2, "kernel_size": [2, 0, 2]"#))
        #expect(zeroKernel?.contains("kernel_size: 0 is not positive") == true)
        let huge = configError(oneLayer("Conv2D", #""filters": 2, "kernel_size": [3, 3], "dilation_rate": [1099511627776, 1]"#))
        #expect(huge?.contains("dilation_rate") == true)
        let lora = configError(oneLayer("Conv2D", #""filters": 2, "kernel_size": 3, "lora_rank": 4"#))
        #expect(lora?.contains("lora_rank: 4 is not supported") == true)
        let outputPadding = configError(oneLayer("Conv2DTranspose", #""filters": 2, "kernel_size": 3, "strides": 2, "output_padding": 2"#))
        #expect(outputPadding?.contains("output_padding: 2 is not in 0..<2") == true)
        let negativePadding = configError(oneLayer("Conv1DTranspose", #""filters": 2, "kernel_size": 3, "output_padding": -1"#))
        #expect(negativePadding?.contains("output_padding") == true)
        let multiplier = configError(oneLayer("DepthwiseConv2D", #""kernel_size": 3, "depth_multiplier": 0"#))
        #expect(multiplier?.contains("depth_multiplier") == true)
        let depthwiseGroups = configError(oneLayer("SeparableConv2D", #""filters": 2, "kernel_size": 3, "groups": 2"#))
        #expect(depthwiseGroups?.contains("groups") == true)
        let missing = configError(oneLayer("Conv1D", #""filters": 2"#))
        #expect(missing?.contains("kernel_size") == true)
        let padding = configError(oneLayer("Conv1D", #""filters": 2, "kernel_size": 2, "padding": "full""#))
        #expect(padding?.contains("padding") == true)
    }

    // MARK: Pooling

    @Test("1-D pooling matches Keras, 'same' averages dividing by the elements inside", arguments: [
        (#""class_name": "MaxPooling1D", "config": {"name": "p", "pool_size": 3, "strides": 2, "padding": "same"}"#, [1, 4, 2], [1.0, 0.625, 1.0, 0.75, 0.375, 0.75, 0.5, 0.875] as [Float]),
        (#""class_name": "AveragePooling1D", "config": {"name": "p", "pool_size": [3], "strides": [2], "padding": "same"}"#, [1, 4, 2], [0.625, -0.0625, 0.33333334, 0.0, -0.29166666, 0.083333336, 0.125, 0.5]),
        (#""class_name": "AveragePooling1D", "config": {"name": "p", "pool_size": 2, "strides": null}"#, [1, 3, 2], [0.625, -0.0625, 0.0, 0.375, -0.625, -0.25]),
        (#""class_name": "MaxPooling1D", "config": {"name": "p", "pool_size": 3, "strides": 1}"#, [1, 5, 2], [1.0, 0.625, 1.0, 0.75, 0.375, 0.75, 0.375, 0.75, 0.5, 0.875]),
        (#""class_name": "AveragePooling1D", "config": {"name": "p", "pool_size": 4, "strides": 3, "padding": "same"}"#, [1, 3, 2], [0.29166666, -0.041666668, -0.3125, 0.0625, 0.125, 0.5]),
    ])
    func pooling(layer: String, shape: [Int], expected: [Float]) throws {
        let model = try sequential(input: [7, 2], ["{\(layer)}"])
        expectClose(try model.predict(try Tensor(shape: [1, 7, 2], scalars: pattern(14, seed: 4)))[0], expected, shape: shape)
    }

    @Test("channels_first max pooling pools the last axis")
    func poolingChannelsFirst() throws {
        let model = try sequential(input: [2, 7], [#"{"class_name": "MaxPooling1D", "config": {"name": "p", "pool_size": 3, "strides": 2, "padding": "same", "data_format": "channels_first"}}"#])
        expectClose(try model.predict(try Tensor(shape: [1, 2, 7], scalars: pattern(14, seed: 4)))[0], [0.625, 1.0, 0.0, 0.375, 0.75, -0.25, 0.5, 0.875], shape: [1, 2, 4])
    }

    @Test("global pooling: keepdims and shapes")
    func globalPooling() throws {
        let x = try Tensor(shape: [1, 3, 2], scalars: [1, -2, 3, 4, -5, 0])
        let average = try sequential(input: [nil, 2], [#"{"class_name": "GlobalAveragePooling1D", "config": {"name": "g", "keepdims": true}}"#])
        expectClose(try average.predict(x)[0], [-1.0 / 3, 2.0 / 3], shape: [1, 1, 2])
        let maximum = try sequential(input: [nil, 2], [#"{"class_name": "GlobalMaxPooling1D", "config": {"name": "g"}}"#])
        expectClose(try maximum.predict(x)[0], [3, 4], shape: [1, 2])
        #expect(throws: PredictionError.emptySequence(layer: "g")) { try maximum.predict(try Tensor(zeros: [1, 0, 2])) }
    }

    // MARK: Masks

    @Test("Embedding(mask_zero) feeds its mask to GlobalAveragePooling1D")
    func embeddingMask() throws {
        let model = try sequential(input: [4], [
            #"{"class_name": "Embedding", "config": {"name": "emb", "input_dim": 5, "output_dim": 3, "mask_zero": true}}"#,
            #"{"class_name": "GlobalAveragePooling1D", "config": {"name": "gap"}}"#,
        ], weights: ["emb": [try weight("emb/embeddings:0", [5, 3], pattern(15, seed: 12))]])
        let input = try Tensor(shape: [2, 4], scalars: [1, 2, 0, 0, 3, 0, 4, 1])
        expectClose(try model.predict(input)[0], [0.1875, -0.5, -0.125, 0.083333336, -0.25, 0.125], shape: [2, 3])
        #expect(model.parameterCount == 15)
    }

    @Test("Embedding truncates float indices and refuses ones outside [0, input_dim)")
    func embeddingIndices() throws {
        let table = pattern(15, seed: 12)
        let model = try sequential(input: [2], [#"{"class_name": "Embedding", "config": {"name": "emb", "input_dim": 5, "output_dim": 3}}"#],
                                   weights: ["emb": [try weight("emb/embeddings:0", [5, 3], table)]])
        let output = try model.predict(try Tensor(shape: [1, 2], scalars: [4.9, -0.5]))[0]
        #expect(output.shape == [1, 2, 3])
        #expect(output.scalars == Array(table[12..<15]) + Array(table[0..<3]))
        #expect(throws: PredictionError.indexOutOfRange(layer: "emb", index: 5, inputDim: 5)) {
            try model.predict(try Tensor(shape: [1, 2], scalars: [1, 5]))
        }
        #expect(throws: PredictionError.indexOutOfRange(layer: "emb", index: -1, inputDim: 5)) {
            try model.predict(try Tensor(shape: [1, 2], scalars: [-1, 0]))
        }
        #expect(throws: PredictionError.self) { try model.predict(try Tensor(shape: [1, 2], scalars: [.nan, 0])) }
        #expect(PredictionError.indexOutOfRange(layer: "emb", index: 5, inputDim: 5).description == "layer 'emb': input value 5.0 is not an index in [0, 5)")
    }

    @Test("Masking zeroes masked steps and masks GlobalAveragePooling1D, not GlobalMaxPooling1D")
    func masking() throws {
        let x = try Tensor(shape: [2, 3, 2], scalars: [1, 1, 2, 1, 1, 1, 0, 0, 1, 1, 3, 4])
        let masking = #"{"class_name": "Masking", "config": {"name": "m", "mask_value": 1.0}}"#
        let alone = try sequential(input: [3, 2], [masking])
        #expect(try alone.predict(x)[0].scalars == [0, 0, 2, 1, 0, 0, 0, 0, 0, 0, 3, 4])
        let average = try sequential(input: [3, 2], [masking, #"{"class_name": "GlobalAveragePooling1D", "config": {"name": "g"}}"#])
        expectClose(try average.predict(x)[0], [2, 1, 1.5, 2])
        let maximum = try sequential(input: [3, 2], [masking, #"{"class_name": "GlobalMaxPooling1D", "config": {"name": "g"}}"#])
        expectClose(try maximum.predict(x)[0], [2, 1, 3, 4])
        // Layers that support masking pass it on; SpatialDropout1D and LayerNormalization here.
        let passed = try sequential(input: [3, 2], [
            masking, #"{"class_name": "SpatialDropout1D", "config": {"name": "d", "rate": 0.5}}"#,
            #"{"class_name": "GlobalAveragePooling1D", "config": {"name": "g"}}"#,
        ])
        expectClose(try passed.predict(x)[0], [2, 1, 1.5, 2])
    }

    /// Two masked inputs merged six ways; each output as Keras computes it.
    private func mergeModel(kerasVersion: String) throws -> KerasModel {
        func layer(_ className: String, _ name: String, _ inputs: [String], _ extra: String = "") -> String {
            let nodes = inputs.map { #"["\#($0)", 0, 0, {}]"# }.joined(separator: ", ")
            return #"{"class_name": "\#(className)", "name": "\#(name)", "config": {"name": "\#(name)"\#(extra)}, "inbound_nodes": [[\#(nodes)]]}"#
        }
        let layers = [
            #"{"class_name": "InputLayer", "name": "a", "config": {"name": "a", "batch_input_shape": [null, 3, 2]}, "inbound_nodes": []}"#,
            #"{"class_name": "InputLayer", "name": "b", "config": {"name": "b", "batch_input_shape": [null, 3, 2]}, "inbound_nodes": []}"#,
            layer("Masking", "ma", ["a"]), layer("Masking", "mb", ["b"]),
            layer("Maximum", "max", ["ma", "mb"]), layer("Minimum", "min", ["ma", "mb"]), layer("Multiply", "mul", ["ma", "mb"]),
            layer("Add", "add", ["ma", "mb"]), layer("Multiply", "mul1", ["ma", "b"]),
            layer("GlobalAveragePooling1D", "gap_add", ["add"]),
            layer("Concatenate", "cat", ["ma", "mb"]), layer("GlobalAveragePooling1D", "gap_cat", ["cat"]),
            layer("Concatenate", "cat1", ["ma", "mb"], #", "axis": 1"#), layer("GlobalAveragePooling1D", "gap_cat1", ["cat1"]),
        ]
        let outputs = ["max", "min", "mul", "add", "mul1", "gap_add", "gap_cat", "gap_cat1"].map { #"["\#($0)", 0, 0]"# }.joined(separator: ", ")
        let json = #"{"class_name": "Functional", "config": {"name": "m", "layers": [\#(layers.joined(separator: ", "))], "input_layers": [["a", 0, 0], ["b", 0, 0]], "output_layers": [\#(outputs)]}}"#
        return try KerasModel(config: ModelConfig(json: Data(json.utf8)), weights: [:], kerasVersion: kerasVersion)
    }

    @Test("merge masks: Keras 3 ORs them and lets them steer Maximum, Minimum and Multiply")
    func mergeMasksKeras3() throws {
        let model = try mergeModel(kerasVersion: "3.15.1")
        let a = try Tensor(shape: [1, 3, 2], scalars: [1, 2, 0, 0, 3, -1])
        let b = try Tensor(shape: [1, 3, 2], scalars: [5, -2, 4, 7, 0, 0])
        let outputs = try model.predict([a, b])
        expectClose(outputs[0], [5, 2, 4, 7, 3, -1])
        expectClose(outputs[1], [1, -2, 4, 7, 3, -1])
        expectClose(outputs[2], [5, -4, 4, 7, 3, -1])
        expectClose(outputs[3], [6, 0, 4, 7, 3, -1])
        expectClose(outputs[4], [5, -4, 4, 7, 0, 0])
        expectClose(outputs[5], [4.3333335, 2])
        expectClose(outputs[6], [1.3333334, 0.33333334, 3, 1.6666666])
        expectClose(outputs[7], [3.25, 1.5])
    }

    @Test("merge masks: Keras 2 ANDs them and ignores them in values")
    func mergeMasksKeras2() throws {
        let model = try mergeModel(kerasVersion: "2.15.0")
        let a = try Tensor(shape: [1, 3, 2], scalars: [1, 2, 0, 0, 3, -1])
        let b = try Tensor(shape: [1, 3, 2], scalars: [5, -2, 4, 7, 0, 0])
        let outputs = try model.predict([a, b])
        expectClose(outputs[0], [5, 2, 4, 7, 3, 0])
        expectClose(outputs[1], [1, -2, 0, 0, 0, -1])
        expectClose(outputs[2], [5, -4, 0, 0, 0, 0])
        expectClose(outputs[3], [6, 0, 4, 7, 3, -1])
        expectClose(outputs[4], [5, -4, 0, 0, 0, 0])
        expectClose(outputs[5], [6, 0])
        expectClose(outputs[6], [1, 2, 5, -2])
        expectClose(outputs[7], [3.25, 1.5])
    }

    @Test("Keras 3's NotEqual and Any operations compute the mask as 0/1 tensors")
    func maskOperations() throws {
        func tensor(_ layer: String, _ shape: String) -> String {
            #"{"class_name": "__keras_tensor__", "config": {"shape": \#(shape), "dtype": "float32", "keras_history": ["\#(layer)", 0, 0]}}"#
        }
        let json = """
        {"class_name": "Functional", "config": {"name": "f", "layers": [
         {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, null, 3], "dtype": "float32", "name": "input_layer"}, "name": "input_layer", "inbound_nodes": []},
         {"module": "keras.src.ops.numpy", "class_name": "NotEqual", "config": {"name": "not_equal"}, "registered_name": "NotEqual", "name": "not_equal",
          "inbound_nodes": [{"args": [\(tensor("input_layer", "[null, null, 3]")), 0.5], "kwargs": {}}]},
         {"module": "keras.src.ops.numpy", "class_name": "Any", "config": {"name": "any", "axis": -1, "keepdims": false}, "registered_name": "Any", "name": "any",
          "inbound_nodes": [{"args": [\(tensor("not_equal", "[null, null, 3]"))], "kwargs": {}}]},
         {"module": "keras.src.ops.numpy", "class_name": "ExpandDims", "config": {"name": "expand_dims", "axis": -1}, "name": "expand_dims",
          "inbound_nodes": [{"args": [\(tensor("any", "[null, null]"))], "kwargs": {}}]},
         {"module": "keras.src.ops.numpy", "class_name": "ZerosLike", "config": {"name": "zeros_like", "dtype": "bool"}, "name": "zeros_like",
          "inbound_nodes": [{"args": [\(tensor("input_layer", "[null, null, 3]"))], "kwargs": {}}]},
         {"module": "keras.src.ops.numpy", "class_name": "LogicalOr", "config": {"name": "logical_or"}, "name": "logical_or",
          "inbound_nodes": [{"args": [\(tensor("expand_dims", "[null, null, 1]")), \(tensor("zeros_like", "[null, null, 3]"))], "kwargs": {}}]}
        ], "input_layers": ["input_layer", 0, 0], "output_layers": [["not_equal", 0, 0], ["any", 0, 0], ["logical_or", 0, 0]]}}
        """
        let model = try KerasModel(config: ModelConfig(json: Data(json.utf8)), weights: [:], kerasVersion: "3.15.1")
        #expect(model.outputShapes == [[nil, nil, 3], [nil, nil], [nil, nil, 3]])
        let x = try Tensor(shape: [1, 2, 3], scalars: [0.5, 0.5, 0.5, 0.5, 2, 0.5])
        let outputs = try model.predict(x)
        #expect(outputs[0].scalars == [0, 0, 0, 0, 1, 0])
        #expect(outputs[1].shape == [1, 2])
        #expect(outputs[1].scalars == [0, 1])
        #expect(outputs[2].scalars == [0, 0, 0, 1, 1, 1])
    }

    @Test("NotEqual without a constant in its call arguments is refused")
    func notEqualWithoutConstant() throws {
        let json = """
        {"class_name": "Functional", "config": {"name": "f", "layers": [
         {"class_name": "InputLayer", "config": {"batch_shape": [null, 3], "name": "x"}, "name": "x", "inbound_nodes": []},
         {"class_name": "NotEqual", "config": {"name": "ne"}, "name": "ne", "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": ["x", 0, 0]}}], "kwargs": {}}]}
        ], "input_layers": ["x", 0, 0], "output_layers": ["ne", 0, 0]}}
        """
        #expect(throws: WeightLoadingError.self) {
            try KerasModel(config: ModelConfig(json: Data(json.utf8)), weights: [:], kerasVersion: "3.15.1")
        }
    }

    // MARK: Normalization

    @Test("LayerNormalization matches Keras over the last axis, several axes and a middle axis", arguments: [
        ("", [3], [3], [-0.94601727, 0.5, 0.26299012, 0.5126561, -0.3237692, 1.5672431, -0.94601727, 0.5, 0.26299006, 1.3364253, 1.3237692, 1.0965178] as [Float]),
        (#", "axis": [1, 2]"#, [2, 3], [2, 3], [-0.71031874, 0.7983282, 0.7386215, -0.9858076, -0.12495893, -0.9773661, -0.21334347, 0.2846905, 0.4355929, -1.063945, -0.86031383, -0.63031816]),
        (#", "scale": false, "epsilon": 0.01"#, nil, [3], [-0.3425511, -0.87500006, 0.717551, 1.3176446, 0.06561995, -1.8832648, -0.3425511, -0.875, 0.7175511, 2.2582648, -1.81562, -0.9426447]),
        (#", "axis": 1, "center": false"#, [2], nil, [-0.8748464, -0.8748465, 0.87480557, -0.87484634, -0.87484634, 0.8748056, -0.8748464, 0.87480557, 0.87480557, -0.87484634, 0.87480557, 0.87480557]),
    ] as [(String, [Int]?, [Int]?, [Float])])
    func layerNormalization(options: String, gammaShape: [Int]?, betaShape: [Int]?, expected: [Float]) throws {
        var arrays: [WeightArray] = []
        var seed = 6
        for (role, shape) in [("gamma", gammaShape), ("beta", betaShape)] {
            guard let shape else { continue }
            let count = shape.reduce(1, *)
            arrays.append(try weight("ln/\(role):0", shape, pattern(count, seed: seed)))
            seed += 1
        }
        let model = try sequential(input: [2, 3], [#"{"class_name": "LayerNormalization", "config": {"name": "ln"\#(options)}}"#], weights: ["ln": arrays])
        let x = try Tensor(shape: [2, 2, 3], scalars: pattern(12, seed: 5).map { $0 * 3 + 1 })
        expectClose(try model.predict(x)[0], expected, shape: [2, 2, 3])
    }

    @Test("BatchNormalization uses the moving statistics; other axes and missing weights are refused")
    func batchNormalization() throws {
        let arrays = [
            try weight("bn/gamma:0", [3], pattern(3, seed: 8)), try weight("bn/beta:0", [3], pattern(3, seed: 9)),
            try weight("bn/moving_mean:0", [3], pattern(3, seed: 10)), try weight("bn/moving_variance:0", [3], pattern(3, seed: 11).map { abs($0) + 0.5 }),
        ]
        let layer = #"{"class_name": "BatchNormalization", "config": {"name": "bn", "epsilon": 0.01}}"#
        let model = try sequential(input: [2, 3], [layer], weights: ["bn": arrays])
        let x = try Tensor(shape: [2, 2, 3], scalars: pattern(12, seed: 5).map { $0 * 3 + 1 })
        expectClose(try model.predict(x)[0], [1.0283971, -1.0664368, -0.449965, -0.8507836, -1.9633329, -0.97507, 0.8195993, -1.1660919, -0.38432688, -1.0595814, -0.36885083, -0.9094319])
        #expect(model.parameterCount == 12)
        // Keras 2 writes the resolved axis as a list.
        let keras2 = try sequential(input: [2, 3], [#"{"class_name": "BatchNormalization", "config": {"name": "bn", "axis": [2], "epsilon": 0.01}}"#], weights: ["bn": arrays])
        #expect(try keras2.predict(x)[0] == model.predict(x)[0])
        #expect(throws: WeightLoadingError.self) {
            try sequential(input: [2, 3], [#"{"class_name": "BatchNormalization", "config": {"name": "bn", "axis": 1}}"#], weights: ["bn": arrays])
        }
        #expect(throws: WeightLoadingError.missingWeights(layer: "bn", expected: ["gamma", "beta", "moving_mean", "moving_variance"], found: arrays.prefix(3).map(\.source))) {
            try sequential(input: [2, 3], [layer], weights: ["bn": Array(arrays.prefix(3))])
        }
        let multiple = configError(oneLayer("BatchNormalization", #""axis": [1, 2]"#))
        #expect(multiple?.contains("layer 'bad' (BatchNormalization)") == true)
        #expect(multiple?.contains("axis") == true)
    }

    // MARK: Shape layers

    @Test("Flatten, Reshape, Permute and RepeatVector move values as Keras does")
    func shapeLayers() throws {
        let x = try Tensor(shape: [1, 2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let flatten = try sequential(input: [2, 3], [#"{"class_name": "Flatten", "config": {"name": "f"}}"#])
        #expect(try flatten.predict(x)[0] == Tensor(shape: [1, 6], scalars: [1, 2, 3, 4, 5, 6]))
        let flattenFirst = try sequential(input: [2, 3], [#"{"class_name": "Flatten", "config": {"name": "f", "data_format": "channels_first"}}"#])
        #expect(try flattenFirst.predict(x)[0].scalars == [1, 4, 2, 5, 3, 6])
        let reshape = try sequential(input: [2, 3], [#"{"class_name": "Reshape", "config": {"name": "r", "target_shape": [3, -1]}}"#])
        #expect(reshape.outputShapes == [[nil, 3, 2]])
        #expect(try reshape.predict(x)[0] == Tensor(shape: [1, 3, 2], scalars: [1, 2, 3, 4, 5, 6]))
        let permute = try sequential(input: [2, 3], [#"{"class_name": "Permute", "config": {"name": "p", "dims": [2, 1]}}"#])
        #expect(try permute.predict(x)[0] == Tensor(shape: [1, 3, 2], scalars: [1, 4, 2, 5, 3, 6]))
        let repeatVector = try sequential(input: [2], [#"{"class_name": "RepeatVector", "config": {"name": "rv", "n": 3}}"#])
        #expect(try repeatVector.predict(try Tensor(shape: [1, 2], scalars: [7, 8]))[0] == Tensor(shape: [1, 3, 2], scalars: [7, 8, 7, 8, 7, 8]))
        // A time axis of any length still reshapes when -1 absorbs it.
        let open = try sequential(input: [nil, 3], [#"{"class_name": "Reshape", "config": {"name": "r", "target_shape": [-1]}}"#])
        #expect(open.outputShapes == [[nil, nil]])
        #expect(try open.predict(try Tensor(zeros: [2, 4, 3]))[0].shape == [2, 12])
    }

    @Test("shape layer configs and inputs are checked, naming the layer and key")
    func shapeErrors() throws {
        #expect(throws: WeightLoadingError.self) {
            try sequential(input: [2, 3], [#"{"class_name": "Reshape", "config": {"name": "r", "target_shape": [4]}}"#])
        }
        let open = try sequential(input: [nil, 3], [#"{"class_name": "Reshape", "config": {"name": "r", "target_shape": [2, -1]}}"#])
        #expect(throws: PredictionError.self) { try open.predict(try Tensor(zeros: [1, 3, 3])) }
        let twoUnknown = configError(oneLayer("Reshape", #""target_shape": [-1, -1]"#))
        #expect(twoUnknown?.contains("layer 'bad' (Reshape)") == true)
        #expect(twoUnknown?.contains("target_shape") == true)
        let notPermutation = configError(oneLayer("Permute", #""dims": [1, 1]"#))
        #expect(notPermutation?.contains("dims") == true)
        #expect(throws: WeightLoadingError.self) {
            try sequential(input: [2, 3], [#"{"class_name": "Permute", "config": {"name": "p", "dims": [3, 2, 1]}}"#])
        }
        let zero = configError(oneLayer("RepeatVector", #""n": 0"#))
        #expect(zero?.contains("layer 'bad' (RepeatVector)") == true)
        #expect(zero?.contains("n") == true)
        let embedding = configError(oneLayer("Embedding", #""output_dim": 3"#))
        #expect(embedding?.contains("input_dim") == true)
    }

    @Test("merge layers broadcast and check their inputs")
    func mergeShapes() throws {
        let json = """
        {"class_name": "Functional", "config": {"name": "f", "layers": [
         {"class_name": "InputLayer", "config": {"batch_shape": [null, 2, 3], "name": "x"}, "name": "x", "inbound_nodes": []},
         {"class_name": "InputLayer", "config": {"batch_shape": [null, 3], "name": "y"}, "name": "y", "inbound_nodes": []},
         {"class_name": "Add", "config": {"name": "add"}, "name": "add", "inbound_nodes": [[["x", 0, 0, {}], ["y", 0, 0, {}]]]},
         {"class_name": "Average", "config": {"name": "avg"}, "name": "avg", "inbound_nodes": [[["x", 0, 0, {}], ["x", 0, 0, {}], ["add", 0, 0, {}]]]},
         {"class_name": "Subtract", "config": {"name": "sub"}, "name": "sub", "inbound_nodes": [[["add", 0, 0, {}], ["x", 0, 0, {}]]]}
        ], "input_layers": [["x", 0, 0], ["y", 0, 0]], "output_layers": [["add", 0, 0], ["avg", 0, 0], ["sub", 0, 0]]}}
        """
        let model = try KerasModel(config: ModelConfig(json: Data(json.utf8)), weights: [:], kerasVersion: "3.15.1")
        #expect(model.outputShapes == [[nil, 2, 3], [nil, 2, 3], [nil, 2, 3]])
        let x = try Tensor(shape: [1, 2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let y = try Tensor(shape: [1, 3], scalars: [10, 20, 30])
        let outputs = try model.predict([x, y])
        #expect(outputs[0].scalars == [11, 22, 33, 14, 25, 36])
        expectClose(outputs[1], [13.0 / 3, 26.0 / 3, 13, 22.0 / 3, 35.0 / 3, 16])
        #expect(outputs[2].scalars == [10, 20, 30, 10, 20, 30])
        let three = json.replacingOccurrences(of: #"[["add", 0, 0, {}], ["x", 0, 0, {}]]"#, with: #"[["add", 0, 0, {}], ["x", 0, 0, {}], ["x", 0, 0, {}]]"#)
        #expect(throws: WeightLoadingError.self) {
            try KerasModel(config: ModelConfig(json: Data(three.utf8)), weights: [:], kerasVersion: "3.15.1")
        }
    }

    @Test("every structural config lists its Keras arguments and round-trips defaults")
    func kerasArguments() throws {
        let config = try ModelConfig(json: Data(oneLayer("Conv1D", #""filters": 4, "kernel_size": [3]"#).utf8))
        let names = config.layers[0].kerasArguments.map(\.name)
        #expect(names.starts(with: ["name", "trainable", "dtype", "filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "groups", "activation", "use_bias"]))
        let conv = try #require(config.layers[0].configuration(as: Conv1DConfig.self))
        let window = conv.options.window
        #expect(window.strides == [1] && window.padding == .valid && window.dilationRate == [1] && window.dataFormat == .channelsLast)
        #expect(conv.options.groups == 1 && conv.options.activation == .linear && conv.options.useBias)
        let pooling = try #require(try ModelConfig(json: Data(oneLayer("MaxPooling1D", #""pool_size": 3"#).utf8)).layers[0].configuration(as: MaxPooling1DConfig.self))
        #expect(pooling.window.strides == [3])
        let norm = try #require(try ModelConfig(json: Data(oneLayer("LayerNormalization", "\"center\": false").utf8)).layers[0].configuration(as: LayerNormalizationConfig.self))
        #expect(norm.epsilon == 1e-3 && norm.axis == [-1] && norm.scale && !norm.center)
        #expect(Set(LayerConfig.supportedClassNames).count == LayerConfig.supportedClassNames.count, "each class is registered once")
    }
}
