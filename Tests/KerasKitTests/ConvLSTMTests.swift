import Foundation
import Testing
@testable import KerasKit

// The parity fixtures (convlstm*) check ConvLSTM against Keras's own predict; these check the
// refusals, and that a 1-tap ConvLSTM is an LSTM run at every position.

/// ``sequential(input:_:weights:kerasVersion:)`` with one layer.
private func sequential(input shape: [Int?], _ layer: String, weights: [String: [WeightArray]] = [:]) throws -> KerasModel {
    try sequential(input: shape, [layer], weights: weights)
}

private func layer(_ className: String, _ config: String) -> String {
    #"{"class_name": "\#(className)", "config": {"name": "l", \#(config)}}"#
}

@Suite("ConvLSTM1D/2D/3D: refusals, and a 1-tap ConvLSTM is a per-position LSTM")
struct ConvLSTMTests {
    static let badConfigs: [(className: String, config: String, fragment: String)] = [
        ("ConvLSTM2D", #""filters": 2, "kernel_size": [3, 0]"#, "kernel_size: 0 is not positive"),
        ("ConvLSTM2D", #""filters": 2, "kernel_size": 3, "strides": [1, 0]"#, "strides: 0 is not positive"),
        ("ConvLSTM2D", #""filters": 0, "kernel_size": 3"#, "filters"),
        ("ConvLSTM3D", #""filters": 1099511627776, "kernel_size": 3"#, "filters"),
        ("ConvLSTM1D", #""filters": 2, "kernel_size": 3, "padding": "causal""#, "padding"),
        ("ConvLSTM2D", #""filters": 2, "kernel_size": [3, 3, 3]"#, "kernel_size: expected 2 values"),
        ("ConvLSTM2D", #""filters": 2, "kernel_size": 3, "strides": 2, "dilation_rate": 2"#, "dilation_rate: Keras refuses strides > 1"),
        ("ConvLSTM2D", #""filters": 2, "kernel_size": 3, "time_major": true"#, "time_major"),
        ("ConvLSTM2D", #""filters": 2, "kernel_size": 3, "data_format": "channels_first", "activation": "softmax""#, "activation: KerasKit runs softmax"),
        ("ConvLSTM2D", #""filters": 2, "kernel_size": 3, "units": 4"#, "unsupported argument 'units'"),
        ("ConvLSTM1D", #""filters": 2"#, "kernel_size: required"),
    ]

    @Test("bad ConvLSTM arguments are refused with the layer, class and key, on one line", arguments: badConfigs)
    func refusedConfig(className: String, config: String, fragment: String) {
        let json = #"{"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "InputLayer", "config": {"name": "in", "batch_shape": [null, 4, 6, 5, 3]}}, \#(layer(className, config))]}}"#
        #expect {
            _ = try ModelConfig(json: Data(json.utf8))
        } throws: { error in
            guard case .invalidLayerConfig(let name, let errorClass, let reason)? = error as? KerasConfigError else { return false }
            return name == "l" && errorClass == className && reason.contains(fragment) && !"\(error)".contains("\n")
        }
    }

    /// ConvLSTM2D(2, 3) weights for 3 input channels: kernel (3, 3, 3, 8), recurrent (3, 3, 2, 8), bias (8).
    static func weights2D(kernel: [Int] = [3, 3, 3, 8]) throws -> [String: [WeightArray]] {
        ["l": [try weight("l/kernel:0", kernel, pattern(kernel.reduce(1, *), seed: 1, denominator: 16)),
               try weight("l/recurrent_kernel:0", [3, 3, 2, 8], pattern(144, seed: 2, denominator: 16)),
               try weight("l/bias:0", [8], pattern(8, seed: 3, denominator: 16))]]
    }

    @Test("wrong kernel shapes, unknown or too-small spatial sizes and wrong ranks are refused at build")
    func refusedAtBuild() throws {
        let conv = layer("ConvLSTM2D", #""filters": 2, "kernel_size": 3"#)
        #expect(throws: WeightLoadingError.shapeMismatch(layer: "l", weight: "l/kernel:0", expected: [3, 3, 3, 8], actual: [3, 3, 2, 8])) {
            try sequential(input: [4, 6, 5, 3], conv, weights: try Self.weights2D(kernel: [3, 3, 2, 8]))
        }
        #expect(throws: WeightLoadingError.unknownInputSize(layer: "l", shape: [nil, 4, nil, 5, 3])) {
            try sequential(input: [4, nil, 5, 3], conv, weights: try Self.weights2D())
        }
        #expect {
            try sequential(input: [4, 2, 5, 3], conv, weights: try Self.weights2D())
        } throws: { error in
            guard case .unsupportedTopology(let name, let reason)? = error as? WeightLoadingError else { return false }
            return name == "l" && reason.contains("doesn't fit the input")
        }
        #expect {
            try sequential(input: [4, 6, 3], conv, weights: try Self.weights2D())
        } throws: { error in
            guard case .unsupportedTopology(let name, let reason)? = error as? WeightLoadingError else { return false }
            return name == "l" && reason.contains("takes input of rank 5")
        }
        // A huge filter count reaches the weight check, not an allocation.
        #expect(throws: WeightLoadingError.self) {
            try sequential(input: [4, 6, 5, 3], layer("ConvLSTM2D", #""filters": 16777216, "kernel_size": 3"#), weights: try Self.weights2D())
        }
    }

    @Test("a call with other channels or no steps is refused by name")
    func refusedAtPredict() throws {
        let model = try sequential(input: [nil, 6, 5, 3], layer("ConvLSTM2D", #""filters": 2, "kernel_size": 3"#), weights: try Self.weights2D())
        #expect(throws: PredictionError.inputDimension(axis: 4, expected: 3, actual: 2, shape: [1, 2, 6, 5, 2])) {
            try model.predict(try Tensor(zeros: [1, 2, 6, 5, 2]))
        }
        #expect(throws: PredictionError.emptySequence(layer: "l")) {
            try model.predict(try Tensor(zeros: [1, 0, 6, 5, 3]))
        }
    }

    @Test("Masking's per-pixel mask is refused when the states don't have the input's pixels (valid padding), as Keras fails there")
    func perPixelMaskNeedsSamePixels() throws {
        let json = #"{"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "InputLayer", "config": {"name": "in", "batch_shape": [null, 4, 6, 5, 3]}}, {"class_name": "Masking", "config": {"name": "m", "mask_value": 0.0}}, \#(layer("ConvLSTM2D", #""filters": 2, "kernel_size": 3"#))]}}"#
        let model = try KerasModel(config: ModelConfig(json: Data(json.utf8)), weights: try Self.weights2D(), kerasVersion: "3.15.1")
        #expect(throws: PredictionError.inputShapeMismatch(layer: "l", expected: "a (1, 4) mask", actual: [1, 120])) {
            try model.predict(try Tensor(shape: [1, 4, 6, 5, 3], scalars: pattern(360, seed: 8, denominator: 16)))
        }
    }

    @Test("ConvLSTM1D with kernel_size 1 equals an LSTM at each position (both data formats, backwards, sequences)",
          arguments: [("channels_last", false), ("channels_first", false), ("channels_last", true)])
    func onePositionIsAnLSTM(dataFormat: String, goBackwards: Bool) throws {
        let (batch, time, length, channels, units) = (2, 5, 2, 4, 3)
        let kernel = pattern(channels * 4 * units, seed: 4, denominator: 16), recurrent = pattern(units * 4 * units, seed: 5, denominator: 16), bias = pattern(4 * units, seed: 6, denominator: 16)
        let options = #""return_sequences": true, "go_backwards": \#(goBackwards)"#
        let convLSTM = try sequential(
            input: dataFormat == "channels_last" ? [time, length, channels] : [time, channels, length],
            layer("ConvLSTM1D", #""filters": \#(units), "kernel_size": 1, "data_format": "\#(dataFormat)", \#(options)"#),
            weights: ["l": [try weight("l/kernel:0", [1, channels, 4 * units], kernel),
                            try weight("l/recurrent_kernel:0", [1, units, 4 * units], recurrent),
                            try weight("l/bias:0", [4 * units], bias)]])
        let lstm = try sequential(
            input: [time, channels], layer("LSTM", #""units": \#(units), \#(options)"#),
            weights: ["l": [try weight("l/kernel:0", [channels, 4 * units], kernel),
                            try weight("l/recurrent_kernel:0", [units, 4 * units], recurrent),
                            try weight("l/bias:0", [4 * units], bias)]])
        let x = pattern(batch * time * length * channels, seed: 7, denominator: 16).map { $0 * 3 }
        // x[b, t, p, c] channels last; the channels-first input holds the same values as x[b, t, c, p].
        func value(_ b: Int, _ t: Int, _ p: Int, _ c: Int) -> Float { x[((b * time + t) * length + p) * channels + c] }
        var input: [Float] = []
        for b in 0..<batch { for t in 0..<time {
            if dataFormat == "channels_last" {
                for p in 0..<length { for c in 0..<channels { input.append(value(b, t, p, c)) } }
            } else {
                for c in 0..<channels { for p in 0..<length { input.append(value(b, t, p, c)) } }
            }
        }}
        let shape = dataFormat == "channels_last" ? [batch, time, length, channels] : [batch, time, channels, length]
        let output = try convLSTM.predict(try Tensor(shape: shape, scalars: input))[0]
        #expect(output.shape == (dataFormat == "channels_last" ? [batch, time, length, units] : [batch, time, units, length]))
        for p in 0..<length {
            var column: [Float] = []
            for b in 0..<batch { for t in 0..<time { for c in 0..<channels { column.append(value(b, t, p, c)) } } }
            let expected = try lstm.predict(try Tensor(shape: [batch, time, channels], scalars: column))[0].scalars
            for b in 0..<batch { for t in 0..<time { for u in 0..<units {
                let index = dataFormat == "channels_last" ? ((b * time + t) * length + p) * units + u : ((b * time + t) * units + u) * length + p
                let want = expected[(b * time + t) * units + u]
                #expect(abs(output.scalars[index] - want) <= 1e-5, "b \(b) t \(t) p \(p) u \(u): \(output.scalars[index]) vs \(want)")
            }}}
        }
    }
}
