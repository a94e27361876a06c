/// An LSTM's forward pass in plain Swift, for `Double` models: the same two halves as
/// ``LSTMKernel`` (the input projection for every step as one product, then the recurrence
/// `z = Pₜ + hₜ₋₁·U` with the gate math), with every operation in `Scalar`.
struct ReferenceLSTMKernel<Scalar: ComputeScalar>: LSTMRecurrence {
    let units: Int
    let inputUnits: Int
    /// `W`, `(inputUnits, 4·units)`.
    let kernel: Scalar.Matrix
    /// `U`, `(units, 4·units)`.
    let recurrentKernel: Scalar.Matrix
    /// `(4·units)`, or nil.
    let bias: WeightVector<Scalar>?
    let activation: Activation
    let recurrentActivation: Activation
    let generation: KerasGeneration

    /// Keeps Keras's matrices: `kernel` `(inputUnits, 4·units)`, `recurrentKernel`
    /// `(units, 4·units)`, and `bias` `(4·units)`, in Keras's gate order i, f, c, o.
    init(kernel: Scalar.Matrix, recurrentKernel: Scalar.Matrix, bias: WeightVector<Scalar>?, inputUnits: Int, units: Int,
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

    /// `projection[r] = x[r]·W + b` for `rows` rows.
    func project(_ x: UnsafePointer<Scalar>, rows: Int, into projection: UnsafeMutablePointer<Scalar>) {
        let gates = 4 * units
        if let bias {
            bias.withUnsafeBufferPointer { b in
                kernel.multiply(m: rows, x, lda: inputUnits, into: projection, ldc: gates, accumulate: false, bias: b.baseAddress, parallel: false)
            }
        } else {
            kernel.multiply(m: rows, x, lda: inputUnits, into: projection, ldc: gates, accumulate: false, bias: nil, parallel: false)
        }
    }

    func run(
        x: UnsafePointer<Scalar>, batch: Int, time: Int, timeMajor: Bool, goesBackwards: Bool,
        h: UnsafeMutablePointer<Scalar>, c: UnsafeMutablePointer<Scalar>, sequence: UnsafeMutablePointer<Scalar>?,
        fused: Bool
    ) {
        guard batch > 0, time > 0, units > 0 else { return }
        let gates = 4 * units
        var buffer = [Scalar](repeating: 0, count: batch * time * gates)
        buffer.withUnsafeMutableBufferPointer { projection in
            guard let projection = projection.baseAddress else { return }
            project(x, rows: batch * time, into: projection)
            recur(projection: projection, batch: batch, time: time, timeMajor: timeMajor, goesBackwards: goesBackwards,
                  h: h, c: c, sequence: sequence)
        }
    }

    /// The recurrence over the projected steps: row `sample·time + step` of `projection`
    /// (`step·batch + sample` when `timeMajor`).
    private func recur(
        projection: UnsafePointer<Scalar>, batch: Int, time: Int, timeMajor: Bool, goesBackwards: Bool,
        h: UnsafeMutablePointer<Scalar>, c: UnsafeMutablePointer<Scalar>, sequence: UnsafeMutablePointer<Scalar>?
    ) {
        let gates = 4 * units
        let projectionSampleStride = timeMajor ? gates : time * gates
        let projectionStepStride = timeMajor ? batch * gates : gates
        let sequenceSampleStride = timeMajor ? units : time * units
        let sequenceStepStride = timeMajor ? batch * units : units
        var scratch = [Scalar](repeating: 0, count: batch * gates)
        scratch.withUnsafeMutableBufferPointer { buffer in
            guard let z = buffer.baseAddress else { return }
            for step in 0..<time {
                let inputStep = goesBackwards ? time - 1 - step : step
                for sample in 0..<batch {
                    (z + sample * gates).update(from: projection + sample * projectionSampleStride + inputStep * projectionStepStride, count: gates)
                }
                self.step(z: z, h: h, c: c, batch: batch, fused: false)
                if let sequence {
                    for sample in 0..<batch {
                        (sequence + sample * sequenceSampleStride + step * sequenceStepStride).update(from: h + sample * units, count: units)
                    }
                }
            }
        }
    }

    func step(z: UnsafeMutablePointer<Scalar>, h: UnsafeMutablePointer<Scalar>, c: UnsafeMutablePointer<Scalar>,
              batch: Int, fused: Bool) {
        let gates = 4 * units
        recurrentKernel.multiply(m: batch, h, lda: units, into: z, ldc: gates, accumulate: true, bias: nil, parallel: false)
        applyLSTMGates(z: z, h: h, c: c, batch: batch, units: units, activation: activation,
                       recurrentActivation: recurrentActivation, generation: generation)
    }
}
