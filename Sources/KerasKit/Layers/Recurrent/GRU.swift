/// `keras.layers.GRU` (gate order z, r, h). `reset_after` defaults to true (Keras 2 v2 and
/// Keras 3); the bias shape `(2, 3·units)` vs `(3·units,)` is the final word when they disagree.
@dynamicMemberLookup
public struct GRUConfig: VectorRecurrentLayerConfiguration {
    public static let className = "GRU"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The shared recurrent arguments.
    public let recurrent: RecurrentArguments
    /// Apply the reset gate after the recurrent matrix product (cuDNN-compatible).
    public let resetAfter: Bool

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        recurrent = try RecurrentArguments(reading: &arguments, hasRecurrentActivation: true, readsUnitForgetBias: false)
        resetAfter = try arguments.flag("reset_after", default: true)
    }

    /// A shared recurrent argument: `units`, `activation`, `returnSequences`, ….
    public subscript<Value>(dynamicMember keyPath: KeyPath<RecurrentArguments, Value>) -> Value {
        recurrent[keyPath: keyPath]
    }

    public var outputCount: Int { recurrent.returnState ? 2 : 1 }

    public var weightRoles: [WeightRole] {
        [WeightRole("kernel", packedGroups: 3), WeightRole("recurrent_kernel", packedGroups: resetAfter ? 3 : nil)]
            + (recurrent.useBias ? [WeightRole("bias")] : [])
    }

    /// As the builder decides: the stored bias's rank, when there is one, says `reset_after`, and
    /// only then is the recurrent kernel multiplied whole.
    func packedWeights(stored: [WeightArray]) -> [Int: Int] {
        let resetAfter = stored.count == 3 ? stored[2].shape.count == 2 : self.resetAfter
        return resetAfter ? [0: 3, 1: 3] : [0: 3]
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        RunnableLayer(RecurrentLayer(name: common.name, options: recurrent.sequenceOptions, cell: try makeCell(input: inputs.first ?? [], weights: weights, context: context)))
    }

    func makeCell<Scalar: ComputeScalar>(input: [Int?], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> GRUCell<Scalar> {
        let inputUnits = try recurrentInputUnits(input, layer: common.name)
        let units = recurrent.units, width = 3 * units
        var inputBias: WeightVector<Scalar>?
        var recurrentBias: WeightVector<Scalar>?
        // The bias's rank is the final word on reset_after: (2, 3u) with it, (3u,) without.
        var resetAfter = self.resetAfter
        if recurrent.useBias, weights.arrays.count == 3 {
            resetAfter = weights.arrays[2].shape.count == 2
            if resetAfter {
                let bias = try weights.vector("bias", shape: [2, width])
                inputBias = bias.slice(0..<width)
                recurrentBias = bias.slice(width..<(2 * width))
            } else {
                inputBias = try weights.vector("bias", shape: [width])
            }
        }
        return GRUCell(
            units: units, inputUnits: inputUnits, activation: recurrent.activation, recurrentActivation: recurrent.recurrentActivation,
            generation: context.generation, resetAfter: resetAfter,
            kernel: try weights.matrix("kernel", shape: [inputUnits, width], groups: 3),
            recurrentKernel: resetAfter
                ? .prepared(try weights.matrix("recurrent_kernel", shape: [units, width], groups: 3))
                : .split(try weights.values("recurrent_kernel", shape: [units, width])),
            inputBias: inputBias, recurrentBias: recurrentBias
        )
    }
}

/// Keras's `GRUCell` (gate order z, r, h; `h = z·hₜ₋₁ + (1 − z)·ĥ`).
///
/// With `reset_after` (bias `(2, 3·units)`: input row, recurrent row):
///     m = hₜ₋₁·U + b_h;  z = σ(x_z + m_z);  r = σ(x_r + m_r);  ĥ = φ(x_h + r·m_h)
/// Without (bias `(3·units,)`, input only):
///     z = σ(x_z + hₜ₋₁·U_z);  r = σ(x_r + hₜ₋₁·U_r);  ĥ = φ(x_h + (r·hₜ₋₁)·U_h)
struct GRUCell<Scalar: ComputeScalar>: VectorRecurrentCell {
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

/// A GRU's recurrent kernel as its builder hands it over.
enum GRURecurrentKernel<Scalar: ComputeScalar> {
    /// `reset_after`: all of `U` prepared in 3 gate groups.
    case prepared(Scalar.Matrix)
    /// Without `reset_after`: `U` row-major, for the cell to split into its z·r and candidate columns.
    case split([Scalar])
}
