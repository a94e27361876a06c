/// A rank-3 layer that moves steps along one axis without computing on them: zero padding,
/// cropping or repeating each step (the 1-D padding, cropping and upsampling layers). It drops
/// the mask, as those layers do in Keras.
struct StepWindowLayer<Scalar: ComputeScalar>: InferenceLayer {
    /// What happens along the step axis.
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
    }

    let name: String
    let className: String
    /// 1 for `(batch, steps, channels)`, 2 for `(batch, channels, steps)`.
    let stepAxis: Int
    let operation: Operation

    var parameterCount: Int { 0 }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        var shape = inputs[0]
        guard shape.count == 3 else {
            throw .unsupportedTopology(layer: name, reason: "\(className) takes input of rank 3, got \(shape.shapeDescription)")
        }
        if let length = shape[stepAxis] {
            guard let output = operation.length(length), output <= KerasLimits.maxDimension else {
                throw .unsupportedTopology(layer: name, reason: "\(className) leaves no valid length for input \(shape.shapeDescription)")
            }
            shape[stepAxis] = output
        }
        return [shape]
    }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank == 3, let length = operation.length(input.shape[stepAxis]) else {
            throw .inputShapeMismatch(layer: name, expected: "rank 3 with steps left after \(className)", actual: input.shape)
        }
        var outputShape = input.shape
        outputShape[stepAxis] = length
        var output = [Scalar](repeating: 0, count: try checkedElementCount(outputShape, layer: name))
        // Rows of `inner` contiguous scalars: one step's channels (channels_last) or one scalar.
        let outer = product(input.shape, 0..<stepAxis), steps = input.shape[stepAxis]
        let inner = product(input.shape, (stepAxis + 1)..<3)
        input.scalars.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                for block in 0..<outer {
                    for step in 0..<length {
                        let source: Int?
                        switch operation {
                        case .pad(let before, _): source = step >= before && step - before < steps ? step - before : nil
                        case .crop(let start, _): source = step + start
                        case .repeatSteps(let size): source = step / size
                        }
                        guard let source else { continue }
                        for index in 0..<inner {
                            y[(block * length + step) * inner + index] = x[(block * steps + source) * inner + index]
                        }
                    }
                }
            }
        }
        return [TensorOf(uncheckedShape: outputShape, scalars: output)]
    }
}
