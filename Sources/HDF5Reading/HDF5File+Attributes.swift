internal import CHDF5

extension HDF5File {
    /// The names of the attributes of the group or dataset at `path`, in increasing
    /// byte-wise name order.
    ///
    /// - Parameter path: The object's path; `"/"` for the root group.
    /// - Returns: The attribute names.
    /// - Throws: ``HDF5Error/notFound(file:path:)`` if nothing is at `path`,
    ///   ``HDF5Error/limitExceeded(file:path:what:value:limit:)`` beyond ``maxNames`` names,
    ///   ``HDF5Error/readFailed(file:path:reason:)`` for a name that is not UTF-8 or a
    ///   libhdf5 failure.
    public func attributeNames(at path: String) throws(HDF5Error) -> [String] {
        try HDF5Library.withLock { () throws(HDF5Error) -> [String] in
            let (object, shown) = try lockedOpen(path, expecting: nil)
            defer { _ = H5Oclose(object) }
            let collector = NameCollector()
            let visitor: H5A_operator2_t = { _, name, _, context in
                guard let name, let context else { return -1 }
                return Unmanaged<NameCollector>.fromOpaque(context).takeUnretainedValue().add(name)
            }
            var index: hsize_t = 0
            let status = withExtendedLifetime(collector) {
                H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, &index, visitor,
                            Unmanaged.passUnretained(collector).toOpaque())
            }
            return try lockedFinish(collector, status: status, path: shown)
        }
    }

    /// Reads one attribute of the group or dataset at `path`.
    ///
    /// - Parameters:
    ///   - name: The attribute name.
    ///   - path: The owning object's path; `"/"` for the root group.
    /// - Returns: The value, or `nil` if the object has no attribute called `name`.
    /// - Throws: ``HDF5Error/notFound(file:path:)`` if nothing is at `path`;
    ///   ``HDF5Error/unsupportedType(file:path:type:)`` for types other than strings,
    ///   integers up to 8 bytes and floats of 2, 4 or 8 bytes;
    ///   ``HDF5Error/limitExceeded(file:path:what:value:limit:)`` beyond
    ///   ``maxAttributeElements`` elements or ``maxAttributeBytes`` bytes;
    ///   ``HDF5Error/readFailed(file:path:reason:)`` for invalid UTF-8, an unsigned value
    ///   above `Int64.max`, or a libhdf5 failure. Attribute errors show the path as
    ///   `object@name`.
    public func attribute(_ name: String, at path: String) throws(HDF5Error) -> HDF5AttributeValue? {
        try HDF5Library.withLock { () throws(HDF5Error) -> HDF5AttributeValue? in
            let (object, shown) = try lockedOpen(path, expecting: nil)
            defer { _ = H5Oclose(object) }
            let attributePath = "\(shown)@\(name)"
            if name.utf8.contains(0) { return nil }
            let exists = H5Aexists(object, name)
            guard exists >= 0 else { throw lockedReadFailure(attributePath) }
            if exists == 0 { return nil }
            let attribute = H5Aopen(object, name, chdf5_p_default())
            guard attribute >= 0 else { throw lockedReadFailure(attributePath) }
            defer { _ = H5Aclose(attribute) }
            return try lockedReadAttribute(attribute, path: attributePath)
        }
    }

    // MARK: - Reading values (caller holds the lock)

    private func lockedReadAttribute(_ attribute: hid_t, path: String) throws(HDF5Error) -> HDF5AttributeValue {
        let type = H5Aget_type(attribute)
        guard type >= 0 else { throw lockedReadFailure(path) }
        defer { _ = H5Tclose(type) }
        let space = H5Aget_space(attribute)
        guard space >= 0 else { throw lockedReadFailure(path) }
        defer { _ = H5Sclose(space) }

        let extent = try lockedExtent(of: space, path: path)
        guard extent.count <= Self.maxAttributeElements else {
            throw .limitExceeded(file: name, path: path, what: "element count", value: extent.count,
                                 limit: Self.maxAttributeElements)
        }
        let count = extent.count

        switch H5Tget_class(type) {
        case H5T_STRING:
            let variable = H5Tis_variable_str(type)
            guard variable >= 0 else { throw lockedReadFailure(path) }
            let cset = H5Tget_cset(type)
            guard cset != H5T_CSET_ERROR else { throw lockedReadFailure(path) }
            if variable > 0 {
                return .strings(try lockedReadVariableStrings(attribute, space: space, cset: cset,
                                                              count: count, path: path))
            }
            return .strings(try lockedReadFixedStrings(attribute, type: type, count: count, path: path))

        case H5T_INTEGER:
            let size = H5Tget_size(type)
            guard (1...8).contains(size) else {
                throw .unsupportedType(file: name, path: path, type: Self.lockedDescribe(type: type))
            }
            if H5Tget_sign(type) == H5T_SGN_NONE && size == 8 {
                let values: [UInt64] = try lockedRead(attribute, memoryType: chdf5_native_uint64(),
                                                      count: count, path: path)
                return .integers(try widen(values, path: path))
            }
            return .integers(try lockedRead(attribute, memoryType: chdf5_native_int64(), count: count, path: path))

        case H5T_FLOAT:
            guard [2, 4, 8].contains(H5Tget_size(type)) else {
                throw .unsupportedType(file: name, path: path, type: Self.lockedDescribe(type: type))
            }
            return .floats(try lockedRead(attribute, memoryType: chdf5_native_double(), count: count, path: path))

        default:
            throw .unsupportedType(file: name, path: path, type: Self.lockedDescribe(type: type))
        }
    }

    /// Reads `count` numbers converted by libhdf5 to `memoryType` (8 bytes each).
    private func lockedRead<T: BitwiseCopyable>(_ attribute: hid_t, memoryType: hid_t, count: Int,
                                                 path: String) throws(HDF5Error) -> [T] {
        guard count > 0 else { return [] }
        var status: herr_t = -1
        let values = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            status = H5Aread(attribute, memoryType, UnsafeMutableRawPointer(buffer.baseAddress))
            initialized = count
        }
        guard status >= 0 else { throw lockedReadFailure(path) }
        return values
    }

    private func widen(_ values: [UInt64], path: String) throws(HDF5Error) -> [Int64] {
        var result: [Int64] = []
        result.reserveCapacity(values.count)
        for (index, value) in values.enumerated() {
            guard let wide = Int64(exactly: value) else {
                throw .readFailed(file: name, path: path,
                                  reason: "unsigned value \(value) at index \(index) does not fit in Int64")
            }
            result.append(wide)
        }
        return result
    }

    private func lockedReadFixedStrings(_ attribute: hid_t, type: hid_t, count: Int,
                                        path: String) throws(HDF5Error) -> [String] {
        let size = H5Tget_size(type)
        guard size > 0, let width = Int(exactly: size) else { throw lockedReadFailure(path) }
        let (total, overflow) = width.multipliedReportingOverflow(by: count)
        guard !overflow, total <= Self.maxAttributeBytes else {
            throw .limitExceeded(file: name, path: path, what: "size in bytes",
                                 value: overflow ? Int.max : total, limit: Self.maxAttributeBytes)
        }
        guard count > 0 else { return [] }
        let padding = H5Tget_strpad(type)
        let memoryType = H5Tcopy(type)
        guard memoryType >= 0 else { throw lockedReadFailure(path) }
        defer { _ = H5Tclose(memoryType) }
        var buffer = [UInt8](repeating: 0, count: total)
        let status = buffer.withUnsafeMutableBytes { H5Aread(attribute, memoryType, $0.baseAddress) }
        guard status >= 0 else { throw lockedReadFailure(path) }

        var strings: [String] = []
        strings.reserveCapacity(count)
        for index in 0..<count {
            var element = buffer[(index * width)..<((index + 1) * width)]
            switch padding {
            case H5T_STR_NULLTERM:
                if let end = element.firstIndex(of: 0) { element = element[..<end] }
            case H5T_STR_SPACEPAD:
                while element.last == 0x20 { element.removeLast() }
            default:  // NULLPAD, and pad modes HDF5 reserves for the future
                while element.last == 0 { element.removeLast() }
            }
            guard let text = decodeUTF8(element) else {
                throw .readFailed(file: name, path: path, reason: "string \(index) is not valid UTF-8")
            }
            strings.append(text)
        }
        return strings
    }

    private func lockedReadVariableStrings(_ attribute: hid_t, space: hid_t, cset: H5T_cset_t, count: Int,
                                           path: String) throws(HDF5Error) -> [String] {
        guard count > 0 else { return [] }
        let memoryType = H5Tcopy(chdf5_c_s1())
        guard memoryType >= 0 else { throw lockedReadFailure(path) }
        defer { _ = H5Tclose(memoryType) }
        guard H5Tset_size(memoryType, chdf5_t_variable()) >= 0, H5Tset_cset(memoryType, cset) >= 0 else {
            throw lockedReadFailure(path)
        }
        var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
        return try pointers.withUnsafeMutableBufferPointer { (buffer) throws(HDF5Error) -> [String] in
            let status = H5Aread(attribute, memoryType, buffer.baseAddress)
            // HDF5 allocated the strings; free them whatever happens next.
            defer { _ = chdf5_vlen_reclaim(memoryType, space, buffer.baseAddress) }
            guard status >= 0 else { throw lockedReadFailure(path) }
            var strings: [String] = []
            strings.reserveCapacity(count)
            var totalBytes = 0
            for (index, pointer) in buffer.enumerated() {
                guard let pointer else { strings.append(""); continue }
                let bytes = cStringBytes(pointer)
                let (total, overflow) = totalBytes.addingReportingOverflow(bytes.count)
                guard !overflow, total <= Self.maxAttributeBytes else {
                    throw .limitExceeded(file: name, path: path, what: "total string length in bytes",
                                         value: overflow ? Int.max : total, limit: Self.maxAttributeBytes)
                }
                totalBytes = total
                guard let text = decodeUTF8(bytes) else {
                    throw .readFailed(file: name, path: path, reason: "string \(index) is not valid UTF-8")
                }
                strings.append(text)
            }
            return strings
        }
    }
}
