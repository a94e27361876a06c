// Shape arithmetic, mask layout and index permutation that layers share.
//
// A ``Mask`` covers every axis of its tensor but the last: for a `(batch, d1, …, dk, features)`
// tensor it holds `batch × (d1 ⋯ dk)` flags in row-major order (`steps` is the product
// `d1 ⋯ dk`, 1 for a rank-2 tensor), exactly the layout of Keras's boolean mask tensor.

/// `axis` (negative from the end) as an index into a rank-`rank` shape, or nil when outside it.
func resolvedAxis(_ axis: Int, rank: Int) -> Int? {
    let resolved = axis < 0 ? axis + rank : axis
    return (0..<rank).contains(resolved) ? resolved : nil
}

/// The input's axis `axis` resolved against its rank, or an error naming the layer.
func resolvedInputAxis(_ axis: Int, input: [Int?], layer: String) throws(WeightLoadingError) -> Int {
    guard let resolved = resolvedAxis(axis, rank: input.count) else {
        throw .unsupportedTopology(layer: layer, reason: "axis \(axis) is outside input \(input.shapeDescription)")
    }
    return resolved
}

/// The product of `shape`, or ``PredictionError/tooLarge(layer:elements:)``.
func checkedElementCount(_ shape: [Int], layer: String) throws(PredictionError) -> Int {
    do {
        return try Tensor.elementCount(of: shape)
    } catch {
        throw .tooLarge(layer: layer, elements: shape.map(String.init).joined(separator: "×"))
    }
}

/// The product of the known sizes of a static shape, nil when an axis is unknown or it overflows.
func staticElementCount(_ shape: [Int?]) -> Int? {
    var known: [Int] = []
    for size in shape {
        guard let size else { return nil }
        known.append(size)
    }
    return try? Tensor.elementCount(of: known)
}

/// The product of `shape[range]`, for sizes already known to fit (a tensor's own shape).
func product(_ shape: [Int], _ range: Range<Int>) -> Int {
    var result = 1
    for index in range { result &*= shape[index] }
    return result
}

extension Mask {
    /// The mask steps per sample for a tensor of `shape`: the product of the axes between the
    /// batch axis and the last axis.
    static func steps(for shape: [Int]) -> Int {
        shape.count <= 2 ? 1 : product(shape, 1..<(shape.count - 1))
    }

    /// Whether this mask has the layout of a mask for a tensor of `shape`.
    func fits(_ shape: [Int]) -> Bool {
        shape.count >= 2 && batch == shape[0] && steps == Mask.steps(for: shape) && values.count == batch * steps
    }

    /// A mask with every step valid.
    static func allValid(for shape: [Int]) -> Mask? {
        guard shape.count >= 2 else { return nil }
        let steps = Mask.steps(for: shape)
        return Mask(batch: shape[0], steps: steps, values: Array(repeating: true, count: shape[0] * steps))
    }
}

/// Moves axes: output axis `i` is input axis `permutation[i]`. The caller checks that
/// `permutation` is a permutation of `0..<shape.count`.
func permuteAxes<Element>(_ values: [Element], shape: [Int], permutation: [Int], zero: Element) -> [Element] {
    let rank = shape.count
    guard rank > 1, permutation != Array(0..<rank), !values.isEmpty else { return values }
    var inputStrides = [Int](repeating: 1, count: rank)
    for axis in stride(from: rank - 2, through: 0, by: -1) { inputStrides[axis] = inputStrides[axis + 1] * shape[axis + 1] }
    let outputShape = permutation.map { shape[$0] }
    let strides = permutation.map { inputStrides[$0] }
    var output = [Element](repeating: zero, count: values.count)
    var index = [Int](repeating: 0, count: rank)
    let innerLength = outputShape[rank - 1], innerStride = strides[rank - 1]
    let rows = values.count / max(innerLength, 1)
    values.withUnsafeBufferPointer { source in
        output.withUnsafeMutableBufferPointer { destination in
            var written = 0
            for _ in 0..<rows {
                var offset = 0
                for axis in 0..<(rank - 1) { offset += index[axis] * strides[axis] }
                for inner in 0..<innerLength {
                    destination[written] = source[offset + inner * innerStride]
                    written += 1
                }
                // Advance the row counter over the outer output axes.
                var axis = rank - 2
                while axis >= 0 {
                    index[axis] += 1
                    if index[axis] < outputShape[axis] { break }
                    index[axis] = 0
                    axis -= 1
                }
            }
        }
    }
    return output
}

/// Joins row-major blocks along one axis: `outer` rows, each made of one `blocks[i]`-long run
/// from each part in order.
func concatenateBlocks<Element>(_ parts: [[Element]], outer: Int, blocks: [Int], zero: Element) -> [Element] {
    let rowLength = blocks.reduce(0, +)
    var output = [Element](repeating: zero, count: outer * rowLength)
    output.withUnsafeMutableBufferPointer { destination in
        var column = 0
        for (part, block) in zip(parts, blocks) {
            if block > 0 {
                part.withUnsafeBufferPointer { source in
                    for row in 0..<outer {
                        for index in 0..<block {
                            destination[row * rowLength + column + index] = source[row * block + index]
                        }
                    }
                }
            }
            column += block
        }
    }
    return output
}

/// NumPy broadcasting of two tensors (shapes aligned at their last axes, size-1 axes
/// stretched): `operation(a[i], b[j])` for every output element.
func broadcastCombine<Scalar: ComputeScalar>(
    _ a: TensorOf<Scalar>, _ b: TensorOf<Scalar>, layer: String, _ operation: (Scalar, Scalar) -> Scalar
) throws(PredictionError) -> TensorOf<Scalar> {
    if a.shape == b.shape {
        var output = a.scalars
        output.withUnsafeMutableBufferPointer { y in
            b.scalars.withUnsafeBufferPointer { x in
                for index in 0..<y.count { y[index] = operation(y[index], x[index]) }
            }
        }
        return TensorOf(uncheckedShape: a.shape, scalars: output)
    }
    let rank = max(a.rank, b.rank)
    let shapeA = Array(repeating: 1, count: rank - a.rank) + a.shape
    let shapeB = Array(repeating: 1, count: rank - b.rank) + b.shape
    var outputShape = [Int](repeating: 1, count: rank)
    for axis in 0..<rank {
        switch (shapeA[axis], shapeB[axis]) {
        case let (x, y) where x == y: outputShape[axis] = x
        case (1, let y): outputShape[axis] = y
        case (let x, 1): outputShape[axis] = x
        default:
            throw .inputShapeMismatch(layer: layer, expected: "shapes that broadcast with \(a.shape.shapeDescription)", actual: b.shape)
        }
    }
    let count = try checkedElementCount(outputShape, layer: layer)
    /// Strides over the output axes, 0 where the operand is stretched.
    func strides(_ shape: [Int]) -> [Int] {
        var result = [Int](repeating: 0, count: rank)
        var running = 1
        for axis in stride(from: rank - 1, through: 0, by: -1) {
            result[axis] = shape[axis] == 1 ? 0 : running
            running *= shape[axis]
        }
        return result
    }
    let stridesA = strides(shapeA), stridesB = strides(shapeB)
    var output = [Scalar](repeating: 0, count: count)
    var index = [Int](repeating: 0, count: rank)
    a.scalars.withUnsafeBufferPointer { x in
        b.scalars.withUnsafeBufferPointer { z in
            output.withUnsafeMutableBufferPointer { y in
                var offsetA = 0, offsetB = 0
                for target in 0..<count {
                    y[target] = operation(x[offsetA], z[offsetB])
                    var axis = rank - 1
                    while axis >= 0 {
                        index[axis] += 1
                        offsetA += stridesA[axis]
                        offsetB += stridesB[axis]
                        if index[axis] < outputShape[axis] { break }
                        offsetA -= stridesA[axis] * outputShape[axis]
                        offsetB -= stridesB[axis] * outputShape[axis]
                        index[axis] = 0
                        axis -= 1
                    }
                }
            }
        }
    }
    return TensorOf(uncheckedShape: outputShape, scalars: output)
}

/// The static shape NumPy broadcasting gives two shapes (`nil` axes stay unknown unless the
/// other side fixes them), or nil when they can't broadcast.
func broadcastShapes(_ a: [Int?], _ b: [Int?]) -> [Int?]? {
    let rank = max(a.count, b.count)
    let shapeA = Array(repeating: 1, count: rank - a.count) + a
    let shapeB = Array(repeating: 1, count: rank - b.count) + b
    var output: [Int?] = []
    for (x, y) in zip(shapeA, shapeB) {
        switch (x, y) {
        case (1, _): output.append(y)
        case (_, 1): output.append(x)
        case let (x?, y?): if x != y { return nil } else { output.append(x) }
        case (nil, let y): output.append(y)
        case (let x, nil): output.append(x)
        }
    }
    return output
}

/// `axis` entries (negative from the end) resolved against `input`, sorted and deduplicated, for a
/// layer that reduces over them per sample: the batch axis is refused (it would mix samples).
func resolvedSampleAxes(_ axis: [Int], input: [Int?], layer: String) throws(WeightLoadingError) -> [Int] {
    var axes: [Int] = []
    for entry in axis {
        let resolved = try resolvedInputAxis(entry, input: input, layer: layer)
        guard resolved != 0 || input.count == 1 else {
            throw .unsupportedTopology(layer: layer, reason: "axis \(entry) is the batch axis; a reduction over it mixes samples, which KerasKit doesn't run")
        }
        if !axes.contains(resolved) { axes.append(resolved) }
    }
    return axes.sorted()
}

/// `values` (shaped `shape`) with `axes` (sorted) moved last, `transform` applied to each row of
/// their combined length, and the axes moved back: a softmax or a norm over several axes.
func transformingRows<Scalar: ComputeScalar>(_ values: [Scalar], shape: [Int], over axes: [Int],
                                             _ transform: (UnsafeMutablePointer<Scalar>, Int) -> Void) -> [Scalar] {
    let rank = shape.count
    let permutation = (0..<rank).filter { !axes.contains($0) } + axes
    var moved = permuteAxes(values, shape: shape, permutation: permutation, zero: 0)
    let width = axes.reduce(1) { $0 * shape[$1] }
    if width > 0 {
        moved.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for row in 0..<(buffer.count / width) { transform(base + row * width, width) }
        }
    }
    var inverse = [Int](repeating: 0, count: rank)
    for (position, axis) in permutation.enumerated() { inverse[axis] = position }
    return permuteAxes(moved, shape: permutation.map { shape[$0] }, permutation: inverse, zero: 0)
}
