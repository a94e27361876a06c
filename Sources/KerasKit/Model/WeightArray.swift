/// One stored weight as a file holds it: its name, shape and values in their stored precision.
///
/// Importers produce these in Keras's own order for each layer; ``KerasModel`` checks each
/// against the layer config before using it.
public struct WeightArray: Sendable {
    /// The stored values.
    public enum Storage: Sendable {
        /// IEEE binary16 bit patterns.
        case float16([UInt16])
        case float32([Float])
        case float64([Double])
    }

    /// The Keras weight name, as `weight_names` lists it: `lstm/lstm_cell/kernel:0`.
    public var name: String
    /// Where the weight is stored, e.g. the dataset `/model_weights/lstm/lstm/lstm_cell/kernel:0`;
    /// errors name this.
    public var source: String
    /// The stored shape.
    public var shape: [Int]
    /// The values in row-major order.
    public var storage: Storage

    /// Creates a weight.
    /// - Throws: ``TensorError`` when the element count is not the product of the shape.
    public init(name: String, shape: [Int], storage: Storage, source: String? = nil) throws(TensorError) {
        let count = try Tensor.elementCount(of: shape)
        guard count == storage.count else { throw .elementCountMismatch(shape: shape, count: storage.count) }
        self.name = name
        self.source = source ?? name
        self.shape = shape
        self.storage = storage
    }

    /// The values widened or rounded to `Float`.
    public var floats: [Float] { values(as: Float.self) }

    /// The values as `Scalar`: widened exactly, or rounded to nearest when narrowing.
    /// - Parameter scalar: `Float` or `Double`.
    public func values<Scalar: KerasScalar>(as scalar: Scalar.Type) -> [Scalar] { storage.values(as: scalar) }

    /// The Keras-style dtype name of the stored values.
    public var dtypeName: String {
        switch storage {
        case .float16: "float16"
        case .float32: "float32"
        case .float64: "float64"
        }
    }
}

extension WeightArray.Storage {
    /// The values as `Scalar`: widened exactly (float16 and float32 into `Double`, float16 into
    /// `Float`), or rounded to nearest when narrowing (float64 into `Float`).
    /// - Parameter scalar: `Float` or `Double`.
    public func values<Scalar: KerasScalar>(as scalar: Scalar.Type) -> [Scalar] {
        switch self {
        case .float16(let bits): bits.map { Scalar(Float(float16Bits: $0)) }
        case .float32(let values): Scalar.self == Float.self ? unsafeBitCast(values, to: [Scalar].self) : values.map { Scalar($0) }
        case .float64(let values): Scalar.self == Double.self ? unsafeBitCast(values, to: [Scalar].self) : values.map { Scalar($0) }
        }
    }

    /// The number of stored elements.
    public var count: Int {
        switch self {
        case .float16(let values): values.count
        case .float32(let values): values.count
        case .float64(let values): values.count
        }
    }
}
