/// One stored weight as a file holds it: its name, shape and values in their stored precision.
///
/// Importers produce these in Keras's own order for each layer; ``KerasModel`` checks each
/// against the layer config before using it.
public struct WeightArray: Sendable {
    /// The stored values.
    public enum Storage: Sendable {
        /// IEEE binary16 bit patterns.
        case float16([UInt16])
        case float32([Float])
        case float64([Double])
        /// Integers, as Keras stores a counter (`Normalization`'s `count`, an int64). Only a
        /// weight its layer declares ``WeightRole/unread`` may be stored so; every other weight
        /// is refused as not floating point when the model is built.
        case int64([Int64])
        /// Values left in a memory-mapped native file and read in place (see ``MappedWeight``).
        case mapped(MappedWeight)
    }

    /// The Keras weight name, as `weight_names` lists it: `lstm/lstm_cell/kernel:0`.
    public var name: String
    /// Where the weight is stored, e.g. the dataset `/model_weights/lstm/lstm/lstm_cell/kernel:0`;
    /// errors name this.
    public var source: String
    /// The stored shape.
    public var shape: [Int]
    /// The values in row-major order.
    public var storage: Storage

    /// Creates a weight.
    /// - Throws: ``TensorError`` when the element count is not the product of the shape.
    public init(name: String, shape: [Int], storage: Storage, source: String? = nil) throws(TensorError) {
        let count = try Tensor.elementCount(of: shape)
        guard count == storage.count else { throw .elementCountMismatch(shape: shape, count: storage.count) }
        self.name = name
        self.source = source ?? name
        self.shape = shape
        self.storage = storage
    }

    /// The values widened or rounded to `Float`.
    public var floats: [Float] { values(as: Float.self) }

    /// The values as `Scalar`: widened exactly, or rounded to nearest when narrowing.
    /// - Parameter scalar: `Float` or `Double`.
    public func values<Scalar: KerasScalar>(as scalar: Scalar.Type) -> [Scalar] { storage.values(as: scalar) }

    /// The Keras-style dtype name of the stored values.
    public var dtypeName: String {
        switch storage {
        case .float16: "float16"
        case .float32: "float32"
        case .float64: "float64"
        case .int64: "int64"
        case .mapped(let weight): weight.element.rawValue
        }
    }

    /// Whether the values are floating point (the only values a layer computes with).
    public var isFloatingPoint: Bool { storage.isFloatingPoint }
}

extension WeightArray.Storage {
    /// The values as `Scalar`: widened exactly (float16 and float32 into `Double`, float16 into
    /// `Float`), or rounded to nearest when narrowing (float64 into `Float`).
    /// - Parameter scalar: `Float` or `Double`.
    public func values<Scalar: KerasScalar>(as scalar: Scalar.Type) -> [Scalar] {
        switch self {
        case .float16(let bits): bits.map { Scalar(Float(float16Bits: $0)) }
        case .float32(let values): Scalar.self == Float.self ? unsafeBitCast(values, to: [Scalar].self) : values.map { Scalar($0) }
        case .float64(let values): Scalar.self == Double.self ? unsafeBitCast(values, to: [Scalar].self) : values.map { Scalar($0) }
        case .int64(let values): values.map { Scalar(Double($0)) }
        case .mapped(let weight): weight.values(as: scalar)
        }
    }

    /// Whether the values are floating point.
    public var isFloatingPoint: Bool {
        switch self {
        case .float16, .float32, .float64: true
        case .int64: false
        case .mapped(let weight): weight.element != .int64
        }
    }

    /// The number of stored elements.
    public var count: Int {
        switch self {
        case .float16(let values): values.count
        case .float32(let values): values.count
        case .float64(let values): values.count
        case .int64(let values): values.count
        case .mapped(let weight): weight.count
        }
    }
}

/// A weight whose values stay in a memory-mapped native file: loading reads nothing of it, and
/// the layers that can (packed matrices) compute straight from the mapping, which stays mapped
/// while any of them refers to it.
public struct MappedWeight: Sendable {
    /// A stored element type.
    public enum Element: String, Sendable {
        case float16, float32, float64, int64
    }

    /// How the values are stored.
    public let element: Element
    /// The number of values (the weight's shape product).
    public let count: Int
    let bytes: MappedBytes
    /// Where the stored values are within `bytes`.
    let range: Range<Int>
    /// Non-nil when the file stores the matrix in the SIMD kernels' panel layout (float32 only).
    let packing: PanelPacking?

    /// The values as `Scalar` (unpacked when stored in panels).
    func values<Scalar: KerasScalar>(as scalar: Scalar.Type) -> [Scalar] { copied().values(as: scalar) }

    /// The values copied out of the file in their stored precision, row-major (unpacked when
    /// stored in panels).
    func copied() -> WeightArray.Storage {
        let raw = bytes.bytes(range)
        func load<Bits: FixedWidthInteger>(_ index: Int, _ type: Bits.Type) -> Bits {
            Bits(littleEndian: raw.loadUnaligned(fromByteOffset: index * MemoryLayout<Bits>.size, as: Bits.self))
        }
        if let packing {
            return .float32(packing.unpack(count: raw.count / 4) { Float(bitPattern: load($0, UInt32.self)) })
        }
        switch element {
        case .float16: return .float16((0..<count).map { load($0, UInt16.self) })
        case .float32: return .float32((0..<count).map { Float(bitPattern: load($0, UInt32.self)) })
        case .float64: return .float64((0..<count).map { Double(bitPattern: load($0, UInt64.self)) })
        case .int64: return .int64((0..<count).map { Int64(bitPattern: load($0, UInt64.self)) })
        }
    }

    /// The stored floats, in place, when the file holds them as float32 little-endian values
    /// aligned for loading (nil otherwise, e.g. on a big-endian machine).
    var storedFloats: UnsafeBufferPointer<Float>? { storedValues(as: Float.self) }

    /// The stored values, in place, when the file holds them as `Scalar` (float32 for `Float`,
    /// float64 for `Double`), little-endian and aligned for loading; nil otherwise.
    func storedValues<Scalar: KerasScalar>(as scalar: Scalar.Type) -> UnsafeBufferPointer<Scalar>? {
        #if _endian(little)
        let matches = (Scalar.self == Float.self && element == .float32) || (Scalar.self == Double.self && element == .float64)
        guard matches, let base = bytes.bytes(range).baseAddress,
              Int(bitPattern: base) % MemoryLayout<Scalar>.alignment == 0 else { return nil }
        return UnsafeBufferPointer(start: base.assumingMemoryBound(to: Scalar.self), count: range.count / MemoryLayout<Scalar>.size)
        #else
        return nil
        #endif
    }
}

/// A `rows × columns` matrix stored as the SIMD kernels' panels (kk_layout in KerasKitKernels.h):
/// the columns in `groups` equal groups, each cut into panels `panelWidth` columns wide (the last
/// zero-padded); panel `p` holds `rows × panelWidth` floats row after row at `p · panelStride`,
/// with 16 floats of padding between panels.
struct PanelPacking: Sendable, Equatable {
    let rows: Int
    let columns: Int
    let groups: Int
    let panelWidth: Int

    /// The panel widths of the kernel levels: 8 (SSE2), 16 (AVX2, NEON), 32 (AVX-512).
    static let widths: Set<Int> = [8, 16, 32]

    /// A packing, or nil when the sizes can't describe one.
    init?(rows: Int, columns: Int, groups: Int, panelWidth: Int) {
        guard rows > 0, columns > 0, groups > 0, columns % groups == 0, Self.widths.contains(panelWidth),
              rows <= KerasLimits.maxDimension, columns <= KerasLimits.maxDimension else { return nil }
        self.rows = rows
        self.columns = columns
        self.groups = groups
        self.panelWidth = panelWidth
        guard floatCount != nil else { return nil }
    }

    var panelsPerGroup: Int { (columns / groups + panelWidth - 1) / panelWidth }
    var panelStride: Int { rows * panelWidth + 16 }

    /// The floats the panels take; nil on overflow.
    var floatCount: Int? { [groups, panelsPerGroup, panelStride].checkedProduct }

    /// The floats a file stores: `floatCount` rounded up to 16, so every packed tensor is a whole
    /// number of 64-byte lines and the next one starts as aligned as this one.
    var storedCount: Int? { floatCount.map { ($0 + 15) / 16 * 16 } }

    /// Where value (row, column) is among the panels.
    func offset(row: Int, column: Int) -> Int {
        let width = columns / groups
        let (group, inGroup) = column.quotientAndRemainder(dividingBy: width)
        let (panel, lane) = inGroup.quotientAndRemainder(dividingBy: panelWidth)
        return (group * panelsPerGroup + panel) * panelStride + row * panelWidth + lane
    }

    /// `values` (`rows × columns`, row-major) as `storedCount` panel floats, zeros in the padding.
    func pack(_ values: [Float]) -> [Float] {
        var packed = [Float](repeating: 0, count: storedCount ?? 0)
        guard values.count == rows * columns, !packed.isEmpty else { return packed }
        for row in 0..<rows {
            for column in 0..<columns { packed[offset(row: row, column: column)] = values[row * columns + column] }
        }
        return packed
    }

    /// The row-major matrix from `count` stored floats read through `value` (zeros where the
    /// store is shorter than the panels).
    func unpack<Scalar>(count: Int, _ value: (Int) -> Scalar) -> [Scalar] where Scalar: KerasScalar {
        var result = [Scalar](repeating: 0, count: rows * columns)
        for row in 0..<rows {
            for column in 0..<columns {
                let index = offset(row: row, column: column)
                if index < count { result[row * columns + column] = value(index) }
            }
        }
        return result
    }
}
