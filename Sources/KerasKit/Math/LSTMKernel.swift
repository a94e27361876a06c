internal import _KerasKitKernels

/// An LSTM's weights packed once at load, and the two halves of its forward pass:
/// the input projection `P = X·W + b` for every step as one matrix product, then the
/// recurrence `z = Pₜ + hₜ₋₁·U` with the gate math.
///
/// With Keras's default activations (σ = sigmoid, φ = tanh) the whole recurrence runs in the C
/// kernels: one packed product per step, then all four gates, the cell and the output fused in
/// one vectorized pass, no allocation inside the time loop. Large batches are split across the
/// cores; samples are independent, so the halves never wait for each other. Other activations
/// keep the packed product and apply ``Activation`` per gate in Swift. ``step(z:h:c:batch:fused:)``
/// is one step of the same, for loops that drive the steps themselves (masks).
struct LSTMKernel: Sendable {
    let units: Int
    let inputUnits: Int
    /// `W`, `(inputUnits, 4·units)`, in 4 gate groups.
    let kernel: PackedMatrix
    /// `U`, `(units, 4·units)`, in 4 gate groups.
    let recurrentKernel: PackedMatrix
    /// `(4·units)`, or nil.
    let bias: [Float]?
    let activation: Activation
    let recurrentActivation: Activation
    let generation: KerasGeneration

    /// Recurrences with at least this many multiply-adds split their batch over the cores.
    static let parallelThreshold = 1 << 21

    /// Packs Keras's arrays: `kernel` `(inputUnits, 4·units)`, `recurrentKernel` `(units, 4·units)`,
    /// `bias` `(4·units)`, all row-major in Keras's gate order i, f, c, o.
    init(kernel: [Float], recurrentKernel: [Float], bias: [Float]?, inputUnits: Int, units: Int,
         activation: Activation, recurrentActivation: Activation, generation: KerasGeneration,
         level: SIMDLevel = .current) {
        self.units = units
        self.inputUnits = inputUnits
        self.kernel = PackedMatrix(kernel, rows: inputUnits, columns: 4 * units, groups: 4, level: level)
        self.recurrentKernel = PackedMatrix(recurrentKernel, rows: units, columns: 4 * units, groups: 4, level: level)
        self.bias = bias
        self.activation = activation
        self.recurrentActivation = recurrentActivation
        self.generation = generation
    }

    /// Whether the recurrence runs fully in the fused C kernel.
    var hasFusedGates: Bool { activation == .tanh && recurrentActivation == .sigmoid }

    /// `projection[r] = x[r]·W + b` for `rows` rows of `inputUnits` values (split over the cores
    /// when large).
    func project(_ x: UnsafePointer<Float>, rows: Int, into projection: UnsafeMutablePointer<Float>) {
        let gates = 4 * units
        if let bias {
            bias.withUnsafeBufferPointer { b in
                kernel.multiply(m: rows, x, lda: inputUnits, into: projection, ldc: gates, bias: b.baseAddress)
            }
        } else {
            kernel.multiply(m: rows, x, lda: inputUnits, into: projection, ldc: gates)
        }
    }

    /// Runs the recurrence over `time` steps for `batch` samples.
    ///
    /// - Parameters:
    ///   - projection: From ``project(_:rows:into:)``: row `sample·time + step` (batch-major) or
    ///     `step·batch + sample` (`timeMajor`), `4·units` values each.
    ///   - goesBackwards: Read the steps from the last; outputs stay in processing order.
    ///   - h: `batch × units`, the initial hidden state, replaced by the final one.
    ///   - c: `batch × units`, the initial cell state, replaced by the final one.
    ///   - sequence: When not nil, `batch × time × units` (or time-major) receives every step's `h`.
    ///   - fused: `false` forces the Swift gate loop (for tests); the fused kernel runs only with
    ///     sigmoid and tanh whatever this says.
    func recur(
        projection: UnsafePointer<Float>, batch: Int, time: Int, timeMajor: Bool, goesBackwards: Bool,
        h: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>, sequence: UnsafeMutablePointer<Float>?,
        fused: Bool = true
    ) {
        guard batch > 0, time > 0, units > 0 else { return }
        let gates = 4 * units
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: batch * gates)
        defer { scratch.deallocate() }
        let projectionSampleStride = timeMajor ? gates : time * gates
        let projectionStepStride = timeMajor ? batch * gates : gates
        let sequenceSampleStride = timeMajor ? units : time * units
        let sequenceStepStride = timeMajor ? batch * units : units

        guard fused, hasFusedGates else {
            for step in 0..<time {
                let inputStep = goesBackwards ? time - 1 - step : step
                for sample in 0..<batch {
                    (scratch + sample * gates).update(from: projection + sample * projectionSampleStride + inputStep * projectionStepStride, count: gates)
                }
                self.step(z: scratch, h: h, c: c, batch: batch, fused: false)
                if let sequence {
                    for sample in 0..<batch {
                        (sequence + sample * sequenceSampleStride + step * sequenceStepStride).update(from: h + sample * units, count: units)
                    }
                }
            }
            return
        }
        let work = batch * time * units * gates
        let chunks = work >= Self.parallelThreshold ? min(Parallel.coreCount, batch) : 1
        let shared = UncheckedSendable((projection, h, c, scratch, sequence))
        let recurrentKernel = recurrentKernel, units = units
        Parallel.forEachChunk(of: batch, chunks: chunks) { samples in
            let (projection, h, c, scratch, sequence) = shared.value
            let first = samples.lowerBound
            recurrentKernel.lstmSequence(
                projection: projection + first * projectionSampleStride,
                projectionSampleStride: projectionSampleStride, projectionStepStride: projectionStepStride,
                batch: samples.count, steps: time, units: units,
                h: h + first * units, c: c + first * units, scratch: scratch + first * gates,
                sequence: sequence.map { $0 + first * sequenceSampleStride },
                sequenceSampleStride: sequenceSampleStride, sequenceStepStride: sequenceStepStride,
                goesBackwards: goesBackwards
            )
        }
    }

    /// One step for `batch` samples, as ``RecurrentCell``'s `step`: `z` (`batch × 4·units`) holds
    /// this step's projection and is overwritten; `h` and `c` are updated in place. With sigmoid
    /// and tanh it touches no other memory; other activations take `units` floats from
    /// `withUnsafeTemporaryAllocation` (the stack when small).
    ///
    /// - Parameter fused: `false` forces the Swift gate loop (for tests).
    func step(z: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>,
              batch: Int, fused: Bool = true) {
        let gates = 4 * units
        recurrentKernel.multiply(m: batch, h, lda: units, into: z, ldc: gates, accumulate: true, parallel: false)
        if fused, hasFusedGates {
            kk_lstm_gates(Int32(recurrentKernel.level.rawValue), z, gates, c, h, batch, units)
            return
        }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: max(units, 1)) { buffer in
            guard let phiC = buffer.baseAddress else { return }
            for sample in 0..<batch {
                let zi = z + sample * gates, zf = zi + units, zg = zf + units, zo = zg + units
                recurrentActivation.apply(zi, count: units, rowLength: units, generation: generation)
                recurrentActivation.apply(zf, count: units, rowLength: units, generation: generation)
                activation.apply(zg, count: units, rowLength: units, generation: generation)
                recurrentActivation.apply(zo, count: units, rowLength: units, generation: generation)
                let cs = c + sample * units, hs = h + sample * units
                for j in 0..<units {
                    cs[j] = zf[j] * cs[j] + zi[j] * zg[j]
                    phiC[j] = cs[j]
                }
                activation.apply(phiC, count: units, rowLength: units, generation: generation)
                for j in 0..<units { hs[j] = zo[j] * phiC[j] }
            }
        }
    }
}
