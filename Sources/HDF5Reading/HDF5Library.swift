import Foundation
internal import CHDF5

/// Process-wide access to libhdf5: the one lock every call into it goes through.
///
/// Debian's libhdf5 must not be called from two threads at once, so every call, including
/// the closes in `HDF5File.deinit`, runs inside ``withLock(_:)``. The lock is not
/// re-entrant; the design keeps it that way without risk:
/// - each public entry point of this module calls `withLock` exactly once;
/// - everything it calls (the `locked…` helpers) assumes the lock is held and never takes it;
/// - HDF5 object handles are plain ids closed with `defer` inside the locked body, never
///   objects whose `deinit` could run (and lock) while the lock is held.
enum HDF5Library {
    private static let lock = NSLock()

    /// Names for in-memory images; guarded by `lock`.
    nonisolated(unsafe) private static var imageCounter = 0

    /// Runs `body` holding the libhdf5 lock, with HDF5's automatic error printing switched off
    /// and its error stack empty.
    ///
    /// `H5Eset_auto2(H5E_DEFAULT, NULL, NULL)` is the first libhdf5 call made, and it is
    /// repeated on every entry: in a thread-safe build (Debian's is one) the error stack and
    /// its print setting belong to the calling thread, and Swift tasks move between threads.
    /// The call only stores two pointers.
    static func withLock<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        lock.lock()
        defer { lock.unlock() }
        _ = H5Eset_auto2(chdf5_e_default(), nil, nil)
        _ = H5Eclear2(chdf5_e_default())
        return try body()
    }

    /// A fresh name for an in-memory file image. Caller holds the lock.
    ///
    /// HDF5 treats two open core-driver files with the same name as the same file, and the
    /// core driver refuses an image whose name exists on disk. A path below `/dev/null`
    /// can never exist, and the counter keeps concurrent images apart.
    static func lockedNextImageName() -> String {
        imageCounter &+= 1
        return "/dev/null/keraskit-hdf5-image-\(imageCounter)"
    }

    /// The current thread's HDF5 error stack as one line, outermost call first, then clears
    /// it. Caller holds the lock.
    static func lockedTakeErrorStack() -> String {
        final class Collected { var lines: [String] = [] }
        let collected = Collected()
        let walker: H5E_walk2_t = { _, error, context in
            guard let error, let context else { return 0 }
            let collected = Unmanaged<Collected>.fromOpaque(context).takeUnretainedValue()
            let function = error.pointee.func_name.map { String(cString: $0) } ?? ""
            let description = error.pointee.desc.map { String(cString: $0) } ?? ""
            collected.lines.append(function.isEmpty ? description : "\(function)(): \(description)")
            return 0
        }
        withExtendedLifetime(collected) {
            let context = Unmanaged.passUnretained(collected).toOpaque()
            _ = H5Ewalk2(chdf5_e_default(), H5E_WALK_DOWNWARD, walker, context)
        }
        _ = H5Eclear2(chdf5_e_default())

        var unique: [String] = []
        for line in collected.lines where !line.isEmpty && !unique.contains(line) {
            unique.append(line)
        }
        guard !unique.isEmpty else { return "libhdf5 reported a failure without details" }
        let text = unique.joined(separator: "; ")
            .split(whereSeparator: { $0.isNewline }).joined(separator: " ")
        let maxLength = 2000
        return text.count > maxLength ? String(text.prefix(maxLength)) + "…" : text
    }
}

/// The bytes of a NUL-terminated C string, without the NUL.
func cStringBytes(_ string: UnsafePointer<CChar>) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(start: string, count: strlen(string))
}
