import Foundation

/// `keras.layers.LayerNormalization`: each sample normalized over `axis`, then scaled by `gamma`
/// and shifted by `beta`.
public struct LayerNormalizationConfig: LayerBuilding {
    public static let className = "LayerNormalization"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The axes normalized over (batch axis counted; negative from the end). Keras 2 writes the
    /// resolved list (`[2]`), Keras 3 an integer or a list.
    public let axis: [Int]
    /// Added to the variance before the square root.
    public let epsilon: Double
    /// Whether `beta` is added.
    public let center: Bool
    /// Whether `gamma` multiplies.
    public let scale: Bool
    /// Keras 3's deprecated `rms_scaling`: `x · rsqrt(var + ε) · gamma`, without centering.
    public let rmsScaling: Bool

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        axis = try arguments.axes("axis", default: [-1])
        epsilon = try arguments.number("epsilon", default: 1e-3, in: 0...Double.greatestFiniteMagnitude)
        center = try arguments.flag("center", default: true)
        scale = try arguments.flag("scale", default: true)
        rmsScaling = try arguments.flag("rms_scaling", default: false)
        _ = try arguments.object("beta_initializer", default: "Zeros")
        _ = try arguments.object("gamma_initializer", default: "Ones")
        for key in ["beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint"] {
            _ = try arguments.object(key, default: nil)
        }
    }

    /// Whether the layer has a `gamma` weight.
    var hasGamma: Bool { scale || rmsScaling }
    /// Whether the layer has a `beta` weight.
    var hasBeta: Bool { center && !rmsScaling }

    public var weightRoles: [WeightRole] { (hasGamma ? [WeightRole("gamma")] : []) + (hasBeta ? [WeightRole("beta")] : []) }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let input = inputs.first ?? []
        var axes: [Int] = []
        for entry in axis {
            let resolved = try resolvedInputAxis(entry, input: input, layer: common.name)
            guard !axes.contains(resolved) else {
                throw .unsupportedTopology(layer: common.name, reason: "axis \(axis) names axis \(resolved) twice for input \(input.shapeDescription)")
            }
            axes.append(resolved)
        }
        axes.sort()
        var normalizedShape: [Int] = []
        for resolved in axes {
            guard let size = input[resolved] else { throw .unknownInputSize(layer: common.name, shape: input) }
            normalizedShape.append(size)
        }
        let gamma = hasGamma ? try weights.values("gamma", shape: normalizedShape) : nil
        let beta = hasBeta ? try weights.values("beta", shape: normalizedShape) : nil
        return RunnableLayer(LayerNormalizationLayer<Scalar>(config: self, rank: input.count, axes: axes, normalizedShape: normalizedShape, gamma: gamma, beta: beta))
    }
}

/// `LayerNormalization`: each group of elements that differ only along the normalized axes is
/// standardized with its own mean and (biased) variance, then `x̂ · gamma + beta`, with
/// `gamma`/`beta` laid out over the normalized axes. Statistics are accumulated in `Double`.
/// It passes the mask on.
struct LayerNormalizationLayer<Scalar: ComputeScalar>: InferenceLayer {
    let config: LayerNormalizationConfig
    /// The input rank the layer was built for.
    let rank: Int
    /// The normalized axes, resolved against the input rank and sorted.
    let axes: [Int]
    /// The input's sizes along `axes` (the shape of `gamma` and `beta`).
    let normalizedShape: [Int]
    let gamma: [Scalar]?
    let beta: [Scalar]?

    var name: String { config.common.name }
    var parameterCount: Int { (gamma?.count ?? 0) + (beta?.count ?? 0) }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] { [inputs[0]] }
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank == rank, axes.map({ input.shape[$0] }) == normalizedShape else {
            throw .inputShapeMismatch(layer: name, expected: "rank \(rank) with sizes \(normalizedShape) on axes \(axes)", actual: input.shape)
        }
        // Move the normalized axes last, so each group is one contiguous row.
        let kept = (0..<rank).filter { !axes.contains($0) }
        let permutation = kept + axes
        let isIdentity = permutation == Array(0..<rank)
        let source = isIdentity ? input.scalars : permuteAxes(input.scalars, shape: input.shape, permutation: permutation, zero: 0)
        // Written whole: a pooled buffer, not a copy of the input (which the graph still holds).
        var values = call.outputBuffer(source.count, zeroed: false)
        let width = normalizedShape.reduce(1, *)
        let rows = width == 0 ? 0 : source.count / width
        let epsilon = config.epsilon, rmsScaling = config.rmsScaling
        source.withUnsafeBufferPointer { x in
            values.withUnsafeMutableBufferPointer { y in
                gamma.withUnsafeBufferPointerIfPresent { g in
                    beta.withUnsafeBufferPointerIfPresent { b in
                        guard let x = x.baseAddress, let y = y.baseAddress else { return }
                        for row in 0..<rows {
                            Self.normalize(x + row * width, into: y + row * width, width: width, epsilon: epsilon,
                                           rmsScaling: rmsScaling, gamma: g, beta: b)
                        }
                    }
                }
            }
        }
        if !isIdentity {
            // Undo the move: output axis `i` is permuted axis `inverse[i]`.
            var inverse = [Int](repeating: 0, count: rank)
            for (position, axis) in permutation.enumerated() { inverse[axis] = position }
            values = permuteAxes(values, shape: permutation.map { input.shape[$0] }, permutation: inverse, zero: 0)
        }
        return [TensorOf(uncheckedShape: input.shape, scalars: values)]
    }
    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] { passThroughMasks(call, outputs: outputs) }

    var timeBehavior: TimeBehavior { axes == [rank - 1] ? .stepwise : .wholeSequence }

    /// One group: mean and biased variance in `Double` (four partial sums each, so the loop
    /// doesn't wait on one long chain of additions), then `(x − mean) / √(var + ε) · gamma + beta`.
    @inline(__always)
    private static func normalize(_ x: UnsafePointer<Scalar>, into y: UnsafeMutablePointer<Scalar>, width: Int, epsilon: Double,
                                  rmsScaling: Bool, gamma: UnsafePointer<Scalar>?, beta: UnsafePointer<Scalar>?) {
        func total(_ term: (Int) -> Double) -> Double {
            var partial: (Double, Double, Double, Double) = (0, 0, 0, 0)
            var index = 0
            while index + 4 <= width {
                partial.0 += term(index)
                partial.1 += term(index + 1)
                partial.2 += term(index + 2)
                partial.3 += term(index + 3)
                index += 4
            }
            while index < width {
                partial.0 += term(index)
                index += 1
            }
            return (partial.0 + partial.1) + (partial.2 + partial.3)
        }
        let count = Double(width)
        let mean = total { Double(x[$0]) } / count
        let squares = total { index in
            let difference = Double(x[index]) - mean
            return difference * difference
        }
        let inverse = 1 / (squares / count + epsilon).squareRoot()
        if rmsScaling {
            for index in 0..<width { y[index] = Scalar(Double(x[index]) * inverse * (gamma.map { Double($0[index]) } ?? 1)) }
        } else if let gamma, let beta {
            for index in 0..<width { y[index] = Scalar((Double(x[index]) - mean) * inverse * Double(gamma[index]) + Double(beta[index])) }
        } else {
            for index in 0..<width {
                let scale = gamma.map { Double($0[index]) } ?? 1
                let shift = beta.map { Double($0[index]) } ?? 0
                y[index] = Scalar((Double(x[index]) - mean) * inverse * scale + shift)
            }
        }
    }
}
