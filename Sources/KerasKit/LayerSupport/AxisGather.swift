/// Gathers a row-major tensor at one list of positions per axis: output element
/// `(i0, …, ik)` is input element `(positions[0][i0], …, positions[k][ik])`. Flipping, rolling,
/// tiling, repeating, broadcasting, slicing and taking along one axis are all this with other
/// position lists (a broadcast axis lists position 0 again and again).
///
/// - Parameters:
///   - values: The input, row-major in `shape`.
///   - shape: The input's shape.
///   - positions: One list per axis of positions in `0..<shape[axis]`; the output's shape is
///     their counts, and `output` must hold that many elements.
///   - output: Written whole.
func gatherAxes<Element>(_ values: [Element], shape: [Int], positions: [[Int]], into output: inout [Element]) {
    let rank = shape.count
    guard rank > 0 else {
        if !output.isEmpty, let value = values.first { output[0] = value }
        return
    }
    var strides = [Int](repeating: 1, count: rank)
    for axis in stride(from: rank - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * shape[axis + 1] }
    let counts = positions.map(\.count)
    guard !counts.contains(0) else { return }
    // The last axis's offsets once; the outer axes advance as an odometer.
    let inner = positions[rank - 1].map { $0 * strides[rank - 1] }
    let rows = output.count / inner.count
    var index = [Int](repeating: 0, count: rank)
    values.withUnsafeBufferPointer { x in
        inner.withUnsafeBufferPointer { inner in
            output.withUnsafeMutableBufferPointer { y in
                var written = 0
                for _ in 0..<rows {
                    var base = 0
                    for axis in 0..<(rank - 1) { base += positions[axis][index[axis]] * strides[axis] }
                    for offset in inner {
                        y[written] = x[base + offset]
                        written += 1
                    }
                    var axis = rank - 2
                    while axis >= 0 {
                        index[axis] += 1
                        if index[axis] < counts[axis] { break }
                        index[axis] = 0
                        axis -= 1
                    }
                }
            }
        }
    }
}

/// The most elements an operation that repeats values (`tile`, `repeat`, `broadcast_to`) makes:
/// sizes from a config can multiply to a count that fits `Int` yet no memory.
let maxRepeatedElements = 1 << 31

/// The element count of an output `shape`, refused when it overflows or passes
/// ``maxRepeatedElements``.
func checkedOutputCount(_ shape: [Int], layer: String) throws(PredictionError) -> Int {
    let count = try checkedElementCount(shape, layer: layer)
    guard count <= maxRepeatedElements else {
        throw .tooLarge(layer: layer, elements: shape.map(String.init).joined(separator: "×"))
    }
    return count
}

/// Runs ``gatherAxes(_:shape:positions:into:)`` into an output buffer of the call's pool.
func gatheredTensor<Scalar: ComputeScalar>(_ input: TensorOf<Scalar>, positions: [[Int]], outputShape: [Int],
                                           call: LayerCall<Scalar>, layer: String) throws(PredictionError) -> TensorOf<Scalar> {
    let count = try checkedOutputCount(positions.map(\.count), layer: layer)
    var output = call.outputBuffer(count, zeroed: false)
    gatherAxes(input.scalars, shape: input.shape, positions: positions, into: &output)
    return TensorOf(uncheckedShape: outputShape, scalars: output)
}
