/// Constant weight values a layer reads as they are (a bias, an embedding table): straight from
/// a native file's memory map when the file stores them in the layer's scalar, else an array of
/// their own. Either way read-only, and safe to share between threads.
struct WeightVector<Scalar: KerasScalar>: @unchecked Sendable {
    /// The values when they are not mapped.
    private let array: [Scalar]
    /// The first mapped value, and the mapping it keeps alive.
    private let mapped: (start: UnsafePointer<Scalar>, owner: MappedBytes)?
    /// The number of values.
    let count: Int

    init(_ array: [Scalar]) {
        self.array = array
        mapped = nil
        count = array.count
    }

    /// `weight`'s values, in place when it is a mapped native-file weight stored as `Scalar`.
    init(_ weight: WeightArray) {
        if case .mapped(let stored) = weight.storage, stored.packing == nil, let values = stored.storedValues(as: Scalar.self),
           let start = values.baseAddress, values.count == weight.storage.count {
            self.init(array: [], mapped: (start, stored.bytes), count: values.count)
        } else {
            self.init(weight.values(as: Scalar.self))
        }
    }

    private init(array: [Scalar], mapped: (start: UnsafePointer<Scalar>, owner: MappedBytes)?, count: Int) {
        self.array = array
        self.mapped = mapped
        self.count = count
    }

    /// Calls `body` with the values.
    func withUnsafeBufferPointer<Result>(_ body: (UnsafeBufferPointer<Scalar>) throws -> Result) rethrows -> Result {
        if let mapped { return try body(UnsafeBufferPointer(start: mapped.start, count: count)) }
        return try array.withUnsafeBufferPointer(body)
    }

    /// The values `range` (within `0 ..< count`), sharing this vector's storage.
    func slice(_ range: Range<Int>) -> WeightVector {
        if let mapped { return WeightVector(array: [], mapped: (mapped.start + range.lowerBound, mapped.owner), count: range.count) }
        return WeightVector(Array(array[range]))
    }

    /// Whether the values are read from a mapped file (for tests).
    var isMapped: Bool { mapped != nil }
}
