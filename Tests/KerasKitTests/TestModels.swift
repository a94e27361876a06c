import Foundation
@testable import KerasKit

// Models written in a test, shared by the suites of this target.

/// `((i·37 + seed·11) mod 17 − 8) / denominator`: exact in float32, reproducible in Python.
func pattern(_ count: Int, seed: Int, denominator: Float = 8) -> [Float] {
    (0..<count).map { Float(($0 * 37 + seed * 11) % 17 - 8) / denominator }
}

/// A float32 weight.
func weight(_ name: String, _ shape: [Int], _ values: [Float]) throws -> WeightArray {
    try WeightArray(name: name, shape: shape, storage: .float32(values))
}

/// A Sequential model: one input of `shape` (batch axis excluded), then `layers` (JSON objects).
func sequential(input shape: [Int?], _ layers: [String], weights: [String: [WeightArray]] = [:], kerasVersion: String = "3.15.1") throws -> KerasModel {
    let dims = ([nil] + shape).map { $0.map(String.init) ?? "null" }.joined(separator: ", ")
    let json = #"{"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "InputLayer", "config": {"name": "in", "batch_shape": [\#(dims)]}}, \#(layers.joined(separator: ", "))]}}"#
    return try KerasModel(config: ModelConfig(json: Data(json.utf8)), weights: weights, kerasVersion: kerasVersion)
}

/// A Sequential config `Input(batch_shape: shape) → <className>(arguments)`, the layer named `l`,
/// for the suites that check bad arguments.
func oneLayerModel(_ className: String, _ arguments: String, shape: String) -> String {
    #"{"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "InputLayer", "config": {"name": "i", "batch_shape": "# + shape
        + #"}}, {"class_name": ""# + className + ##"", "config": {"name": "l""## + (arguments.isEmpty ? "" : ", " + arguments) + #"}}]}}"#
}
