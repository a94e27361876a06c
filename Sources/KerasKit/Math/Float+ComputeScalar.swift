import Foundation

// Float computes with the SIMD kernels: packed matrices, the fused LSTM and vectorized
// exp/sigmoid/tanh.

extension PackedMatrix: MatrixProduct {
    @inline(__always)
    func product(m: Int, _ a: UnsafePointer<Float>, lda: Int, into c: UnsafeMutablePointer<Float>, ldc: Int,
                 accumulate: Bool, bias: UnsafePointer<Float>?, parallel: Bool) {
        multiply(m: m, a, lda: lda, into: c, ldc: ldc, accumulate: accumulate, bias: bias, parallel: parallel)
    }
}

extension LSTMKernel: LSTMRecurrence {}

extension Float: ComputeScalar {
    typealias Matrix = PackedMatrix
    typealias Recurrence = LSTMKernel

    static func matrix(_ b: [Float], rows: Int, columns: Int, groups: Int) -> PackedMatrix {
        PackedMatrix(b, rows: rows, columns: columns, groups: groups)
    }

    static func matrix(_ weight: WeightArray, rows: Int, columns: Int, groups: Int) -> PackedMatrix {
        if case .mapped(let mapped) = weight.storage,
           let adopted = PackedMatrix(adopting: mapped, rows: rows, columns: columns, groups: groups) {
            return adopted
        }
        return PackedMatrix(weight.values(as: Float.self), rows: rows, columns: columns, groups: groups)
    }

    static func lstmRecurrence(kernel: PackedMatrix, recurrentKernel: PackedMatrix, bias: WeightVector<Float>?, inputUnits: Int, units: Int,
                               activation: Activation, recurrentActivation: Activation, generation: KerasGeneration) -> LSTMKernel {
        LSTMKernel(kernel: kernel, recurrentKernel: recurrentKernel, bias: bias, inputUnits: inputUnits, units: units,
                   activation: activation, recurrentActivation: recurrentActivation, generation: generation)
    }

    static func exponentiate(_ values: UnsafeMutablePointer<Float>, count: Int) { VectorMath.exp(values, count: count) }
    static func applySigmoid(_ values: UnsafeMutablePointer<Float>, count: Int) { VectorMath.sigmoid(values, count: count) }
    static func applyTanh(_ values: UnsafeMutablePointer<Float>, count: Int) { VectorMath.tanh(values, count: count) }

    static func transientScratchCount(rows k: Int, columns n: Int) -> Int {
        PackedMatrix.transientScratchCount(rows: k, columns: n)
    }

    static func multiplyTransient(m: Int, n: Int, k: Int, _ a: UnsafePointer<Float>, lda: Int,
                                  _ b: UnsafePointer<Float>, ldb: Int, transposed: Bool,
                                  into c: UnsafeMutablePointer<Float>, ldc: Int, scratch: UnsafeMutablePointer<Float>) {
        PackedMatrix.multiplyTransient(m: m, n: n, k: k, a, lda: lda, b, ldb: ldb, transposed: transposed, into: c, ldc: ldc, scratch: scratch)
    }

    static func softmaxRows(_ values: UnsafeMutablePointer<Float>, rows: Int, count: Int, stride: Int, scale: Float) {
        VectorMath.softmaxRows(values, rows: rows, count: count, stride: stride, scale: scale)
    }

    static func exponential(_ x: Float) -> Float { Foundation.exp(x) }
    static func exponentialMinusOne(_ x: Float) -> Float { Foundation.expm1(x) }
    static func logarithm(_ x: Float) -> Float { Foundation.log(x) }
    static func logarithmOnePlus(_ x: Float) -> Float { Foundation.log1p(x) }
    static func hyperbolicTangent(_ x: Float) -> Float { Foundation.tanh(x) }
    static func errorFunction(_ x: Float) -> Float { Foundation.erf(x) }

    static func layerGraph(of engine: ComputeEngine) -> LayerGraph<Float>? {
        if case .float32(let graph) = engine { return graph }
        return nil
    }
}
