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

    private init(base: UnsafeRawPointer?, count: Int, isMapped: Bool) {
        self.base = base
        self.count = count
        self.isMapped = isMapped
    }

    /// Maps the file at `path`.
    /// - Throws: A message naming the failing call and the system's reason.
    convenience init(mapping path: String) throws(SafetensorsError) {
        #if os(Windows)
        // No mmap here: read the file into memory of its own.
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SafetensorsError(file: path, offset: nil, problem: "cannot read: \(fileProblem(reading: path, error))")
        }
        self.init(copying: data)
        #else
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
        guard size > 0 else {
            self.init(base: nil, count: 0, isMapped: false)
            return
        }
        // Read-only and private: pages are shared with the page cache and never written. As
        // with any mapping, the file must not be truncated while a model uses it.
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw fail("mmap")
        }
        self.init(base: UnsafeRawPointer(address), count: size, isMapped: true)
        #endif
    }

    /// Copies `data` into aligned memory of its own.
    convenience init(copying data: Data) {
        guard !data.isEmpty else {
            self.init(base: nil, count: 0, isMapped: false)
            return
        }
        let memory = UnsafeMutableRawPointer.allocate(byteCount: data.count, alignment: 64)
        data.withUnsafeBytes { source in
            if let from = source.baseAddress { memory.copyMemory(from: from, byteCount: source.count) }
        }
        self.init(base: UnsafeRawPointer(memory), count: data.count, isMapped: false)
    }

    deinit {
        guard let base else { return }
        if isMapped {
            #if !os(Windows)
            munmap(UnsafeMutableRawPointer(mutating: base), count)
            #endif
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
