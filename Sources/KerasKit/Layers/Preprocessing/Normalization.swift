/// `keras.layers.Normalization` (preprocessing): `(x − mean) / max(√variance, ε)` per index of
/// the kept `axis` (broadcast over the others), or with `invert=True` `mean + x · max(√variance, ε)`,
/// ε = `backend.epsilon()` = 1e-7, as both Keras 3 and tf-keras compute it in their `call`. The
/// statistics come from `adapt()` (the weights `mean`, `variance` and an int64 `count`, which
/// inference doesn't read) or from the config's `mean` and `variance` (then the layer has no
/// weights).
public struct NormalizationConfig: LayerBuilding {
    public static let className = "Normalization"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The axes that keep their own statistics (negative from the end); empty for `axis=None`
    /// (one mean and variance for every element).
    public let axis: [Int]
    /// The statistics given in the config, or nil when the layer was adapted (weights).
    public let given: GivenStatistics?
    /// Whether the layer undoes the normalization (`mean + x · std`).
    public let invert: Bool

    /// `mean` and `variance` as the config writes them (Keras 3 rounds them to float32 before casting
    /// them to the compute dtype, tf-keras doesn't): each a number or a nested list whose
    /// shape broadcasts against the kept axes' sizes (aligned at the last kept axis).
    public struct GivenStatistics: Sendable, Hashable {
        /// The shape of both lists (`[]` for numbers).
        public var shape: [Int]
        /// The means, row-major.
        public var mean: [Double]
        /// The variances, row-major.
        public var variance: [Double]
    }

    /// `backend.epsilon()`, the floor of the standard deviation.
    static let epsilon = 1e-7

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        // Absent is Keras's default -1; `null` (and Keras 3's `[]`) is `axis=None`.
        let written = arguments.contains("axis")
        let axis = try arguments.integers("axis") ?? (written ? [] : [-1])
        guard Set(axis).count == axis.count else { throw arguments.invalid("axis", "\(axis) repeats an axis") }
        for entry in axis where abs(entry) > KerasLimits.maxRank {
            throw arguments.invalid("axis", "axis \(entry) is outside a rank-\(KerasLimits.maxRank) tensor")
        }
        self.axis = axis
        let mean = try Self.statistic(arguments.json("mean"), key: "mean", arguments: arguments)
        let variance = try Self.statistic(arguments.json("variance"), key: "variance", arguments: arguments)
        switch (mean, variance) {
        case (nil, nil):
            given = nil
        case (let mean?, let variance?):
            guard mean.shape == variance.shape else {
                throw arguments.invalid("variance", "shape \(variance.shape.shapeDescription) differs from mean's \(mean.shape.shapeDescription)")
            }
            guard mean.shape.count <= axis.count else {
                throw arguments.invalid("mean", "rank \(mean.shape.count) is more than the \(axis.count) kept ax\(axis.count == 1 ? "is" : "es") of axis \(axis)")
            }
            if let negative = variance.values.first(where: { $0 < 0 }) {
                throw arguments.invalid("variance", "\(negative) is negative")
            }
            given = GivenStatistics(shape: mean.shape, mean: mean.values, variance: variance.values)
        default:
            throw arguments.invalid(mean == nil ? "mean" : "variance", "is null while \(mean == nil ? "variance" : "mean") is set; Keras needs both or neither")
        }
        invert = try arguments.flag("invert", default: false)
    }

    /// A `mean` or `variance` config value: nil for `null`, else its shape and row-major values.
    private static func statistic(_ value: JSONValue, key: String, arguments: LayerArguments) throws(KerasConfigError) -> (shape: [Int], values: [Double])? {
        if value == .null { return nil }
        var shape: [Int] = []
        var probe = value
        while case .array(let items) = probe {
            guard shape.count < KerasLimits.maxRank else { throw arguments.invalid(key, "nested deeper than rank \(KerasLimits.maxRank)") }
            shape.append(items.count)
            guard let first = items.first else { break }
            probe = first
        }
        var values: [Double] = []
        func flatten(_ value: JSONValue, depth: Int) throws(KerasConfigError) {
            if depth == shape.count {
                guard case .number(let number) = value, number.isFinite else {
                    throw arguments.invalid(key, "expected a finite number, found \(pythonLiteral(value))")
                }
                values.append(number)
                return
            }
            guard case .array(let items) = value, items.count == shape[depth] else {
                throw arguments.invalid(key, "is not a rectangular list of shape \(shape.shapeDescription)")
            }
            for item in items { try flatten(item, depth: depth + 1) }
        }
        try flatten(value, depth: 0)
        return (shape, values)
    }

    public var weightRoles: [WeightRole] {
        guard given == nil else { return [] }
        return [WeightRole("mean", trainable: false), WeightRole("variance", trainable: false),
                WeightRole("count", trainable: false, unread: true)]
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let input = inputs.first ?? []
        var kept: [Int] = []
        for entry in axis {
            let resolved = try resolvedInputAxis(entry, input: input, layer: common.name)
            guard !kept.contains(resolved) else {
                throw .unsupportedTopology(layer: common.name, reason: "axis \(axis) names axis \(resolved) twice for input \(input.shapeDescription)")
            }
            kept.append(resolved)
        }
        kept.sort()
        var keptShape: [Int] = []
        for resolved in kept {
            guard let size = input[resolved] else { throw .unknownInputSize(layer: common.name, shape: input) }
            keptShape.append(size)
        }
        let count = keptShape.reduce(1, *)
        let mean: [Scalar], variance: [Scalar]
        if let given {
            // Keras reshapes the given values onto the last kept axes and broadcasts them (as
            // `ops.broadcast_to` / NumPy's `*` do): each size equal, or 1.
            let aligned = Array(repeating: 1, count: keptShape.count - given.shape.count) + given.shape
            guard zip(aligned, keptShape).allSatisfy({ $0 == $1 || $0 == 1 }) else {
                throw .unsupportedTopology(layer: common.name, reason: "mean and variance of shape \(given.shape.shapeDescription) don't broadcast to the sizes \(keptShape.shapeDescription) of axis \(axis) of input \(input.shapeDescription)")
            }
            // Keras 3 makes tensors of them first (`convert_to_tensor`: float32), then casts to
            // the compute dtype; tf-keras casts its float64 NumPy product straight.
            let keras3 = context.generation == .keras3
            func converted(_ value: Double) -> Scalar { keras3 ? Scalar(Double(Float(value))) : Scalar(value) }
            mean = Self.broadcast(given.mean, from: aligned, to: keptShape).map(converted)
            variance = Self.broadcast(given.variance, from: aligned, to: keptShape).map(converted)
        } else {
            mean = try weights.values("mean", shape: keptShape)
            variance = try weights.values("variance", shape: keptShape)
            try weights.checkUnread("count", shape: [])
        }
        return RunnableLayer(NormalizationLayer<Scalar>(
            name: common.name, rank: input.count, kept: kept, keptShape: keptShape, invert: invert,
            mean: mean, deviation: variance.map { Self.deviation($0) },
            parameterCount: given == nil ? 2 * count + 1 : 0))
    }

    /// `max(√variance, ε)` in `Scalar`, as Keras computes it in the compute dtype (a NaN stays NaN).
    static func deviation<Scalar: ComputeScalar>(_ variance: Scalar) -> Scalar {
        let root = variance.squareRoot()
        return root.isNaN ? root : Swift.max(root, Scalar(epsilon))
    }

    /// `values` of shape `from` (same rank as `to`, sizes equal or 1) stretched to `to`, row-major.
    static func broadcast(_ values: [Double], from: [Int], to: [Int]) -> [Double] {
        guard from != to else { return values }
        var strides = [Int](repeating: 0, count: from.count)
        var running = 1
        for axis in stride(from: from.count - 1, through: 0, by: -1) {
            strides[axis] = from[axis] == 1 ? 0 : running
            running *= from[axis]
        }
        let count = to.reduce(1, *)
        var result = [Double](repeating: 0, count: count)
        var index = [Int](repeating: 0, count: to.count)
        for target in 0..<count {
            var source = 0
            for axis in 0..<to.count { source += index[axis] * strides[axis] }
            result[target] = values[source]
            var axis = to.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < to[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return result
    }
}

/// `Normalization`: each element standardized (or, inverted, restored) with the statistics of
/// its index along the kept axes, in `Scalar` as Keras computes in the compute dtype. It passes
/// the mask on.
struct NormalizationLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    /// The input rank the layer was built for.
    let rank: Int
    /// The kept axes, resolved and sorted, and the input's sizes along them.
    let kept: [Int], keptShape: [Int]
    let invert: Bool
    /// Per kept index (row-major over `keptShape`): the mean and `max(√variance, ε)`.
    let mean: [Scalar], deviation: [Scalar]
    let parameterCount: Int

    var timeBehavior: TimeBehavior { kept.allSatisfy { $0 == rank - 1 } ? .stepwise : .wholeSequence }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] { [inputs[0]] }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank == rank, kept.map({ input.shape[$0] }) == keptShape else {
            throw .inputShapeMismatch(layer: name, expected: "rank \(rank) with sizes \(keptShape) on axes \(kept)", actual: input.shape)
        }
        // The statistics index repeats every `period` elements (the axes from the first kept one
        // on); within a period it is fixed over each run of `inner` elements (after the last).
        let first = kept.first ?? rank, last = kept.last ?? (rank - 1)
        let period = product(input.shape, first..<rank), inner = product(input.shape, (last + 1)..<rank)
        var table = [Int](repeating: 0, count: inner == 0 ? 0 : period / inner)
        if !kept.isEmpty, !table.isEmpty {
            // Odometer over axes first...last; the statistics index advances on kept axes only.
            let axes = Array(first...last)
            var strides = [Int](repeating: 0, count: axes.count)
            var running = 1
            for position in stride(from: axes.count - 1, through: 0, by: -1) where kept.contains(axes[position]) {
                strides[position] = running
                running *= input.shape[axes[position]]
            }
            var index = [Int](repeating: 0, count: axes.count)
            for entry in 0..<table.count {
                var offset = 0
                for position in 0..<axes.count { offset += index[position] * strides[position] }
                table[entry] = offset
                var position = axes.count - 1
                while position >= 0 {
                    index[position] += 1
                    if index[position] < input.shape[axes[position]] { break }
                    index[position] = 0
                    position -= 1
                }
            }
        }
        var output = input.scalars
        if output.isEmpty || table.isEmpty { return [TensorOf(uncheckedShape: input.shape, scalars: output)] }
        let blocks = table.count
        output.withUnsafeMutableBufferPointer { y in
            var base = 0
            while base < y.count {
                for block in 0..<blocks {
                    let k = table[block]
                    let (m, d) = (mean[k], deviation[k])
                    let start = base + block * inner
                    if invert {
                        for index in start..<(start + inner) { y[index] = m + y[index] * d }
                    } else {
                        for index in start..<(start + inner) { y[index] = (y[index] - m) / d }
                    }
                }
                base += period
            }
        }
        return [TensorOf(uncheckedShape: input.shape, scalars: output)]
    }

    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] { passThroughMasks(call, outputs: outputs) }
}
