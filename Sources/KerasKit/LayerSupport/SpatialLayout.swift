// What the 1-, 2- and 3-D image layers (pooling, padding, cropping, upsampling) share: where
// their spatial axes are, moving channels last and back, and the per-axis pair arguments
// (`padding`, `cropping`) Keras writes as an integer, a tuple or a tuple of tuples.

extension DataFormat {
    /// The spatial axes of a rank-`spatialRank + 2` tensor in this format.
    func spatialAxes(_ spatialRank: Int) -> [Int] {
        self == .channelsLast ? Array(1...spatialRank) : Array(2..<(spatialRank + 2))
    }

    /// The channel axis of a rank-`spatialRank + 2` tensor in this format.
    func channelAxis(_ spatialRank: Int) -> Int { self == .channelsLast ? spatialRank + 1 : 1 }
}

/// A tensor `(batch, s1, …, sk, channels)`, channels last whatever the layer's format: the layers
/// compute on this layout, as TensorFlow's pooling and resizing do (Keras transposes a
/// `channels_first` input to it and back).
struct ChannelsLastImage<Scalar: ComputeScalar> {
    var batch: Int
    var spatial: [Int]
    var channels: Int
    var scalars: [Scalar]

    /// `input` (rank `spatialRank + 2`, in `format`) as channels last; nil for another rank.
    init?(_ input: TensorOf<Scalar>, spatialRank: Int, format: DataFormat) {
        guard input.rank == spatialRank + 2 else { return nil }
        batch = input.shape[0]
        if format == .channelsLast {
            spatial = Array(input.shape[1...spatialRank])
            channels = input.shape[spatialRank + 1]
            scalars = input.scalars
        } else {
            spatial = Array(input.shape[2...])
            channels = input.shape[1]
            scalars = movingChannels(input.scalars, shape: input.shape, toFirst: false)
        }
    }

    init(batch: Int, spatial: [Int], channels: Int, scalars: [Scalar]) {
        (self.batch, self.spatial, self.channels, self.scalars) = (batch, spatial, channels, scalars)
    }

    /// The spatial positions per sample.
    var positions: Int { product(spatial, 0..<spatial.count) }

    /// The shape of a tensor with this image's batch and channels and `spatial` sizes, in `format`.
    func shape(spatial: [Int], format: DataFormat) -> [Int] {
        format == .channelsLast ? [batch] + spatial + [channels] : [batch, channels] + spatial
    }

    /// This image as a tensor in `format`.
    func tensor(format: DataFormat) -> TensorOf<Scalar> {
        let channelsLastShape = [batch] + spatial + [channels]
        guard format == .channelsFirst else { return TensorOf(uncheckedShape: channelsLastShape, scalars: scalars) }
        return TensorOf(uncheckedShape: shape(spatial: spatial, format: format),
                        scalars: movingChannels(scalars, shape: channelsLastShape, toFirst: true))
    }
}

/// Moves a `(batch, channels, spatial…)` tensor's channels last, or back (`toFirst`).
func movingChannels<Scalar: ComputeScalar>(_ values: [Scalar], shape: [Int], toFirst: Bool) -> [Scalar] {
    let rank = shape.count
    let permutation = toFirst ? [0, rank - 1] + Array(1..<(rank - 1)) : [0] + Array(2..<rank) + [1]
    return permuteAxes(values, shape: shape, permutation: permutation, zero: 0)
}

/// Row-major strides of `sizes`.
func rowMajorStrides(_ sizes: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: sizes.count)
    for axis in stride(from: sizes.count - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * sizes[axis + 1] }
    return strides
}

/// Steps `index` (one counter per axis, within `sizes`) to the next position in row-major order.
@inline(__always)
func advance(_ index: inout [Int], within sizes: [Int]) {
    var axis = sizes.count - 1
    while axis >= 0 {
        index[axis] += 1
        if index[axis] < sizes[axis] { return }
        index[axis] = 0
        axis -= 1
    }
}

extension LayerArguments {
    /// A `(before, after)` pair per spatial axis (`padding`, `cropping`): an integer (the same
    /// everywhere), `rank` integers (symmetric per axis) or `rank` pairs, each entry possibly a
    /// Keras 2 `__tuple__` wrapper; each size in `0...maxDimension`. Absent or `null` is `fallback`.
    public mutating func spatialPairs(_ key: String, rank: Int, default fallback: [(Int, Int)]) throws(KerasConfigError) -> [(before: Int, after: Int)] {
        /// The value without Keras 2's `{"class_name": "__tuple__", "items": …}` wrapper.
        func unwrapped(_ value: JSONValue) -> JSONValue {
            if let items = value["items"], value["class_name"] != nil { return items }
            return value
        }
        func size(_ value: JSONValue) -> Int? {
            guard case .number(let number) = value, number == number.rounded(), number >= 0, number <= Double(KerasLimits.maxDimension) else { return nil }
            return Int(number)
        }
        let expected = "expected an integer, \(rank) integers or \(rank) pairs of integers, each in 0...\(KerasLimits.maxDimension)"
        var pairs: [(before: Int, after: Int)] = fallback.map { (before: $0.0, after: $0.1) }
        if let raw = take(key), raw != .null {
            let value = unwrapped(raw)
            if let single = size(value) {
                pairs = Array(repeating: (single, single), count: rank)
            } else if case .array(let items) = value, items.count == rank {
                pairs = []
                for item in items.map(unwrapped) {
                    if let symmetric = size(item) {
                        pairs.append((symmetric, symmetric))
                    } else if case .array(let pair) = item, pair.count == 2, let before = size(pair[0]), let after = size(pair[1]) {
                        pairs.append((before, after))
                    } else {
                        throw invalid(key, "\(expected), found \(pythonLiteral(raw))")
                    }
                }
            } else {
                throw invalid(key, "\(expected), found \(pythonLiteral(raw))")
            }
        }
        record(key, .array(pairs.map { [$0.before, $0.after].json }))
        return pairs
    }
}
