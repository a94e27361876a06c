import Dispatch
import Foundation
internal import _KerasKitKernels

/// A constant right-hand matrix `B` (`rows × columns`, row-major) packed once into the panel
/// layout of the SIMD kernels, for products `C = A·B (+ bias)` with any number of rows in `A`.
///
/// Layers pack their kernels when a model loads; a product then reads `B` in the order the
/// micro-kernel wants it and needs no allocation. The columns may be split into equal
/// `groups` (an LSTM's four gates) so that each group starts on a fresh panel. Immutable after
/// `init`, so one packed matrix serves any number of threads.
final class PackedMatrix: @unchecked Sendable {
    /// Rows of `B` (the inner dimension `k` of a product).
    let rows: Int
    /// Columns of `B` (the width of the product).
    let columns: Int
    /// The level the panels were packed for.
    let level: SIMDLevel
    /// The C description of the panels; in allocated memory so threads read it without Swift's
    /// exclusivity checks on a stored property.
    private let layout: UnsafeMutablePointer<kk_layout>
    /// The panels' own memory, or nil when they are read from a mapped file.
    private let storage: UnsafeMutableRawPointer?
    private let packed: UnsafePointer<Float>
    /// The mapped file the panels are in, kept mapped while this matrix lives.
    let mapping: MappedBytes?

    /// Products at least this large (multiply-adds) split their rows over the cores.
    static let parallelThreshold = 1 << 19

    /// Packs `b`, `rows × columns` values row-major (missing values read as zero).
    ///
    /// - Parameters:
    ///   - b: The matrix.
    ///   - rows: `k`, at least 0.
    ///   - columns: `n`, at least 0.
    ///   - groups: Equal column groups, each padded to whole panels; 1 when it doesn't divide `columns`.
    ///   - level: The kernel level; the current one when this machine can't run it.
    init(_ b: [Float], rows: Int, columns: Int, groups: Int = 1, level: SIMDLevel = .current) {
        let rows = max(rows, 0), columns = max(columns, 0)
        self.rows = rows
        self.columns = columns
        let groups = groups > 0 && columns % groups == 0 ? groups : 1
        layout = UnsafeMutablePointer<kk_layout>.allocate(capacity: 1)
        layout.initialize(to: kk_layout())
        var chosen = level.isSupported ? level : .current
        var count = kk_layout_make(layout, Int32(chosen.rawValue), rows, columns, groups)
        if count == 0 {
            chosen = .baseline
            count = kk_layout_make(layout, Int32(chosen.rawValue), rows, columns, 1)
        }
        count = max(count, 1)
        self.level = chosen
        let storage = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Float>.stride, alignment: 64)
        let panels = storage.bindMemory(to: Float.self, capacity: count)
        panels.initialize(repeating: 0, count: count)
        var values = b
        if values.count < rows * columns { values += [Float](repeating: 0, count: rows * columns - values.count) }
        let made = layout
        values.withUnsafeBufferPointer { source in
            if let base = source.baseAddress, rows * columns > 0 { kk_pack(made, base, columns, panels) }
        }
        self.storage = storage
        packed = UnsafePointer(panels)
        mapping = nil
    }

    /// Computes from panels a native file stores, in place in its mapping: no copy. Nil unless
    /// they are laid out exactly as this machine's kernels at `level` pack them (the panel width
    /// differs between levels), or when they aren't float-aligned in the file.
    init?(adopting weight: MappedWeight, rows: Int, columns: Int, groups: Int, level: SIMDLevel = .current) {
        guard let stored = weight.packing, let floats = weight.storedFloats, let base = floats.baseAddress,
              stored.rows == rows, stored.columns == columns, stored.groups == groups else { return nil }
        let chosen = level.isSupported ? level : .current
        var made = kk_layout()
        let count = kk_layout_make(&made, Int32(chosen.rawValue), rows, columns, groups)
        guard count > 0, Int(made.nr) == stored.panelWidth, made.panel_stride == stored.panelStride,
              count == stored.floatCount, count <= floats.count else { return nil }
        self.rows = rows
        self.columns = columns
        self.level = chosen
        layout = UnsafeMutablePointer<kk_layout>.allocate(capacity: 1)
        layout.initialize(to: made)
        storage = nil
        packed = base
        mapping = weight.bytes
    }

    /// The layout and the panels, for kernels that take them directly.
    var layoutPointer: UnsafePointer<kk_layout> { UnsafePointer(layout) }
    var packedPointer: UnsafePointer<Float> { packed }

    deinit {
        storage?.deallocate()
        layout.deallocate()
    }

    /// `c = (accumulate ? c : 0) + a·B + bias` for `m` rows.
    ///
    /// - Parameters:
    ///   - m: Rows of `a` and `c`.
    ///   - a: `m × rows`, leading dimension `lda` (≥ `rows`).
    ///   - c: `m × columns`, leading dimension `ldc` (≥ `columns`).
    ///   - accumulate: Add to `c` rather than overwrite it.
    ///   - bias: `columns` values added to every row, or nil.
    ///   - parallel: Split rows over the cores when the product is large enough.
    func multiply(
        m: Int, _ a: UnsafePointer<Float>, lda: Int,
        into c: UnsafeMutablePointer<Float>, ldc: Int,
        accumulate: Bool = false, bias: UnsafePointer<Float>? = nil, parallel: Bool = true
    ) {
        guard m > 0 else { return }
        let work = m * rows * columns
        let threads = parallel && work >= Self.parallelThreshold ? min(Parallel.coreCount, max(1, m / 12)) : 1
        let arguments = Arguments(a: a, c: c, bias: bias)
        Parallel.forEachChunk(of: m, chunks: threads, alignment: 12) { range in
            kk_gemm_rows(self.layout, self.packed, range.lowerBound, range.upperBound,
                         arguments.a, lda, arguments.c, ldc, accumulate ? 1 : 0, arguments.bias)
        }
    }

    /// Runs the LSTM recurrence with this matrix as the recurrent kernel `U` (packed with 4 groups).
    /// See ``LSTMKernel``.
    func lstmSequence(
        projection: UnsafePointer<Float>, projectionSampleStride: Int, projectionStepStride: Int,
        batch: Int, steps: Int, units: Int,
        h: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
        sequence: UnsafeMutablePointer<Float>?, sequenceSampleStride: Int, sequenceStepStride: Int,
        goesBackwards: Bool
    ) {
        kk_lstm_sequence(layout, packed, projection, projectionSampleStride, projectionStepStride,
                         batch, steps, units, h, c, scratch, sequence, sequenceSampleStride, sequenceStepStride,
                         goesBackwards ? 1 : 0)
    }

    private struct Arguments: @unchecked Sendable {
        let a: UnsafePointer<Float>
        let c: UnsafeMutablePointer<Float>
        let bias: UnsafePointer<Float>?
    }
}

/// Products whose right-hand matrix changes from call to call (attention's keys and values):
/// packed into caller-provided scratch, then multiplied by the same kernels as a ``PackedMatrix``.
extension PackedMatrix {
    /// The floats of scratch ``multiplyTransient(m:n:k:_:lda:_:ldb:transposed:into:ldc:scratch:)``
    /// needs for a `k × n` right-hand matrix.
    static func transientScratchCount(rows k: Int, columns n: Int) -> Int {
        var layout = kk_layout()
        return kk_layout_make(&layout, Int32(SIMDLevel.current.rawValue), k, n, 1)
    }

    /// `c[m × n] = a[m × k] · B` on this thread, with `b` holding `B` row-major (`ldb` apart) or,
    /// `transposed`, `Bᵀ` (`n × k`, `ldb` apart); `scratch` holds
    /// ``transientScratchCount(rows:columns:)`` floats.
    static func multiplyTransient(m: Int, n: Int, k: Int, _ a: UnsafePointer<Float>, lda: Int,
                                  _ b: UnsafePointer<Float>, ldb: Int, transposed: Bool,
                                  into c: UnsafeMutablePointer<Float>, ldc: Int, scratch: UnsafeMutablePointer<Float>) {
        guard m > 0 else { return }
        var layout = kk_layout()
        guard kk_layout_make(&layout, Int32(SIMDLevel.current.rawValue), k, n, 1) > 0 else { return }
        if k > 0, n > 0 {
            if transposed { kk_pack_transposed(&layout, b, ldb, scratch) } else { kk_pack(&layout, b, ldb, scratch) }
        }
        kk_gemm_rows(&layout, scratch, 0, m, a, lda, c, ldc, 0, nil)
    }
}

/// A value the caller promises to share safely (raw pointers into buffers whose disjoint parts
/// different threads touch).
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Splitting work over the machine's cores with Dispatch.
enum Parallel {
    /// Active processors, at least 1.
    static let coreCount = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Calls `body` on `chunks` contiguous ranges covering `0 ..< count`, concurrently when
    /// `chunks > 1`; range bounds are multiples of `alignment` except the last. The ranges are
    /// independent: no chunk waits for another, so it is correct however many threads Dispatch
    /// actually provides.
    static func forEachChunk(of count: Int, chunks: Int, alignment: Int = 1, _ body: @Sendable (Range<Int>) -> Void) {
        forEachIndexedChunk(of: count, chunks: chunks, alignment: alignment) { _, range in body(range) }
    }

    /// ``forEachChunk(of:chunks:alignment:_:)`` that also hands each call its chunk's index in
    /// `0 ..< chunks` (at most `count` chunks), so each can use its own scratch memory.
    static func forEachIndexedChunk(of count: Int, chunks: Int, alignment: Int = 1, _ body: @Sendable (Int, Range<Int>) -> Void) {
        let chunks = max(1, min(chunks, count))
        guard chunks > 1 else {
            if count > 0 { body(0, 0 ..< count) }
            return
        }
        let step = max(alignment, 1)
        let units = (count + step - 1) / step
        DispatchQueue.concurrentPerform(iterations: chunks) { index in
            let lower = min(count, units * index / chunks * step)
            let upper = index == chunks - 1 ? count : min(count, units * (index + 1) / chunks * step)
            if lower < upper { body(index, lower ..< upper) }
        }
    }
}
