internal import CHDF5

extension HDF5File {
    /// What a path leads to.
    ///
    /// Each level is checked with `H5Lexists` before it is followed, so a missing
    /// intermediate group, or a dataset used as one, gives `nil` rather than an error.
    /// A soft link that cannot be followed inside this file (dangling, or leading through
    /// an external link) also gives `nil`.
    ///
    /// - Parameter path: A `/`-separated path; `"/"` is the root group.
    /// - Returns: The object's kind, `.other` for a committed datatype or an external link
    ///   (which is not followed), or `nil` if nothing is there.
    /// - Throws: ``HDF5Error/unsupportedType(file:path:type:)`` if the path goes through an
    ///   external link; ``HDF5Error/readFailed(file:path:reason:)`` if libhdf5 fails.
    public func kind(at path: String) throws(HDF5Error) -> HDF5ObjectKind? {
        try HDF5Library.withLock { () throws(HDF5Error) -> HDF5ObjectKind? in
            switch try lockedResolve(path) {
            case .absent:
                return nil
            case .externalLink:
                return .other
            case .object(let id, let kind, _):
                _ = H5Oclose(id)
                return kind
            }
        }
    }

    /// The names of the links (groups, datasets, soft and external links) in a group,
    /// in increasing byte-wise name order (HDF5's name index, as `h5py`'s `keys()`).
    ///
    /// - Parameter path: The group's path.
    /// - Returns: The member names, without the group's path.
    /// - Throws: ``HDF5Error/notFound(file:path:)``, ``HDF5Error/wrongKind(file:path:expected:actual:)``
    ///   if `path` is not a group, ``HDF5Error/limitExceeded(file:path:what:value:limit:)``
    ///   beyond ``maxNames`` names, ``HDF5Error/readFailed(file:path:reason:)`` for a name
    ///   that is not UTF-8 or a libhdf5 failure.
    public func childNames(ofGroup path: String) throws(HDF5Error) -> [String] {
        try HDF5Library.withLock { () throws(HDF5Error) -> [String] in
            let (group, shown) = try lockedOpen(path, expecting: .group)
            defer { _ = H5Oclose(group) }
            let collector = NameCollector()
            let visitor: chdf5_name_visitor = { name, context in
                guard let name, let context else { return -1 }
                return Unmanaged<NameCollector>.fromOpaque(context).takeUnretainedValue().add(name)
            }
            let status = withExtendedLifetime(collector) {
                chdf5_iterate_link_names(group, visitor, Unmanaged.passUnretained(collector).toOpaque())
            }
            return try lockedFinish(collector, status: status, path: shown)
        }
    }

    // MARK: - Resolution (caller holds the lock)

    /// The outcome of following a path.
    enum Resolved {
        /// Nothing at the path.
        case absent
        /// The last component is an external (or user-defined) link; it is not followed.
        case externalLink
        /// An open object (`H5Oopen`; the caller must `H5Oclose` it), its kind and HDF5 id type.
        case object(hid_t, HDF5ObjectKind, H5I_type_t)
    }

    /// `path` with empty components dropped and a leading `/`, as shown in errors.
    static func normalized(_ path: String) -> (components: [String], shown: String) {
        let components = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        return (components, "/" + components.joined(separator: "/"))
    }

    /// Follows `path` one link at a time. Caller holds the lock.
    func lockedResolve(_ path: String) throws(HDF5Error) -> Resolved {
        let (components, shown) = Self.normalized(path)
        // A NUL would silently cut the C string short; no HDF5 name contains one.
        if shown.utf8.contains(0) { return .absent }
        try lockedPrecheck("/")
        if components.isEmpty {
            let root = H5Oopen(fileID, "/", linkAccessID)
            guard root >= 0 else { throw lockedReadFailure(shown) }
            return .object(root, .group, H5I_GROUP)
        }
        var prefix = ""
        for (index, component) in components.enumerated() {
            prefix += "/" + component
            let isLast = index == components.count - 1

            let linkExists = H5Lexists(fileID, prefix, linkAccessID)
            guard linkExists >= 0 else { throw lockedReadFailure(prefix) }
            if linkExists == 0 { return .absent }

            let linkType = chdf5_link_type(fileID, prefix, linkAccessID)
            guard linkType != H5L_TYPE_ERROR else { throw lockedReadFailure(prefix) }
            if linkType != H5L_TYPE_HARD && linkType != H5L_TYPE_SOFT {
                if isLast { return .externalLink }
                throw .unsupportedType(file: name, path: prefix, type: "external link (not followed)")
            }

            let objectExists = H5Oexists_by_name(fileID, prefix, linkAccessID)
            if objectExists < 0 && linkType == H5L_TYPE_SOFT {
                // libhdf5 1.10 fails, rather than answering false, for a soft link whose target
                // is missing (or lies behind an external link, which is refused): a soft link
                // that cannot be followed inside this file counts as absent.
                _ = H5Eclear2(chdf5_e_default())
                return .absent
            }
            guard objectExists >= 0 else { throw lockedReadFailure(prefix) }
            if objectExists == 0 { return .absent }

            try lockedPrecheck(prefix)
            let object = H5Oopen(fileID, prefix, linkAccessID)
            guard object >= 0 else { throw lockedReadFailure(prefix) }
            let idType = H5Iget_type(object)
            let kind: HDF5ObjectKind
            switch idType {
            case H5I_GROUP: kind = .group
            case H5I_DATASET: kind = .dataset
            default: kind = .other
            }
            if isLast { return .object(object, kind, idType) }
            _ = H5Oclose(object)
            if kind != .group { return .absent }
        }
        return .absent  // not reached: the loop returns on its last component
    }

    /// Checks the raw structures of the object at `path` (see ``HDF5Precheck``) before libhdf5
    /// opens it or decodes its messages. Caller holds the lock.
    func lockedPrecheck(_ path: String) throws(HDF5Error) {
        guard let precheck else { return }
        var address: haddr_t = 0
        guard chdf5_object_address_by_name(fileID, path, linkAccessID, &address) >= 0 else {
            throw lockedReadFailure(path)
        }
        do throws(HDF5Precheck.Problem) {
            try precheck.checkObject(at: UInt64(address))
        } catch {
            throw .readFailed(file: name, path: path, reason: "the file is damaged: \(error.message)")
        }
    }

    /// Opens the object at `path`, which must be of kind `expected` (or any kind if nil).
    /// Returns the open id (caller closes it with `H5Oclose`) and the path as shown in errors.
    /// Caller holds the lock.
    func lockedOpen(_ path: String, expecting expected: HDF5ObjectKind?) throws(HDF5Error) -> (hid_t, String) {
        let shown = Self.normalized(path).shown
        switch try lockedResolve(path) {
        case .absent:
            throw .notFound(file: name, path: shown)
        case .externalLink:
            throw .wrongKind(file: name, path: shown, expected: Self.word(for: expected), actual: "external link")
        case .object(let id, let kind, let idType):
            if let expected, kind != expected {
                _ = H5Oclose(id)
                throw .wrongKind(file: name, path: shown, expected: Self.word(for: expected),
                                 actual: Self.word(for: kind, idType: idType))
            }
            return (id, shown)
        }
    }

    private static func word(for kind: HDF5ObjectKind?, idType: H5I_type_t? = nil) -> String {
        switch kind {
        case .group: return "group"
        case .dataset: return "dataset"
        case .other: return idType == H5I_DATATYPE ? "committed datatype" : "object of another kind"
        case nil: return "group or dataset"
        }
    }

    /// A ``HDF5Error/readFailed(file:path:reason:)`` carrying the current HDF5 error stack.
    /// Caller holds the lock.
    func lockedReadFailure(_ shownPath: String) -> HDF5Error {
        .readFailed(file: name, path: shownPath, reason: HDF5Library.lockedTakeErrorStack())
    }

    // MARK: - Name lists (caller holds the lock)

    /// Collects names handed over by an HDF5 iteration callback, enforcing the limits.
    final class NameCollector {
        var names: [String] = []
        var totalBytes = 0
        var tooMany = false
        var tooLong = false
        var invalidName: Int?

        /// Returns 0 to continue, 1 to stop the iteration.
        func add(_ cName: UnsafePointer<CChar>) -> Int32 {
            guard names.count < HDF5File.maxNames else { tooMany = true; return 1 }
            let bytes = cStringBytes(cName)
            let (total, overflow) = totalBytes.addingReportingOverflow(bytes.count)
            guard !overflow, total <= HDF5File.maxAttributeBytes else { tooLong = true; return 1 }
            totalBytes = total
            guard let decoded = decodeUTF8(bytes) else { invalidName = names.count; return 1 }
            names.append(decoded)
            return 0
        }
    }

    /// Turns a finished iteration into the names or the matching error. Caller holds the lock.
    func lockedFinish(_ collector: NameCollector, status: herr_t, path: String) throws(HDF5Error) -> [String] {
        if collector.tooMany {
            throw .limitExceeded(file: name, path: path, what: "name count", value: Self.maxNames + 1,
                                 limit: Self.maxNames)
        }
        if collector.tooLong {
            throw .limitExceeded(file: name, path: path, what: "total length of the names in bytes",
                                 value: collector.totalBytes, limit: Self.maxAttributeBytes)
        }
        if let index = collector.invalidName {
            throw .readFailed(file: name, path: path, reason: "name number \(index + 1) is not valid UTF-8")
        }
        guard status >= 0 else { throw lockedReadFailure(path) }
        return collector.names
    }
}

/// The UTF-8 text in `bytes`, or nil if they are not valid UTF-8 (nothing is repaired).
func decodeUTF8<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String? {
    let text = String(decoding: bytes, as: UTF8.self)
    return text.utf8.elementsEqual(bytes) ? text : nil
}
