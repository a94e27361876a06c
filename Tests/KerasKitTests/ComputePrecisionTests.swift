import Foundation
import Testing
@testable import KerasKit

/// A Sequential model `Input(2) → Dense(1)` whose Dense has the dtype policy `dtype` (a JSON
/// value), with `modelDType` as the model's own policy (Keras 3 writes one).
private func denseModel(dtype: String, modelDType: String? = nil, inputDType: String = #""float32""#) throws -> KerasModel {
    let modelPolicy = modelDType.map { #", "dtype": \#($0)"# } ?? ""
    let json = #"""
    {"class_name": "Sequential", "config": {"name": "s"\#(modelPolicy), "layers": [
      {"class_name": "InputLayer", "config": {"name": "in", "batch_shape": [null, 2], "dtype": \#(inputDType)}},
      {"class_name": "Dense", "config": {"name": "d", "units": 1, "dtype": \#(dtype)}}]}}
    """#
    // 0.1 and 0.7 are not float32 numbers: a float32 product differs from the float64 one.
    let weights = [
        "d": [try WeightArray(name: "d/kernel", shape: [2, 1], storage: .float64([0.1, 0.7])),
              try WeightArray(name: "d/bias", shape: [1], storage: .float64([1e-3]))],
    ]
    return try KerasModel(config: ModelConfig(json: Data(json.utf8)), weights: weights, kerasVersion: "3.15.1")
}

private let keras3Float64 = #"{"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float64"}, "registered_name": null}"#

@Suite("The dtype policy picks the precision a model computes in")
struct ComputePrecisionTests {
    @Test("float64 policies compute in Double; float32, mixed and input-only float64 in Float", arguments: [
        (#""float64""#, ComputePrecision.float64),
        (keras3Float64, .float64),
        (#""float32""#, .float32),
        (#""mixed_float16""#, .float32),
        (#"{"class_name": "DTypePolicy", "config": {"name": "mixed_bfloat16"}}"#, .float32),
    ])
    func policies(dtype: String, precision: ComputePrecision) throws {
        #expect(try denseModel(dtype: dtype).computePrecision == precision)
        #expect(try denseModel(dtype: #""float32""#, inputDType: #""float64""#).computePrecision == .float32)
    }

    @Test("a float64 model computes in Double: x·W + b exactly as Double arithmetic gives it")
    func doubleArithmetic() throws {
        let model = try denseModel(dtype: keras3Float64, modelDType: keras3Float64)
        #expect(model.config.predictInputPrecision == .float64)
        let x = try TensorOf<Double>(shape: [1, 2], scalars: [0.3, 0.9])
        let y = try model.predict(x)[0]
        let expected = 0.3 * 0.1 + 0.9 * 0.7 + 1e-3
        #expect(y.scalars == [expected])
        // Float arithmetic lands elsewhere: the result really is Double's.
        let float = Float(0.3) * Float(0.1) + Float(0.9) * Float(0.7) + Float(1e-3)
        #expect(abs(Double(float) - expected) > 1e-9)
        // Float tensors are widened in, the Double result rounded out.
        #expect(try model.predict(try Tensor(shape: [1, 2], scalars: [0.5, 0.25]))[0].scalars == [Float(0.5 * 0.1 + 0.25 * 0.7 + 1e-3)])
    }

    @Test("predict casts float64 input to Keras's floatx first, as Keras's predict does")
    func floatxInputCast() throws {
        // No model-level float64 policy: floatx is float32, so 0.3 arrives as Float(0.3).
        let model = try denseModel(dtype: #""float64""#)
        #expect(model.computePrecision == .float64)
        #expect(model.config.predictInputPrecision == .float32)
        let y = try model.predict(try TensorOf<Double>(shape: [1, 2], scalars: [0.3, 0.9]))[0]
        #expect(y.scalars == [Double(Float(0.3)) * 0.1 + Double(Float(0.9)) * 0.7 + 1e-3])
    }

    @Test("a float32 model given Double tensors computes in Float and widens its outputs")
    func float32ModelDoubleAPI() throws {
        let model = try denseModel(dtype: #""float32""#)
        let doubles = try model.predict(try TensorOf<Double>(shape: [1, 2], scalars: [0.3, 0.9]))[0]
        let floats = try model.predict(try Tensor(shape: [1, 2], scalars: [0.3, 0.9]))[0]
        #expect(doubles == TensorOf<Double>(floats))
    }

    @Test("every weight dtype feeds a float64 model exactly")
    func weightWidening() throws {
        let storage: [WeightArray.Storage] = [.float16([0x3c00, 0xb800]), .float32([1, -0.5]), .float64([1, -0.5])]
        for values in storage {
            #expect(values.values(as: Double.self) == [1, -0.5])
        }
        #expect(WeightArray.Storage.float64([0.1]).values(as: Double.self) == [0.1])
        #expect(WeightArray.Storage.float64([0.1]).values(as: Float.self) == [Float(0.1)])
    }
}
