extension TensorOf {
    /// The tensor with axis `axis` reversed.
    func reversingAxis(_ axis: Int) -> Self {
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
        return Self(uncheckedShape: shape, scalars: result)
    }

    /// `self` and `other` (same shape but the last axis) joined along the last axis.
    func concatenatingLastAxis(_ other: Self) -> Self {
        let a = shape.last ?? 1, b = other.shape.last ?? 1
        let rows = a == 0 ? 0 : scalars.count / a
        var result = [Scalar]()
        result.reserveCapacity(rows * (a + b))
        for row in 0..<rows {
            result += scalars[(row * a)..<((row + 1) * a)]
            result += other.scalars[(row * b)..<((row + 1) * b)]
        }
        return Self(uncheckedShape: Array(shape.dropLast()) + [a + b], scalars: result)
    }

    /// Element-wise combination of two tensors of one shape.
    func combined(with other: Self, _ operation: (Scalar, Scalar) -> Scalar) -> Self {
        Self(uncheckedShape: shape, scalars: zip(scalars, other.scalars).map(operation))
    }
}

extension TensorOf {
    /// Steps `range` of axis 1 (the time axis of `[batch, time, …]`).
    func slicingAxis1(_ range: Range<Int>) -> Self {
        let batch = shape[0], length = shape[1]
        let inner = shape.dropFirst(2).reduce(1, *)
        var result: [Scalar] = []
        result.reserveCapacity(batch * range.count * inner)
        for sample in 0..<batch {
            let start = (sample * length + range.lowerBound) * inner
            result += scalars[start..<(start + range.count * inner)]
        }
        return Self(uncheckedShape: [batch, range.count] + shape.dropFirst(2), scalars: result)
    }

    /// Tensors of one shape but axis 1 joined along axis 1.
    static func joiningAxis1(_ parts: [Self]) -> Self {
        guard let first = parts.first else { return Self(uncheckedShape: [0], scalars: []) }
        let batch = first.shape[0]
        let inner = first.shape.dropFirst(2).reduce(1, *)
        let total = parts.reduce(0) { $0 + $1.shape[1] }
        var result: [Scalar] = []
        result.reserveCapacity(batch * total * inner)
        for sample in 0..<batch {
            for part in parts {
                let length = part.shape[1] * inner
                result += part.scalars[(sample * length)..<((sample + 1) * length)]
            }
        }
        return Self(uncheckedShape: [batch, total] + first.shape.dropFirst(2), scalars: result)
    }
}
