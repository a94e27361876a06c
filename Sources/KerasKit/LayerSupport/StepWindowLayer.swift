/// A layer that moves elements along some axes without computing on them: zero padding,
/// cropping or repeating each step (the 1-, 2- and 3-D padding, cropping and nearest
/// upsampling layers). It drops the mask, as those layers do in Keras.
struct StepWindowLayer<Scalar: ComputeScalar>: InferenceLayer {
    /// What happens along one axis.
    enum Operation: Sendable {
        /// Zeros before and after.
        case pad(before: Int, after: Int)
        /// Steps removed from the start and the end.
        case crop(start: Int, end: Int)
        /// Each step repeated.
        case repeatSteps(Int)

        /// The output length for `length` input steps; nil when a crop leaves none.
        func length(_ length: Int) -> Int? {
            switch self {
            case .pad(let before, let after): return length + before + after
            case .crop(let start, let end): return length - start - end > 0 ? length - start - end : nil
            case .repeatSteps(let size): return length.multipliedReportingOverflow(by: size).overflow ? nil : length * size
            }
        }

        /// The input step output step `step` copies; nil for a padding zero.
        func source(_ step: Int, length: Int) -> Int? {
            switch self {
            case .pad(let before, _): return step >= before && step - before < length ? step - before : nil
            case .crop(let start, _): return step + start
            case .repeatSteps(let size): return step / size
            }
        }
    }

    let name: String
    let className: String
    /// The rank of the input.
    let rank: Int
    /// The axes moved (increasing, none the batch axis), each with its operation.
    let axes: [(axis: Int, operation: Operation)]

    /// A rank-3 layer moving steps along `stepAxis` (1 for `(batch, steps, channels)`, 2 for
    /// `(batch, channels, steps)`).
    init(name: String, className: String, stepAxis: Int, operation: Operation) {
        self.init(name: name, className: className, rank: 3, axes: [(stepAxis, operation)])
    }

    init(name: String, className: String, rank: Int, axes: [(axis: Int, operation: Operation)]) {
        (self.name, self.className, self.rank, self.axes) = (name, className, rank, axes)
    }

    var parameterCount: Int { 0 }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        var shape = inputs[0]
        guard shape.count == rank else {
            throw .unsupportedTopology(layer: name, reason: "\(className) takes input of rank \(rank), got \(shape.shapeDescription)")
        }
        for (axis, operation) in axes {
            guard let length = shape[axis] else { continue }
            guard let output = operation.length(length), output <= KerasLimits.maxDimension else {
                throw .unsupportedTopology(layer: name, reason: "\(className) leaves no valid length for input \(inputs[0].shapeDescription)")
            }
            shape[axis] = output
        }
        return [shape]
    }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank == rank else {
            throw .inputShapeMismatch(layer: name, expected: "rank \(rank)", actual: input.shape)
        }
        var outputShape = input.shape
        for (axis, operation) in axes {
            guard let length = operation.length(input.shape[axis]) else {
                throw .inputShapeMismatch(layer: name, expected: "rank \(rank) with steps left after \(className)", actual: input.shape)
            }
            outputShape[axis] = length
        }
        var output = [Scalar](repeating: 0, count: try checkedElementCount(outputShape, layer: name))
        // Per axis, the input index each output index copies (nil: a zero); made once the output
        // is known to fit, as each list is as long as its axis.
        var sources: [[Int?]] = input.shape.map { (0..<$0).map { Optional($0) } }
        for (axis, operation) in axes {
            sources[axis] = (0..<outputShape[axis]).map { operation.source($0, length: input.shape[axis]) }
        }
        // The axes after the last moved one are copied as contiguous blocks of `inner` scalars.
        let lastMoved = axes.map(\.axis).max() ?? 0
        let inner = product(input.shape, (lastMoved + 1)..<rank)
        let inputStrides = rowMajorStrides(input.shape), outputStrides = rowMajorStrides(outputShape)
        input.scalars.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                /// Copies the block at output offset `target` / input offset `source` for axes `axis...lastMoved`.
                func copy(axis: Int, source: Int, target: Int) {
                    if axis > lastMoved {
                        for index in 0..<inner { y[target + index] = x[source + index] }
                        return
                    }
                    for (step, from) in sources[axis].enumerated() {
                        guard let from else { continue }
                        copy(axis: axis + 1, source: source + from * inputStrides[axis], target: target + step * outputStrides[axis])
                    }
                }
                copy(axis: 0, source: 0, target: 0)
            }
        }
        return [TensorOf(uncheckedShape: outputShape, scalars: output)]
    }
}
