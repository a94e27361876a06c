import Testing
@testable import KerasKit

@Suite("Activations")
struct ActivationTests {
    @Test("hard_sigmoid follows the writer's Keras generation")
    func hardSigmoidByGeneration() {
        #expect(Activation.hardSigmoid.scalar(Float(1), generation: .keras2) == 0.7)
        #expect(abs(Activation.hardSigmoid.scalar(Float(1), generation: .keras3) - (1.0 / 6 + 0.5)) < 1e-7)
        #expect(Activation.hardSigmoid.scalar(Float(-3), generation: .keras2) == 0)
        #expect(Activation.hardSigmoid.scalar(Float(2.4), generation: .keras2) == 0.98)
        #expect(Activation.hardSigmoid.scalar(Float(3), generation: .keras3) == 1)
        #expect(Activation.hardSigmoid.scalar(2.4 as Double, generation: .keras2) == 0.2 * 2.4 + 0.5)
    }

    @Test("every activation computes in Double as in Float, to float32 rounding", arguments: Activation.allCases)
    func doubleMatchesFloat(activation: Activation) {
        let inputs: [Double] = [-3.5, -1, -0.25, 0, 0.3, 1.2, 4]
        var doubles = inputs
        var floats = inputs.map { Float($0) }
        doubles.withUnsafeMutableBufferPointer { activation.apply($0.baseAddress!, count: 7, rowLength: 7, generation: .keras3) }
        floats.withUnsafeMutableBufferPointer { activation.apply($0.baseAddress!, count: 7, rowLength: 7, generation: .keras3) }
        for (double, float) in zip(doubles, floats) {
            #expect(abs(double - Double(float)) <= 1e-6 * max(1, abs(double)), "\(activation): \(double) vs \(float)")
        }
    }

    @Test("keras_version picks the generation", arguments: [
        ("2.2.4-tf", KerasGeneration.keras2), ("2.21.0", .keras2), ("3.15.1", .keras3), ("1.2.2", .keras2), ("", .keras2),
    ])
    func generation(version: String, expected: KerasGeneration) {
        #expect(KerasGeneration(kerasVersion: version) == expected)
        #expect(KerasGeneration(kerasVersion: nil) == .keras2)
    }

    @Test("aliases resolve to Keras's functions")
    func aliases() {
        #expect(Activation(kerasName: "swish") == .silu)
        #expect(Activation(kerasName: "hard_swish") == .hardSilu)
        #expect(Activation(kerasName: "softmax_v2") == .softmax)
        #expect(Activation(kerasName: "nonsense") == nil)
    }

    @Test("softmax normalizes each row of the last axis")
    func softmaxRows() {
        var values: [Float] = [1, 2, 3, 1000, 1000, 1000]
        values.withUnsafeMutableBufferPointer { buffer in
            Activation.softmax.apply(buffer.baseAddress!, count: 6, rowLength: 3, generation: .keras3)
        }
        #expect(abs(values[0..<3].reduce(0, +) - 1) < 1e-6)
        #expect(abs(values[3] - 1.0 / 3) < 1e-6, "large logits don't overflow")
    }

    @Test("float16 bit patterns widen exactly")
    func float16() {
        #expect(Float(float16Bits: 0x3c00) == 1)
        #expect(Float(float16Bits: 0xc000) == -2)
        #expect(Float(float16Bits: 0x0001) == 0x1p-24)
        #expect(Float(float16Bits: 0x7c00) == .infinity)
        #expect(Float(float16Bits: 0x7e00).isNaN)
        #expect(Float(float16Bits: 0x3555) == 0.333251953125)
    }
}
