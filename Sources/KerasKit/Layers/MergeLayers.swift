/// `Concatenate`: joins its inputs along one axis.
///
/// Output mask, when any input has one (an input without a mask counts as all valid):
/// - along the last axis, Keras 2 ANDs the masks (`all`) and Keras 3 ORs them (`any`);
/// - along another axis, both join the masks along that axis.
struct ConcatenateLayer<Scalar: ComputeScalar>: InferenceLayer {
    let config: ConcatenateConfig
    let generation: KerasGeneration

    var name: String { config.common.name }
    var parameterCount: Int { 0 }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        guard let first = inputs.first, let axis = resolvedAxis(config.axis, rank: first.count) else {
            throw .unsupportedTopology(layer: name, reason: "axis \(config.axis) is outside input \(inputs.first?.shapeDescription ?? "()")")
        }
        var output = first
        for shape in inputs.dropFirst() {
            guard shape.count == first.count else {
                throw .unsupportedTopology(layer: name, reason: "inputs \(inputs.map(\.shapeDescription).joined(separator: ", ")) have different ranks")
            }
            for index in shape.indices where index != axis {
                if let a = output[index], let b = shape[index], a != b {
                    throw .unsupportedTopology(layer: name, reason: "inputs \(inputs.map(\.shapeDescription).joined(separator: ", ")) differ outside axis \(config.axis)")
                }
                if output[index] == nil { output[index] = shape[index] }
            }
            if let a = output[axis], let b = shape[axis] {
                let (sum, overflow) = a.addingReportingOverflow(b)
                guard !overflow else { throw .unsupportedTopology(layer: name, reason: "the concatenated axis is too long") }
                output[axis] = sum
            } else {
                output[axis] = nil
            }
        }
        return [output]
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        try compute(call, state: &state)
    }

    /// The call's computation: ``forward(_:state:)`` enters it specialized for the scalar
    /// without generic setup of its own.
    private func compute(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let inputs = call.inputs
        let shapes = inputs.map(\.shape)
        guard let first = shapes.first else {
            throw .inputShapeMismatch(layer: name, expected: "at least one input", actual: [])
        }
        guard let axis = resolvedAxis(config.axis, rank: first.count),
              shapes.allSatisfy({ shape in
                  shape.count == first.count && shape.indices.allSatisfy { $0 == axis || shape[$0] == first[$0] }
              }) else {
            throw .inputShapeMismatch(layer: name, expected: "inputs of one shape except axis \(config.axis), got \(shapes.map(\.shapeDescription).joined(separator: ", ")); this one", actual: shapes.last ?? [])
        }
        var outputShape = first
        var total = 0
        for shape in shapes {
            let (sum, overflow) = total.addingReportingOverflow(shape[axis])
            guard !overflow else { throw .tooLarge(layer: name, elements: "concatenated axis") }
            total = sum
        }
        outputShape[axis] = total
        _ = try checkedElementCount(outputShape, layer: name)
        let outer = product(first, 0..<axis)
        let inner = product(first, (axis + 1)..<first.count)
        let blocks = shapes.map { $0[axis] * inner }
        let scalars = concatenateBlocks(inputs.map(\.scalars), outer: outer, blocks: blocks, zero: Scalar(0))
        return [TensorOf(uncheckedShape: outputShape, scalars: scalars)]
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] {
        let masks = call.masks
        guard masks.contains(where: { $0 != nil }), let output = outputs.first,
              let rank = call.inputs.first?.rank, rank >= 2,
              let axis = resolvedAxis(config.axis, rank: rank) else { return [nil] }
        // Each input's mask, all-valid where it has none.
        var parts: [[Bool]] = []
        for (index, input) in call.inputs.enumerated() {
            let mask = index < masks.count ? masks[index] : nil
            if let mask {
                guard mask.fits(input.shape) else { return [nil] }
                parts.append(mask.values)
            } else {
                parts.append(Array(repeating: true, count: input.shape[0] * Mask.steps(for: input.shape)))
            }
        }
        let batch = output.shape[0], steps = Mask.steps(for: output.shape)
        if axis == rank - 1 {
            // The masks share one layout: combine them element-wise.
            let count = batch * steps
            guard parts.allSatisfy({ $0.count == count }) else { return [nil] }
            var values = [Bool](repeating: generation == .keras2, count: count)
            for part in parts {
                for index in 0..<count {
                    values[index] = generation == .keras2 ? (values[index] && part[index]) : (values[index] || part[index])
                }
            }
            return [Mask(batch: batch, steps: steps, values: values)]
        }
        // Join along the mask axis `axis` (mask axes are the tensor's axes but the last).
        let maskShapes = call.inputs.map { Array($0.shape.dropLast()) }
        let outer = product(maskShapes[0], 0..<axis)
        let blocks = maskShapes.map { product($0, axis..<$0.count) }
        let values = concatenateBlocks(parts, outer: outer, blocks: blocks, zero: false)
        return [Mask(batch: batch, steps: steps, values: values)]
    }

    var timeBehavior: TimeBehavior {
        config.axis == -1 ? .stepwise : .wholeSequence
    }
}

/// `Add`, `Subtract`, `Multiply`, `Average`, `Maximum`, `Minimum`: element-wise over inputs of
/// one shape, or of shapes that broadcast as Keras broadcasts them (lower-rank inputs gain size-1
/// axes after the batch axis, then size-1 axes stretch).
///
/// Masks (verified against `base_merge.py` of both generations):
/// - output mask: Keras 2 ANDs the masks present (none when no input has one); Keras 3 ORs
///   them, and gives none as soon as one input has none;
/// - values: Keras 2 ignores masks. Keras 3's `Maximum` and `Minimum` replace a masked
///   element by the running result (so a masked input doesn't take part), and its `Multiply`
///   treats masked elements as 1, then zeroes the elements masked in every input when all
///   inputs have masks. (KerasKit applies these value rules to inputs of one shape; inputs
///   that broadcast are combined without looking at their masks.)
struct ElementwiseMergeLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let operation: MergeOperation
    let generation: KerasGeneration

    var parameterCount: Int { 0 }

    /// Keras's rule for inputs of different ranks: insert size-1 axes after the batch axis.
    private static func expanded<Size>(_ shape: [Size], to rank: Int, one: Size) -> [Size] {
        guard shape.count < rank, !shape.isEmpty else { return shape }
        return [shape[0]] + Array(repeating: one, count: rank - shape.count) + Array(shape.dropFirst())
    }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        guard !inputs.isEmpty, operation != .subtract || inputs.count == 2 else {
            throw .unsupportedTopology(layer: name, reason: operation == .subtract ? "Subtract takes exactly 2 inputs, got \(inputs.count)" : "a merge layer needs inputs")
        }
        let rank = inputs.map(\.count).max() ?? 0
        var output: [Int?] = Array(repeating: 1, count: rank)
        for shape in inputs {
            let shape = Self.expanded(shape, to: rank, one: 1)
            guard shape.count == rank else {
                throw .unsupportedTopology(layer: name, reason: "a scalar input cannot be merged")
            }
            for axis in 0..<rank {
                switch (output[axis], shape[axis]) {
                case (1, let size): output[axis] = size
                case (_, 1): break
                case (let a?, let b?) where a != b:
                    throw .unsupportedTopology(layer: name, reason: "inputs \(inputs.map(\.shapeDescription).joined(separator: ", ")) do not broadcast")
                case (nil, _), (_, nil): output[axis] = axis == 0 ? (output[axis] ?? shape[axis]) : nil
                default: break
                }
            }
        }
        return [output]
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        try compute(call, state: &state)
    }

    /// The call's computation: ``forward(_:state:)`` enters it specialized for the scalar
    /// without generic setup of its own.
    private func compute(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let inputs = call.inputs
        guard operation != .subtract || inputs.count == 2, let first = inputs.first else {
            throw .inputShapeMismatch(layer: name, expected: "2 inputs", actual: [inputs.count])
        }
        if inputs.allSatisfy({ $0.shape == first.shape }) {
            return [TensorOf(uncheckedShape: first.shape, scalars: combineSameShape(inputs, masks: call.masks))]
        }
        return [try combineBroadcasting(inputs)]
    }

    /// One binary step of the operation (`average` sums; the division comes last).
    @inline(__always)
    private func apply(_ a: Scalar, _ b: Scalar) -> Scalar {
        switch operation {
        case .add, .average: a + b
        case .subtract: a - b
        case .multiply: a * b
        case .maximum: Swift.max(a, b)
        case .minimum: Swift.min(a, b)
        }
    }

    private func combineSameShape(_ inputs: [TensorOf<Scalar>], masks: [Mask?]) -> [Scalar] {
        let shape = inputs[0].shape
        var output = inputs[0].scalars
        let count = output.count
        // Keras 3 lets masks change Maximum, Minimum and Multiply.
        let usesMasks = generation >= .keras3 && [.maximum, .minimum, .multiply].contains(operation)
        let flags: [Mask?] = inputs.indices.map { index in
            guard usesMasks, index < masks.count, let mask = masks[index], mask.fits(shape) else { return nil }
            return mask
        }
        guard flags.contains(where: { $0 != nil }) else {
            output.withUnsafeMutableBufferPointer { y in
                for input in inputs.dropFirst() {
                    input.scalars.withUnsafeBufferPointer { x in
                        for index in 0..<count { y[index] = apply(y[index], x[index]) }
                    }
                }
                if operation == .average {
                    let scale = Scalar(inputs.count)
                    for index in 0..<count { y[index] /= scale }
                }
            }
            return output
        }
        let width = shape.last ?? 1
        if operation == .multiply {
            // Masked elements count as 1; with masks on every input, elements masked in all are 0.
            let allMasked = flags.allSatisfy { $0 != nil }
            for index in 0..<count {
                let row = index / Swift.max(width, 1)
                var product: Scalar = 1
                var anyValid = false
                for (input, mask) in zip(inputs, flags) {
                    let valid = mask?.values[row] ?? true
                    if valid { product *= input.scalars[index] }
                    anyValid = anyValid || (mask?.values[row] ?? false)
                }
                output[index] = allMasked && !anyValid ? 0 : product
            }
            return output
        }
        // Maximum / Minimum, following `_apply_merge_op_and_or_mask`: the running output
        // replaces a masked input, and a masked running output is replaced by the input.
        for index in 0..<count {
            let row = index / Swift.max(width, 1)
            var value = inputs[0].scalars[index]
            var outputValid: Bool? = flags[0]?.values[row]
            for (input, mask) in zip(inputs.dropFirst(), flags.dropFirst()) {
                var x = input.scalars[index]
                let valid = mask?.values[row]
                if let valid, !valid { x = value }
                if let outputValid, !outputValid { value = x }
                if let valid, let current = outputValid {
                    outputValid = current || valid
                } else {
                    outputValid = nil
                }
                value = apply(value, x)
            }
            output[index] = value
        }
        return output
    }

    private func combineBroadcasting(_ inputs: [TensorOf<Scalar>]) throws(PredictionError) -> TensorOf<Scalar> {
        let rank = inputs.map(\.rank).max() ?? 0
        var result: TensorOf<Scalar>?
        for input in inputs {
            let shape = Self.expanded(input.shape, to: rank, one: 1)
            guard shape.count == rank else {
                throw .inputShapeMismatch(layer: name, expected: "inputs of rank \(rank)", actual: input.shape)
            }
            let operand = TensorOf(uncheckedShape: shape, scalars: input.scalars)
            if let current = result {
                result = try broadcastCombine(current, operand, layer: name, apply)
            } else {
                result = operand
            }
        }
        guard var output = result else {
            throw .inputShapeMismatch(layer: name, expected: "at least one input", actual: [])
        }
        if operation == .average {
            let scale = Scalar(inputs.count)
            for index in output.scalars.indices { output.scalars[index] /= scale }
        }
        return output
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] {
        let masks = call.inputs.indices.map { $0 < call.masks.count ? call.masks[$0] : nil }
        let present = masks.compactMap { $0 }
        guard let first = present.first,
              present.allSatisfy({ $0.batch == first.batch && $0.steps == first.steps && $0.values.count == first.values.count }),
              let output = outputs.first, first.fits(output.shape) else { return [nil] }
        if generation == .keras2 {
            var values = first.values
            for mask in present.dropFirst() {
                for index in values.indices { values[index] = values[index] && mask.values[index] }
            }
            return [Mask(batch: first.batch, steps: first.steps, values: values)]
        }
        guard present.count == masks.count else { return [nil] }
        var values = first.values
        for mask in present.dropFirst() {
            for index in values.indices { values[index] = values[index] || mask.values[index] }
        }
        return [Mask(batch: first.batch, steps: first.steps, values: values)]
    }

    var timeBehavior: TimeBehavior { .stepwise }
}
