import Foundation
internal import CHDF5

/// A read-only HDF5 file, on disk or in memory.
///
/// The file stays open for the lifetime of the object and is closed by `deinit`. All methods
/// may be called from any thread or task: every call into libhdf5 goes through one
/// process-wide lock (libhdf5 as packaged by Debian must not be entered concurrently), so
/// reads from several files or tasks are serialized, not parallel.
///
/// Paths use `/` separators and may start with `/` or not; empty components are ignored,
/// so `"/a/b"`, `"a/b"` and `"/a//b/"` are the same path. Names may contain any other
/// character, including `:` (`"lstm_cell/kernel:0"`). Soft links inside the file are
/// followed; external links, which point into other files, never are.
///
/// Every size read from the file is checked before it is used; see ``maxDatasetElements``
/// and the other limits.
public final class HDF5File: @unchecked Sendable {
    /// What error messages call the file: the path given to ``init(path:)`` or the name
    /// given to ``init(image:name:)``.
    public let name: String
    /// The size of the file in bytes.
    public let fileSize: Int
    /// The eight bytes an HDF5 superblock starts with: `89 48 44 46 0D 0A 1A 0A`
    /// (`\x89HDF\r\n\x1a\n`). HDF5 looks for it at offset 0, 512, 1024, 2048, ….
    public static let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The open file (`hid_t`); used only under the lock.
    let fileID: hid_t
    /// A link access property list that refuses to traverse external links.
    let linkAccessID: hid_t
    /// Checks of the raw structures before libhdf5 decodes them; nil for layouts not checked.
    let precheck: HDF5Precheck?

    /// Opens the HDF5 file at `path` read-only.
    ///
    /// - Parameter path: A file system path; it is also the file's ``name``.
    /// - Throws: ``HDF5Error/openFailed(file:reason:)`` if the file is missing, empty,
    ///   unreadable, not HDF5 or truncated; the reason includes HDF5's own explanation.
    public init(path: String) throws(HDF5Error) {
        if let problem = Self.problemBeforeOpening(path: path) {
            throw .openFailed(file: path, reason: problem)
        }
        // The pre-checks read the file's structures through a memory map (see HDF5Precheck).
        let precheck = try Self.makePrecheck(
            (try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)).map { .data($0) }, label: path)
        let opened = try HDF5Library.withLock { () throws(HDF5Error) -> Opened in
            let file = H5Fopen(path, chdf5_f_acc_rdonly(), chdf5_p_default())
            guard file >= 0 else {
                throw .openFailed(file: path, reason: HDF5Library.lockedTakeErrorStack())
            }
            var size: hsize_t = 0
            guard H5Fget_filesize(file, &size) >= 0, let fileSize = Int(exactly: size) else {
                let reason = HDF5Library.lockedTakeErrorStack()
                _ = H5Fclose(file)
                throw .openFailed(file: path, reason: "cannot determine the file size: \(reason)")
            }
            return try Self.lockedFinishOpening(file: file, size: fileSize, label: path)
        }
        self.name = path
        self.fileSize = opened.size
        self.fileID = opened.file
        self.linkAccessID = opened.linkAccess
        self.precheck = precheck
    }

    /// Opens an HDF5 file held in memory, read-only. Nothing is written to disk.
    ///
    /// libhdf5 gets its own copy of the bytes (the core driver, without backing store,
    /// given the image with `H5Pset_file_image`), so `image` may be released afterwards.
    ///
    /// - Parameters:
    ///   - image: The complete file contents.
    ///   - name: What error messages call the file, for example the archive member name.
    /// - Throws: ``HDF5Error/openFailed(file:reason:)`` if the bytes are empty, not HDF5
    ///   or truncated.
    public init(image: [UInt8], name: String) throws(HDF5Error) {
        guard !image.isEmpty else {
            throw .openFailed(file: name, reason: "the image is empty (0 bytes), not an HDF5 file")
        }
        let precheck = try Self.makePrecheck(.array(image), label: name)
        let opened = try HDF5Library.withLock { () throws(HDF5Error) -> Opened in
            let access = H5Pcreate(chdf5_p_file_access())
            guard access >= 0 else {
                throw .openFailed(file: name, reason: HDF5Library.lockedTakeErrorStack())
            }
            defer { _ = H5Pclose(access) }
            let configured = H5Pset_fapl_core(access, 64 * 1024, false) >= 0
                && image.withUnsafeBytes { bytes in
                    // H5Pset_file_image copies the buffer; it never writes through the pointer.
                    H5Pset_file_image(access, UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
                } >= 0
            guard configured else {
                throw .openFailed(file: name, reason: HDF5Library.lockedTakeErrorStack())
            }
            let file = H5Fopen(HDF5Library.lockedNextImageName(), chdf5_f_acc_rdonly(), access)
            guard file >= 0 else {
                throw .openFailed(file: name, reason: HDF5Library.lockedTakeErrorStack())
            }
            return try Self.lockedFinishOpening(file: file, size: image.count, label: name)
        }
        self.name = name
        self.fileSize = opened.size
        self.fileID = opened.file
        self.linkAccessID = opened.linkAccess
        self.precheck = precheck
    }

    deinit {
        let file = fileID
        let linkAccess = linkAccessID
        HDF5Library.withLock {
            _ = H5Pclose(linkAccess)
            _ = H5Fclose(file)
        }
    }

    // MARK: - Opening helpers

    private struct Opened {
        var file: hid_t
        var size: Int
        var linkAccess: hid_t
    }

    /// The pre-checks for a file's bytes, or an open failure naming the damaged structure.
    private static func makePrecheck(_ storage: HDF5Precheck.Storage?, label: String) throws(HDF5Error) -> HDF5Precheck? {
        guard let storage else { return nil }
        do {
            return try HDF5Precheck.make(storage)
        } catch {
            throw .openFailed(file: label, reason: "the file is damaged: \(error.message)")
        }
    }

    /// A readable reason why `path` cannot be an HDF5 file, found without libhdf5, or nil.
    private static func problemBeforeOpening(path: String) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return "no such file"
        }
        if isDirectory.boolValue { return "is a directory, not a file" }
        if let attributes = try? FileManager.default.attributesOfItem(atPath: path),
           let size = attributes[.size] as? NSNumber, size.intValue == 0 {
            return "the file is empty (0 bytes), not an HDF5 file"
        }
        return nil
    }

    /// Creates the link access property list for an open file; closes `file` on failure.
    /// Caller holds the lock.
    private static func lockedFinishOpening(file: hid_t, size: Int, label: String) throws(HDF5Error) -> Opened {
        let linkAccess = H5Pcreate(chdf5_p_link_access())
        let refuseExternalLinks: H5L_elink_traverse_t = { _, _, _, _, _, _, _ in -1 }
        guard linkAccess >= 0, H5Pset_elink_cb(linkAccess, refuseExternalLinks, nil) >= 0 else {
            let reason = HDF5Library.lockedTakeErrorStack()
            if linkAccess >= 0 { _ = H5Pclose(linkAccess) }
            _ = H5Fclose(file)
            throw .openFailed(file: label, reason: reason)
        }
        return Opened(file: file, size: size, linkAccess: linkAccess)
    }
}
