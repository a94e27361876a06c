import Foundation

// Double (float64 models) computes with plain Swift loops and Foundation's double-precision
// functions: no SIMD kernel rounds anything to float32.

extension Double: ComputeScalar {
    typealias Matrix = ReferenceMatrix<Double>
    typealias Recurrence = ReferenceLSTMKernel<Double>

    static func matrix(_ b: [Double], rows: Int, columns: Int, groups: Int) -> ReferenceMatrix<Double> {
        ReferenceMatrix(b, rows: rows, columns: columns)
    }

    static func matrix(_ weight: WeightArray, rows: Int, columns: Int, groups: Int) -> ReferenceMatrix<Double> {
        ReferenceMatrix(weight.values(as: Double.self), rows: rows, columns: columns)
    }

    static func lstmRecurrence(kernel: ReferenceMatrix<Double>, recurrentKernel: ReferenceMatrix<Double>, bias: WeightVector<Double>?, inputUnits: Int, units: Int,
                               activation: Activation, recurrentActivation: Activation,
                               generation: KerasGeneration) -> ReferenceLSTMKernel<Double> {
        ReferenceLSTMKernel(kernel: kernel, recurrentKernel: recurrentKernel, bias: bias, inputUnits: inputUnits, units: units,
                            activation: activation, recurrentActivation: recurrentActivation, generation: generation)
    }

    static func exponentiate(_ values: UnsafeMutablePointer<Double>, count: Int) {
        for index in 0..<count { values[index] = Foundation.exp(values[index]) }
    }

    static func applySigmoid(_ values: UnsafeMutablePointer<Double>, count: Int) {
        for index in 0..<count { values[index] = 1 / (1 + Foundation.exp(-values[index])) }
    }

    static func applyTanh(_ values: UnsafeMutablePointer<Double>, count: Int) {
        for index in 0..<count { values[index] = Foundation.tanh(values[index]) }
    }

    static func transientScratchCount(rows k: Int, columns n: Int) -> Int { 0 }

    static func multiplyTransient(m: Int, n: Int, k: Int, _ a: UnsafePointer<Double>, lda: Int,
                                  _ b: UnsafePointer<Double>, ldb: Int, transposed: Bool,
                                  into c: UnsafeMutablePointer<Double>, ldc: Int, scratch: UnsafeMutablePointer<Double>) {
        guard transposed else {
            multiplyMatrices(m: m, n: n, k: k, a, lda: lda, b, ldb: ldb, into: c, ldc: ldc, accumulate: false)
            return
        }
        for row in 0..<m {
            let aRow = a + row * lda
            for column in 0..<n {
                let bRow = b + column * ldb
                var total = 0.0
                for p in 0..<k { total += aRow[p] * bRow[p] }
                c[row * ldc + column] = total
            }
        }
    }

    static func softmaxRows(_ values: UnsafeMutablePointer<Double>, rows: Int, count: Int, stride: Int, scale: Double) {
        guard count > 0 else { return }
        for r in 0..<rows {
            let row = values + r * stride
            for s in 0..<count { row[s] *= scale }
            var largest = row[0]
            for s in 1..<count where row[s] > largest { largest = row[s] }
            var total = 0.0
            for s in 0..<count {
                let e = Foundation.exp(row[s] - largest)
                row[s] = e
                total += e
            }
            for s in 0..<count { row[s] /= total }
        }
    }

    static func exponential(_ x: Double) -> Double { Foundation.exp(x) }
    static func exponentialMinusOne(_ x: Double) -> Double { Foundation.expm1(x) }
    static func logarithm(_ x: Double) -> Double { Foundation.log(x) }
    static func logarithmOnePlus(_ x: Double) -> Double { Foundation.log1p(x) }
    static func hyperbolicTangent(_ x: Double) -> Double { Foundation.tanh(x) }
    static func errorFunction(_ x: Double) -> Double { Foundation.erf(x) }

    static func layerGraph(of engine: ComputeEngine) -> LayerGraph<Double>? {
        if case .float64(let graph) = engine { return graph }
        return nil
    }
}
