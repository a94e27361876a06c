/// The element type of a dataset as stored in the file (byte order aside).
public enum HDF5ElementType: Sendable, Equatable {
    /// IEEE 754 half precision (binary16).
    case float16
    /// IEEE 754 single precision.
    case float32
    /// IEEE 754 double precision.
    case float64
    /// Signed 8-bit integer.
    case int8
    /// Signed 16-bit integer.
    case int16
    /// Signed 32-bit integer.
    case int32
    /// Signed 64-bit integer.
    case int64
    /// Unsigned 8-bit integer.
    case uint8
    /// Unsigned 16-bit integer.
    case uint16
    /// Unsigned 32-bit integer.
    case uint32
    /// Unsigned 64-bit integer.
    case uint64
}
