import Foundation

/// The work buffers of one model's calls, reused: when a call's output is no longer read, the
/// model's run gives its storage back here, and the next layer that needs a buffer of that size
/// takes it instead of allocating. A convolutional network's activations come in a few repeated
/// sizes, so after the first call a run allocates almost nothing and touches no fresh pages
/// (fresh large allocations cost page faults on every call otherwise).
///
/// Buffers are value arrays: one still shared with a live tensor (a layer that passes its input
/// through) is copied on its first write, so reuse never changes a live value. Several threads
/// may run the same model: the pool is guarded by a lock, held only to push or pop.
final class BufferPool<Scalar: ComputeScalar>: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [Int: [[Scalar]]] = [:]
    private var heldScalars = 0
    /// The most scalars kept at once; buffers beyond it are released.
    let limit: Int

    init(limit: Int = 1 << 27) {
        self.limit = limit
    }

    /// A buffer of `count` scalars: a reused one (its old contents when `zeroed` is false), or a
    /// new zeroed one.
    func take(_ count: Int, zeroed: Bool) -> [Scalar] {
        lock.lock()
        let reused = free[count]?.popLast()
        if reused != nil { heldScalars -= count }
        lock.unlock()
        guard var buffer = reused else { return [Scalar](repeating: 0, count: count) }
        if zeroed { buffer.withUnsafeMutableBufferPointer { $0.update(repeating: 0) } }
        return buffer
    }

    /// Keeps `buffer` for a later ``take(_:zeroed:)`` of its size, unless the pool is full.
    func give(_ buffer: [Scalar]) {
        let count = buffer.count
        guard count > 0 else { return }
        lock.lock()
        defer { lock.unlock() }
        guard heldScalars + count <= limit else { return }
        free[count, default: []].append(buffer)
        heldScalars += count
    }
}

extension LayerCall {
    /// A buffer of `count` scalars for an output, from the model's pool when the call has one.
    /// With `zeroed` false its contents are arbitrary: only for outputs the layer writes whole.
    func outputBuffer(_ count: Int, zeroed: Bool) -> [Scalar] {
        buffers?.take(count, zeroed: zeroed) ?? [Scalar](repeating: 0, count: count)
    }
}
