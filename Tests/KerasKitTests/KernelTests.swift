import Foundation
import Testing
@testable import KerasKit
import _KerasKitKernels

/// The SIMD kernels against the plain loops they replace, at every level this machine runs.
@Suite("SIMD kernels")
struct KernelTests {
    /// Shapes `(m, n, k)`: sizes 1, odd, around and beyond panel widths (8, 16, 32), micro-tile
    /// heights (6, 12) and the K block (256), the LSTM shapes in small, and one- and two-row
    /// products wider than 64 panels (the GEMV path's fallback).
    static let shapes: [(Int, Int, Int)] = [
        (1, 1, 1), (1, 12, 3), (2, 4, 1), (3, 5, 7), (5, 33, 17), (6, 16, 8), (7, 31, 2), (11, 64, 13),
        (12, 32, 32), (13, 100, 9), (1, 128, 32), (25, 48, 300), (37, 20, 0), (0, 8, 4), (50, 128, 16),
        (129, 97, 65), (24, 1024, 33), (2, 40, 300), (1, 70, 513), (1, 1030, 5), (2, 2100, 3),
    ]

    static func randomValues(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int64(bitPattern: state >> 11) % 2001 - 1000) / 1000
        }
    }

    static func naiveProduct(m: Int, n: Int, k: Int, _ a: [Float], lda: Int, _ b: [Float], c: [Float], ldc: Int, accumulate: Bool, bias: [Float]?) -> [Float] {
        var c = c
        for row in 0..<m {
            for column in 0..<n {
                var sum: Double = accumulate ? Double(c[row * ldc + column]) : 0
                for p in 0..<k { sum += Double(a[row * lda + p]) * Double(b[p * n + column]) }
                c[row * ldc + column] = Float(sum + Double(bias?[column] ?? 0))
            }
        }
        return c
    }

    @Test("packed products match the naive product", arguments: SIMDLevel.supported)
    func packedProduct(level: SIMDLevel) {
        for (index, (m, n, k)) in Self.shapes.enumerated() {
            for groups in [1, 4] where n % groups == 0 {
                for accumulate in [false, true] {
                    let lda = k + index % 3, ldc = n + index % 2
                    let a = Self.randomValues(m * lda, seed: UInt64(index))
                    let b = Self.randomValues(k * n, seed: UInt64(index + 100))
                    let start = Self.randomValues(m * ldc, seed: UInt64(index + 200))
                    let bias = index % 2 == 0 ? Self.randomValues(n, seed: UInt64(index + 300)) : nil
                    let expected = Self.naiveProduct(m: m, n: n, k: k, a, lda: lda, b, c: start, ldc: ldc, accumulate: accumulate, bias: bias)
                    let packed = PackedMatrix(b, rows: k, columns: n, groups: groups, level: level)
                    #expect(packed.level == level)
                    var c = start
                    a.withUnsafeBufferPointer { a in
                        c.withUnsafeMutableBufferPointer { c in
                            guard let a = a.baseAddress, let c = c.baseAddress else { return }
                            if let bias {
                                bias.withUnsafeBufferPointer { packed.multiply(m: m, a, lda: lda, into: c, ldc: ldc, accumulate: accumulate, bias: $0.baseAddress) }
                            } else {
                                packed.multiply(m: m, a, lda: lda, into: c, ldc: ldc, accumulate: accumulate)
                            }
                        }
                    }
                    let error = zip(c, expected).map { abs($0 - $1) }.max() ?? 0
                    #expect(error <= 1e-5 * Float(max(k, 1)).squareRoot(), "\(level) m=\(m) n=\(n) k=\(k) groups=\(groups) accumulate=\(accumulate): max error \(error)")
                    // Padding columns between ldc and n stay untouched.
                    for row in 0..<m where ldc > n {
                        #expect(c[row * ldc + n] == start[row * ldc + n])
                    }
                }
            }
        }
    }

    @Test("a right-hand side packed from its transpose gives the product with B = btᵀ", arguments: SIMDLevel.supported)
    func transposedPacking(level: SIMDLevel) {
        for (index, (m, n, k)) in Self.shapes.enumerated() where n > 0 {
            let lda = k + index % 3, ldbt = k + 1 + index % 2
            let a = Self.randomValues(m * lda, seed: UInt64(index))
            let bt = Self.randomValues(n * ldbt, seed: UInt64(index + 100))
            var b = [Float](repeating: 0, count: k * n)
            for column in 0..<n { for p in 0..<k { b[p * n + column] = bt[column * ldbt + p] } }
            let expected = Self.naiveProduct(m: m, n: n, k: k, a, lda: lda, b, c: [Float](repeating: 0, count: m * n), ldc: n, accumulate: false, bias: nil)
            var layout = kk_layout()
            let count = kk_layout_make(&layout, Int32(level.rawValue), k, n, 1)
            var packed = [Float](repeating: .nan, count: count)
            var c = [Float](repeating: .nan, count: m * n)
            a.withUnsafeBufferPointer { a in
                bt.withUnsafeBufferPointer { bt in
                    packed.withUnsafeMutableBufferPointer { packed in
                        c.withUnsafeMutableBufferPointer { c in
                            guard let bt = bt.baseAddress, let packed = packed.baseAddress, let c = c.baseAddress else { return }
                            kk_pack_transposed(&layout, bt, ldbt, packed)
                            kk_gemm_rows(&layout, packed, 0, m, a.baseAddress, lda, c, n, 0, nil)
                        }
                    }
                }
            }
            let error = zip(c, expected).map { abs($0 - $1) }.max() ?? 0
            #expect(error <= 1e-5 * Float(max(k, 1)).squareRoot(), "\(level) m=\(m) n=\(n) k=\(k): max error \(error)")
        }
    }

    @Test("a transient product over no key steps writes zeros, whatever its output held")
    func emptyTransientProduct() {
        let m = 3, n = 5
        var c = [Float](repeating: .nan, count: m * n)
        var scratch = [Float](repeating: 0, count: max(1, PackedMatrix.transientScratchCount(rows: 0, columns: n)))
        let a: [Float] = [0], b: [Float] = [0]
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    scratch.withUnsafeMutableBufferPointer { s in
                        guard let a = a.baseAddress, let b = b.baseAddress, let c = c.baseAddress, let s = s.baseAddress else { return }
                        PackedMatrix.multiplyTransient(m: m, n: n, k: 0, a, lda: 0, b, ldb: n, transposed: false, into: c, ldc: n, scratch: s)
                    }
                }
            }
        }
        #expect(c == [Float](repeating: 0, count: m * n))
    }

    @Test("the row softmax matches exp(x − max) / Σ in Double, rows a stride apart", arguments: SIMDLevel.supported)
    func softmaxRows(level: SIMDLevel) {
        for (index, n) in [1, 2, 7, 8, 15, 16, 17, 31, 33, 100, 128, 129].enumerated() {
            let rows = 3, stride = n + index % 3, scale: Float = index % 2 == 0 ? 0.125 : 1
            let start = Self.randomValues(rows * stride, seed: UInt64(index)).map { $0 * 20 }
            var values = start
            values.withUnsafeMutableBufferPointer { buffer in
                if let base = buffer.baseAddress { VectorMath.softmaxRows(base, rows: rows, count: n, stride: stride, scale: scale, level: level) }
            }
            for row in 0..<rows {
                let x = (0..<n).map { Double(start[row * stride + $0] * scale) }
                let largest = x.max() ?? 0
                let total = x.reduce(0) { $0 + Foundation.exp($1 - largest) }
                for column in 0..<n {
                    let expected = Foundation.exp(x[column] - largest) / total
                    #expect(abs(Double(values[row * stride + column]) - expected) <= 4e-7, "\(level) n=\(n) row \(row) column \(column)")
                }
                // The gap between rows stays untouched.
                for column in n..<stride { #expect(values[row * stride + column] == start[row * stride + column]) }
            }
        }
        var poisoned: [Float] = [1, .nan, 2, 3]
        poisoned.withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress { VectorMath.softmaxRows(base, rows: 1, count: 4, stride: 4, scale: 1, level: level) }
        }
        #expect(poisoned.allSatisfy { $0.isNaN }, "\(level): a NaN in the row makes every value NaN, as in TensorFlow")
    }

    @Test("a large product split over the cores matches one thread")
    func parallelProduct() {
        let (m, n, k) = (300, 256, 96)
        let a = Self.randomValues(m * k, seed: 1), b = Self.randomValues(k * n, seed: 2)
        let packed = PackedMatrix(b, rows: k, columns: n, groups: 4)
        var serial = [Float](repeating: 0, count: m * n), parallel = serial
        a.withUnsafeBufferPointer { a in
            serial.withUnsafeMutableBufferPointer { packed.multiply(m: m, a.baseAddress!, lda: k, into: $0.baseAddress!, ldc: n, parallel: false) }
            parallel.withUnsafeMutableBufferPointer { packed.multiply(m: m, a.baseAddress!, lda: k, into: $0.baseAddress!, ldc: n, parallel: true) }
        }
        #expect(serial == parallel)
        #expect(m * n * k >= PackedMatrix.parallelThreshold, "the shape must take the parallel path")
    }

    /// Every 1999th float bit pattern with |x| ≤ 120 (1.2 million values), plus special values.
    /// (The full measurement, every 7th pattern against double precision, is in docs/BENCHMARKS.md.)
    static let sweep: [Float] = {
        var values: [Float] = [0, -0, 1, -1, 0.625, -0.625, 88, 88.72, 89, -87.3, -88, -104, 1e-30, -1e-30, .infinity, -.infinity]
        var bits: UInt32 = 0
        while bits < 0x42F0_0000 { // 120
            let x = Float(bitPattern: bits)
            values.append(x)
            values.append(-x)
            bits += 1999
        }
        return values
    }()

    static func maxError(_ level: SIMDLevel, _ kernel: (UnsafeMutablePointer<Float>, Int, SIMDLevel) -> Void, reference: (Double) -> Double) -> (absolute: Double, relative: Double) {
        var values = sweep
        values.withUnsafeMutableBufferPointer { kernel($0.baseAddress!, $0.count, level) }
        var absolute = 0.0, relative = 0.0
        for (x, y) in zip(sweep, values) {
            let exact = reference(Double(x))
            if exact.isInfinite || Double(Float(exact)).isInfinite {
                #expect(Double(y) == Double(Float(exact)), "x=\(x)")
                continue
            }
            let error = abs(Double(y) - exact)
            absolute = max(absolute, error)
            if abs(exact) > 1e-37 { relative = max(relative, error / abs(exact)) }
        }
        return (absolute, relative)
    }

    @Test("exp, sigmoid and tanh are as accurate as Foundation's", arguments: SIMDLevel.supported)
    func transcendentals(level: SIMDLevel) {
        let exp = Self.maxError(level, { VectorMath.exp($0, count: $1, level: $2) }, reference: { Foundation.exp($0) })
        let sigmoid = Self.maxError(level, { VectorMath.sigmoid($0, count: $1, level: $2) }, reference: { 1 / (1 + Foundation.exp(-$0)) })
        let tanh = Self.maxError(level, { VectorMath.tanh($0, count: $1, level: $2) }, reference: { Foundation.tanh($0) })
        #expect(exp.relative < 1.5e-7, "exp max relative error \(exp.relative)")
        #expect(sigmoid.absolute < 1.2e-7 && sigmoid.relative < 3.6e-7, "sigmoid errors \(sigmoid)")
        #expect(tanh.absolute < 1.2e-7 && tanh.relative < 2.4e-7, "tanh errors \(tanh)")
        var special: [Float] = [.nan, .infinity, -.infinity]
        special.withUnsafeMutableBufferPointer { VectorMath.sigmoid($0.baseAddress!, count: 3, level: level) }
        #expect(special[0].isNaN && special[1] == 1 && special[2] == 0)
        special = [.nan, .infinity, -.infinity]
        special.withUnsafeMutableBufferPointer { VectorMath.tanh($0.baseAddress!, count: 3, level: level) }
        #expect(special[0].isNaN && special[1] == 1 && special[2] == -1)
        special = [.nan, .infinity, -.infinity]
        special.withUnsafeMutableBufferPointer { VectorMath.exp($0.baseAddress!, count: 3, level: level) }
        #expect(special[0].isNaN && special[1] == .infinity && special[2] == 0)
    }

    /// The LSTM gates' cheaper σ and tanh (kk_gate_sigmoid / kk_gate_tanh): absolute error, which
    /// is what the 1e-5 parity budget counts. Over every 5th float in ±90 the measured maxima are
    /// 9.5e-8 (σ) and 1.15e-7 (tanh; 1.11e-7 at AVX2); this sweep checks 2e-7.
    @Test("the gates' sigmoid and tanh stay within 2e-7 absolute", arguments: SIMDLevel.supported)
    func gateTranscendentals(level: SIMDLevel) {
        let isa = Int32(level.rawValue)
        let sigmoid = Self.maxError(level, { values, count, _ in kk_gate_sigmoid(isa, values, count) }, reference: { 1 / (1 + Foundation.exp(-$0)) })
        let tanh = Self.maxError(level, { values, count, _ in kk_gate_tanh(isa, values, count) }, reference: { Foundation.tanh($0) })
        #expect(sigmoid.absolute <= 2e-7, "gate sigmoid max abs error \(sigmoid.absolute)")
        #expect(tanh.absolute <= 2e-7, "gate tanh max abs error \(tanh.absolute)")
        // Saturation and special values: exactly 0 / ±1 in the limit (σ keeps a tail below 2e-35), NaN kept.
        var special: [Float] = [.nan, .infinity, -.infinity, 1e30, -1e30, 0, -0.0]
        special.withUnsafeMutableBufferPointer { kk_gate_sigmoid(isa, $0.baseAddress!, $0.count) }
        #expect(special[0].isNaN && special[1] == 1 && special[2] < 2e-35 && special[3] == 1 && special[4] < 2e-35 && special[5] == 0.5 && special[6] == 0.5)
        special = [.nan, .infinity, -.infinity, 1e30, -1e30, 0, -0.0]
        special.withUnsafeMutableBufferPointer { kk_gate_tanh(isa, $0.baseAddress!, $0.count) }
        #expect(special[0].isNaN && special[1] == 1 && special[2] == -1 && special[3] == 1 && special[4] == -1 && special[5] == 0 && special[6] == 0)
        #expect(special[6].sign == .minus, "tanh(−0) = −0")
    }

    /// Keras's LSTM, step by step, with Foundation's functions.
    static func referenceLSTM(x: [Float], batch: Int, time: Int, inputUnits: Int, units: Int, w: [Float], u: [Float], bias: [Float]?, h0: [Float], c0: [Float], timeMajor: Bool, backwards: Bool) -> (h: [Float], c: [Float], sequence: [Float]) {
        var h = h0, c = c0
        var sequence = [Float](repeating: 0, count: batch * time * units)
        let gates = 4 * units
        func sigmoid(_ v: Float) -> Float { 1 / (1 + Foundation.exp(-v)) }
        for step in 0..<time {
            let inputStep = backwards ? time - 1 - step : step
            var next = h
            for sample in 0..<batch {
                let xRow = timeMajor ? (inputStep * batch + sample) * inputUnits : (sample * time + inputStep) * inputUnits
                var z = [Float](repeating: 0, count: gates)
                for g in 0..<gates {
                    var sum = Double(bias?[g] ?? 0)
                    for p in 0..<inputUnits { sum += Double(x[xRow + p]) * Double(w[p * gates + g]) }
                    for p in 0..<units { sum += Double(h[sample * units + p]) * Double(u[p * gates + g]) }
                    z[g] = Float(sum)
                }
                for j in 0..<units {
                    let i = sigmoid(z[j]), f = sigmoid(z[units + j]), g = Foundation.tanh(z[2 * units + j]), o = sigmoid(z[3 * units + j])
                    c[sample * units + j] = f * c[sample * units + j] + i * g
                    next[sample * units + j] = o * Foundation.tanh(c[sample * units + j])
                }
                let out = timeMajor ? (step * batch + sample) * units : (sample * time + step) * units
                for j in 0..<units { sequence[out + j] = next[sample * units + j] }
            }
            h = next
        }
        return (h, c, sequence)
    }

    /// `(batch, time, inputUnits, units)`. `(8, 30, 8, 48)` and `(40, 20, 6, 24)` split the batch
    /// over cores, `(100, 12, 8, 24)` into more tasks than cores (on 2). Three samples or more fold
    /// each step's input projection into its product; `(6, 2, 200, 100)` and `(3, 4, 300, 20)`
    /// have a joint k beyond one block of it (256), split inside the recurrent and inside the input
    /// part. With other activations (mode "generic"), `(3, 200, 4, 8)` projects in several chunks
    /// one sample at a time, `(300, 3, 2, 5)` and `(40, 20, 6, 24)` in several chunks one step at
    /// a time. Batch 1 takes its own kernel paths: units in whole vectors and a partial one, the
    /// input projection folded into the steps (narrow inputs) or made first (`(1, 5, 24, 32)`), and
    /// beyond 256 units (state no longer in local buffers).
    static let lstmShapes: [(Int, Int, Int, Int)] = [
        (1, 1, 1, 1), (1, 10, 2, 3), (3, 5, 4, 17), (2, 7, 5, 33), (5, 3, 16, 32), (8, 30, 8, 48), (13, 9, 3, 40),
        (3, 200, 4, 8), (300, 3, 2, 5), (40, 20, 6, 24), (100, 12, 8, 24), (6, 2, 200, 100), (3, 4, 300, 20),
        (1, 6, 5, 40), (1, 4, 3, 64), (1, 3, 2, 100), (1, 5, 24, 32), (1, 3, 2, 260),
    ]

    @Test("the fused LSTM recurrence matches Keras's step-by-step formula", arguments: SIMDLevel.supported)
    func lstmRecurrence(level: SIMDLevel) {
        #expect(Self.lstmShapes.contains { $0.0 * $0.1 * 4 * $0.3 * ($0.2 + $0.3) >= LSTMKernel.parallelThreshold }, "one shape takes the parallel path")
        // (100, 12, 8, 24) runs as 6 tasks of 16–17 samples on 2 cores.
        #expect(LSTMKernel.taskCount(batch: 100, cores: 2) == 6 && LSTMKernel.taskCount(batch: 40, cores: 2) == 2)
        #expect(LSTMKernel.taskCount(batch: 128, cores: 2) == 8 && LSTMKernel.taskCount(batch: 1000, cores: 2) == 8)
        #expect(LSTMKernel.taskCount(batch: 3, cores: 8) == 3 && LSTMKernel.taskCount(batch: 100, cores: 8) == 8)
        #expect(Self.lstmShapes.contains { $0.0 * $0.1 > 2 * LSTMKernel.chunkRows && $0.0 < $0.1 }, "one shape projects in chunks, sample by sample")
        #expect(Self.lstmShapes.contains { $0.0 * $0.1 > 2 * LSTMKernel.chunkRows && $0.0 > $0.1 }, "one shape projects in chunks, step by step")
        // Whether every task of a shape gets the 3 samples that fold the projection.
        func folds(_ shape: (Int, Int, Int, Int)) -> Bool {
            let (batch, time, inputUnits, units) = shape
            let parallel = batch * time * 4 * units * (units + inputUnits) >= LSTMKernel.parallelThreshold
            return batch / (parallel ? LSTMKernel.taskCount(batch: batch, cores: Parallel.coreCount) : 1) >= 3
        }
        #expect(Self.lstmShapes.contains { folds($0) && $0.2 < 256 && $0.2 + $0.3 > 256 }, "one folded projection's first block holds both products")
        #expect(Self.lstmShapes.contains { folds($0) && $0.2 > 256 }, "one folded projection's second block starts inside the input part")
        let folding = LSTMKernel(kernel: [], recurrentKernel: [], bias: nil, inputUnits: 2, units: 3, activation: .tanh,
                                 recurrentActivation: .sigmoid, generation: .keras3)
        #expect(folding.foldsProjectionInBatches(count: 3) && !folding.foldsProjectionInBatches(count: 2))
        let batchOne = Self.lstmShapes.filter { $0.0 == 1 }.map { shape in
            LSTMKernel(kernel: [], recurrentKernel: [], bias: nil, inputUnits: shape.2, units: shape.3,
                       activation: .tanh, recurrentActivation: .sigmoid, generation: .keras3).foldsProjection
        }
        #expect(batchOne.contains(true) && batchOne.contains(false), "batch 1 runs both with and without the folded projection")
        for (index, (batch, time, inputUnits, units)) in Self.lstmShapes.enumerated() {
            for (timeMajor, backwards) in [(false, false), (false, true), (true, false), (true, true)] {
                for mode in ["sequence", "final", "steps", "generic"] {
                    let gates = 4 * units
                    let x = Self.randomValues(batch * time * inputUnits, seed: UInt64(index * 10 + 1))
                    let w = Self.randomValues(inputUnits * gates, seed: UInt64(index * 10 + 2)).map { $0 * 0.5 }
                    let u = Self.randomValues(units * gates, seed: UInt64(index * 10 + 3)).map { $0 * 0.5 }
                    let bias = index % 3 == 1 ? nil : Self.randomValues(gates, seed: UInt64(index * 10 + 4))
                    let h0 = Self.randomValues(batch * units, seed: UInt64(index * 10 + 5))
                    let c0 = Self.randomValues(batch * units, seed: UInt64(index * 10 + 6))
                    let expected = Self.referenceLSTM(x: x, batch: batch, time: time, inputUnits: inputUnits, units: units, w: w, u: u, bias: bias, h0: h0, c0: c0, timeMajor: timeMajor, backwards: backwards)
                    let kernel = LSTMKernel(kernel: w, recurrentKernel: u, bias: bias, inputUnits: inputUnits, units: units,
                                            activation: .tanh, recurrentActivation: .sigmoid, generation: .keras3, level: level)
                    var projection = [Float](repeating: 0, count: batch * time * gates)
                    var h = h0, c = c0
                    var sequence = [Float](repeating: 0, count: batch * time * units)
                    x.withUnsafeBufferPointer { x in
                        projection.withUnsafeMutableBufferPointer { kernel.project(x.baseAddress!, lda: inputUnits, rows: batch * time, into: $0.baseAddress!, ldc: gates) }
                    }
                    projection.withUnsafeBufferPointer { p in
                        h.withUnsafeMutableBufferPointer { h in
                            c.withUnsafeMutableBufferPointer { c in
                                sequence.withUnsafeMutableBufferPointer { s in
                                    let (p, h, c, s) = (p.baseAddress!, h.baseAddress!, c.baseAddress!, s.baseAddress!)
                                    guard mode == "steps" else {
                                        // "generic" runs the Swift gate loop that other activations take.
                                        x.withUnsafeBufferPointer { x in
                                            kernel.run(x: x.baseAddress!, batch: batch, time: time, timeMajor: timeMajor, goesBackwards: backwards,
                                                       h: h, c: c, sequence: mode == "final" ? nil : s, fused: mode != "generic")
                                        }
                                        return
                                    }
                                    // One `step` call per step, as a loop with masks drives it.
                                    var z = [Float](repeating: 0, count: batch * gates)
                                    z.withUnsafeMutableBufferPointer { z in
                                        for step in 0..<time {
                                            let inputStep = backwards ? time - 1 - step : step
                                            for sample in 0..<batch {
                                                let row = timeMajor ? inputStep * batch + sample : sample * time + inputStep
                                                (z.baseAddress! + sample * gates).update(from: p + row * gates, count: gates)
                                            }
                                            kernel.step(z: z.baseAddress!, h: h, c: c, batch: batch)
                                            for sample in 0..<batch {
                                                let row = timeMajor ? step * batch + sample : sample * time + step
                                                (s + row * units).update(from: h + sample * units, count: units)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    let label = "\(level) shape \((batch, time, inputUnits, units)) timeMajor=\(timeMajor) backwards=\(backwards) mode=\(mode)"
                    // "final" asks for no sequence: the batch-1 path then keeps h in its own buffers only.
                    let outputs = [("h", h, expected.h), ("c", c, expected.c)] + (mode == "final" ? [] : [("sequence", sequence, expected.sequence)])
                    for (name, actual, wanted) in outputs {
                        let error = zip(actual, wanted).map { abs($0 - $1) }.max() ?? 0
                        #expect(error < 1e-5, "\(label): \(name) max error \(error)")
                    }
                }
            }
        }
    }
}
