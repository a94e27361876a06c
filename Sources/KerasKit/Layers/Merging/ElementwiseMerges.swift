// The merge layers without arguments of their own: they combine inputs of one shape (or shapes
// that broadcast) element by element, and merge their masks as Keras does.

/// The element-wise merge layers: the operation each applies to its inputs.
public enum MergeOperation: String, Sendable, Hashable {
    /// `Add`, `Subtract`, `Multiply`, `Average`, `Maximum`, `Minimum`.
    case add, subtract, multiply, average, maximum, minimum
}

/// A merge layer without arguments of its own.
protocol ElementwiseMergeConfiguration: LayerBuilding {
    /// What the layer computes.
    static var operation: MergeOperation { get }
    init(common: LayerCommonConfig)
}

extension ElementwiseMergeConfiguration {
    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.init(common: common)
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        RunnableLayer(ElementwiseMergeLayer<Scalar>(name: common.name, operation: Self.operation, generation: context.generation))
    }
}

/// `keras.layers.Add`: the element-wise sum.
public struct AddConfig: ElementwiseMergeConfiguration {
    public static let className = "Add"
    static let operation = MergeOperation.add
    /// Fields every layer has.
    public let common: LayerCommonConfig

    init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.Subtract`: `inputs[0] - inputs[1]`.
public struct SubtractConfig: ElementwiseMergeConfiguration {
    public static let className = "Subtract"
    static let operation = MergeOperation.subtract
    /// Fields every layer has.
    public let common: LayerCommonConfig

    init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.Multiply`: the element-wise product.
public struct MultiplyConfig: ElementwiseMergeConfiguration {
    public static let className = "Multiply"
    static let operation = MergeOperation.multiply
    /// Fields every layer has.
    public let common: LayerCommonConfig

    init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.Average`: the element-wise mean.
public struct AverageConfig: ElementwiseMergeConfiguration {
    public static let className = "Average"
    static let operation = MergeOperation.average
    /// Fields every layer has.
    public let common: LayerCommonConfig

    init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.Maximum`: the element-wise maximum.
public struct MaximumConfig: ElementwiseMergeConfiguration {
    public static let className = "Maximum"
    static let operation = MergeOperation.maximum
    /// Fields every layer has.
    public let common: LayerCommonConfig

    init(common: LayerCommonConfig) { self.common = common }
}

/// `keras.layers.Minimum`: the element-wise minimum.
public struct MinimumConfig: ElementwiseMergeConfiguration {
    public static let className = "Minimum"
    static let operation = MergeOperation.minimum
    /// Fields every layer has.
    public let common: LayerCommonConfig

    init(common: LayerCommonConfig) { self.common = common }
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
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let inputs = call.inputs
        guard operation != .subtract || inputs.count == 2, let first = inputs.first else {
            throw .inputShapeMismatch(layer: name, expected: "2 inputs", actual: [inputs.count])
        }
        if inputs.allSatisfy({ $0.shape == first.shape }) {
            return [TensorOf(uncheckedShape: first.shape, scalars: combineSameShape(inputs, masks: call.masks, call: call))]
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

    /// `y = a ∘ b` element by element (`y` may be `a`), the operation chosen once per call so
    /// each loop is a plain vectorizable one.
    private func combine(_ a: UnsafePointer<Scalar>, _ b: UnsafePointer<Scalar>, into y: UnsafeMutablePointer<Scalar>, count: Int) {
        switch operation {
        case .add, .average: for index in 0..<count { y[index] = a[index] + b[index] }
        case .subtract: for index in 0..<count { y[index] = a[index] - b[index] }
        case .multiply: for index in 0..<count { y[index] = a[index] * b[index] }
        case .maximum: for index in 0..<count { y[index] = Swift.max(a[index], b[index]) }
        case .minimum: for index in 0..<count { y[index] = Swift.min(a[index], b[index]) }
        }
    }

    private func combineSameShape(_ inputs: [TensorOf<Scalar>], masks: [Mask?], call: LayerCall<Scalar>) -> [Scalar] {
        let shape = inputs[0].shape
        let count = inputs[0].scalars.count
        var output = call.outputBuffer(count, zeroed: false)
        // Keras 3 lets masks change Maximum, Minimum and Multiply.
        let usesMasks = generation >= .keras3 && [.maximum, .minimum, .multiply].contains(operation)
        let flags: [Mask?] = inputs.indices.map { index in
            guard usesMasks, index < masks.count, let mask = masks[index], mask.fits(shape) else { return nil }
            return mask
        }
        guard flags.contains(where: { $0 != nil }) else {
            output.withUnsafeMutableBufferPointer { y in
                guard let y = y.baseAddress else { return }
                inputs[0].scalars.withUnsafeBufferPointer { first in
                    guard let first = first.baseAddress else { return }
                    guard inputs.count > 1 else {
                        y.update(from: first, count: count)
                        return
                    }
                    // The first two inputs in one pass, the others into the running result.
                    for (position, input) in inputs.dropFirst().enumerated() {
                        input.scalars.withUnsafeBufferPointer { x in
                            guard let x = x.baseAddress else { return }
                            combine(position == 0 ? UnsafePointer(first) : UnsafePointer(y), x, into: y, count: count)
                        }
                    }
                }
                if operation == .average {
                    let scale = Scalar(inputs.count)
                    for index in 0..<count { y[index] /= scale }
                }
            }
            return output
        }
        output.withUnsafeMutableBufferPointer { y in
            inputs[0].scalars.withUnsafeBufferPointer { x in
                if let y = y.baseAddress, let x = x.baseAddress { y.update(from: x, count: count) }
            }
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
