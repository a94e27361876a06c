/// What a path in an HDF5 file leads to.
public enum HDF5ObjectKind: Sendable, Equatable {
    /// A group (the HDF5 analogue of a directory), including the root group `/`.
    case group
    /// A dataset (an n-dimensional array).
    case dataset
    /// Anything else: a committed (named) datatype, or an external link, which this reader
    /// never follows.
    case other
}
