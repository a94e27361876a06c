internal import CHDF5

extension HDF5File {
    /// The checked extent of a dataspace.
    struct Extent {
        /// Dimensions; `[]` for scalar and null dataspaces.
        var shape: [Int]
        /// Product of `shape` (1 for scalar, 0 for null); known not to overflow.
        var count: Int
        /// An HDF5 null dataspace (no elements, no data; h5py's `Empty`).
        var isNull: Bool
    }

    /// Reads and checks the extent of `space`: rank at most ``maxRank``, every dimension and
    /// their product representable as `Int`. Caller holds the lock.
    func lockedExtent(of space: hid_t, path: String) throws(HDF5Error) -> Extent {
        let spaceClass = H5Sget_simple_extent_type(space)
        switch spaceClass {
        case H5S_NULL:
            return Extent(shape: [], count: 0, isNull: true)
        case H5S_SCALAR:
            return Extent(shape: [], count: 1, isNull: false)
        case H5S_SIMPLE:
            break
        default:
            throw lockedReadFailure(path)
        }
        let rank = Int(H5Sget_simple_extent_ndims(space))
        guard rank >= 0 else { throw lockedReadFailure(path) }
        guard rank <= Self.maxRank else {
            throw .limitExceeded(file: name, path: path, what: "rank", value: rank, limit: Self.maxRank)
        }
        var dims = [hsize_t](repeating: 0, count: rank)
        if rank > 0 {
            guard H5Sget_simple_extent_dims(space, &dims, nil) == Int32(rank) else {
                throw lockedReadFailure(path)
            }
        }
        var shape: [Int] = []
        shape.reserveCapacity(rank)
        var count = 1
        var overflowed = false
        for dim in dims {
            guard let size = Int(exactly: dim) else {
                throw .limitExceeded(file: name, path: path, what: "a dimension (\(dim), which overflows Int)", value: Int.max,
                                     limit: Int.max)
            }
            shape.append(size)
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            if overflow { overflowed = true } else { count = product }
        }
        // A zero dimension makes the product 0 even if other dimensions overflowed.
        if shape.contains(0) { return Extent(shape: shape, count: 0, isNull: false) }
        guard !overflowed else {
            throw .limitExceeded(file: name, path: path,
                                 what: "element count (\(dims.map(String.init).joined(separator: " x ")), which overflows Int)",
                                 value: Int.max, limit: Int.max)
        }
        return Extent(shape: shape, count: count, isNull: false)
    }

    /// A short description of an HDF5 datatype for error messages. Caller holds the lock.
    static func lockedDescribe(type: hid_t) -> String {
        let size = H5Tget_size(type)
        switch H5Tget_class(type) {
        case H5T_INTEGER:
            let signed = H5Tget_sign(type) != H5T_SGN_NONE
            return "\(size)-byte \(signed ? "signed" : "unsigned") integer type"
        case H5T_FLOAT: return "\(size)-byte float type"
        case H5T_STRING: return "string type"
        case H5T_COMPOUND: return "compound type (for example complex numbers)"
        case H5T_ENUM: return "enum type (for example booleans)"
        case H5T_BITFIELD: return "bitfield type"
        case H5T_OPAQUE: return "opaque type"
        case H5T_REFERENCE: return "reference type"
        case H5T_VLEN: return "variable-length sequence type"
        case H5T_ARRAY: return "array type"
        case H5T_TIME: return "time type"
        default: return "datatype of unknown class"
        }
    }
}
