/// The value of an HDF5 attribute, flattened in C (row-major) order.
///
/// A scalar attribute gives a one-element array; an attribute with a null dataspace
/// (h5py's `Empty`) gives an empty array of its kind.
public enum HDF5AttributeValue: Sendable, Equatable {
    /// String attributes: fixed-length (padding stripped according to the type's pad mode:
    /// `NULLTERM` up to the first NUL, `NULLPAD` trailing NULs, `SPACEPAD` trailing spaces)
    /// or variable-length, ASCII or UTF-8 character set. Bytes that are not valid UTF-8 make
    /// the read fail with ``HDF5Error/readFailed(file:path:reason:)``; nothing is repaired.
    case strings([String])
    /// Integer attributes of 1 to 8 bytes, signed or unsigned, widened to `Int64`.
    /// An unsigned 64-bit value above `Int64.max` makes the read fail.
    case integers([Int64])
    /// Floating-point attributes of 2, 4 or 8 bytes, converted to `Double` by libhdf5.
    /// Keras writes an empty list of names as an empty float64 array; it reads as `.floats([])`.
    case floats([Double])
}
