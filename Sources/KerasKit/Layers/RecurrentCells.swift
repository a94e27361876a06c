/// Keras's `LSTMCell` (gate order i, f, c, o):
///
///     z = xₜ·W + b + hₜ₋₁·U
///     i = σ(z₀), f = σ(z₁), g = φ(z₂), o = σ(z₃)
///     cₜ = f·cₜ₋₁ + i·g,  hₜ = o·φ(cₜ)
struct LSTMCell<Scalar: ComputeScalar>: RecurrentCell {
    let units: Int
    let inputUnits: Int
    let activation: Activation
    let recurrentActivation: Activation
    let generation: KerasGeneration
    let inputBias: WeightVector<Scalar>?
    /// The weights prepared once at load: packed for the SIMD kernels (`Float`), or kept for
    /// plain loops (`Double`).
    let fast: Scalar.Recurrence

    var lstmKernel: Scalar.Recurrence? { fast }
    var packedKernel: Scalar.Matrix { fast.kernel }

    /// - Parameters:
    ///   - kernel: `W`, `(inputUnits, 4·units)`, prepared in 4 gate groups.
    ///   - recurrentKernel: `U`, `(units, 4·units)`, prepared in 4 gate groups.
    init(units: Int, inputUnits: Int, activation: Activation, recurrentActivation: Activation, generation: KerasGeneration,
         kernel: Scalar.Matrix, recurrentKernel: Scalar.Matrix, inputBias: WeightVector<Scalar>?) {
        self.units = units
        self.inputUnits = inputUnits
        self.activation = activation
        self.recurrentActivation = recurrentActivation
        self.generation = generation
        self.inputBias = inputBias
        fast = Scalar.lstmRecurrence(kernel: kernel, recurrentKernel: recurrentKernel, bias: inputBias, inputUnits: inputUnits, units: units,
                                     activation: activation, recurrentActivation: recurrentActivation, generation: generation)
    }

    var projectionWidth: Int { 4 * units }
    var stateCount: Int { 2 }
    var parameterCount: Int { (inputUnits + units) * 4 * units + (inputBias?.count ?? 0) }

    func scratchCount(batch: Int) -> Int { units }

    func step(z: UnsafeMutablePointer<Scalar>, h: UnsafeMutablePointer<Scalar>, c: UnsafeMutablePointer<Scalar>,
              batch: Int, scratch: UnsafeMutablePointer<Scalar>) {
        fast.step(z: z, h: h, c: c, batch: batch)
    }
}

/// Keras's `GRUCell` (gate order z, r, h; `h = z·hₜ₋₁ + (1 − z)·ĥ`).
///
/// With `reset_after` (bias `(2, 3·units)`: input row, recurrent row):
///     m = hₜ₋₁·U + b_h;  z = σ(x_z + m_z);  r = σ(x_r + m_r);  ĥ = φ(x_h + r·m_h)
/// Without (bias `(3·units,)`, input only):
///     z = σ(x_z + hₜ₋₁·U_z);  r = σ(x_r + hₜ₋₁·U_r);  ĥ = φ(x_h + (r·hₜ₋₁)·U_h)
struct GRUCell<Scalar: ComputeScalar>: RecurrentCell {
    let units: Int
    let inputUnits: Int
    let activation: Activation
    let recurrentActivation: Activation
    let generation: KerasGeneration
    let resetAfter: Bool
    let inputBias: WeightVector<Scalar>?
    /// `reset_after` only: the recurrent bias row.
    let recurrentBias: WeightVector<Scalar>?
    /// `kernel` packed (3 gate groups).
    let packedKernel: Scalar.Matrix
    /// With `reset_after`, all of `U` (3 gate groups); without, its z and r columns only.
    let packedRecurrent: Scalar.Matrix
    /// Without `reset_after`: `U`'s candidate columns; nil with it.
    let packedCandidate: Scalar.Matrix?

    /// - Parameters:
    ///   - kernel: `W`, `(inputUnits, 3·units)`, prepared in 3 gate groups.
    ///   - recurrentKernel: With `resetAfter`, `U` `(units, 3·units)` in 3 groups; without, the
    ///     row-major `U` to split (``packedRecurrent`` and ``packedCandidate``).
    init(units: Int, inputUnits: Int, activation: Activation, recurrentActivation: Activation, generation: KerasGeneration,
         resetAfter: Bool, kernel: Scalar.Matrix, recurrentKernel: GRURecurrentKernel<Scalar>, inputBias: WeightVector<Scalar>?, recurrentBias: WeightVector<Scalar>?) {
        self.units = units
        self.inputUnits = inputUnits
        self.activation = activation
        self.recurrentActivation = recurrentActivation
        self.generation = generation
        self.resetAfter = resetAfter
        self.inputBias = inputBias
        self.recurrentBias = recurrentBias
        packedKernel = kernel
        switch recurrentKernel {
        case .prepared(let matrix):
            packedRecurrent = matrix
            packedCandidate = nil
        case .split(let values):
            // Row-major column slices: z and r (2·units wide), then the candidate's units.
            let width = 3 * units
            var gates: [Scalar] = [], candidate: [Scalar] = []
            gates.reserveCapacity(units * 2 * units)
            candidate.reserveCapacity(units * units)
            for row in 0..<units {
                gates += values[(row * width) ..< (row * width + 2 * units)]
                candidate += values[(row * width + 2 * units) ..< ((row + 1) * width)]
            }
            packedRecurrent = Scalar.matrix(gates, rows: units, columns: 2 * units, groups: 2)
            packedCandidate = Scalar.matrix(candidate, rows: units, columns: units, groups: 1)
        }
    }

    var projectionWidth: Int { 3 * units }
    var stateCount: Int { 1 }
    var parameterCount: Int { (inputUnits + units) * 3 * units + (inputBias?.count ?? 0) + (recurrentBias?.count ?? 0) }

    func scratchCount(batch: Int) -> Int { batch * 3 * units }

    func step(z: UnsafeMutablePointer<Scalar>, h: UnsafeMutablePointer<Scalar>, c: UnsafeMutablePointer<Scalar>,
              batch: Int, scratch: UnsafeMutablePointer<Scalar>) {
        let width = 3 * units
        if resetAfter {
            // scratch = h·U + b_h for all three gates.
            if let recurrentBias {
                recurrentBias.withUnsafeBufferPointer { bias in
                    packedRecurrent.multiply(m: batch, h, lda: units, into: scratch, ldc: width, bias: bias.baseAddress, parallel: false)
                }
            } else {
                packedRecurrent.multiply(m: batch, h, lda: units, into: scratch, ldc: width, parallel: false)
            }
            for sample in 0..<batch {
                let zz = z + sample * width, zr = zz + units, zh = zr + units
                let mz = scratch + sample * width, mr = mz + units, mh = mr + units
                for j in 0..<(2 * units) { zz[j] += mz[j] }
                recurrentActivation.apply(zz, count: units, rowLength: units, generation: generation)
                recurrentActivation.apply(zr, count: units, rowLength: units, generation: generation)
                for j in 0..<units { zh[j] += zr[j] * mh[j] }
                activation.apply(zh, count: units, rowLength: units, generation: generation)
                let hs = h + sample * units
                for j in 0..<units { hs[j] = zz[j] * hs[j] + (1 - zz[j]) * zh[j] }
            }
        } else {
            // scratch[0 ..< batch·2u] = h·U[:, :2u]; then (r·h) and (r·h)·U[:, 2u:].
            let gates = scratch, resetHidden = scratch + batch * 2 * units
            packedRecurrent.multiply(m: batch, h, lda: units, into: gates, ldc: 2 * units, parallel: false)
            for sample in 0..<batch {
                let zz = z + sample * width, zr = zz + units
                let g = gates + sample * 2 * units
                for j in 0..<(2 * units) { zz[j] += g[j] }
                recurrentActivation.apply(zz, count: units, rowLength: units, generation: generation)
                recurrentActivation.apply(zr, count: units, rowLength: units, generation: generation)
                let hs = h + sample * units, rh = resetHidden + sample * units
                for j in 0..<units { rh[j] = zr[j] * hs[j] }
            }
            // Reuse the gate scratch for the candidate's recurrent term.
            packedCandidate?.multiply(m: batch, resetHidden, lda: units, into: gates, ldc: units, parallel: false)
            for sample in 0..<batch {
                let zz = z + sample * width, zh = zz + 2 * units
                let term = gates + sample * units
                for j in 0..<units { zh[j] += term[j] }
                activation.apply(zh, count: units, rowLength: units, generation: generation)
                let hs = h + sample * units
                for j in 0..<units { hs[j] = zz[j] * hs[j] + (1 - zz[j]) * zh[j] }
            }
        }
    }
}

/// Keras's `SimpleRNNCell`: `hₜ = φ(xₜ·W + b + hₜ₋₁·U)`.
struct SimpleRNNCell<Scalar: ComputeScalar>: RecurrentCell {
    let units: Int
    let inputUnits: Int
    let activation: Activation
    let generation: KerasGeneration
    let inputBias: WeightVector<Scalar>?
    /// `W`, `(inputUnits, units)`, prepared.
    let packedKernel: Scalar.Matrix
    /// `U`, `(units, units)`, prepared.
    let packedRecurrent: Scalar.Matrix

    init(units: Int, inputUnits: Int, activation: Activation, generation: KerasGeneration,
         kernel: Scalar.Matrix, recurrentKernel: Scalar.Matrix, inputBias: WeightVector<Scalar>?) {
        self.units = units
        self.inputUnits = inputUnits
        self.activation = activation
        self.generation = generation
        self.inputBias = inputBias
        packedKernel = kernel
        packedRecurrent = recurrentKernel
    }

    var projectionWidth: Int { units }
    var stateCount: Int { 1 }
    var parameterCount: Int { (inputUnits + units) * units + (inputBias?.count ?? 0) }

    func scratchCount(batch: Int) -> Int { 0 }

    func step(z: UnsafeMutablePointer<Scalar>, h: UnsafeMutablePointer<Scalar>, c: UnsafeMutablePointer<Scalar>,
              batch: Int, scratch: UnsafeMutablePointer<Scalar>) {
        packedRecurrent.multiply(m: batch, h, lda: units, into: z, ldc: units, accumulate: true, parallel: false)
        activation.apply(z, count: batch * units, rowLength: units, generation: generation)
        h.update(from: z, count: batch * units)
    }
}

/// A GRU's recurrent kernel as its builder hands it over.
enum GRURecurrentKernel<Scalar: ComputeScalar> {
    /// `reset_after`: all of `U` prepared in 3 gate groups.
    case prepared(Scalar.Matrix)
    /// Without `reset_after`: `U` row-major, for the cell to split into its z·r and candidate columns.
    case split([Scalar])
}
