/// `LSTM` at inference, exactly as Keras computes it (gate order i, f, c, o):
///
///     z = xₜ·W + hₜ₋₁·U + b
///     i = σ(z₀), f = σ(z₁), g = φ(z₂), o = σ(z₃)
///     cₜ = f·cₜ₋₁ + i·g,  hₜ = o·φ(cₜ)
///
/// The input projection `x·W + b` is one matrix product over every step before the loop; the
/// loop itself allocates nothing.
struct LSTMLayer: InferenceLayer {
    let config: LSTMConfig
    let generation: KerasGeneration
    let inputUnits: Int
    /// `(inputUnits, 4·units)`, row-major, as Keras stores it.
    let kernel: [Float]
    /// `(units, 4·units)`.
    let recurrentKernel: [Float]
    /// `(4·units)`, or nil without bias.
    let bias: [Float]?

    var name: String { config.common.name }
    var units: Int { config.units }
    var parameterCount: Int { kernel.count + recurrentKernel.count + (bias?.count ?? 0) }

    func outputShapes(for inputs: [[Int?]]) -> [[Int?]] {
        let input = inputs[0]
        let batch = config.timeMajor ? input.dropFirst().first ?? nil : input.first ?? nil
        let time = config.timeMajor ? input.first ?? nil : input.dropFirst().first ?? nil
        let output: [Int?]
        if config.returnSequences {
            output = config.timeMajor ? [time, batch, units] : [batch, time, units]
        } else {
            output = [batch, units]
        }
        return config.returnState ? [output, [batch, units], [batch, units]] : [output]
    }

    func forward(_ call: LayerCall, state: inout LayerState?) throws(PredictionError) -> [Tensor] {
        let input = call.input
        guard input.rank == 3, input.shape[2] == inputUnits else {
            throw .inputShapeMismatch(layer: name, expected: config.timeMajor ? "(time, batch, \(inputUnits))" : "(batch, time, \(inputUnits))", actual: input.shape)
        }
        let batch = config.timeMajor ? input.shape[1] : input.shape[0]
        let time = config.timeMajor ? input.shape[0] : input.shape[1]
        guard time > 0 else { throw .emptySequence(layer: name) }
        let gates = 4 * units
        let stateCount = batch * units
        guard let projectionCount = [batch, time, gates].checkedProduct,
              let sequenceCount = [batch, time, units].checkedProduct else {
            throw .tooLarge(layer: name, elements: "\(batch)×\(time)×\(gates)")
        }

        var hidden: [Float]
        var cell: [Float]
        if let state, state.batch == batch, state.tensors.count == 2 {
            hidden = state.tensors[0]
            cell = state.tensors[1]
        } else if !call.initialState.isEmpty {
            guard call.initialState.count == 2, call.initialState.allSatisfy({ $0.shape == [batch, units] }) else {
                throw .inputShapeMismatch(layer: name, expected: "initial_state [h, c], each (\(batch), \(units))", actual: call.initialState.first?.shape ?? [])
            }
            hidden = call.initialState[0].scalars
            cell = call.initialState[1].scalars
        } else {
            hidden = [Float](repeating: 0, count: stateCount)
            cell = [Float](repeating: 0, count: stateCount)
        }
        var projection = [Float](repeating: 0, count: projectionCount)
        var sequence = [Float](repeating: 0, count: config.returnSequences ? sequenceCount : 0)
        var z = [Float](repeating: 0, count: batch * gates)
        var activatedCell = [Float](repeating: 0, count: units)

        // Row r of `projection` is step `r % time` of sample `r / time` (batch-major), or the
        // transpose for time-major input; `rowOf` hides which.
        let timeMajor = config.timeMajor
        func rowOf(sample: Int, step: Int) -> Int { timeMajor ? step * batch + sample : sample * time + step }

        input.scalars.withUnsafeBufferPointer { x in
            kernel.withUnsafeBufferPointer { w in
                projection.withUnsafeMutableBufferPointer { p in
                    guard let x = x.baseAddress, let w = w.baseAddress, let p = p.baseAddress else { return }
                    multiplyMatrices(m: batch * time, n: gates, k: inputUnits, x, lda: inputUnits, w, ldb: gates, into: p, ldc: gates, accumulate: false)
                    if let bias {
                        bias.withUnsafeBufferPointer { b in
                            if let b = b.baseAddress { addRowVector(b, to: p, rows: batch * time, columns: gates) }
                        }
                    }
                }
            }
        }

        let activation = config.activation
        let recurrentActivation = config.recurrentActivation
        let generation = generation
        let goBackwards = config.goBackwards
        let returnSequences = config.returnSequences
        projection.withUnsafeBufferPointer { projection in
        recurrentKernel.withUnsafeBufferPointer { recurrent in
        hidden.withUnsafeMutableBufferPointer { hidden in
        cell.withUnsafeMutableBufferPointer { cell in
        z.withUnsafeMutableBufferPointer { z in
        activatedCell.withUnsafeMutableBufferPointer { activatedCell in
        sequence.withUnsafeMutableBufferPointer { sequence in
            guard let projection = projection.baseAddress, let recurrent = recurrent.baseAddress,
                  let h = hidden.baseAddress, let c = cell.baseAddress, let z = z.baseAddress,
                  let phiC = activatedCell.baseAddress else { return }
            for step in 0..<time {
                let inputStep = goBackwards ? time - 1 - step : step
                for sample in 0..<batch {
                    (z + sample * gates).update(from: projection + rowOf(sample: sample, step: inputStep) * gates, count: gates)
                }
                multiplyMatrices(m: batch, n: gates, k: units, h, lda: units, recurrent, ldb: gates, into: z, ldc: gates, accumulate: true)
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
                    if returnSequences, let out = sequence.baseAddress {
                        (out + rowOf(sample: sample, step: step) * units).update(from: hs, count: units)
                    }
                }
            }
        }}}}}}}

        if config.stateful { state = LayerState(batch: batch, tensors: [hidden, cell]) }
        let output: Tensor
        if config.returnSequences {
            output = Tensor(uncheckedShape: timeMajor ? [time, batch, units] : [batch, time, units], scalars: sequence)
        } else {
            output = Tensor(uncheckedShape: [batch, units], scalars: hidden)
        }
        guard config.returnState else { return [output] }
        return [output, Tensor(uncheckedShape: [batch, units], scalars: hidden), Tensor(uncheckedShape: [batch, units], scalars: cell)]
    }
}

extension Array where Element == Int {
    /// The product, or nil on overflow or a negative factor.
    var checkedProduct: Int? { try? Tensor.elementCount(of: self) }
}
