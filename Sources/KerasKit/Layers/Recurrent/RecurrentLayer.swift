/// One step of a recurrent cell for a whole batch, on buffers the layer owns: the shared
/// sequence loop (``RecurrentLayer``) drives it.
protocol RecurrentCell: Sendable {
    /// What the cell computes in.
    associatedtype Scalar: ComputeScalar
    /// The size of `h` (and `c`) per sample, in scalars.
    var units: Int { get }
    /// The scalars of each input step.
    var inputUnits: Int { get }
    /// The shape of one input step (after batch and time): `[inputUnits]` for a vector cell.
    var inputStepShape: [Int] { get }
    /// The shape of one output step and of each state (after batch): `[units]` for a vector cell.
    var outputStepShape: [Int] { get }
    /// Scalars of the input projection per step: 4·units (LSTM), 3·units (GRU), units.
    var projectionWidth: Int { get }
    /// Floating-point operations of one step of one sample (input projection and recurrence).
    var flopsPerStep: Double { get }
    /// States carried between steps: 2 for an LSTM (`h`, `c`), 1 otherwise.
    var stateCount: Int { get }
    /// Added to every projected step, or nil.
    var inputBias: WeightVector<Scalar>? { get }
    /// Weight scalars, as Keras counts them.
    var parameterCount: Int { get }
    /// Scalars of scratch one step needs for `batch` samples.
    func scratchCount(batch: Int) -> Int
    /// Whether a mask with `parts` entries per sample and step applies, each entry to `units /
    /// parts` consecutive state scalars. Every cell takes Keras's `(batch, time)` mask (1 part);
    /// a ConvLSTM also takes one entry per pixel when its states have the input's pixels.
    func acceptsMask(parts: Int) -> Bool
    /// Writes the input projection of `rows` input steps (`rows × inputUnits`, each step in the
    /// layer's layout) to `z` (`rows × projectionWidth`). Runs once per call, before the loop.
    func project(_ x: UnsafePointer<Scalar>, rows: Int, into z: UnsafeMutablePointer<Scalar>) throws(PredictionError)
    /// `rows` output steps or states reordered from the cell's own layout to the layer's
    /// (`toLayer`), or back: a channels-first ConvLSTM keeps its states channels last.
    func reordered(_ values: [Scalar], rows: Int, toLayer: Bool) -> [Scalar]
    /// Advances every sample one step. `z` holds this step's projection (`batch ×
    /// projectionWidth`) and may be overwritten; `h` and `c` (`batch × units`; `c` only for an
    /// LSTM) are updated in place. Allocates nothing.
    func step(z: UnsafeMutablePointer<Scalar>, h: UnsafeMutablePointer<Scalar>, c: UnsafeMutablePointer<Scalar>,
              batch: Int, scratch: UnsafeMutablePointer<Scalar>)
    /// The packed LSTM kernels that run a whole unmasked sequence, for cells that have them.
    var lstmKernel: Scalar.Recurrence? { get }
}

extension RecurrentCell {
    var lstmKernel: Scalar.Recurrence? { nil }
    var inputStepShape: [Int] { [inputUnits] }
    var outputStepShape: [Int] { [units] }
    func reordered(_ values: [Scalar], rows: Int, toLayer: Bool) -> [Scalar] { values }
    func acceptsMask(parts: Int) -> Bool { parts == 1 }
}

/// A cell whose input projection is one matrix product `x·W + b` (LSTM, GRU, SimpleRNN).
protocol VectorRecurrentCell: RecurrentCell {
    /// `W`, `(inputUnits, projectionWidth)`, prepared once at load (packed for the SIMD kernels).
    var packedKernel: Scalar.Matrix { get }
}

extension VectorRecurrentCell {
    // The input and the recurrent product: 2 · width · (inputUnits + units).
    var flopsPerStep: Double { 2 * Double(projectionWidth) * Double(inputUnits + units) }

    func project(_ x: UnsafePointer<Scalar>, rows: Int, into z: UnsafeMutablePointer<Scalar>) throws(PredictionError) {
        if let bias = inputBias {
            bias.withUnsafeBufferPointer { b in
                packedKernel.multiply(m: rows, x, lda: inputUnits, into: z, ldc: projectionWidth, bias: b.baseAddress)
            }
        } else {
            packedKernel.multiply(m: rows, x, lda: inputUnits, into: z, ldc: projectionWidth)
        }
    }
}

/// A runnable recurrent layer: what `Bidirectional` and streaming need to know of one.
protocol RecurrentInferenceLayer: InferenceLayer {
    /// States carried between steps (2 for an LSTM).
    var stateCount: Int { get }
    /// How the layer walks its sequence.
    var options: SequenceOptions { get }
}

/// A Keras recurrent layer at inference — LSTM, GRU, SimpleRNN or ConvLSTM — with Keras's sequence loop:
/// `go_backwards`, masks (masked steps carry the states; their output is the previous output,
/// or zero with `zero_output_for_mask`), `return_sequences`, `return_state`, `stateful`,
/// `initial_state` and Keras 2's `time_major`.
///
/// Unmasked LSTMs run in ``LSTMKernel``. Otherwise the input projection of every step
/// (`x·W + b`, or a ConvLSTM's input convolution) is made before the loop; the loop allocates
/// nothing.
struct RecurrentLayer<Cell: RecurrentCell>: RecurrentInferenceLayer {
    typealias Scalar = Cell.Scalar

    let name: String
    let options: SequenceOptions
    let cell: Cell

    var stateCount: Int { cell.stateCount }
    var timeBehavior: TimeBehavior { options.goBackwards || options.timeMajor ? .wholeSequence : .recurrent }

    var parameterCount: Int { cell.parameterCount }
    var units: Int { cell.units }

    func estimatedFLOPs(inputs: [[Int]]) -> Double {
        guard let input = inputs.first, input.count == 2 + cell.inputStepShape.count else { return 0 }
        return cell.flopsPerStep * Double(input[0]) * Double(input[1])
    }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        let input = inputs[0]
        let stepRank = cell.inputStepShape.count
        guard input.count == 2 + stepRank else {
            let expected = stepRank == 1 ? "3-D input (batch, time, features)" : "input of rank \(2 + stepRank) (batch, time, …)"
            throw .unsupportedTopology(layer: name, reason: "expects \(expected), got \(input.shapeDescription)")
        }
        let batch = options.timeMajor ? input[1] : input[0]
        let time = options.timeMajor ? input[0] : input[1]
        let step: [Int?] = cell.outputStepShape
        let output: [Int?]
        if options.returnSequences {
            output = (options.timeMajor ? [time, batch] : [batch, time]) + step
        } else {
            output = [batch] + step
        }
        return [output] + (options.returnState ? Array(repeating: [batch] + step, count: cell.stateCount) : [])
    }
    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] {
        // Only the sequence output keeps the mask; the states never have one.
        guard options.returnSequences, let mask = call.mask else { return [] }
        return [mask]
    }
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        let stepShape = cell.inputStepShape
        guard input.rank == 2 + stepShape.count, Array(input.shape.dropFirst(2)) == stepShape else {
            let step = stepShape.map(String.init).joined(separator: ", ")
            throw .inputShapeMismatch(layer: name, expected: options.timeMajor ? "(time, batch, \(step))" : "(batch, time, \(step))", actual: input.shape)
        }
        let timeMajor = options.timeMajor
        let batch = timeMajor ? input.shape[1] : input.shape[0]
        let time = timeMajor ? input.shape[0] : input.shape[1]
        guard time > 0 else { throw .emptySequence(layer: name) }
        let mask = call.mask
        let width = cell.projectionWidth
        let units = cell.units
        // Mask entries per sample and step: 1, or (ConvLSTM) one per pixel.
        let maskParts = mask.map { $0.steps / time } ?? 1
        if let mask, mask.batch != batch || mask.steps != time * maskParts || timeMajor || units % maskParts != 0 || !cell.acceptsMask(parts: maskParts) {
            throw .inputShapeMismatch(layer: name, expected: "a (\(batch), \(time)) mask", actual: [mask.batch, mask.steps])
        }
        let partWidth = units / maskParts
        let stateCount = batch * units
        guard let projectionCount = Self.product(batch, time, width), let sequenceCount = Self.product(batch, time, units) else {
            throw .tooLarge(layer: name, elements: "\(batch)×\(time)×\(width)")
        }

        var hidden: [Scalar]
        var cellState: [Scalar]
        if let state, state.batch == batch, state.tensors.count == cell.stateCount {
            hidden = state.tensors[0]
            cellState = cell.stateCount == 2 ? state.tensors[1] : []
        } else if !call.initialState.isEmpty {
            let stateShape = [batch] + cell.outputStepShape
            guard call.initialState.count == cell.stateCount, call.initialState.allSatisfy({ $0.shape == stateShape }) else {
                throw .inputShapeMismatch(layer: name, expected: "initial_state of \(cell.stateCount) tensor(s) of shape \(stateShape.shapeDescription)", actual: call.initialState.first?.shape ?? [])
            }
            hidden = cell.reordered(call.initialState[0].scalars, rows: batch, toLayer: false)
            cellState = cell.stateCount == 2 ? cell.reordered(call.initialState[1].scalars, rows: batch, toLayer: false) : []
        } else {
            hidden = [Scalar](repeating: 0, count: stateCount)
            cellState = cell.stateCount == 2 ? [Scalar](repeating: 0, count: stateCount) : []
        }
        // Keep `c` addressable for cells without one.
        if cellState.isEmpty { cellState = [0] }

        let masked = mask != nil
        let returnSequences = options.returnSequences
        if !masked, let lstm = cell.lstmKernel {
            // The fast path makes its projection chunk by chunk, and writes every element of
            // `sequence` (each step of each sample), so it starts uninitialized.
            let sequence = [Scalar](unsafeUninitializedCapacity: returnSequences ? sequenceCount : 0) { sequence, initialized in
                input.scalars.withUnsafeBufferPointer { x in
                hidden.withUnsafeMutableBufferPointer { h in
                cellState.withUnsafeMutableBufferPointer { c in
                    guard let x = x.baseAddress, let h = h.baseAddress, let c = c.baseAddress else { return }
                    lstm.run(x: x, batch: batch, time: time, timeMajor: timeMajor, goesBackwards: options.goBackwards,
                             h: h, c: c, sequence: returnSequences ? sequence.baseAddress : nil)
                }}}
                initialized = sequence.count
            }
            return outputs(hidden: hidden, cellState: cellState, lastOutput: hidden, sequence: sequence,
                           batch: batch, time: time, previousOutput: nil, call: call, state: &state)
        }

        var projection = [Scalar](repeating: 0, count: projectionCount)
        try input.scalars.withUnsafeBufferPointer { (x) throws(PredictionError) in
            try projection.withUnsafeMutableBufferPointer { (p) throws(PredictionError) in
                guard let x = x.baseAddress, let p = p.baseAddress else { return }
                try cell.project(x, rows: batch * time, into: p)
            }
        }

        var sequence = [Scalar](repeating: 0, count: returnSequences ? sequenceCount : 0)
        var z = [Scalar](repeating: 0, count: batch * width)
        var scratch = [Scalar](repeating: 0, count: max(1, cell.scratchCount(batch: batch)))
        // With a mask: the last (masked) output, and the states before the step to restore.
        var previousOutput = [Scalar](repeating: 0, count: masked ? stateCount : 0)
        // A stream continues the last output across chunks; Keras's own calls start from zeros.
        if masked, call.carriesState, let carried = state?.previousOutput, carried.count == stateCount {
            previousOutput = carried
        }
        var savedHidden = [Scalar](repeating: 0, count: masked ? stateCount : 0)
        var savedCell = [Scalar](repeating: 0, count: masked && cell.stateCount == 2 ? stateCount : 0)
        let maskValues = mask?.values ?? []

        let goBackwards = options.goBackwards
        let zeroOutputForMask = options.zeroOutputForMask
        let hasCellState = cell.stateCount == 2
        // Row of `projection`/`sequence` for a sample's step: batch-major, or time-major input.
        func row(sample: Int, step: Int) -> Int { timeMajor ? step * batch + sample : sample * time + step }

        projection.withUnsafeBufferPointer { projection in
        hidden.withUnsafeMutableBufferPointer { hidden in
        cellState.withUnsafeMutableBufferPointer { cellState in
        z.withUnsafeMutableBufferPointer { z in
        scratch.withUnsafeMutableBufferPointer { scratch in
        previousOutput.withUnsafeMutableBufferPointer { previousOutput in
        savedHidden.withUnsafeMutableBufferPointer { savedHidden in
        savedCell.withUnsafeMutableBufferPointer { savedCell in
        sequence.withUnsafeMutableBufferPointer { sequence in
            guard let projection = projection.baseAddress, let h = hidden.baseAddress, let c = cellState.baseAddress,
                  let z = z.baseAddress, let scratch = scratch.baseAddress else { return }
            for step in 0..<time {
                let inputStep = goBackwards ? time - 1 - step : step
                for sample in 0..<batch {
                    (z + sample * width).update(from: projection + row(sample: sample, step: inputStep) * width, count: width)
                }
                if masked, let savedH = savedHidden.baseAddress {
                    savedH.update(from: h, count: stateCount)
                    if hasCellState, let savedC = savedCell.baseAddress { savedC.update(from: c, count: stateCount) }
                }
                cell.step(z: z, h: h, c: c, batch: batch, scratch: scratch)
                var stepOutput = UnsafePointer(h)
                if masked, let previous = previousOutput.baseAddress, let savedH = savedHidden.baseAddress {
                    for sample in 0..<batch {
                        let entries = (sample * time + inputStep) * maskParts
                        for part in 0..<maskParts {
                            let offset = sample * units + part * partWidth
                            if maskValues[entries + part] {
                                (previous + offset).update(from: h + offset, count: partWidth)
                            } else {
                                (h + offset).update(from: savedH + offset, count: partWidth)
                                if hasCellState, let savedC = savedCell.baseAddress { (c + offset).update(from: savedC + offset, count: partWidth) }
                                if zeroOutputForMask { (previous + offset).update(repeating: 0, count: partWidth) }
                            }
                        }
                    }
                    stepOutput = UnsafePointer(previous)
                }
                if returnSequences, let out = sequence.baseAddress {
                    for sample in 0..<batch {
                        (out + row(sample: sample, step: step) * units).update(from: stepOutput + sample * units, count: units)
                    }
                }
            }
        }}}}}}}}}

        return outputs(hidden: hidden, cellState: cellState, lastOutput: masked ? previousOutput : hidden, sequence: sequence,
                       batch: batch, time: time, previousOutput: masked ? previousOutput : nil, call: call, state: &state)
    }

    /// The call's outputs from the final states (and the carried state, when it is kept).
    /// `lastOutput` is the output of the last step: `h`, or with a mask the last unmasked output.
    private func outputs(hidden: [Scalar], cellState: [Scalar], lastOutput: [Scalar], sequence: [Scalar],
                         batch: Int, time: Int, previousOutput: [Scalar]?, call: LayerCall<Scalar>,
                         state: inout LayerState<Scalar>?) -> [TensorOf<Scalar>] {
        let step = cell.outputStepShape
        let hasCellState = cell.stateCount == 2
        let finalCell = hasCellState ? cellState : []
        if options.stateful || call.carriesState {
            state = LayerState(batch: batch, tensors: hasCellState ? [hidden, finalCell] : [hidden],
                               previousOutput: call.carriesState ? (previousOutput ?? hidden) : nil)
        }
        let output: TensorOf<Scalar>
        if options.returnSequences {
            output = TensorOf(uncheckedShape: (options.timeMajor ? [time, batch] : [batch, time]) + step,
                              scalars: cell.reordered(sequence, rows: batch * time, toLayer: true))
        } else {
            output = TensorOf(uncheckedShape: [batch] + step, scalars: cell.reordered(lastOutput, rows: batch, toLayer: true))
        }
        guard options.returnState else { return [output] }
        var outputs = [output, TensorOf(uncheckedShape: [batch] + step, scalars: cell.reordered(hidden, rows: batch, toLayer: true))]
        if hasCellState { outputs.append(TensorOf(uncheckedShape: [batch] + step, scalars: cell.reordered(finalCell, rows: batch, toLayer: true))) }
        return outputs
    }

    /// `a·b·c`, or nil on overflow or a negative factor (``Swift/Array/checkedProduct`` without an array).
    private static func product(_ a: Int, _ b: Int, _ c: Int) -> Int? {
        guard a >= 0, b >= 0, c >= 0 else { return nil }
        let (ab, first) = a.multipliedReportingOverflow(by: b)
        let (abc, second) = ab.multipliedReportingOverflow(by: c)
        return first || second ? nil : abc
    }
}

extension Array where Element == Int {
    /// The product, or nil on overflow or a negative factor.
    var checkedProduct: Int? { try? Tensor.elementCount(of: self) }
}
