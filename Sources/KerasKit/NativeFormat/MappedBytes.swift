import Foundation

/// A file's bytes, memory-mapped read-only for as long as anything refers to them (weights and
/// packed matrices read straight from the mapping keep it alive), or a 64-byte-aligned copy of
/// bytes already in memory.
final class MappedBytes: @unchecked Sendable {
    /// The first byte; nil when empty.
    let base: UnsafeRawPointer?
    /// The number of bytes.
    let count: Int
    /// Whether `base` is a mapping to unmap (otherwise an allocation to free).
    private let isMapped: Bool

    /// Maps the file at `path`.
    /// - Throws: A message naming the failing call and the system's reason.
    init(mapping path: String) throws(SafetensorsError) {
        func fail(_ call: String) -> SafetensorsError {
            SafetensorsError(file: path, offset: nil, problem: "cannot read: \(call): \(String(cString: strerror(errno)))")
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw fail("open") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw fail("fstat") }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw SafetensorsError(file: path, offset: nil, problem: "cannot read: not a regular file")
        }
        let size = Int(status.st_size)
        isMapped = size > 0
        count = size
        guard size > 0 else {
            base = nil
            return
        }
        // Read-only and private: pages are shared with the page cache and never written. As
        // with any mapping, the file must not be truncated while a model uses it.
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw fail("mmap")
        }
        base = UnsafeRawPointer(address)
    }

    /// Copies `data` into aligned memory of its own.
    init(copying data: Data) {
        count = data.count
        isMapped = false
        guard !data.isEmpty else {
            base = nil
            return
        }
        let memory = UnsafeMutableRawPointer.allocate(byteCount: data.count, alignment: 64)
        data.withUnsafeBytes { source in
            if let from = source.baseAddress { memory.copyMemory(from: from, byteCount: source.count) }
        }
        base = UnsafeRawPointer(memory)
    }

    deinit {
        guard let base else { return }
        if isMapped {
            munmap(UnsafeMutableRawPointer(mutating: base), count)
        } else {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }

    /// The bytes `range` (checked by the caller to lie within `0 ..< count`).
    func bytes(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        guard let base else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count)
    }
}
