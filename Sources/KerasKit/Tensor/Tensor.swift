/// A dense, row-major array of `Float` with a shape: the values that flow between layers of a
/// float32 model (the Keras default).
public typealias Tensor = TensorOf<Float>

/// A dense, row-major array of scalars with a shape: ``Tensor`` (`Float`) for float32 models,
/// `TensorOf<Double>` for models whose dtype policy is `float64`.
///
/// Tensors are plain values (copy on write through `Array`), so a tensor handed to
/// ``KerasModel/predict(_:)-(Tensor)`` is never changed by it.
public struct TensorOf<Scalar: KerasScalar>: Sendable, Equatable {
    /// The size of each axis, outermost first. A scalar has an empty shape.
    public let shape: [Int]
    /// The elements in row-major (C) order; `scalars.count` is the product of `shape`.
    public internal(set) var scalars: [Scalar]

    /// Creates a tensor from a shape and its elements in row-major order.
    /// - Throws: ``TensorError/elementCountMismatch(shape:count:)`` when the element count is not
    ///   the product of the shape, ``TensorError/invalidShape(_:)`` for a negative or overflowing shape.
    public init(shape: [Int], scalars: [Scalar]) throws(TensorError) {
        let count = try Tensor.elementCount(of: shape)
        guard count == scalars.count else {
            throw .elementCountMismatch(shape: shape, count: scalars.count)
        }
        self.shape = shape
        self.scalars = scalars
    }

    /// Creates a tensor of zeros.
    /// - Throws: ``TensorError/invalidShape(_:)`` for a negative or overflowing shape.
    public init(zeros shape: [Int]) throws(TensorError) {
        self.shape = shape
        self.scalars = [Scalar](repeating: 0, count: try Tensor.elementCount(of: shape))
    }

    /// Converts every element of `other`, rounding to nearest when narrowing (`Double` to
    /// `Float`) and exactly when widening.
    /// - Parameter other: A tensor of any scalar type.
    public init<Source: KerasScalar>(_ other: TensorOf<Source>) {
        shape = other.shape
        if Source.self == Scalar.self {
            // The same type: no copy, no dynamic cast (predict converts every input this way).
            scalars = unsafeBitCast(other.scalars, to: [Scalar].self)
        } else {
            scalars = other.scalars.map { Scalar($0) }
        }
    }

    /// Trusted initializer for shapes the library computed itself.
    init(uncheckedShape shape: [Int], scalars: [Scalar]) {
        self.shape = shape
        self.scalars = scalars
    }

    /// The number of axes.
    public var rank: Int { shape.count }

    /// The product of `shape`, computed with overflow checks.
    /// - Throws: ``TensorError/invalidShape(_:)`` when an axis is negative or the product overflows.
    public static func elementCount(of shape: [Int]) throws(TensorError) -> Int {
        var count = 1
        for dimension in shape {
            guard dimension >= 0 else { throw .invalidShape(shape) }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw .invalidShape(shape) }
            count = product
        }
        return count
    }
}

/// Why a tensor could not be made.
public enum TensorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An axis is negative or the element count overflows `Int`.
    case invalidShape([Int])
    /// The element count does not match the shape.
    case elementCountMismatch(shape: [Int], count: Int)

    public var description: String {
        switch self {
        case .invalidShape(let shape):
            "invalid tensor shape \(shape.shapeDescription)"
        case .elementCountMismatch(let shape, let count):
            "shape \(shape.shapeDescription) needs \((try? Tensor.elementCount(of: shape)) ?? -1) elements, got \(count)"
        }
    }
}

extension Array where Element == Int {
    /// `(2, 3)` style, as NumPy prints shapes.
    var shapeDescription: String {
        count == 1 ? "(\(self[0]),)" : "(" + map(String.init).joined(separator: ", ") + ")"
    }
}

extension Array where Element == Int? {
    /// `(None, 10, 3)` style, as Keras prints shapes.
    var shapeDescription: String {
        let parts = map { $0.map(String.init) ?? "None" }
        return count == 1 ? "(\(parts[0]),)" : "(" + parts.joined(separator: ", ") + ")"
    }
}
