import Foundation
import KerasKit
import Testing

/// Hostile arguments and shapes for `Resizing` and `CenterCrop`: each is refused in one typed
/// line naming the layer, before anything is sized from it; and the one place the two Keras
/// generations differ on a degenerate crop.
@Suite("Bad Resizing and CenterCrop arguments and shapes are refused by name")
struct ImageResizeLayerErrorTests {
    static func model(_ className: String, _ arguments: String, shape: String) -> String {
        oneLayerModel(className, arguments, shape: shape)
    }

    static let image = "[null, 5, 6, 3]"

    static let configCases: [(className: String, arguments: String, fragment: String)] = [
        ("Resizing", #""height": 0, "width": 4"#, "height: 0 is outside 1...16777216"),
        ("Resizing", #""height": -3, "width": 4"#, "height: -3 is outside 1...16777216"),
        ("Resizing", #""height": 4, "width": 1099511627776"#, "width: expected an integer, found 1099511627776"),
        ("Resizing", #""height": 4.5, "width": 4"#, "height: expected an integer"),
        ("Resizing", #""width": 4"#, "height: required"),
        ("Resizing", #""height": 4, "width": 4, "interpolation": "cubic""#, "interpolation: 'cubic' is not supported"),
        ("Resizing", #""height": 4, "width": 4, "interpolation": 3"#, "interpolation: 3 is not supported"),
        ("Resizing", #""height": 4, "width": 4, "crop_to_aspect_ratio": true, "pad_to_aspect_ratio": true"#, "pad_to_aspect_ratio: true together with crop_to_aspect_ratio"),
        ("Resizing", #""height": 4, "width": 4, "pad_to_aspect_ratio": true, "fill_mode": "reflect""#, "fill_mode: 'reflect' is not supported"),
        ("Resizing", #""height": 4, "width": 4, "fill_value": "black""#, "fill_value: expected a finite number"),
        ("Resizing", #""height": 4, "width": 4, "antialias": "yes""#, "antialias: expected true or false"),
        ("Resizing", #""height": 4, "width": 4, "data_format": "channels_middle""#, "data_format: 'channels_middle' is not supported"),
        ("Resizing", #""height": 4, "width": 4, "preserve_aspect_ratio": true"#, "unsupported argument 'preserve_aspect_ratio'"),
        ("CenterCrop", #""height": 0, "width": 4"#, "height: 0 is outside 1...16777216"),
        ("CenterCrop", #""height": 4, "width": 16777217"#, "width: expected an integer, found 16777217"),
        ("CenterCrop", #""height": 4"#, "width: required"),
        ("CenterCrop", #""height": 4, "width": 4, "data_format": "NCHW""#, "data_format: 'NCHW' is not supported"),
        ("CenterCrop", #""height": 4, "width": 4, "interpolation": "nearest""#, "unsupported argument 'interpolation'"),
    ]

    @Test("each bad argument names the layer, the class and the key", arguments: configCases)
    func refused(className: String, arguments: String, fragment: String) {
        #expect {
            _ = try ModelConfig(json: Data(Self.model(className, arguments, shape: Self.image).utf8))
        } throws: { error in
            guard case .invalidLayerConfig(let layer, let name, let reason)? = error as? KerasConfigError else { return false }
            return layer == "l" && name == className && reason.contains(fragment) && !"\(error)".contains("\n")
        }
    }

    static let buildCases: [(className: String, arguments: String, shape: String, fragment: String)] = [
        ("Resizing", #""height": 4, "width": 4"#, "[null, 5]", "Resizing takes images of rank 3 or 4"),
        ("Resizing", #""height": 4, "width": 4"#, "[null, 2, 5, 6, 3]", "Resizing takes images of rank 3 or 4"),
        ("CenterCrop", #""height": 4, "width": 4"#, "[null, 2, 5, 6, 3]", "CenterCrop takes images of rank 3 or 4"),
    ]

    @Test("a rank the layer can't take is refused when the model is built, naming the layer", arguments: buildCases)
    func refusedAtBuild(className: String, arguments: String, shape: String, fragment: String) throws {
        let config = try ModelConfig(json: Data(Self.model(className, arguments, shape: shape).utf8))
        #expect {
            _ = try KerasModel(config: config, weights: [:], kerasVersion: "3.15.1")
        } throws: { error in
            guard case .unsupportedTopology(let layer, let reason)? = error as? WeightLoadingError else { return false }
            return layer == "l" && reason.contains(fragment) && !"\(error)".contains("\n")
        }
    }

    @Test("outputs whose element count overflows Int are refused at predict, before any allocation")
    func refusedAtPredict() throws {
        // 2^24 × 2^24 × 2^20 = 2^68 elements overflow Int, whichever kernel would compute them.
        let tooLarge = #""height": 16777216, "width": 16777216"#
        let cases: [(arguments: String, shape: String, input: [Int])] = [
            (tooLarge, "[null, null, null, 1048576]", [1, 2, 2, 1_048_576]),
            (tooLarge + #", "interpolation": "nearest""#, "[null, null, null, 1048576]", [1, 2, 2, 1_048_576]),
            (tooLarge + #", "interpolation": "lanczos3", "antialias": true"#, "[null, 2, 2, 1048576]", [1, 2, 2, 1_048_576]),
            (tooLarge + #", "interpolation": "area", "crop_to_aspect_ratio": true"#, "[null, 2, 2, 1048576]", [1, 2, 2, 1_048_576]),
            (tooLarge + #", "interpolation": "bicubic", "pad_to_aspect_ratio": true"#, "[null, 2, 2, 1048576]", [1, 2, 2, 1_048_576]),
        ]
        for (arguments, shape, inputShape) in cases {
            let config = try ModelConfig(json: Data(Self.model("Resizing", arguments, shape: shape).utf8))
            let model = try KerasModel(config: config, weights: [:], kerasVersion: "3.15.1")
            #expect(throws: PredictionError.self, "Resizing \(arguments) on \(inputShape)") {
                _ = try model.predict(try Tensor(zeros: inputShape))
            }
        }
    }

    /// `CenterCrop(1, 4096)` on a 3×2 image: the width is too small, so both generations
    /// `smart_resize`. The crop's height is ⌊2 · 1 / 4096⌋ = 0: tf.keras passes TensorFlow the
    /// empty image (which refuses it: "input image must be of non-zero size"), Keras 3 keeps one
    /// row. The expected values are Keras 3.15.1's own output for this input.
    @Test("a crop of zero rows: refused as tf.keras's TensorFlow refuses it, one row as Keras 3 keeps")
    func degenerateSmartResize() throws {
        let config = try ModelConfig(json: Data(Self.model("CenterCrop", #""height": 1, "width": 4096"#, shape: "[null, 3, 2, 1]").utf8))
        let input = try Tensor(shape: [1, 3, 2, 1], scalars: [-2, -0.5, 1, 2.5, 4, 5.5])
        let keras2 = try KerasModel(config: config, weights: [:], kerasVersion: "2.15.0")
        #expect {
            _ = try keras2.predict(input)
        } throws: { error in
            guard case .inputShapeMismatch(let layer, let expected, _)? = error as? PredictionError else { return false }
            return layer == "l" && expected.contains("at least 1×1")
        }
        let keras3 = try KerasModel(config: config, weights: [:], kerasVersion: "3.15.1")
        let output = try keras3.predict(input)[0]
        #expect(output.shape == [1, 1, 4096, 1])
        #expect(output.scalars[0] == 1 && output.scalars[1] == 1 && output.scalars[4095] == 2.5)
        #expect(abs(output.scalars[2047] - 1.7496338) <= 1e-6)
    }
}
