internal import CHDF5

extension HDF5File {
    /// The shape of the dataset at `path`, without reading its data.
    ///
    /// - Parameter path: The dataset's path.
    /// - Returns: The dimensions, outermost first; `[]` for a scalar dataset. Their product
    ///   fits in `Int` (it may still exceed ``maxDatasetElements``).
    /// - Throws: ``HDF5Error/notFound(file:path:)``, ``HDF5Error/wrongKind(file:path:expected:actual:)``
    ///   if `path` is not a dataset, ``HDF5Error/unsupportedType(file:path:type:)`` for a null
    ///   dataspace, ``HDF5Error/limitExceeded(file:path:what:value:limit:)`` for more than
    ///   ``maxRank`` dimensions or an element count that overflows `Int`.
    public func datasetShape(at path: String) throws(HDF5Error) -> [Int] {
        try HDF5Library.withLock { () throws(HDF5Error) -> [Int] in
            let (dataset, shown) = try lockedOpen(path, expecting: .dataset)
            defer { _ = H5Oclose(dataset) }
            return try lockedDatasetExtent(dataset, path: shown).shape
        }
    }

    /// Reads a whole dataset.
    ///
    /// Floating-point data of 4 and 8 bytes is converted to native `Float` / `Double`
    /// (big-endian data included); IEEE half-precision data is returned as raw bits in
    /// native byte order; integers of every width are widened to `Int64`.
    ///
    /// - Parameter path: The dataset's path.
    /// - Returns: The shape, stored element type and elements.
    /// - Throws: ``HDF5Error/notFound(file:path:)``, ``HDF5Error/wrongKind(file:path:expected:actual:)``;
    ///   ``HDF5Error/unsupportedType(file:path:type:)`` for element types other than
    ///   ``HDF5ElementType``'s (strings, compounds, enums, non-IEEE 16-bit floats, …), null
    ///   dataspaces, virtual datasets and external raw-data files;
    ///   ``HDF5Error/limitExceeded(file:path:what:value:limit:)`` beyond
    ///   ``maxDatasetElements``, for contiguous data larger than the file or ending past it, or
    ///   for chunked data declaring more than ``maxChunkedExpansion`` times its stored size;
    ///   ``HDF5Error/readFailed(file:path:reason:)`` for a libhdf5 failure (for example an
    ///   unavailable compression filter) or an unsigned 64-bit value above `Int64.max`.
    public func readDataset(at path: String) throws(HDF5Error) -> HDF5Array {
        try HDF5Library.withLock { () throws(HDF5Error) -> HDF5Array in
            let (dataset, shown) = try lockedOpen(path, expecting: .dataset)
            defer { _ = H5Oclose(dataset) }
            return try lockedReadDataset(dataset, path: shown)
        }
    }

    // MARK: - Implementation (caller holds the lock)

    private func lockedDatasetExtent(_ dataset: hid_t, path: String) throws(HDF5Error) -> Extent {
        let space = H5Dget_space(dataset)
        guard space >= 0 else { throw lockedReadFailure(path) }
        defer { _ = H5Sclose(space) }
        let extent = try lockedExtent(of: space, path: path)
        if extent.isNull {
            throw .unsupportedType(file: name, path: path, type: "null dataspace (a dataset without data)")
        }
        return extent
    }

    private func lockedReadDataset(_ dataset: hid_t, path: String) throws(HDF5Error) -> HDF5Array {
        let type = H5Dget_type(dataset)
        guard type >= 0 else { throw lockedReadFailure(path) }
        defer { _ = H5Tclose(type) }
        let elementType = try lockedElementType(type, path: path)

        let extent = try lockedDatasetExtent(dataset, path: path)
        guard extent.count <= Self.maxDatasetElements else {
            throw .limitExceeded(file: name, path: path, what: "element count", value: extent.count,
                                 limit: Self.maxDatasetElements)
        }
        try lockedCheckStorage(dataset, type: type, count: extent.count, path: path)
        let count = extent.count

        let storage: HDF5Array.Storage
        switch elementType {
        case .float16:
            // The file's own half type, in native byte order: HDF5 only swaps bytes.
            let memoryType = H5Tcopy(type)
            guard memoryType >= 0 else { throw lockedReadFailure(path) }
            defer { _ = H5Tclose(memoryType) }
            guard H5Tset_order(memoryType, H5Tget_order(chdf5_native_float())) >= 0 else {
                throw lockedReadFailure(path)
            }
            storage = .float16(bits: try lockedRead(dataset, memoryType: memoryType, count: count, path: path))
        case .float32:
            storage = .float32(try lockedRead(dataset, memoryType: chdf5_native_float(), count: count, path: path))
        case .float64:
            storage = .float64(try lockedRead(dataset, memoryType: chdf5_native_double(), count: count, path: path))
        case .uint64:
            let values: [UInt64] = try lockedRead(dataset, memoryType: chdf5_native_uint64(), count: count, path: path)
            var widened: [Int64] = []
            widened.reserveCapacity(count)
            for (index, value) in values.enumerated() {
                guard let wide = Int64(exactly: value) else {
                    throw .readFailed(file: name, path: path,
                                      reason: "uint64 value \(value) at index \(index) does not fit in Int64")
                }
                widened.append(wide)
            }
            storage = .integers(widened)
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32:
            storage = .integers(try lockedRead(dataset, memoryType: chdf5_native_int64(), count: count, path: path))
        }
        return HDF5Array(shape: extent.shape, elementType: elementType, storage: storage)
    }

    /// Maps the file datatype to an element type this reader supports.
    private func lockedElementType(_ type: hid_t, path: String) throws(HDF5Error) -> HDF5ElementType {
        let size = H5Tget_size(type)
        let unsupported = HDF5Error.unsupportedType(file: name, path: path, type: Self.lockedDescribe(type: type))
        switch H5Tget_class(type) {
        case H5T_FLOAT:
            switch size {
            case 2:
                guard lockedIsIEEEHalf(type) else {
                    throw .unsupportedType(file: name, path: path, type: "16-bit float type that is not IEEE half")
                }
                return .float16
            case 4: return .float32
            case 8: return .float64
            default: throw unsupported
            }
        case H5T_INTEGER:
            let signed = H5Tget_sign(type) != H5T_SGN_NONE
            switch size {
            case 1: return signed ? .int8 : .uint8
            case 2: return signed ? .int16 : .uint16
            case 4: return signed ? .int32 : .uint32
            case 8: return signed ? .int64 : .uint64
            default: throw unsupported
            }
        default:
            throw unsupported
        }
    }

    /// Whether a 2-byte float type has the IEEE binary16 layout, so its raw bits mean what
    /// ``HDF5Array/Storage/float16(bits:)`` promises.
    private func lockedIsIEEEHalf(_ type: hid_t) -> Bool {
        var signPosition = 0, exponentPosition = 0, exponentSize = 0, mantissaPosition = 0, mantissaSize = 0
        guard H5Tget_fields(type, &signPosition, &exponentPosition, &exponentSize,
                            &mantissaPosition, &mantissaSize) >= 0 else {
            _ = H5Eclear2(chdf5_e_default())
            return false
        }
        return signPosition == 15 && exponentPosition == 10 && exponentSize == 5
            && mantissaPosition == 0 && mantissaSize == 10
            && H5Tget_precision(type) == 16 && H5Tget_offset(type) == 0 && H5Tget_ebias(type) == 15
            && H5Tget_norm(type) == H5T_NORM_IMPLIED
    }

    /// Checks the dataset's storage before reading: no virtual datasets or external files
    /// (both read other files), contiguous data that fits in the file, compact data no larger
    /// than the layout message stores, chunked data within deflate's expansion of its chunks.
    private func lockedCheckStorage(_ dataset: hid_t, type: hid_t, count: Int, path: String) throws(HDF5Error) {
        let creation = H5Dget_create_plist(dataset)
        guard creation >= 0 else { throw lockedReadFailure(path) }
        defer { _ = H5Pclose(creation) }
        let layout = H5Pget_layout(creation)
        guard layout != H5D_LAYOUT_ERROR else { throw lockedReadFailure(path) }
        if layout == H5D_VIRTUAL {
            throw .unsupportedType(file: name, path: path, type: "virtual dataset layout (data in other files)")
        }
        let externalFiles = H5Pget_external_count(creation)
        guard externalFiles >= 0 else { throw lockedReadFailure(path) }
        if externalFiles > 0 {
            throw .unsupportedType(file: name, path: path, type: "external raw data storage (data in other files)")
        }
        guard let elementSize = Int(exactly: H5Tget_size(type)), elementSize > 0 else {
            throw lockedReadFailure(path)
        }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: elementSize)
        if layout == H5D_CHUNKED {
            // Chunks may be compressed, so the data may exceed the file, but not by more than
            // deflate can expand (about 1032:1), whatever the chunks that are missing and would
            // read as fill values.
            let stored = Int(clamping: H5Dget_storage_size(dataset))
            let (allowed, allowedOverflow) = stored.multipliedReportingOverflow(by: Self.maxChunkedExpansion)
            let limit = allowedOverflow ? Int.max : max(allowed, Self.chunkedBytesWithoutStorage)
            guard !overflow, bytes <= limit else {
                throw .limitExceeded(file: name, path: path, what: "declared data size in bytes (chunked, \(stored) bytes stored)",
                                     value: overflow ? Int.max : bytes, limit: limit)
            }
            return
        }
        guard layout == H5D_CONTIGUOUS || layout == H5D_COMPACT else { return }
        guard !overflow, bytes <= fileSize else {
            throw .limitExceeded(file: name, path: path, what: "declared data size in bytes",
                                 value: overflow ? Int.max : bytes, limit: fileSize)
        }
        if layout == H5D_COMPACT {
            // libhdf5 1.10 copies the declared size out of the layout message's data without
            // comparing the two (an out-of-bounds read found by the fuzzer).
            let stored = Int(clamping: H5Dget_storage_size(dataset))
            guard bytes <= stored else {
                throw .limitExceeded(file: name, path: path, what: "declared data size in bytes (compact)",
                                     value: bytes, limit: stored)
            }
            return
        }
        let offset = H5Dget_offset(dataset)
        guard offset != chdf5_haddr_undef() else {
            // Not allocated yet: HDF5 returns fill values. Not an error.
            _ = H5Eclear2(chdf5_e_default())
            return
        }
        let stored = H5Dget_storage_size(dataset)
        guard let start = Int(exactly: offset), let length = Int(exactly: stored) else {
            throw .limitExceeded(file: name, path: path, what: "end offset of the contiguous data",
                                 value: Int.max, limit: fileSize)
        }
        let (end, endOverflow) = start.addingReportingOverflow(length)
        guard !endOverflow, end <= fileSize else {
            throw .limitExceeded(file: name, path: path, what: "end offset of the contiguous data",
                                 value: endOverflow ? Int.max : end, limit: fileSize)
        }
    }

    /// Reads all `count` elements converted by libhdf5 to `memoryType`.
    private func lockedRead<T: BitwiseCopyable>(_ dataset: hid_t, memoryType: hid_t, count: Int,
                                                 path: String) throws(HDF5Error) -> [T] {
        guard count > 0 else { return [] }
        var status: herr_t = -1
        let values = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            status = H5Dread(dataset, memoryType, chdf5_s_all(), chdf5_s_all(), chdf5_p_default(),
                             UnsafeMutableRawPointer(buffer.baseAddress))
            initialized = count
        }
        guard status >= 0 else { throw lockedReadFailure(path) }
        return values
    }
}
