internal import _KerasKitKernels

/// An LSTM's weights packed once at load, and its forward pass: the input projection
/// `P = X·W + b` as matrix products over chunks of steps, then the recurrence
/// `z = Pₜ + hₜ₋₁·U` with the gate math.
///
/// With Keras's default activations (σ = sigmoid, φ = tanh) the whole recurrence runs in the C
/// kernels: one packed product per step, then all four gates, the cell and the output fused in
/// one vectorized pass, no allocation inside the time loop. There the input projection moves into
/// the steps: one sample's `xₜ·W` into its step (``foldsProjection``), three samples or more
/// `b + xₜ·W + hₜ₋₁·U` as one product per step (``foldsProjectionInBatches(count:)``). Large
/// batches are split into tasks of whole samples that the cores take as they become free; samples
/// are independent, so no task waits for another. Other activations keep the packed product and apply ``Activation`` per
/// gate in Swift. ``step(z:h:c:batch:fused:)`` is one step of the same, for loops that drive the
/// steps themselves (masks).
final class LSTMKernel: Sendable {
    let units: Int
    let inputUnits: Int
    /// `W`, `(inputUnits, 4·units)`, in 4 gate groups.
    let kernel: PackedMatrix
    /// `U`, `(units, 4·units)`, in 4 gate groups.
    let recurrentKernel: PackedMatrix
    /// `(4·units)`, or nil.
    let bias: WeightVector<Float>?
    let activation: Activation
    let recurrentActivation: Activation
    let generation: KerasGeneration

    /// Recurrences with at least this many multiply-adds split their batch over the cores.
    static let parallelThreshold = 1 << 21

    /// Takes Keras's matrices packed in 4 gate groups, `kernel` `(inputUnits, 4·units)` and
    /// `recurrentKernel` `(units, 4·units)` (both for the same level), and `bias` `(4·units)`, in
    /// Keras's gate order i, f, c, o.
    init(kernel: PackedMatrix, recurrentKernel: PackedMatrix, bias: WeightVector<Float>?, inputUnits: Int, units: Int,
         activation: Activation, recurrentActivation: Activation, generation: KerasGeneration) {
        self.units = units
        self.inputUnits = inputUnits
        self.kernel = kernel
        self.recurrentKernel = recurrentKernel
        self.bias = bias
        self.activation = activation
        self.recurrentActivation = recurrentActivation
        self.generation = generation
    }

    /// Packs Keras's row-major arrays `kernel` `(inputUnits, 4·units)` and `recurrentKernel`
    /// `(units, 4·units)` for `level`.
    convenience init(kernel: [Float], recurrentKernel: [Float], bias: [Float]?, inputUnits: Int, units: Int,
                     activation: Activation, recurrentActivation: Activation, generation: KerasGeneration,
                     level: SIMDLevel = .current) {
        self.init(kernel: PackedMatrix(kernel, rows: inputUnits, columns: 4 * units, groups: 4, level: level),
                  recurrentKernel: PackedMatrix(recurrentKernel, rows: units, columns: 4 * units, groups: 4, level: level),
                  bias: bias.map(WeightVector.init), inputUnits: inputUnits, units: units, activation: activation,
                  recurrentActivation: recurrentActivation, generation: generation)
    }

    /// Whether a single sample's steps each compute their own `x·W` inside the recurrence
    /// (``kk_lstm_sequence1x``) rather than after one projection of every step. Folding saves the
    /// projection's set-up and its round trip through memory, most of a tiny layer's time; but a
    /// one-row product loads each weight of `W` for a single multiply-add, where the separate
    /// projection uses each loaded weight for a whole tile of rows, so with inputs wider than half
    /// the units the separate projection is faster (both measured in docs/BENCHMARKS.md).
    var foldsProjection: Bool { units <= 256 && (2 * inputUnits <= units || units < 16) }

    /// Whether the recurrence runs fully in the fused C kernel.
    var hasFusedGates: Bool { activation == .tanh && recurrentActivation == .sigmoid }

    /// Runs the layer over `time` steps for `batch` samples: input projection and recurrence.
    ///
    /// Where the projection isn't folded into the steps (other activations, two samples, or one
    /// with wide inputs) it is made a chunk of steps at a time, just before those steps run, into a
    /// buffer small enough to stay in cache (≈ 256 rows): a long sequence never materializes its
    /// whole `batch × time × 4·units` projection, and each chunk's product still has enough rows
    /// to run at full speed. Large batches are split into tasks of whole samples that the cores
    /// take as they become free (``chunkSamples``); samples are independent, so a task runs its
    /// samples from start to end and never waits for another.
    ///
    /// - Parameters:
    ///   - x: `batch × time × inputUnits` (or time-major `time × batch × inputUnits`).
    ///   - goesBackwards: Read the steps from the last; outputs stay in processing order.
    ///   - h: `batch × units`, the initial hidden state, replaced by the final one.
    ///   - c: `batch × units`, the initial cell state, replaced by the final one.
    ///   - sequence: When not nil, `batch × time × units` (or time-major) receives every step's `h`.
    ///   - fused: `false` forces the Swift gate loop (for tests); the fused kernel runs only with
    ///     sigmoid and tanh whatever this says.
    func run(
        x: UnsafePointer<Float>, batch: Int, time: Int, timeMajor: Bool, goesBackwards: Bool,
        h: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>, sequence: UnsafeMutablePointer<Float>?,
        fused: Bool = true
    ) {
        guard batch > 0, time > 0, units > 0 else { return }
        if fused, hasFusedGates, batch == 1, foldsProjection {
            // x, h and the sequence all advance by one row per step for a single sample, in
            // either layout.
            let (kernel, recurrent) = (self.kernel, recurrentKernel)
            let (inputUnits, units) = (self.inputUnits, self.units)
            func run(bias: UnsafePointer<Float>?) {
                kk_lstm_sequence1x(kernel.layoutPointer, kernel.packedPointer, bias,
                                   recurrent.layoutPointer, recurrent.packedPointer,
                                   x, inputUnits, time, units, h, c, sequence, units, goesBackwards ? 1 : 0)
            }
            if let bias { bias.withUnsafeBufferPointer { run(bias: $0.baseAddress) } } else { run(bias: nil) }
            return
        }
        let work = batch * time * 4 * units * (units + inputUnits)
        let chunks = work >= Self.parallelThreshold ? Self.taskCount(batch: batch, cores: Parallel.coreCount) : 1
        let shared = UncheckedSendable((x, h, c, sequence))
        let kernel = self
        Parallel.forEachChunk(of: batch, chunks: chunks) { samples in
            let (x, h, c, sequence) = shared.value
            kernel.run(samples: samples, x: x, batch: batch, time: time, timeMajor: timeMajor, goesBackwards: goesBackwards,
                       h: h, c: c, sequence: sequence, fused: fused)
        }
    }

    /// Rows of projection per chunk: enough for the product to run at speed, few enough to stay in cache.
    static let chunkRows = 256

    /// The fewest samples a parallel run gives one task when the batch allows more tasks than
    /// cores (up to 4 per core): still full-speed products, and a core that is free takes the
    /// next task. On a shared host that slows one vCPU for a while, the other then runs more of
    /// the batch instead of waiting for it (docs/BENCHMARKS.md); with equal cores the tasks finish
    /// together, as one task per core would.
    static let chunkSamples = 16

    /// The tasks a parallel run splits `batch` samples into on `cores` cores: one per core, or up
    /// to four per core of at least ``chunkSamples`` samples.
    static func taskCount(batch: Int, cores: Int) -> Int {
        max(min(cores, batch), min(4 * cores, batch / chunkSamples))
    }

    /// ``run(x:batch:time:timeMajor:goesBackwards:h:c:sequence:fused:)`` for the samples in `samples` only.
    private func run(
        samples: Range<Int>, x: UnsafePointer<Float>, batch: Int, time: Int, timeMajor: Bool, goesBackwards: Bool,
        h: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>, sequence: UnsafeMutablePointer<Float>?,
        fused: Bool
    ) {
        let gates = 4 * units, count = samples.count, first = samples.lowerBound
        if fused, foldsProjectionInBatches(count: count) {
            runFoldingProjection(samples: samples, x: x, batch: batch, time: time, timeMajor: timeMajor,
                                 goesBackwards: goesBackwards, h: h, c: c, sequence: sequence)
            return
        }
        let chunkSteps = min(time, max(1, (Self.chunkRows + count - 1) / count))
        // One buffer for the chunk's projection (time-major inside the chunk: step, then sample)
        // and the kernel's scratch; allocated once, outside the time loop.
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: (chunkSteps + 1) * count * gates)
        defer { buffer.deallocate() }
        let scratch = buffer + chunkSteps * count * gates
        let h = h + first * units, c = c + first * units
        // Where sample `s` (of this range) reads input step `t`, and the row stride between samples / steps.
        let sampleStride = timeMajor ? inputUnits : time * inputUnits
        let stepStride = timeMajor ? batch * inputUnits : inputUnits
        let x = x + first * sampleStride
        let sequenceSampleStride = timeMajor ? units : time * units
        let sequenceStepStride = timeMajor ? batch * units : units
        let sequence = sequence.map { $0 + first * sequenceSampleStride }
        let useFused = fused && hasFusedGates

        var processed = 0
        while processed < time {
            let steps = min(chunkSteps, time - processed)
            // The chunk's input steps, in input order; a backwards layer processes them from the last.
            let lowest = goesBackwards ? time - processed - steps : processed
            if count >= steps {
                for j in 0..<steps {
                    project(x + (lowest + j) * stepStride, lda: sampleStride, rows: count, into: buffer + j * count * gates, ldc: gates)
                }
            } else {
                for s in 0..<count {
                    project(x + s * sampleStride + lowest * stepStride, lda: stepStride, rows: steps, into: buffer + s * gates, ldc: count * gates)
                }
            }
            let chunkSequence = sequence.map { $0 + processed * sequenceStepStride }
            if useFused {
                recurrentKernel.lstmSequence(
                    projection: buffer, projectionSampleStride: gates, projectionStepStride: count * gates,
                    batch: count, steps: steps, units: units, h: h, c: c, scratch: scratch,
                    sequence: chunkSequence, sequenceSampleStride: sequenceSampleStride, sequenceStepStride: sequenceStepStride,
                    goesBackwards: goesBackwards
                )
            } else {
                for t in 0..<steps {
                    let z = buffer + (goesBackwards ? steps - 1 - t : t) * count * gates
                    step(z: z, h: h, c: c, batch: count, fused: false)
                    if let chunkSequence {
                        for s in 0..<count {
                            (chunkSequence + s * sequenceSampleStride + t * sequenceStepStride).update(from: h + s * units, count: units)
                        }
                    }
                }
            }
            processed += steps
        }
    }

    /// Whether `count` samples run with each step's input projection inside its product
    /// (``kk_lstm_sequence_x``): z = b + xₜ·W + hₜ₋₁·U in one set of accumulators per tile. One k
    /// loop of `inputUnits + units` instead of two and no projection written and read back
    /// (docs/BENCHMARKS.md). One or two samples keep the projection pass, whose recurrent product
    /// has its own path for so few rows.
    func foldsProjectionInBatches(count: Int) -> Bool {
        hasFusedGates && count >= 3 && kernel.level == recurrentKernel.level
    }

    /// ``run(samples:x:batch:time:timeMajor:goesBackwards:h:c:sequence:fused:)`` through ``kk_lstm_sequence_x``.
    private func runFoldingProjection(
        samples: Range<Int>, x: UnsafePointer<Float>, batch: Int, time: Int, timeMajor: Bool, goesBackwards: Bool,
        h: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>, sequence: UnsafeMutablePointer<Float>?
    ) {
        let count = samples.count, first = samples.lowerBound
        // The step's products, allocated once, outside the time loop.
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: count * 4 * units)
        defer { scratch.deallocate() }
        let sampleStride = timeMajor ? inputUnits : time * inputUnits
        let stepStride = timeMajor ? batch * inputUnits : inputUnits
        let sequenceSampleStride = timeMajor ? units : time * units
        let sequenceStepStride = timeMajor ? batch * units : units
        let (kernel, recurrent) = (self.kernel, recurrentKernel)
        func run(bias: UnsafePointer<Float>?) {
            kk_lstm_sequence_x(kernel.layoutPointer, kernel.packedPointer, bias, recurrent.layoutPointer, recurrent.packedPointer,
                               x + first * sampleStride, sampleStride, stepStride, count, time, units,
                               h + first * units, c + first * units, scratch, sequence.map { $0 + first * sequenceSampleStride },
                               sequenceSampleStride, sequenceStepStride, goesBackwards ? 1 : 0)
        }
        if let bias { bias.withUnsafeBufferPointer { run(bias: $0.baseAddress) } } else { run(bias: nil) }
    }

    /// `out[r] = a[r]·W + b` for `rows` rows at strides `lda` / `ldc`, on the calling thread.
    func project(_ a: UnsafePointer<Float>, lda: Int, rows: Int, into out: UnsafeMutablePointer<Float>, ldc: Int) {
        if let bias {
            bias.withUnsafeBufferPointer { b in
                kernel.multiply(m: rows, a, lda: lda, into: out, ldc: ldc, bias: b.baseAddress, parallel: false)
            }
        } else {
            kernel.multiply(m: rows, a, lda: lda, into: out, ldc: ldc, parallel: false)
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
        applyLSTMGates(z: z, h: h, c: c, batch: batch, units: units, activation: activation,
                       recurrentActivation: recurrentActivation, generation: generation)
    }
}
