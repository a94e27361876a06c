/// Keras's `LSTMCell` (gate order i, f, c, o):
///
///     z = xₜ·W + b + hₜ₋₁·U
///     i = σ(z₀), f = σ(z₁), g = φ(z₂), o = σ(z₃)
///     cₜ = f·cₜ₋₁ + i·g,  hₜ = o·φ(cₜ)
struct LSTMCell: RecurrentCell {
    let units: Int
    let inputUnits: Int
    let activation: Activation
    let recurrentActivation: Activation
    let generation: KerasGeneration
    let kernel: [Float]
    /// `(units, 4·units)`.
    let recurrentKernel: [Float]
    let inputBias: [Float]?
    /// The same weights packed for the SIMD kernels, once at load.
    let fast: LSTMKernel

    var lstmKernel: LSTMKernel? { fast }
    var packedKernel: PackedMatrix { fast.kernel }

    init(units: Int, inputUnits: Int, activation: Activation, recurrentActivation: Activation, generation: KerasGeneration,
         kernel: [Float], recurrentKernel: [Float], inputBias: [Float]?) {
        self.units = units
        self.inputUnits = inputUnits
        self.activation = activation
        self.recurrentActivation = recurrentActivation
        self.generation = generation
        self.kernel = kernel
        self.recurrentKernel = recurrentKernel
        self.inputBias = inputBias
        fast = LSTMKernel(kernel: kernel, recurrentKernel: recurrentKernel, bias: inputBias, inputUnits: inputUnits, units: units,
                          activation: activation, recurrentActivation: recurrentActivation, generation: generation)
    }

    var projectionWidth: Int { 4 * units }
    var stateCount: Int { 2 }
    var parameterCount: Int { kernel.count + recurrentKernel.count + (inputBias?.count ?? 0) }

    func scratchCount(batch: Int) -> Int { units }

    func step(z: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>,
              batch: Int, scratch: UnsafeMutablePointer<Float>) {
        fast.step(z: z, h: h, c: c, batch: batch)
    }
}

/// Keras's `GRUCell` (gate order z, r, h; `h = z·hₜ₋₁ + (1 − z)·ĥ`).
///
/// With `reset_after` (bias `(2, 3·units)`: input row, recurrent row):
///     m = hₜ₋₁·U + b_h;  z = σ(x_z + m_z);  r = σ(x_r + m_r);  ĥ = φ(x_h + r·m_h)
/// Without (bias `(3·units,)`, input only):
///     z = σ(x_z + hₜ₋₁·U_z);  r = σ(x_r + hₜ₋₁·U_r);  ĥ = φ(x_h + (r·hₜ₋₁)·U_h)
struct GRUCell: RecurrentCell {
    let units: Int
    let inputUnits: Int
    let activation: Activation
    let recurrentActivation: Activation
    let generation: KerasGeneration
    let resetAfter: Bool
    let kernel: [Float]
    /// `(units, 3·units)`.
    let recurrentKernel: [Float]
    let inputBias: [Float]?
    /// `reset_after` only: the recurrent bias row.
    let recurrentBias: [Float]?
    /// `kernel` packed (3 gate groups).
    let packedKernel: PackedMatrix
    /// With `reset_after`, all of `U` (3 gate groups); without, its z and r columns only.
    let packedRecurrent: PackedMatrix
    /// Without `reset_after`: `U`'s candidate columns; nil with it.
    let packedCandidate: PackedMatrix?

    init(units: Int, inputUnits: Int, activation: Activation, recurrentActivation: Activation, generation: KerasGeneration,
         resetAfter: Bool, kernel: [Float], recurrentKernel: [Float], inputBias: [Float]?, recurrentBias: [Float]?) {
        self.units = units
        self.inputUnits = inputUnits
        self.activation = activation
        self.recurrentActivation = recurrentActivation
        self.generation = generation
        self.resetAfter = resetAfter
        self.kernel = kernel
        self.recurrentKernel = recurrentKernel
        self.inputBias = inputBias
        self.recurrentBias = recurrentBias
        let width = 3 * units
        packedKernel = PackedMatrix(kernel, rows: inputUnits, columns: width, groups: 3)
        if resetAfter {
            packedRecurrent = PackedMatrix(recurrentKernel, rows: units, columns: width, groups: 3)
            packedCandidate = nil
        } else {
            // Row-major column slices: z and r (2·units wide), then the candidate's units.
            var gates: [Float] = [], candidate: [Float] = []
            gates.reserveCapacity(units * 2 * units)
            candidate.reserveCapacity(units * units)
            for row in 0..<units {
                gates += recurrentKernel[(row * width) ..< (row * width + 2 * units)]
                candidate += recurrentKernel[(row * width + 2 * units) ..< ((row + 1) * width)]
            }
            packedRecurrent = PackedMatrix(gates, rows: units, columns: 2 * units, groups: 2)
            packedCandidate = PackedMatrix(candidate, rows: units, columns: units)
        }
    }

    var projectionWidth: Int { 3 * units }
    var stateCount: Int { 1 }
    var parameterCount: Int { kernel.count + recurrentKernel.count + (inputBias?.count ?? 0) + (recurrentBias?.count ?? 0) }

    func scratchCount(batch: Int) -> Int { batch * 3 * units }

    func step(z: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>,
              batch: Int, scratch: UnsafeMutablePointer<Float>) {
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
struct SimpleRNNCell: RecurrentCell {
    let units: Int
    let inputUnits: Int
    let activation: Activation
    let generation: KerasGeneration
    let kernel: [Float]
    /// `(units, units)`.
    let recurrentKernel: [Float]
    let inputBias: [Float]?
    /// `kernel` packed.
    let packedKernel: PackedMatrix
    /// `recurrentKernel` packed.
    let packedRecurrent: PackedMatrix

    init(units: Int, inputUnits: Int, activation: Activation, generation: KerasGeneration,
         kernel: [Float], recurrentKernel: [Float], inputBias: [Float]?) {
        self.units = units
        self.inputUnits = inputUnits
        self.activation = activation
        self.generation = generation
        self.kernel = kernel
        self.recurrentKernel = recurrentKernel
        self.inputBias = inputBias
        packedKernel = PackedMatrix(kernel, rows: inputUnits, columns: units)
        packedRecurrent = PackedMatrix(recurrentKernel, rows: units, columns: units)
    }

    var projectionWidth: Int { units }
    var stateCount: Int { 1 }
    var parameterCount: Int { kernel.count + recurrentKernel.count + (inputBias?.count ?? 0) }

    func scratchCount(batch: Int) -> Int { 0 }

    func step(z: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>,
              batch: Int, scratch: UnsafeMutablePointer<Float>) {
        packedRecurrent.multiply(m: batch, h, lda: units, into: z, ldc: units, accumulate: true, parallel: false)
        activation.apply(z, count: batch * units, rowLength: units, generation: generation)
        h.update(from: z, count: batch * units)
    }
}
