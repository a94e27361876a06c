/// The full contents of a dataset, in C (row-major) order, in native byte order.
public struct HDF5Array: Sendable {
    /// The dimensions, outermost first; `[]` for a scalar dataspace (one element).
    /// Their product is guaranteed not to overflow `Int` and equals the element count
    /// of ``storage``.
    public let shape: [Int]
    /// The element type as stored in the file.
    public let elementType: HDF5ElementType
    /// The elements, in the widest matching Swift representation.
    public enum Storage: Sendable {
        /// IEEE half-precision values as their raw 16-bit patterns (native byte order).
        case float16(bits: [UInt16])
        /// Single-precision values.
        case float32([Float])
        /// Double-precision values.
        case float64([Double])
        /// Values of every integer element type, widened to `Int64`.
        case integers([Int64])
    }
    /// The elements; the case follows ``elementType``.
    public let storage: Storage

    /// The number of elements: the product of ``shape`` (1 for a scalar).
    public var elementCount: Int {
        switch storage {
        case .float16(let bits): return bits.count
        case .float32(let values): return values.count
        case .float64(let values): return values.count
        case .integers(let values): return values.count
        }
    }
}
