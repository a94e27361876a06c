/// `SpatialDropout1D` at inference: the identity; it passes the mask on (it is a `Dropout`).
struct SpatialDropout1DLayer<Scalar: ComputeScalar>: InferenceLayer {
    let config: SpatialDropout1DConfig

    var name: String { config.common.name }
    var parameterCount: Int { 0 }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        guard inputs[0].count == 3 else {
            throw .unsupportedTopology(layer: name, reason: "SpatialDropout1D takes input of rank 3, got \(inputs[0].shapeDescription)")
        }
        return [inputs[0]]
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        [call.input]
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] { passThroughMasks(call, outputs: outputs) }

    var timeBehavior: TimeBehavior { .stepwise }
}

/// `Flatten`: every sample becomes one vector (`channels_first` input is first made
/// channels-last). It drops the mask.
struct FlattenLayer<Scalar: ComputeScalar>: InferenceLayer {
    let config: FlattenConfig

    var name: String { config.common.name }
    var parameterCount: Int { 0 }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        let input = inputs[0]
        guard let batch = input.first else {
            throw .unsupportedTopology(layer: name, reason: "Flatten needs a batch axis, got a scalar")
        }
        let rest = Array(input.dropFirst())
        if rest.isEmpty { return [[batch, 1]] }
        guard rest.allSatisfy({ $0 != nil }) else { return [[batch, nil]] }
        guard let count = staticElementCount(rest) else {
            throw .unsupportedTopology(layer: name, reason: "input \(input.shapeDescription) has too many elements per sample")
        }
        return [[batch, count]]
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        try compute(call, state: &state)
    }

    /// The call's computation: ``forward(_:state:)`` enters it specialized for the scalar
    /// without generic setup of its own.
    private func compute(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard let batch = input.shape.first else {
            throw .inputShapeMismatch(layer: name, expected: "(batch, …)", actual: input.shape)
        }
        var scalars = input.scalars
        if config.dataFormat == .channelsFirst, input.rank > 2 {
            let permutation = [0] + Array(2..<input.rank) + [1]
            scalars = permuteAxes(scalars, shape: input.shape, permutation: permutation, zero: 0)
        }
        let width = input.rank == 1 ? 1 : product(input.shape, 1..<input.rank)
        return [TensorOf(uncheckedShape: [batch, width], scalars: scalars)]
    }
}

/// `Reshape`: every sample takes `target_shape`, one `-1` axis inferred. It drops the mask.
struct ReshapeLayer<Scalar: ComputeScalar>: InferenceLayer {
    let config: ReshapeConfig

    var name: String { config.common.name }
    var parameterCount: Int { 0 }

    /// The known product of the target shape without its `-1` entry.
    private var knownTargetCount: Int {
        config.targetShape.reduce(1) { $1 == -1 ? $0 : $0 * $1 }
    }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        let input = inputs[0]
        guard let batch = input.first else {
            throw .unsupportedTopology(layer: name, reason: "Reshape needs a batch axis, got a scalar")
        }
        let sample = Array(input.dropFirst())
        let known = knownTargetCount
        guard let count = sample.allSatisfy({ $0 != nil }) ? staticElementCount(sample) : nil else {
            return [[batch] + config.targetShape.map { $0 == -1 ? nil : $0 }]
        }
        if config.targetShape.contains(-1) {
            guard known > 0, count % known == 0 else {
                throw .unsupportedTopology(layer: name, reason: "cannot reshape \(input.shapeDescription) to target_shape \(config.targetShape)")
            }
            return [[batch] + config.targetShape.map { $0 == -1 ? count / known : $0 }]
        }
        guard count == known else {
            throw .unsupportedTopology(layer: name, reason: "cannot reshape \(input.shapeDescription) (\(count) elements per sample) to target_shape \(config.targetShape)")
        }
        return [[batch] + config.targetShape]
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        try compute(call, state: &state)
    }

    /// The call's computation: ``forward(_:state:)`` enters it specialized for the scalar
    /// without generic setup of its own.
    private func compute(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard let batch = input.shape.first else {
            throw .inputShapeMismatch(layer: name, expected: "(batch, …)", actual: input.shape)
        }
        let count = product(input.shape, 1..<input.rank)
        let known = knownTargetCount
        var target = config.targetShape
        if let unknown = target.firstIndex(of: -1) {
            guard known > 0, count % known == 0 else {
                throw .inputShapeMismatch(layer: name, expected: "a multiple of \(known) elements per sample", actual: input.shape)
            }
            target[unknown] = count / known
        } else if count != known {
            throw .inputShapeMismatch(layer: name, expected: "\(known) elements per sample", actual: input.shape)
        }
        return [TensorOf(uncheckedShape: [batch] + target, scalars: input.scalars)]
    }
}

/// `Permute`: reorders the non-batch axes. It drops the mask.
struct PermuteLayer<Scalar: ComputeScalar>: InferenceLayer {
    let config: PermuteConfig

    var name: String { config.common.name }
    var parameterCount: Int { 0 }

    /// The permutation including the batch axis.
    private var permutation: [Int] { [0] + config.dims }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        let input = inputs[0]
        guard input.count == config.dims.count + 1 else {
            throw .unsupportedTopology(layer: name, reason: "dims \(config.dims) needs input of rank \(config.dims.count + 1), got \(input.shapeDescription)")
        }
        return [permutation.map { input[$0] }]
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        try compute(call, state: &state)
    }

    /// The call's computation: ``forward(_:state:)`` enters it specialized for the scalar
    /// without generic setup of its own.
    private func compute(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank == config.dims.count + 1 else {
            throw .inputShapeMismatch(layer: name, expected: "rank \(config.dims.count + 1)", actual: input.shape)
        }
        let scalars = permuteAxes(input.scalars, shape: input.shape, permutation: permutation, zero: 0)
        return [TensorOf(uncheckedShape: permutation.map { input.shape[$0] }, scalars: scalars)]
    }
}

/// `RepeatVector`: `(batch, features)` → `(batch, n, features)`. It drops the mask.
struct RepeatVectorLayer<Scalar: ComputeScalar>: InferenceLayer {
    let config: RepeatVectorConfig

    var name: String { config.common.name }
    var parameterCount: Int { 0 }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        let input = inputs[0]
        guard input.count == 2 else {
            throw .unsupportedTopology(layer: name, reason: "RepeatVector takes input of rank 2, got \(input.shapeDescription)")
        }
        return [[input[0], config.n, input[1]]]
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        try compute(call, state: &state)
    }

    /// The call's computation: ``forward(_:state:)`` enters it specialized for the scalar
    /// without generic setup of its own.
    private func compute(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank == 2 else {
            throw .inputShapeMismatch(layer: name, expected: "(batch, features)", actual: input.shape)
        }
        let (batch, width, n) = (input.shape[0], input.shape[1], config.n)
        let outputShape = [batch, n, width]
        var output = [Scalar](repeating: 0, count: try checkedElementCount(outputShape, layer: name))
        input.scalars.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                guard let x = x.baseAddress, let y = y.baseAddress else { return }
                for sample in 0..<batch {
                    for copy in 0..<n {
                        (y + (sample * n + copy) * width).update(from: x + sample * width, count: width)
                    }
                }
            }
        }
        return [TensorOf(uncheckedShape: outputShape, scalars: output)]
    }
}
