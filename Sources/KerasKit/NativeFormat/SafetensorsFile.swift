import Foundation

/// A safetensors file: an 8-byte little-endian header length, a JSON header, then raw
/// little-endian tensor data. The whole header is validated against the file's real size before
/// any tensor is touched, and the data is memory-mapped rather than read.
public struct SafetensorsFile: Sendable {
    /// A tensor's element type, by its safetensors name.
    public enum DType: String, Sendable, CaseIterable {
        /// `I64` holds only integer weights a layer keeps without computing with them
        /// (``WeightRole/unread``).
        case F16, F32, F64, I64

        /// Bytes per element.
        public var size: Int {
            switch self {
            case .F16: 2
            case .F32: 4
            case .F64, .I64: 8
            }
        }
    }

    /// One tensor's header entry.
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var dtype: DType
        public var shape: [Int]
        /// Byte range within the data section.
        public var range: Range<Int>
    }

    /// The `__metadata__` strings.
    public let metadata: [String: String]
    /// The tensors in data order.
    public let entries: [Entry]
    /// The file's bytes (memory-mapped when read from disk).
    let bytes: MappedBytes
    /// Where the data section starts within `bytes`.
    private let dataStart: Int

    /// The largest header accepted, as the reference implementation limits it.
    public static let maxHeaderBytes = 100 << 20

    /// Reads and validates a safetensors file, memory-mapping it; the mapping lasts as long as
    /// this value or any weight read from it with ``mappedWeight(_:packing:)``.
    /// - Throws: ``SafetensorsError`` naming the file and the problem.
    public init(contentsOf path: String) throws(SafetensorsError) {
        try self.init(bytes: try MappedBytes(mapping: path), name: path)
    }

    /// Validates safetensors bytes already in memory (copied once, into aligned memory).
    /// - Throws: ``SafetensorsError`` naming `name` and the problem.
    public init(data: Data, name: String) throws(SafetensorsError) {
        try self.init(bytes: MappedBytes(copying: data), name: name)
    }

    private init(bytes file: MappedBytes, name: String) throws(SafetensorsError) {
        func fail(_ problem: String, at offset: Int? = nil) -> SafetensorsError {
            SafetensorsError(file: name, offset: offset, problem: problem)
        }
        let size = file.count
        guard size >= 8 else { throw fail("file of \(size) bytes is shorter than the 8-byte header length") }
        var headerLength: UInt64 = 0
        for (index, byte) in file.bytes(0..<8).enumerated() { headerLength |= UInt64(byte) << (8 * UInt64(index)) }
        guard headerLength <= UInt64(Self.maxHeaderBytes) else {
            throw fail("header length \(headerLength) exceeds the limit \(Self.maxHeaderBytes)", at: 0)
        }
        guard headerLength <= UInt64(size - 8) else {
            throw fail("header length \(headerLength) runs past the end of the \(size)-byte file", at: 0)
        }
        let dataStart = 8 + Int(headerLength)
        let headerBytes = Data(file.bytes(8..<dataStart))
        guard headerBytes.first == UInt8(ascii: "{") else { throw fail("header does not start with '{'", at: 8) }
        let header: JSONValue
        do {
            header = try JSONValue.parse(headerBytes, maxDepth: 8)
        } catch {
            throw fail("header is not valid JSON: \(error)", at: 8)
        }
        guard let members = header.objectValue else { throw fail("header is not a JSON object", at: 8) }

        var metadata: [String: String] = [:]
        if let raw = members["__metadata__"] {
            guard let object = raw.objectValue else { throw fail("__metadata__ is not an object", at: 8) }
            for (key, value) in object {
                guard let text = value.stringValue else { throw fail("__metadata__ value '\(key)' is not a string", at: 8) }
                metadata[key] = text
            }
        }

        let dataLength = size - dataStart
        var entries: [Entry] = []
        for (tensorName, value) in members where tensorName != "__metadata__" {
            guard let dtypeName = value["dtype"]?.stringValue else { throw fail("tensor '\(tensorName)' has no dtype", at: 8) }
            guard let dtype = DType(rawValue: dtypeName) else {
                throw fail("tensor '\(tensorName)' has unsupported dtype \(dtypeName) (KerasKit reads F16, F32, F64, I64)", at: 8)
            }
            guard let shapeValues = value["shape"]?.arrayValue, shapeValues.count <= KerasLimits.maxRank else {
                throw fail("tensor '\(tensorName)' has no shape of at most \(KerasLimits.maxRank) axes", at: 8)
            }
            var shape: [Int] = []
            for axis in shapeValues {
                guard case .number(let size) = axis, size >= 0, size <= Double(Int32.max), size == size.rounded() else {
                    throw fail("tensor '\(tensorName)' has invalid axis size \(axis)", at: 8)
                }
                shape.append(Int(size))
            }
            guard let offsets = value["data_offsets"]?.arrayValue, offsets.count == 2,
                  case .number(let beginValue) = offsets[0], case .number(let endValue) = offsets[1],
                  beginValue >= 0, endValue >= beginValue, endValue <= Double(dataLength),
                  beginValue == beginValue.rounded(), endValue == endValue.rounded() else {
                throw fail("tensor '\(tensorName)' has data_offsets outside the \(dataLength)-byte data section", at: 8)
            }
            let begin = Int(beginValue), end = Int(endValue)
            guard let count = shape.checkedProduct, case (let bytes, false) = count.multipliedReportingOverflow(by: dtype.size),
                  bytes == end - begin else {
                throw fail("tensor '\(tensorName)' shape \(shape.shapeDescription) of \(dtype) does not fill its \(end - begin) bytes", at: dataStart + begin)
            }
            entries.append(Entry(name: tensorName, dtype: dtype, shape: shape, range: begin..<end))
        }
        entries.sort { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
        var position = 0
        for entry in entries {
            guard entry.range.lowerBound == position else {
                throw fail("tensor '\(entry.name)' starts at data byte \(entry.range.lowerBound), expected \(position) (tensors must tile the data without gaps or overlap)", at: dataStart + entry.range.lowerBound)
            }
            position = entry.range.upperBound
        }
        guard position == dataLength else {
            throw fail("tensors cover \(position) of the \(dataLength) data bytes", at: dataStart + position)
        }
        self.metadata = metadata
        self.entries = entries
        self.bytes = file
        self.dataStart = dataStart
    }

    /// The entry named `name`, or nil.
    public func entry(named name: String) -> Entry? { entries.first { $0.name == name } }

    /// A tensor's values in their stored precision, copied out of the file.
    public func weight(_ entry: Entry) -> WeightArray.Storage { mappedWeight(entry).copied() }

    /// A tensor left in the file: nothing is read until its values are asked for.
    /// - Parameters:
    ///   - entry: The tensor.
    ///   - packing: How an F32 tensor stores a matrix in panels (its shape is then the stored
    ///     float count); nil for plain row-major values.
    func mappedWeight(_ entry: Entry, packing: PanelPacking? = nil) -> MappedWeight {
        let element: MappedWeight.Element = switch entry.dtype {
        case .F16: .float16
        case .F32: .float32
        case .F64: .float64
        case .I64: .int64
        }
        let count = packing.map { $0.rows * $0.columns } ?? entry.range.count / entry.dtype.size
        return MappedWeight(element: element, count: count, bytes: bytes,
                            range: dataStart + entry.range.lowerBound ..< dataStart + entry.range.upperBound, packing: packing)
    }

    /// Serializes tensors and metadata as a safetensors file. The header is padded with spaces
    /// so the data section starts at a multiple of 64 bytes; the tensors named in `alignedFirst`
    /// come first (their sizes should be multiples of 64 bytes to keep each other 64-byte aligned),
    /// then the rest widest dtype first, so every tensor starts aligned to its element size.
    /// A ``WeightArray/Storage/mapped(_:)`` storage is written as its stored bytes.
    /// - Parameters:
    ///   - tensors: Names with their shapes and values; names must be unique.
    ///   - metadata: The `__metadata__` strings.
    ///   - alignedFirst: Tensors to place first, in their given order.
    public static func serialize(tensors: [(name: String, shape: [Int], storage: WeightArray.Storage)], metadata: [String: String],
                                 alignedFirst: Set<String> = []) -> Data {
        let ordered = tensors.enumerated().sorted { lhs, rhs in
            let (first, second) = (alignedFirst.contains(lhs.element.name), alignedFirst.contains(rhs.element.name))
            if first != second { return first }
            let (a, b) = (lhs.element.storage.dtype.size, rhs.element.storage.dtype.size)
            return a != b && !first ? a > b : lhs.offset < rhs.offset
        }.map(\.element)
        var header: [String: JSONValue] = ["__metadata__": .object(metadata.mapValues(JSONValue.string))]
        var offset = 0
        for tensor in ordered {
            let length = tensor.storage.storedByteCount
            header[tensor.name] = .object([
                "dtype": .string(tensor.storage.dtype.rawValue),
                "shape": .array(tensor.shape.map { .number(Double($0)) }),
                "data_offsets": .array([.number(Double(offset)), .number(Double(offset + length))]),
            ])
            offset += length
        }
        var headerBytes = Array(JSONValue.object(header).description.utf8)
        headerBytes += Array(repeating: UInt8(ascii: " "), count: (64 - (8 + headerBytes.count) % 64) % 64)
        var data = Data(capacity: 8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: headerBytes)
        for tensor in ordered {
            switch tensor.storage {
            case .float16(let values): values.withUnsafeBufferPointer { buffer in
                for value in buffer { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
            }
            case .float32(let values): values.withUnsafeBufferPointer { buffer in
                for value in buffer { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
            }
            case .float64(let values): values.withUnsafeBufferPointer { buffer in
                for value in buffer { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
            }
            case .int64(let values): values.withUnsafeBufferPointer { buffer in
                for value in buffer { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
            }
            case .mapped(let weight): data.append(contentsOf: weight.bytes.bytes(weight.range))
            }
        }
        return data
    }
}

extension WeightArray.Storage {
    /// The safetensors dtype of these values.
    var dtype: SafetensorsFile.DType {
        switch self {
        case .float16: .F16
        case .float32: .F32
        case .float64: .F64
        case .int64: .I64
        case .mapped(let weight):
            switch weight.element {
            case .float16: .F16
            case .float32: .F32
            case .float64: .F64
            case .int64: .I64
            }
        }
    }

    /// The bytes the values take in a file (a packed matrix's panels with their padding).
    var storedByteCount: Int {
        if case .mapped(let weight) = self { return weight.range.count }
        return count * dtype.size
    }
}

/// Why a safetensors file was refused: the file, the byte offset when known, and the cause.
public struct SafetensorsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file's path or label.
    public var file: String
    /// The byte offset in the file the problem concerns, when known.
    public var offset: Int?
    /// What is wrong.
    public var problem: String

    public var description: String {
        "\(file): " + (offset.map { "byte \($0): " } ?? "") + problem
    }
}
