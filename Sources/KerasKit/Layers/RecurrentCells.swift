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

    var projectionWidth: Int { 3 * units }
    var stateCount: Int { 1 }
    var parameterCount: Int { kernel.count + recurrentKernel.count + (inputBias?.count ?? 0) + (recurrentBias?.count ?? 0) }

    func scratchCount(batch: Int) -> Int { batch * 3 * units }

    func step(z: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>,
              batch: Int, scratch: UnsafeMutablePointer<Float>) {
        let width = 3 * units
        recurrentKernel.withUnsafeBufferPointer { recurrent in
            guard let recurrent = recurrent.baseAddress else { return }
            if resetAfter {
                // scratch = h·U + b_h for all three gates.
                multiplyMatrices(m: batch, n: width, k: units, h, lda: units, recurrent, ldb: width, into: scratch, ldc: width, accumulate: false)
                recurrentBias?.withUnsafeBufferPointer { bias in
                    if let bias = bias.baseAddress { addRowVector(bias, to: scratch, rows: batch, columns: width) }
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
                multiplyMatrices(m: batch, n: 2 * units, k: units, h, lda: units, recurrent, ldb: width, into: gates, ldc: 2 * units, accumulate: false)
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
                multiplyMatrices(m: batch, n: units, k: units, resetHidden, lda: units, recurrent + 2 * units, ldb: width, into: gates, ldc: units, accumulate: false)
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

    var projectionWidth: Int { units }
    var stateCount: Int { 1 }
    var parameterCount: Int { kernel.count + recurrentKernel.count + (inputBias?.count ?? 0) }

    func scratchCount(batch: Int) -> Int { 0 }

    func step(z: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>,
              batch: Int, scratch: UnsafeMutablePointer<Float>) {
        recurrentKernel.withUnsafeBufferPointer { recurrent in
            guard let recurrent = recurrent.baseAddress else { return }
            multiplyMatrices(m: batch, n: units, k: units, h, lda: units, recurrent, ldb: units, into: z, ldc: units, accumulate: true)
        }
        activation.apply(z, count: batch * units, rowLength: units, generation: generation)
        h.update(from: z, count: batch * units)
    }
}
