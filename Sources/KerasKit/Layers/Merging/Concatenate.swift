/// `keras.layers.Concatenate`: joins its inputs along `axis`. Keras 3's `ops.concatenate`, an
/// operation node of the same class name, is another class (its `axis` defaults to 0 and it
/// computes no mask).
public struct ConcatenateConfig: LayerBuilding {
    public static let className = "Concatenate"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The axis to join along, batch axis included; negative counts from the end.
    public let axis: Int

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        axis = try arguments.integer("axis", default: -1, in: -KerasLimits.maxRank...KerasLimits.maxRank)
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        RunnableLayer(ConcatenateLayer<Scalar>(config: self, generation: context.generation))
    }
}

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
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
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
