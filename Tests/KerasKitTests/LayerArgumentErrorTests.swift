import Foundation
import KerasKit
import Testing

/// Out-of-range and malformed arguments of the layer classes read through `LayerArguments` give
/// one typed, one-line error naming the layer, its class and the key, before anything is sized.
@Suite("Bad layer arguments are refused by name")
struct LayerArgumentErrorTests {
    /// A Sequential model `Input(shape) → <class>(arguments)`.
    static func model(_ className: String, _ arguments: String, shape: String = "[null, 4, 3]") -> String {
        oneLayerModel(className, arguments, shape: shape)
    }

    static let cases: [(className: String, arguments: String, fragment: String)] = [
        ("ReLU", #""max_value": -1"#, "max_value: -1.0 is outside"),
        ("ReLU", #""negative_slope": "steep""#, "negative_slope: expected a finite number"),
        ("LeakyReLU", #""negative_slope": -0.5"#, "negative_slope: -0.5 is outside"),
        ("PReLU", #""shared_axes": [0]"#, "shared_axes: axis 0 is not a sample axis"),
        ("Softmax", #""axis": [1, 1]"#, "axis: axis [1, 1] repeats an axis"),
        ("Softmax", #""axis": 99"#, "axis: axis 99 is outside"),
        ("Dot", #""axes": [1, 2, 3]"#, "axes: expected an axis or two"),
        ("Dot", #""normalize": true"#, "axes: required"),
        ("RandomCrop", #""height": 0, "width": 3"#, "height: 0 is outside"),
        ("RandomCrop", #""height": 1099511627776, "width": 3"#, "height: expected an integer"),
        ("GaussianNoise", #""stddev": -1"#, "stddev: -1.0 is outside"),
        ("Dropout", #""rate": 1.5"#, "rate: 1.5 is outside"),
        ("Dense", #""units": 4, "lora_rank": 2"#, "lora_rank: 2 is not supported"),
        ("Dense", #""units": 4, "quantization_config": {"mode": "int8"}"#, "quantization_config"),
        ("ELU", #""alpha": 1, "beta": 2"#, "unsupported argument 'beta'"),
    ]

    @Test("each bad argument names the layer, the class and the key", arguments: cases)
    func refused(className: String, arguments: String, fragment: String) {
        #expect {
            _ = try ModelConfig(json: Data(Self.model(className, arguments).utf8))
        } throws: { error in
            guard case .invalidLayerConfig(let layer, let name, let reason)? = error as? KerasConfigError else { return false }
            return layer == "l" && name == className && reason.contains(fragment) && !"\(error)".contains("\n")
        }
    }

    @Test("a Dot whose axes don't match, or that names the batch axis, is refused when the model is built")
    func dotShapes() throws {
        let twoInputs = #"{"class_name": "Functional", "config": {"name": "m", "layers": [{"class_name": "InputLayer", "name": "a", "config": {"name": "a", "batch_shape": [null, 4, 3]}, "inbound_nodes": []}, {"class_name": "InputLayer", "name": "b", "config": {"name": "b", "batch_shape": [null, 5, 2]}, "inbound_nodes": []}, {"class_name": "Dot", "name": "d", "config": {"name": "d", "axes": AXES}, "inbound_nodes": [[["a", 0, 0, {}], ["b", 0, 0, {}]]]}], "input_layers": [["a", 0, 0], ["b", 0, 0]], "output_layers": [["d", 0, 0]]}}"#
        for (axes, fragment) in [("[2, 2]", "axis sizes differ"), ("0", "is the batch axis")] {
            let config = try ModelConfig(json: Data(twoInputs.replacingOccurrences(of: "AXES", with: axes).utf8))
            #expect {
                _ = try KerasModel(config: config, weights: [:], kerasVersion: "3.15.1")
            } throws: { error in
                guard case .unsupportedTopology(let layer, let reason)? = error as? WeightLoadingError else { return false }
                return layer == "d" && reason.contains(fragment)
            }
        }
    }
}
