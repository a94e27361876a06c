import Foundation
import Testing
@testable import KerasKit

/// A one-layer LSTM model built in memory, with weights from a seeded generator.
struct TinyLSTM {
    var units = 3
    var features = 2
    var extra = ""
    var useBias = true

    var json: String {
        #"{"class_name": "Sequential", "config": {"layers": [{"class_name": "InputLayer", "config": {"name": "in", "batch_shape": [null, null, \#(features)]}}, {"class_name": "LSTM", "config": {"name": "lstm", "units": \#(units), "use_bias": \#(useBias)\#(extra)}}]}}"#
    }

    func weights(seed: UInt64 = 7) throws -> [WeightArray] {
        var generator = SplitMix(state: seed)
        func random(_ count: Int) -> [Float] { (0..<count).map { _ in Float(generator.next()) - 0.5 } }
        var arrays = [
            try WeightArray(name: "lstm/lstm_cell/kernel:0", shape: [features, 4 * units], storage: .float32(random(features * 4 * units))),
            try WeightArray(name: "lstm/lstm_cell/recurrent_kernel:0", shape: [units, 4 * units], storage: .float32(random(units * 4 * units))),
        ]
        if useBias {
            arrays.append(try WeightArray(name: "lstm/lstm_cell/bias:0", shape: [4 * units], storage: .float32(random(4 * units))))
        }
        return arrays
    }

    func model(weights: [WeightArray]? = nil) throws -> KerasModel {
        try KerasModel(config: ModelConfig(json: Data(json.utf8)), weights: ["lstm": weights ?? self.weights()], kerasVersion: "3.15.1")
    }
}

/// A tiny deterministic generator for test data.
struct SplitMix {
    var state: UInt64
    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }
}

/// The LSTM equations in Double, written out plainly, as an independent reference.
func referenceLSTM(x: [[Double]], kernel: [Float], recurrent: [Float], bias: [Float]?, units: Int, backwards: Bool) -> (outputs: [[Double]], h: [Double], c: [Double]) {
    let sigmoid = { (v: Double) in 1 / (1 + exp(-v)) }
    var h = [Double](repeating: 0, count: units), c = h
    var outputs: [[Double]] = []
    let steps = backwards ? Array(x.indices.reversed()) : Array(x.indices)
    for t in steps {
        var z = [Double](repeating: 0, count: 4 * units)
        for g in 0..<(4 * units) {
            var sum = Double(bias?[g] ?? 0)
            for f in x[t].indices { sum += x[t][f] * Double(kernel[f * 4 * units + g]) }
            for j in 0..<units { sum += h[j] * Double(recurrent[j * 4 * units + g]) }
            z[g] = sum
        }
        for j in 0..<units {
            let i = sigmoid(z[j]), f = sigmoid(z[units + j]), g = tanh(z[2 * units + j]), o = sigmoid(z[3 * units + j])
            c[j] = f * c[j] + i * g
            h[j] = o * tanh(c[j])
        }
        outputs.append(h)
    }
    return (outputs, h, c)
}

@Suite("Building and running models without any file")
struct ModelTests {
    @Test("an LSTM matches a plain double-precision reference, forwards and backwards", arguments: [false, true])
    func lstmMatchesReference(backwards: Bool) throws {
        let lstm = TinyLSTM(extra: #", "return_sequences": true, "return_state": true, "go_backwards": \#(backwards)"#)
        let weights = try lstm.weights()
        let model = try lstm.model(weights: weights)
        let x: [[Double]] = (0..<6).map { t in [Double(t) * 0.3 - 0.7, sin(Double(t))] }
        let input = try Tensor(shape: [1, 6, 2], doubles: x.flatMap { $0 })
        let outputs = try model.predict(input)
        try #require(outputs.map(\.shape) == [[1, 6, 3], [1, 3], [1, 3]])
        let reference = referenceLSTM(x: x, kernel: weights[0].floats, recurrent: weights[1].floats, bias: weights[2].floats, units: 3, backwards: backwards)
        for (index, value) in reference.outputs.flatMap({ $0 }).enumerated() {
            #expect(abs(Double(outputs[0].scalars[index]) - value) < 1e-6)
        }
        for j in 0..<3 {
            #expect(abs(Double(outputs[1].scalars[j]) - reference.h[j]) < 1e-6)
            #expect(abs(Double(outputs[2].scalars[j]) - reference.c[j]) < 1e-6)
        }
    }

    @Test("a stateful LSTM carries states across calls until reset")
    func statefulCarriesStates() throws {
        let stateful = TinyLSTM(extra: #", "stateful": true"#)
        let json = stateful.json.replacingOccurrences(of: "[null, null, 2]", with: "[2, null, 2]")
        let model = try KerasModel(config: ModelConfig(json: Data(json.utf8)), weights: ["lstm": stateful.weights()], kerasVersion: "3.1.0")
        let plain = try TinyLSTM().model()
        let first = try Tensor(shape: [2, 3, 2], scalars: (0..<12).map { Float($0) / 10 })
        let second = try Tensor(shape: [2, 3, 2], scalars: (0..<12).map { Float(12 - $0) / 10 })
        var joinedScalars: [Float] = []
        for sample in 0..<2 {
            let range = (sample * 6)..<(sample * 6 + 6)
            joinedScalars += Array(first.scalars[range])
            joinedScalars += Array(second.scalars[range])
        }
        let joined = try Tensor(shape: [2, 6, 2], scalars: joinedScalars)
        _ = try model.predict(first)
        let carried = try model.predict(second)
        // Two stateful calls equal one call over the joined sequence.
        let whole = try plain.predict(joined)
        for (a, b) in zip(carried[0].scalars, whole[0].scalars) {
            let difference: Float = abs(a - b)
            #expect(difference < 1e-6)
        }
        model.resetStates()
        let fresh = try model.predict(first)
        let once = try plain.predict(first)
        #expect(fresh[0].scalars == once[0].scalars)
        // A stateful model's batch axis is fixed.
        #expect(throws: PredictionError.inputDimension(axis: 0, expected: 2, actual: 1, shape: [1, 3, 2])) {
            try model.predict(try Tensor(zeros: [1, 3, 2]))
        }
    }

    @Test("wrong input rank or feature count is a clear error")
    func inputErrors() throws {
        let model = try TinyLSTM().model()
        #expect(throws: PredictionError.inputRank(expected: 3, actual: 2, shape: [4, 2])) {
            try model.predict(try Tensor(zeros: [4, 2]))
        }
        #expect(throws: PredictionError.inputDimension(axis: 2, expected: 2, actual: 5, shape: [1, 4, 5])) {
            try model.predict(try Tensor(zeros: [1, 4, 5]))
        }
        #expect(throws: PredictionError.inputCount(expected: 1, actual: 2)) {
            try model.predict([try Tensor(zeros: [1, 4, 2]), try Tensor(zeros: [1, 4, 2])])
        }
        #expect(throws: PredictionError.emptySequence(layer: "lstm")) {
            try model.predict(try Tensor(zeros: [1, 0, 2]))
        }
        #expect(PredictionError.inputDimension(axis: 2, expected: 2, actual: 5, shape: [1, 4, 5]).description
            == "input axis 2 has size 5 in (1, 4, 5), the model expects 2")
    }

    @Test("an empty input can't claim a huge axis")
    func emptyInputWithHugeAxis() throws {
        let model = try TinyLSTM().model()
        #expect(throws: PredictionError.inputDimension(axis: 1, expected: KerasLimits.maxDimension, actual: 1 << 40, shape: [0, 1 << 40, 2])) {
            try model.predict(try Tensor(shape: [0, 1 << 40, 2], scalars: []))
        }
    }

    @Test("a None time axis takes any sequence length")
    func anyLength() throws {
        let model = try TinyLSTM().model()
        for length in [1, 7, 40] {
            #expect(try model.predict(try Tensor(zeros: [2, length, 2]))[0].shape == [2, 3])
        }
    }

    @Test("missing, extra and mis-shaped weights name the weight and the shapes")
    func weightErrors() throws {
        let lstm = TinyLSTM()
        let weights = try lstm.weights()
        #expect {
            try lstm.model(weights: Array(weights.prefix(2)))
        } throws: { error in
            "\(error)".contains("missing weights") && "\(error)".contains("bias")
        }
        var extra = weights
        extra.append(try WeightArray(name: "lstm/lstm_cell/extra:0", shape: [1], storage: .float32([1])))
        #expect(throws: WeightLoadingError.extraWeights(layer: "lstm", extra: ["lstm/lstm_cell/extra:0"])) {
            try lstm.model(weights: extra)
        }
        var transposed = weights
        transposed[0] = try WeightArray(name: "lstm/lstm_cell/kernel:0", shape: [12, 2], storage: weights[0].storage)
        #expect(throws: WeightLoadingError.shapeMismatch(layer: "lstm", weight: "lstm/lstm_cell/kernel:0", expected: [2, 12], actual: [12, 2])) {
            try lstm.model(weights: transposed)
        }
        #expect(WeightLoadingError.shapeMismatch(layer: "lstm", weight: "k:0", expected: [2, 12], actual: [12, 2]).description
            == "layer 'lstm': weight k:0 has shape (12, 2), expected (2, 12)")
        var swapped = weights
        swapped.swapAt(0, 1)
        #expect(throws: WeightLoadingError.self) { try lstm.model(weights: swapped) }
        #expect(throws: WeightLoadingError.unknownLayer(layer: "ghost", weights: ["g:0"])) {
            try KerasModel(config: ModelConfig(json: Data(lstm.json.utf8)), weights: ["lstm": weights, "ghost": [try WeightArray(name: "g:0", shape: [1], storage: .float32([0]))]], kerasVersion: "3")
        }
    }

    @Test("use_bias=False takes two weights and counts parameters like Keras")
    func noBias() throws {
        let model = try TinyLSTM(useBias: false).model()
        #expect(model.parameterCount == 4 * 3 * (2 + 3))
        #expect(try model.predict(try Tensor(zeros: [1, 2, 2]))[0].scalars == [0, 0, 0])
    }

    @Test("float16 and float64 weights load")
    func weightPrecisions() throws {
        let lstm = TinyLSTM()
        let weights = try lstm.weights()
        let doubles = try weights.map { try WeightArray(name: $0.name, shape: $0.shape, storage: .float64($0.floats.map(Double.init))) }
        let halves = try weights.map { try WeightArray(name: $0.name, shape: $0.shape, storage: .float16($0.floats.map { _ in UInt16(0x3800) })) }
        let input = try Tensor(shape: [1, 2, 2], scalars: [0.1, 0.2, 0.3, 0.4])
        #expect(try lstm.model(weights: doubles).predict(input) == lstm.model(weights: weights).predict(input))
        #expect(try lstm.model(weights: halves).predict(input)[0].scalars.allSatisfy { $0 > 0 })
    }

    @Test("the summary lists layers, shapes and totals")
    func summary() throws {
        let model = try TinyLSTM(extra: #", "return_sequences": true"#).model()
        let text = model.summary()
        #expect(text.contains("lstm (LSTM)"))
        #expect(text.contains("(None, None, 3)"))
        #expect(text.contains("Total params: 72"))
    }

    /// A Keras 2 functional config of `Activation` layers, each named `name` with its inputs.
    private func activationGraph(_ layers: [(name: String, inputs: [String])], output: String) throws -> KerasModel {
        let entries = layers.map { layer -> String in
            let nodes = layer.inputs.map { #"["\#($0)", 0, 0, {}]"# }.joined(separator: ", ")
            return #"{"class_name": "Activation", "name": "\#(layer.name)", "config": {"name": "\#(layer.name)", "activation": "relu"}, "inbound_nodes": [[\#(nodes)]]}"#
        }
        let input = #"{"class_name": "InputLayer", "name": "x", "config": {"name": "x", "batch_input_shape": [null, 2]}, "inbound_nodes": []}"#
        let json = #"{"class_name": "Functional", "config": {"name": "g", "layers": [\#(([input] + entries).joined(separator: ", "))], "input_layers": [["x", 0, 0]], "output_layers": [["\#(output)", 0, 0]]}}"#
        return try KerasModel(config: ModelConfig(json: Data(json.utf8)), weights: [:], kerasVersion: "2.15.0")
    }

    @Test("a graph whose layers are listed after their consumers wires and runs in dependency order")
    func reverseOrderedGraph() throws {
        // 1000 layers, each listed before the layer it reads: the worst order for repeated passes.
        let count = 1000
        let chain = (0..<count).reversed().map { index in (name: "a\(index)", inputs: [index == 0 ? "x" : "a\(index - 1)"]) }
        let model = try activationGraph(chain, output: "a\(count - 1)")
        #expect(model.outputShapes == [[nil, 2]])
        #expect(try model.predict(try Tensor(shape: [1, 2], scalars: [-1, 2]))[0].scalars == [0, 2])
    }

    @Test("a cycle or a reference to nothing is refused with a typed error naming the layer")
    func cyclicGraph() throws {
        #expect(throws: WeightLoadingError.unsupportedTopology(layer: "b", reason: "call 0 depends on outputs that are never computed (a cycle or a missing layer)")) {
            try activationGraph([(name: "a", inputs: ["x"]), (name: "b", inputs: ["c"]), (name: "c", inputs: ["b"])], output: "a")
        }
        #expect(throws: WeightLoadingError.self) {
            try activationGraph([(name: "a", inputs: ["nowhere"])], output: "a")
        }
    }
}
