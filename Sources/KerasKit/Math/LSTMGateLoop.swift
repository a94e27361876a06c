/// One LSTM step's gate math for any activations, after `z` holds the step's pre-activations
/// (projection plus `hₜ₋₁·U`, `batch × 4·units`, gate order i, f, c, o; overwritten):
///
///     i = σ(zᵢ), f = σ(z_f), g = φ(z_c), o = σ(z_o);  c = f·c + i·g;  h = o·φ(c)
///
/// The plain loop that ``LSTMKernel`` runs for activations its fused kernel doesn't have, and
/// that ``ReferenceLSTMKernel`` runs always. Takes `units` scalars from
/// `withUnsafeTemporaryAllocation` (the stack when small); allocates nothing else.
func applyLSTMGates<Scalar: ComputeScalar>(
    z: UnsafeMutablePointer<Scalar>, h: UnsafeMutablePointer<Scalar>, c: UnsafeMutablePointer<Scalar>,
    batch: Int, units: Int, activation: Activation, recurrentActivation: Activation, generation: KerasGeneration
) {
    let gates = 4 * units
    withUnsafeTemporaryAllocation(of: Scalar.self, capacity: max(units, 1)) { buffer in
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
