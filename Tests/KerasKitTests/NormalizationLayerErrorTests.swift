import Foundation
import KerasKit
import Testing

/// Hostile arguments, shapes and weights for Normalization, GroupNormalization, RMSNormalization
/// and LayerNormalization: each is refused in one typed line naming the layer; an integer weight
/// is accepted only where the layer declares it unread (Normalization's `count`).
@Suite("Bad normalization arguments, shapes and weights are refused by name")
struct NormalizationLayerErrorTests {
    static func model(_ className: String, _ arguments: String, shape: String = image) -> String {
        oneLayerModel(className, arguments, shape: shape)
    }

    static let image = "[null, 5, 4, 6]"

    static let configCases: [(className: String, arguments: String, fragment: String)] = [
        ("GroupNormalization", #""groups": 0"#, "groups: 0 is not a positive number"),
        ("GroupNormalization", #""groups": -2"#, "groups"),
        ("GroupNormalization", #""groups": 2, "axis": [1, 2]"#, "axis: [1, 2] is not one axis"),
        ("GroupNormalization", #""groups": 2, "epsilon": -0.001"#, "epsilon"),
        ("GroupNormalization", #""groups": 2, "mask_statistics": true"#, "unsupported argument 'mask_statistics'"),
        ("RMSNormalization", #""axis": [-1, -1]"#, "repeats an axis"),
        ("RMSNormalization", #""epsilon": -1e-6"#, "epsilon"),
        ("LayerNormalization", #""axis": [1, 1]"#, "repeats an axis"),
        ("LayerNormalization", #""axis": []"#, "the axis list is empty"),
        ("Normalization", #""axis": [2, 2]"#, "axis: [2, 2] repeats an axis"),
        ("Normalization", #""axis": 99"#, "axis 99 is outside"),
        ("Normalization", #""mean": [1, 2]"#, "Keras needs both or neither"),
        ("Normalization", #""mean": [1, 2], "variance": [1, 2, 3]"#, "variance: shape (3,) differs from mean's (2,)"),
        ("Normalization", #""mean": [[1, 2]], "variance": [[1, 2]]"#, "mean: rank 2 is more than the 1 kept axis"),
        ("Normalization", #""mean": [[1, 2], [3]], "variance": [[1, 2], [3]]"#, "not a rectangular list"),
        ("Normalization", #""mean": ["a"], "variance": [1]"#, "expected a finite number"),
        ("Normalization", #""mean": 0, "variance": -1"#, "variance: -1.0 is negative"),
        ("Normalization", #""invert": 1"#, "invert: expected true or false"),
    ]

    @Test("each bad argument names the layer, the class and the key", arguments: configCases)
    func refused(className: String, arguments: String, fragment: String) {
        #expect {
            _ = try ModelConfig(json: Data(Self.model(className, arguments).utf8))
        } throws: { error in
            guard case .invalidLayerConfig(let layer, let name, let reason)? = error as? KerasConfigError else { return false }
            return layer == "l" && name == className && reason.contains(fragment) && !"\(error)".contains("\n")
        }
    }

    static func floats(_ name: String, _ shape: [Int]) throws -> WeightArray {
        try WeightArray(name: "l/\(name):0", shape: shape, storage: .float32(Array(repeating: 1, count: shape.reduce(1, *))))
    }

    static func count(_ shape: [Int] = []) throws -> WeightArray {
        try WeightArray(name: "l/count:0", shape: shape, storage: .int64(Array(repeating: 16, count: shape.reduce(1, *))))
    }

    static let buildCases: [(className: String, arguments: String, shape: String, weights: [String], fragment: String)] = [
        ("GroupNormalization", #""groups": 4"#, image, ["gamma", "beta"], "4 groups don't divide the 6 channels"),
        ("GroupNormalization", #""groups": 7"#, image, ["gamma", "beta"], "7 groups don't divide the 6 channels"),
        ("GroupNormalization", #""groups": 1, "axis": 0"#, image, ["gamma", "beta"], "groups the batch axis"),
        ("GroupNormalization", #""groups": 1, "axis": 4"#, image, ["gamma", "beta"], "axis 4 is outside"),
        ("GroupNormalization", #""groups": 1, "axis": -5"#, image, ["gamma", "beta"], "axis -5 is outside"),
        ("RMSNormalization", #""axis": [1, 2]"#, image, ["scale"], "is not the last axes in order"),
        ("RMSNormalization", #""axis": [-1, 2]"#, image, ["scale"], "is not the last axes in order"),
        ("RMSNormalization", #""axis": 0"#, image, ["scale"], "is the batch axis"),
        ("LayerNormalization", #""axis": [1, -3]"#, image, ["gamma", "beta"], "names axis 1 twice"),
        ("LayerNormalization", #""axis": [1, 4]"#, image, ["gamma", "beta"], "axis 4 is outside"),
        ("Normalization", #""axis": [1, -3], "mean": [1], "variance": [1]"#, image, [], "names axis 1 twice"),
        ("Normalization", #""axis": 3, "mean": [1, 2, 3, 4], "variance": [1, 1, 1, 1]"#, image, [], "don't broadcast to the sizes (6,)"),
        ("Normalization", #""axis": [1, 2], "mean": [1, 2, 3, 4, 5], "variance": [1, 1, 1, 1, 1]"#, image, [], "don't broadcast to the sizes (5, 4)"),
        ("Normalization", #""axis": -1, "mean": 0, "variance": 1"#, "[null, 5, null]", [], "leaves a needed axis unknown"),
    ]

    @Test("a shape the layer can't take is refused when the model is built, naming the layer", arguments: buildCases)
    func refusedAtBuild(className: String, arguments: String, shape: String, weights: [String], fragment: String) throws {
        let config = try ModelConfig(json: Data(Self.model(className, arguments, shape: shape).utf8))
        let arrays = try weights.map { try Self.floats($0, [6]) }
        #expect {
            _ = try KerasModel(config: config, weights: arrays.isEmpty ? [:] : ["l": arrays], kerasVersion: "3.15.1")
        } throws: { error in
            guard let error = error as? WeightLoadingError else { return false }
            return "\(error)".contains("layer 'l'") && "\(error)".contains(fragment) && !"\(error)".contains("\n")
        }
    }

    @Test("an adapted Normalization takes its int64 count and runs; a wrong count shape or statistics shape is refused")
    func adaptedWeights() throws {
        let config = try ModelConfig(json: Data(Self.model("Normalization", #""axis": -1"#, shape: "[null, 3]").utf8))
        let mean = try WeightArray(name: "l/mean:0", shape: [3], storage: .float32([1, 0, 3]))
        let variance = try WeightArray(name: "l/variance:0", shape: [3], storage: .float32([4, 0, 0.25]))
        let model = try KerasModel(config: config, weights: ["l": [mean, variance, try Self.count()]], kerasVersion: "3.15.1")
        let output = try model.predict([Tensor(shape: [1, 3], scalars: [3, 3e-7, 4])])
        // (x − mean) / max(√variance, 1e-7): 2/2, 3e-7/1e-7 (the floor), 1/0.5.
        let expected: [Float] = [1, 3, 2]
        #expect(zip(output[0].scalars, expected).allSatisfy { abs($0 - $1) < 1e-5 }, "\(output[0].scalars)")
        #expect(model.parameterCount == 7)

        let cases: [([WeightArray], String)] = [
            ([mean, variance, try Self.count([1])], "weight l/count:0 has shape (1,), expected ()"),
            ([try Self.floats("mean", [4]), variance, try Self.count()], "weight l/mean:0 has shape (4,), expected (3,)"),
            ([mean, variance], "missing weights"),
        ]
        for (weights, fragment) in cases {
            #expect {
                _ = try KerasModel(config: config, weights: ["l": weights], kerasVersion: "3.15.1")
            } throws: { error in
                "\(error)".contains("layer 'l'") && "\(error)".contains(fragment)
            }
        }
    }

    @Test("an integer weight is refused wherever the layer computes with it, naming the weight and its dtype")
    func integerWeightsRefused() throws {
        // Normalization's mean stored as int64: not its unread role.
        let config = try ModelConfig(json: Data(Self.model("Normalization", #""axis": -1"#, shape: "[null, 3]").utf8))
        let integerMean = try WeightArray(name: "l/mean:0", shape: [3], storage: .int64([1, 2, 3]))
        let variance = try WeightArray(name: "l/variance:0", shape: [3], storage: .float32([1, 1, 1]))
        #expect(throws: WeightLoadingError.notFloatingPoint(layer: "l", weight: "l/mean:0", dtype: "int64")) {
            _ = try KerasModel(config: config, weights: ["l": [integerMean, variance, try Self.count()]], kerasVersion: "3.15.1")
        }
        // A Dense kernel stored as int64.
        let dense = try ModelConfig(json: Data(Self.model("Dense", #""units": 1"#, shape: "[null, 2]").utf8))
        let kernel = try WeightArray(name: "l/kernel:0", shape: [2, 1], storage: .int64([1, 2]))
        let bias = try WeightArray(name: "l/bias:0", shape: [1], storage: .float32([0]))
        #expect(throws: WeightLoadingError.notFloatingPoint(layer: "l", weight: "l/kernel:0", dtype: "int64")) {
            _ = try KerasModel(config: dense, weights: ["l": [kernel, bias]], kerasVersion: "3.15.1")
        }
    }

    @Test("Normalization with statistics in the config has no weights, and Keras 3 rounds them to float32 first")
    func configStatistics() throws {
        let config = try ModelConfig(json: Data(Self.model("Normalization", #""axis": null, "mean": 0.1, "variance": 1, "invert": true"#, shape: "[null, 2]").utf8))
        let keras3 = try KerasModel(config: config, weights: [:], kerasVersion: "3.15.1", backend: nil)
        #expect(keras3.parameterCount == 0)
        let x = try Tensor(shape: [1, 2], scalars: [0, 1])
        // mean + x · max(√1, ε)
        #expect(try keras3.predict([x])[0].scalars == [Float(0.1), Float(1.1)])
    }
}
