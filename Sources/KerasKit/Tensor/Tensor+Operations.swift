extension Tensor {
    /// The tensor with axis `axis` reversed.
    func reversingAxis(_ axis: Int) -> Tensor {
        guard axis < rank, shape[axis] > 1 else { return self }
        let outer = shape[..<axis].reduce(1, *)
        let length = shape[axis]
        let inner = shape[(axis + 1)...].reduce(1, *)
        var result = scalars
        scalars.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { destination in
                guard let source = source.baseAddress, let destination = destination.baseAddress else { return }
                for block in 0..<outer {
                    let base = block * length * inner
                    for index in 0..<length {
                        (destination + base + index * inner).update(from: source + base + (length - 1 - index) * inner, count: inner)
                    }
                }
            }
        }
        return Tensor(uncheckedShape: shape, scalars: result)
    }

    /// `self` and `other` (same shape but the last axis) joined along the last axis.
    func concatenatingLastAxis(_ other: Tensor) -> Tensor {
        let a = shape.last ?? 1, b = other.shape.last ?? 1
        let rows = a == 0 ? 0 : scalars.count / a
        var result = [Float]()
        result.reserveCapacity(rows * (a + b))
        for row in 0..<rows {
            result += scalars[(row * a)..<((row + 1) * a)]
            result += other.scalars[(row * b)..<((row + 1) * b)]
        }
        return Tensor(uncheckedShape: Array(shape.dropLast()) + [a + b], scalars: result)
    }

    /// Element-wise combination of two tensors of one shape.
    func combined(with other: Tensor, _ operation: (Float, Float) -> Float) -> Tensor {
        Tensor(uncheckedShape: shape, scalars: zip(scalars, other.scalars).map(operation))
    }
}
