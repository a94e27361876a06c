import Foundation
import KerasKit
import Testing

/// Hostile arguments and shapes for the 2-D/3-D pooling, padding, cropping and upsampling layers
/// and for BatchNormalization's axis: each is refused in one typed line naming the layer, before
/// anything is sized from it.
@Suite("Bad pooling and reshaping arguments and shapes are refused by name")
struct PoolingShapeLayerErrorTests {
    static func model(_ className: String, _ arguments: String, shape: String) -> String {
        oneLayerModel(className, arguments, shape: shape)
    }

    static let image = "[null, 5, 6, 3]", volume = "[null, 4, 5, 6, 2]"

    static let configCases: [(className: String, arguments: String, shape: String, fragment: String)] = [
        ("MaxPooling2D", #""pool_size": [2, 2], "strides": [0, 1]"#, image, "strides: 0 is not positive"),
        ("MaxPooling2D", #""pool_size": [2, 2, 2]"#, image, "pool_size: expected 2 values"),
        ("MaxPooling2D", #""pool_size": 1099511627776"#, image, "pool_size: expected an integer"),
        ("AveragePooling3D", #""pool_size": -2"#, volume, "pool_size: -2 is not positive"),
        ("AveragePooling3D", #""pool_size": 2, "padding": "causal""#, volume, "padding: 'causal' is not supported"),
        ("MaxPooling3D", #""pool_size": 2, "data_format": "channels_middle""#, volume, "data_format: 'channels_middle' is not supported"),
        ("MaxPooling2D", #""pool_size": 2, "pool_mode": "max""#, image, "unsupported argument 'pool_mode'"),
        ("GlobalAveragePooling2D", #""keepdims": "yes""#, image, "keepdims: expected true or false"),
        ("GlobalMaxPooling3D", #""data_format": "NCHW""#, volume, "data_format: 'NCHW' is not supported"),
        ("AdaptiveAveragePooling2D", #""data_format": "channels_last""#, image, "output_size: required"),
        ("AdaptiveMaxPooling3D", #""output_size": [2, 0, 2]"#, volume, "output_size: 0 is not positive"),
        ("AdaptiveMaxPooling1D", #""output_size": [2, 2]"#, "[null, 6, 3]", "output_size: expected 1 value"),
        ("ZeroPadding2D", #""padding": -1"#, image, "padding: expected an integer, 2 integers or 2 pairs"),
        ("ZeroPadding2D", #""padding": [[1, 2, 3], [1, 1]]"#, image, "padding: expected an integer, 2 integers or 2 pairs"),
        ("ZeroPadding3D", #""padding": [1, 2]"#, volume, "padding: expected an integer, 3 integers or 3 pairs"),
        ("ZeroPadding3D", #""padding": "same""#, volume, "padding: expected an integer, 3 integers or 3 pairs"),
        ("Cropping2D", #""cropping": [[-1, 0], [0, 0]]"#, image, "cropping: expected an integer, 2 integers or 2 pairs"),
        ("Cropping3D", #""cropping": 16777217"#, volume, "cropping: expected an integer, 3 integers or 3 pairs"),
        ("UpSampling2D", #""size": 0"#, image, "size: 0 is not positive"),
        ("UpSampling2D", #""interpolation": "bicubic""#, image, "interpolation: 'bicubic' is not supported"),
        ("UpSampling2D", #""interpolation": "lanczos3""#, image, "interpolation: 'lanczos3' is not supported"),
        ("UpSampling2D", #""interpolation": "area""#, image, "interpolation: 'area' is not supported"),
        ("UpSampling3D", #""size": [2, 2]"#, volume, "size: expected 3 values"),
        ("BatchNormalization", #""axis": [1, 2]"#, image, "axis: [1, 2] is not supported"),
    ]

    @Test("each bad argument names the layer, the class and the key", arguments: configCases)
    func refused(className: String, arguments: String, shape: String, fragment: String) {
        #expect {
            _ = try ModelConfig(json: Data(Self.model(className, arguments, shape: shape).utf8))
        } throws: { error in
            guard case .invalidLayerConfig(let layer, let name, let reason)? = error as? KerasConfigError else { return false }
            return layer == "l" && name == className && reason.contains(fragment) && !"\(error)".contains("\n")
        }
    }

    static let buildCases: [(className: String, arguments: String, shape: String, fragment: String)] = [
        ("Cropping2D", #""cropping": [[2, 3], [0, 0]]"#, image, "leaves no valid length"),
        ("Cropping3D", #""cropping": [[0, 0], [0, 0], [6, 0]]"#, volume, "leaves no valid length"),
        ("MaxPooling2D", #""pool_size": [6, 2]"#, image, "doesn't fit"),
        ("AveragePooling3D", #""pool_size": 7, "padding": "valid""#, volume, "doesn't fit"),
        ("MaxPooling2D", #""pool_size": 2"#, "[null, 5, 3]", "takes input of rank 4"),
        ("GlobalMaxPooling3D", "\"keepdims\": true", image, "takes input of rank 5"),
        ("AdaptiveAveragePooling2D", #""output_size": 2"#, "[null, null, 6, 3]", "needs known spatial sizes"),
        ("ZeroPadding3D", #""padding": 16777216"#, volume, "leaves no valid length"),
        ("UpSampling2D", #""size": [16777216, 2]"#, image, "leaves no valid length"),
        ("UpSampling2D", #""size": [16777216, 2], "interpolation": "bilinear""#, image, "longer than"),
        ("UpSampling3D", #""size": 16777216"#, volume, "leaves no valid length"),
        ("BatchNormalization", #""axis": 0"#, image, "is the batch axis"),
        ("BatchNormalization", #""axis": 4"#, image, "axis 4 is outside"),
        ("BatchNormalization", #""axis": -5"#, image, "axis -5 is outside"),
    ]

    @Test("a shape the layer can't take is refused when the model is built, naming the layer", arguments: buildCases)
    func refusedAtBuild(className: String, arguments: String, shape: String, fragment: String) throws {
        let config = try ModelConfig(json: Data(Self.model(className, arguments, shape: shape).utf8))
        // BatchNormalization's weights are present, so only its axis can be what's refused.
        let weights = className == "BatchNormalization" ? ["l": try ["gamma", "beta", "moving_mean", "moving_variance"].map {
            try WeightArray(name: "l/\($0):0", shape: [3], storage: .float32([1, 1, 1]))
        }] : [:]
        #expect {
            _ = try KerasModel(config: config, weights: weights, kerasVersion: "3.15.1")
        } throws: { error in
            guard case .unsupportedTopology(let layer, let reason)? = error as? WeightLoadingError else { return false }
            return layer == "l" && reason.contains(fragment) && !"\(error)".contains("\n")
        }
    }

    @Test("with unknown spatial sizes, an input too small or a product too large is refused at predict")
    func refusedAtPredict() throws {
        let cases: [(className: String, arguments: String, shape: String, input: [Int])] = [
            ("MaxPooling2D", #""pool_size": 3"#, "[null, null, null, 1]", [1, 2, 5, 1]),
            ("Cropping2D", #""cropping": [[1, 1], [0, 0]]"#, "[null, null, null, 1]", [1, 2, 5, 1]),
            ("UpSampling3D", #""size": 16777216"#, "[null, null, null, null, 1]", [1, 2, 2, 2, 1]),
            // Element counts that overflow `Int` (2^70, 2^65): refused before any allocation.
            ("UpSampling2D", #""size": 16777216, "interpolation": "bilinear""#, "[null, null, null, 1048576]", [1, 2, 2, 1_048_576]),
            ("AdaptiveMaxPooling2D", #""output_size": 16777216"#, "[null, 3, 3, 131072]", [1, 3, 3, 131_072]),
        ]
        for (className, arguments, shape, inputShape) in cases {
            let config = try ModelConfig(json: Data(Self.model(className, arguments, shape: shape).utf8))
            let model = try KerasModel(config: config, weights: [:], kerasVersion: "3.15.1")
            let input = try Tensor(zeros: inputShape)
            #expect(throws: PredictionError.self, "\(className) \(arguments) on \(inputShape)") {
                _ = try model.predict(input)
            }
        }
    }
}
