import Foundation

/// An array read from NumPy's `.npy` format, converted to C order and native byte order.
public struct NumpyArray: Sendable, Equatable {
    /// The element types KerasKit reads.
    public enum DType: String, Sendable, CaseIterable {
        case bool, int8, int16, int32, int64, uint8, uint16, uint32, uint64, float16, float32, float64

        /// Bytes per element.
        public var size: Int {
            switch self {
            case .bool, .int8, .uint8: 1
            case .int16, .uint16, .float16: 2
            case .int32, .uint32, .float32: 4
            case .int64, .uint64, .float64: 8
            }
        }

        /// The NumPy type code without byte order: `f4`, `i8`, `b1`, …
        var code: String {
            switch self {
            case .bool: "b1"
            case .int8: "i1"
            case .int16: "i2"
            case .int32: "i4"
            case .int64: "i8"
            case .uint8: "u1"
            case .uint16: "u2"
            case .uint32: "u4"
            case .uint64: "u8"
            case .float16: "f2"
            case .float32: "f4"
            case .float64: "f8"
            }
        }
    }

    /// The array's shape; empty for a scalar.
    public let shape: [Int]
    /// The element type as stored.
    public let dtype: DType
    /// The values widened to `Double` in C order (exact for every type but 64-bit integers
    /// beyond 2^53).
    public let values: [Double]

    /// The values as a float32 tensor, as Keras casts a float32 model's input.
    public var tensor: Tensor { tensor(as: Float.self) }

    /// The values as a tensor of `Scalar`, as Keras casts input to the model's compute dtype
    /// (`Double` keeps float64 and float32 data exactly).
    /// - Parameter scalar: `Float` or `Double`.
    /// - Returns: The tensor, in C order.
    public func tensor<Scalar: KerasScalar>(as scalar: Scalar.Type) -> TensorOf<Scalar> {
        TensorOf(uncheckedShape: shape, scalars: values.map { Scalar($0) })
    }

    /// Creates an array from parts.
    /// - Throws: ``NumpyError/shapeMismatch(shape:count:)`` when the count is not the product of the shape.
    public init(shape: [Int], dtype: DType, values: [Double]) throws(NumpyError) {
        guard let count = shape.checkedProduct, count == values.count else {
            throw .shapeMismatch(shape: shape, count: values.count)
        }
        self.shape = shape
        self.dtype = dtype
        self.values = values
    }

    /// The largest array accepted from a file, in elements.
    public static let maxElements = 1 << 30

    /// Parses a `.npy` file (format versions 1, 2 and 3). Big-endian data is byte-swapped and
    /// Fortran-order data transposed to C order. Every size in the header is checked against the
    /// data actually present before anything is allocated.
    /// - Throws: ``NumpyError`` saying what in the header or data is wrong.
    public init(npy data: Data) throws(NumpyError) {
        let bytes = [UInt8](data)
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
            throw .notNpy
        }
        let major = bytes[6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw .truncated(expected: 12, actual: bytes.count) }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw .unsupportedVersion(Int(major))
        }
        guard headerLength <= bytes.count - headerStart else {
            throw .truncated(expected: headerStart + headerLength, actual: bytes.count)
        }
        let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        let parsed = try NpyHeader(parsing: header)
        guard let count = parsed.shape.checkedProduct, count <= Self.maxElements else {
            throw .tooLarge(shape: parsed.shape, limit: Self.maxElements)
        }
        let dataStart = headerStart + headerLength
        let needed = count * parsed.dtype.size
        guard bytes.count - dataStart >= needed else {
            throw .truncated(expected: dataStart + needed, actual: bytes.count)
        }
        var values = [Double](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress.map { $0 + dataStart }
            guard let base else { return }
            for index in 0..<count {
                values[index] = Self.element(at: base + index * parsed.dtype.size, dtype: parsed.dtype, bigEndian: parsed.bigEndian)
            }
        }
        if parsed.fortranOrder, parsed.shape.count > 1 {
            values = Self.fortranToC(values, shape: parsed.shape)
        }
        self.shape = parsed.shape
        self.dtype = parsed.dtype
        self.values = values
    }

    /// Reads a `.npy` file.
    /// - Throws: ``NumpyError`` with the file's path when it can't be read or parsed.
    public init(contentsOf path: String) throws(NumpyError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            throw .unreadable(path: path, reason: fileProblem(reading: path, error))
        }
        do {
            try self.init(npy: data)
        } catch {
            throw .inFile(path: path, error.description)
        }
    }

    private static func element(at pointer: UnsafeRawPointer, dtype: DType, bigEndian: Bool) -> Double {
        func load<T: FixedWidthInteger>(_: T.Type) -> T {
            let raw = pointer.loadUnaligned(as: T.self)
            return bigEndian ? T(bigEndian: raw) : T(littleEndian: raw)
        }
        switch dtype {
        case .bool: return pointer.load(as: UInt8.self) != 0 ? 1 : 0
        case .int8: return Double(pointer.load(as: Int8.self))
        case .uint8: return Double(pointer.load(as: UInt8.self))
        case .int16: return Double(load(Int16.self))
        case .uint16: return Double(load(UInt16.self))
        case .int32: return Double(load(Int32.self))
        case .uint32: return Double(load(UInt32.self))
        case .int64: return Double(load(Int64.self))
        case .uint64: return Double(load(UInt64.self))
        case .float16: return Double(Float(float16Bits: load(UInt16.self)))
        case .float32: return Double(Float(bitPattern: load(UInt32.self)))
        case .float64: return Double(bitPattern: load(UInt64.self))
        }
    }

    private static func fortranToC(_ values: [Double], shape: [Int]) -> [Double] {
        var result = [Double](repeating: 0, count: values.count)
        var index = [Int](repeating: 0, count: shape.count)
        for cOffset in 0..<values.count {
            var fOffset = 0
            var stride = 1
            for axis in 0..<shape.count {
                fOffset += index[axis] * stride
                stride *= shape[axis]
            }
            result[cOffset] = values[fOffset]
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < shape[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return result
    }
}

/// The dictionary at the start of a `.npy` file.
struct NpyHeader {
    var dtype: NumpyArray.DType
    var bigEndian: Bool
    var fortranOrder: Bool
    var shape: [Int]

    init(parsing header: String) throws(NumpyError) {
        func value(of key: String) -> Substring? {
            guard let keyRange = header.range(of: "'\(key)'") else { return nil }
            let rest = header[keyRange.upperBound...].drop { $0 == " " || $0 == ":" }
            return rest
        }
        guard let descrText = value(of: "descr"), descrText.first == "'" || descrText.first == "\"",
              let end = descrText.dropFirst().firstIndex(where: { $0 == "'" || $0 == "\"" }) else {
            throw .badHeader("no 'descr' string")
        }
        let descr = String(descrText[descrText.index(after: descrText.startIndex)..<end])
        guard let order = descr.first, "<>|=".contains(order) else { throw .unsupportedDType(descr) }
        let code = String(descr.dropFirst())
        guard let dtype = NumpyArray.DType.allCases.first(where: { $0.code == code }) else { throw .unsupportedDType(descr) }
        self.dtype = dtype
        bigEndian = order == ">"
        guard let fortran = value(of: "fortran_order") else { throw .badHeader("no 'fortran_order'") }
        if fortran.hasPrefix("True") {
            fortranOrder = true
        } else if fortran.hasPrefix("False") {
            fortranOrder = false
        } else {
            throw .badHeader("'fortran_order' is neither True nor False")
        }
        guard let shapeText = value(of: "shape"), shapeText.first == "(", let close = shapeText.firstIndex(of: ")") else {
            throw .badHeader("no 'shape' tuple")
        }
        let inner = shapeText[shapeText.index(after: shapeText.startIndex)..<close]
        let parts = inner.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard parts.count <= 32 else { throw .badHeader("shape has \(parts.count) axes") }
        var shape: [Int] = []
        for part in parts {
            // Python 2 era files write `3L`.
            let digits = part.hasSuffix("L") ? String(part.dropLast()) : part
            guard let size = Int(digits), size >= 0 else { throw .badHeader("invalid axis size '\(part)'") }
            shape.append(size)
        }
        self.shape = shape
    }
}

/// Why a `.npy` file could not be read.
public enum NumpyError: Error, Sendable, Equatable, CustomStringConvertible {
    case notNpy
    case unsupportedVersion(Int)
    case badHeader(String)
    case unsupportedDType(String)
    case truncated(expected: Int, actual: Int)
    case tooLarge(shape: [Int], limit: Int)
    case shapeMismatch(shape: [Int], count: Int)
    case unreadable(path: String, reason: String)
    /// Another error, with the file it came from.
    case inFile(path: String, String)

    public var description: String {
        switch self {
        case .notNpy: "not a .npy file (no \\x93NUMPY magic)"
        case .unsupportedVersion(let version): "unsupported .npy format version \(version)"
        case .badHeader(let reason): "bad .npy header: \(reason)"
        case .unsupportedDType(let descr): "unsupported .npy dtype '\(descr)' (KerasKit reads bool, integers and float16/32/64)"
        case .truncated(let expected, let actual): ".npy data is truncated: needs \(expected) bytes, the file has \(actual)"
        case .tooLarge(let shape, let limit): ".npy shape \(shape.shapeDescription) exceeds the limit of \(limit) elements"
        case .shapeMismatch(let shape, let count): "shape \(shape.shapeDescription) does not hold \(count) values"
        case .unreadable(let path, let reason): "\(path): \(reason)"
        case .inFile(let path, let message): "\(path): \(message)"
        }
    }
}

extension TensorOf {
    /// The tensor as a little-endian `.npy` file that `numpy.load` reads: float32 for
    /// ``Tensor``, float64 for `TensorOf<Double>`.
    public var npyData: Data {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<\(Scalar.numpyDType.code)', 'fortran_order': False, 'shape': \(shapeText), }"
        // Pad so the data starts on a 64-byte boundary, ending the header with a newline.
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xff), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        scalars.withUnsafeBytes { bytes in
            #if _endian(little)
            data.append(contentsOf: bytes)
            #else
            let size = MemoryLayout<Scalar>.size
            for start in stride(from: 0, to: bytes.count, by: size) { data.append(contentsOf: bytes[start..<(start + size)].reversed()) }
            #endif
        }
        return data
    }
}
