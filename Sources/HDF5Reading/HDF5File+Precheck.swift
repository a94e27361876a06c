import Foundation

/// Structural checks made on the raw bytes before libhdf5 decodes them.
///
/// libhdf5 1.10 (Debian's) trusts many sizes it reads from a file without checking them against
/// the structure that holds them, so a damaged or hostile file can make it read or write past
/// its buffers and crash the process, beyond the reach of any error handling. KerasKit's
/// mutation test and fuzzers found such crashes in the structures below; each is checked here,
/// in Swift, before libhdf5 touches it. The checks follow the HDF5 file format specification
/// (version 2) and mirror libhdf5's own decoders; docs/SECURITY.md lists what stays unchecked.
///
/// - Global heap collections (`GCOL`, which hold variable-length strings such as Keras's
///   `model_config`): every object lies inside its collection, as `H5HG__cache_heap_deserialize`
///   and `H5HG_read` assume.
/// - Object headers (version 1, as h5py writes them by default), checked before each object is
///   opened: every message lies inside its chunk, and the messages libhdf5 decodes for groups,
///   datasets and attributes (dataspace, datatype, fill value, layout, filter pipeline, link,
///   symbol table, attribute) have their parts inside the message. Variable-length attribute
///   values must point at objects that exist in a checked collection and have exactly the size
///   the value states (`H5T__conv_vlen` allocates the stated size and copies the object into it).
/// - Old-style groups: the symbol table's B-tree nodes, symbol nodes and local heap, with
///   every name offset inside the heap and NUL-terminated there.
///
/// Files whose offsets or lengths are not 8 bytes wide, and version 2 object headers, are
/// left to libhdf5 (Keras never writes them).
final class HDF5Precheck: @unchecked Sendable {
    /// Why a file is refused, with the byte offset of the broken structure.
    struct Problem: Error {
        var message: String
    }

    /// The file's bytes: the caller's array for images, a memory map for files on disk.
    enum Storage {
        case array([UInt8])
        case data(Data)
    }

    private let storage: Storage
    /// Absolute offset that file addresses are relative to (where the superblock is).
    private let base: Int
    private let groupLeafK: Int
    private let groupInternalK: Int
    /// Global heap collections by address (relative to `base`): object index → object size.
    private let heaps: [Int: [Int: UInt64]]
    /// Object headers already checked (guarded by the HDF5 lock, like every use of this object).
    private var checked: Set<Int> = []

    fileprivate static let offsetSize = 8
    fileprivate static let lengthSize = 8
    fileprivate static let maxChunks = 4096
    fileprivate static let maxMessages = 1 << 16
    fileprivate static let maxTreeNodes = 1 << 16
    fileprivate static let maxTypeDepth = 16

    private init(storage: Storage, base: Int, groupLeafK: Int, groupInternalK: Int, heaps: [Int: [Int: UInt64]]) {
        self.storage = storage
        self.base = base
        self.groupLeafK = groupLeafK
        self.groupInternalK = groupInternalK
        self.heaps = heaps
    }

    private static func withBytes<R>(_ storage: Storage, _ body: (UnsafeRawBufferPointer) throws(Problem) -> R) throws(Problem) -> R {
        // `withUnsafeBytes` rethrows untyped errors: carry the typed one out in a Result.
        let result: Result<R, Problem>
        switch storage {
        case .array(let array):
            result = array.withUnsafeBytes { raw in Result { () throws(Problem) -> R in try body(raw) } }
        case .data(let data):
            result = data.withUnsafeBytes { raw in Result { () throws(Problem) -> R in try body(raw) } }
        }
        return try result.get()
    }

    /// Checks the superblock and every global heap collection; nil when the file is not one
    /// whose structures are checked (no signature, or offsets and lengths other than 8 bytes).
    static func make(_ storage: Storage) throws(Problem) -> HDF5Precheck? {
        try withBytes(storage) { (raw) throws(Problem) -> HDF5Precheck? in
            let file = RawFile(raw: raw, base: 0)
            guard let superblock = file.superblockOffset() else { return nil }
            var leafK = 4, internalK = 16
            switch try file.u8(superblock + 8) {
            case 0, 1:
                guard try file.u8(superblock + 13) == offsetSize, try file.u8(superblock + 14) == lengthSize else { return nil }
                leafK = try file.u16(superblock + 16)
                internalK = try file.u16(superblock + 18)
            case 2, 3:
                guard try file.u8(superblock + 9) == offsetSize, try file.u8(superblock + 10) == lengthSize else { return nil }
            default:
                return nil
            }
            guard leafK > 0, internalK > 0 else { return nil }
            // libhdf5 takes the superblock's own position as the base address, whatever the
            // stored base address says (H5F__super_read), so the checks do too.
            let located = RawFile(raw: raw, base: superblock)
            return HDF5Precheck(storage: storage, base: superblock, groupLeafK: leafK, groupInternalK: internalK,
                                heaps: try located.globalHeaps())
        }
    }

    /// Checks the object header at `address` (relative to the base address) and, for a group,
    /// its symbol table, once. Caller holds the HDF5 lock.
    func checkObject(at address: UInt64) throws(Problem) {
        guard let key = Int(exactly: address), !checked.contains(key) else { return }
        checked.insert(key)
        try Self.withBytes(storage) { (raw) throws(Problem) in
            let file = RawFile(raw: raw, base: base, heaps: heaps, groupLeafK: groupLeafK, groupInternalK: groupInternalK)
            try file.checkObjectHeader(at: address)
        }
    }
}

/// Bounds-checked reads of a file's bytes, and the checks themselves.
private struct RawFile {
    typealias Problem = HDF5Precheck.Problem
    let raw: UnsafeRawBufferPointer
    let base: Int
    var heaps: [Int: [Int: UInt64]] = [:]
    var groupLeafK = 4
    var groupInternalK = 16

    static let objectHeaderMessageTypes: [Int: String] = [
        0x01: "dataspace", 0x03: "datatype", 0x04: "fill value", 0x05: "fill value", 0x06: "link",
        0x08: "layout", 0x0B: "filter pipeline", 0x0C: "attribute", 0x10: "continuation", 0x11: "symbol table",
    ]

    // MARK: Reading

    func fail(_ message: String) -> Problem { Problem(message: message) }

    func require(_ offset: Int, _ count: Int, _ what: @autoclosure () -> String) throws(Problem) {
        guard offset >= 0, count >= 0, offset <= raw.count, count <= raw.count - offset else {
            throw fail("\(what()) at byte \(offset) runs past the end of the \(raw.count)-byte file")
        }
    }

    func u8(_ offset: Int) throws(Problem) -> Int {
        try require(offset, 1, "a field")
        return Int(raw[offset])
    }

    func u16(_ offset: Int) throws(Problem) -> Int {
        try require(offset, 2, "a field")
        return Int(raw[offset]) | Int(raw[offset + 1]) << 8
    }

    func u32(_ offset: Int) throws(Problem) -> Int {
        try require(offset, 4, "a field")
        return (0..<4).reduce(0) { $0 | Int(raw[offset + $1]) << (8 * $1) }
    }

    func u64(_ offset: Int) throws(Problem) -> UInt64 {
        try require(offset, 8, "a field")
        return UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    func matches(_ signature: String, at offset: Int) -> Bool {
        let bytes = Array(signature.utf8)
        guard offset >= 0, offset <= raw.count - bytes.count else { return false }
        return bytes.indices.allSatisfy { raw[offset + $0] == bytes[$0] }
    }

    /// The absolute offset of a structure of `count` bytes at file address `address`.
    func locate(_ address: UInt64, _ count: Int, _ what: String) throws(Problem) -> Int {
        guard let relative = Int(exactly: address), case (let absolute, false) = base.addingReportingOverflow(relative) else {
            throw fail("\(what) at address \(address) lies past the end of the \(raw.count)-byte file")
        }
        try require(absolute, count, what)
        return absolute
    }

    /// Where HDF5 finds the superblock: byte 0, 512, 1024, 2048, ….
    func superblockOffset() -> Int? {
        var offset = 0
        while offset <= raw.count - 16 {
            if zip(HDF5File.signature, raw[offset..<(offset + 8)]).allSatisfy(==) {
                return offset
            }
            offset = offset == 0 ? 512 : offset * 2
        }
        return nil
    }

    /// Offset of the first `needle` at or after `from`.
    func find(_ needle: [UInt8], from: Int) -> Int? {
        guard let start = raw.baseAddress, let first = needle.first else { return nil }
        var offset = from
        while offset <= raw.count - needle.count {
            guard let hit = memchr(start + offset, Int32(first), raw.count - needle.count + 1 - offset) else { return nil }
            let position = start.distance(to: UnsafeRawPointer(hit))
            if needle.indices.allSatisfy({ raw[position + $0] == needle[$0] }) { return position }
            offset = position + 1
        }
        return nil
    }

    // MARK: Global heap

    /// Every global heap collection (a `GCOL` signature followed by version 1, which is all
    /// libhdf5 checks before trusting one), with its objects' sizes by index. A value pointing
    /// anywhere else is refused by the attribute check.
    func globalHeaps() throws(Problem) -> [Int: [Int: UInt64]] {
        var heaps: [Int: [Int: UInt64]] = [:]
        var offset = 0
        while let start = find(Array("GCOL".utf8), from: offset) {
            offset = start + 1
            guard raw.count - start >= 16, raw[start + 4] == 1 else { continue }
            let claimed = try u64(start + 8)
            let available = UInt64(raw.count - start)
            guard claimed >= 16, claimed <= available else {
                throw fail("global heap collection at byte \(start) claims \(claimed) bytes, but \(available) remain in the file")
            }
            let end = start + Int(claimed)
            var objects: [Int: UInt64] = [:]
            var position = start + 16
            while position < end {
                // libhdf5 treats a tail too short for an object header as free space.
                guard end - position >= 16 else { break }
                let index = try u16(position)
                let size = try u64(position + 8)
                var need = size
                if index > 0 {
                    let (padded, overflow) = size.addingReportingOverflow(16 + 7)
                    need = overflow ? .max : padded & ~7
                }
                guard need >= 16, need <= UInt64(end - position) else {
                    throw fail("global heap object \(index) at byte \(position) claims \(size) bytes, past the end of its collection at byte \(end)")
                }
                if index > 0 { objects[index] = size }
                position += Int(need)
            }
            if start >= base { heaps[start - base] = objects }
            // Collections never overlap: a signature inside one is its data, and skipping it
            // keeps the scan linear however many signatures a file packs in.
            offset = end
        }
        return heaps
    }

    // MARK: Object headers

    func checkObjectHeader(at address: UInt64) throws(Problem) {
        let header = try locate(address, 16, "object header")
        if matches("OHDR", at: header) { return }  // version 2: left to libhdf5 (and its checksums)
        guard try u8(header) == 1 else { return }  // libhdf5 refuses other versions itself
        let firstSize = try u32(header + 8)
        var chunks: [(Int, Int)] = [(header + 16, firstSize)]
        var seen: Set<Int> = []
        var messages = 0
        var index = 0
        while index < chunks.count {
            let (start, size) = chunks[index]
            index += 1
            guard seen.insert(start).inserted else { throw fail("object header at byte \(header) continues into byte \(start) twice") }
            guard chunks.count <= HDF5Precheck.maxChunks else { throw fail("object header at byte \(header) has more than \(HDF5Precheck.maxChunks) chunks") }
            try require(start, size, "object header chunk")
            var position = start
            let end = start + size
            while end - position >= 8 {
                let type = try u16(position)
                let length = try u16(position + 2)
                let flags = try u8(position + 4)
                let body = position + 8
                guard length <= end - body else {
                    throw fail("object header message at byte \(position) (\(length) bytes) runs past its chunk's end at byte \(end)")
                }
                messages += 1
                guard messages <= HDF5Precheck.maxMessages else { throw fail("object header at byte \(header) has more than \(HDF5Precheck.maxMessages) messages") }
                // Shared messages hold a reference, not the message.
                if flags & 0x02 == 0 {
                    do throws(Problem) {
                        if let continuation = try checkMessage(type: type, at: body, length: length) { chunks.append(continuation) }
                    } catch {
                        let name = Self.objectHeaderMessageTypes[type] ?? "type \(type)"
                        throw fail("\(name) message at byte \(body) of the object header at byte \(header): \(error.message)")
                    }
                }
                position = body + length
            }
        }
    }

    /// Checks one message body; returns the chunk a continuation message points to.
    func checkMessage(type: Int, at body: Int, length: Int) throws(Problem) -> (Int, Int)? {
        let end = body + length
        switch type {
        case 0x01:
            _ = try dataspace(at: body, end: end)
        case 0x03:
            _ = try datatype(at: body, end: end, depth: 0)
        case 0x04:
            let size = try field32(body, end: end)
            try within(body + 4, size, end, "fill value")
        case 0x05:
            try fillValue(at: body, end: end)
        case 0x06:
            try link(at: body, end: end)
        case 0x08:
            try layout(at: body, end: end)
        case 0x0B:
            try filterPipeline(at: body, end: end)
        case 0x0C:
            try attribute(at: body, end: end)
        case 0x10:
            try within(body, 16, end, "continuation")
            let address = try u64(body)
            guard let size = Int(exactly: try u64(body + 8)) else { throw fail("continuation length overflows") }
            return (try locate(address, size, "object header continuation"), size)
        case 0x11:
            try within(body, 16, end, "symbol table")
            try symbolTable(tree: try u64(body), heap: try u64(body + 8))
        default:
            break
        }
        return nil
    }

    func within(_ offset: Int, _ count: Int, _ end: Int, _ what: String) throws(Problem) {
        guard count >= 0, offset <= end, count <= end - offset else {
            throw fail("\(what) (\(count) bytes at byte \(offset)) runs past the message's end at byte \(end)")
        }
    }

    func field32(_ offset: Int, end: Int) throws(Problem) -> Int {
        try within(offset, 4, end, "a size field")
        return try u32(offset)
    }

    /// The offset just past a NUL-terminated name starting at `offset`, NUL included.
    func nameEnd(_ offset: Int, end: Int, _ what: String) throws(Problem) -> Int {
        var position = offset
        while position < end {
            if raw[position] == 0 { return position + 1 }
            position += 1
        }
        throw fail("\(what) at byte \(offset) has no terminating NUL before byte \(end)")
    }

    // MARK: Messages

    /// A dataspace's element count (1 for scalar, 0 for null).
    func dataspace(at body: Int, end: Int) throws(Problem) -> UInt64 {
        try within(body, 4, end, "dataspace header")
        let version = try u8(body)
        let rank = try u8(body + 1)
        let flags = try u8(body + 2)
        guard rank <= 32 else { throw fail("dataspace rank \(rank) is more than 32") }
        let dims: Int
        var isNull = false
        switch version {
        case 1:
            dims = body + 8
        case 2:
            dims = body + 4
            isNull = try u8(body + 3) == 2
        default:
            return 1  // libhdf5 refuses other versions itself
        }
        let count = rank * (flags & 1 == 1 ? 2 : 1)
        try within(dims, count * 8, end, "dataspace dimensions")
        if isNull { return 0 }
        var elements: UInt64 = 1
        for axis in 0..<rank {
            let (product, overflow) = elements.multipliedReportingOverflow(by: try u64(dims + axis * 8))
            guard !overflow else { throw fail("dataspace element count overflows") }
            elements = product
        }
        return elements
    }

    struct TypeInfo {
        var end: Int
        /// Bytes per element as stored in the file.
        var storedSize: UInt64
        /// For a variable-length type: bytes per element of its base type.
        var variableBaseSize: UInt64?
        /// A variable-length type appears below the top level.
        var nestedVariable: Bool
    }

    func datatype(at body: Int, end: Int, depth: Int) throws(Problem) -> TypeInfo {
        guard depth <= HDF5Precheck.maxTypeDepth else { throw fail("datatype nests more than \(HDF5Precheck.maxTypeDepth) levels") }
        try within(body, 8, end, "datatype header")
        let classAndVersion = try u8(body)
        let typeClass = classAndVersion & 0x0f
        let version = classAndVersion >> 4
        let bits = try u16(body + 1)
        let size = UInt64(try u32(body + 4))
        let properties = body + 8
        func fixed(_ count: Int) throws(Problem) -> TypeInfo {
            try within(properties, count, end, "datatype properties")
            return TypeInfo(end: properties + count, storedSize: size, variableBaseSize: nil, nestedVariable: false)
        }
        switch typeClass {
        case 0, 4: return try fixed(4)  // integer, bitfield
        case 1: return try fixed(12)  // float
        case 2: return try fixed(2)  // time
        case 3, 7: return try fixed(0)  // string, reference
        case 5:  // opaque: a NUL-padded tag
            let tagLength = bits & 0xff
            try within(properties, tagLength, end, "opaque tag")
            if tagLength > 0 { _ = try nameEnd(properties, end: properties + tagLength, "opaque tag") }
            return TypeInfo(end: properties + tagLength, storedSize: size, variableBaseSize: nil, nestedVariable: false)
        case 6:  // compound
            var position = properties
            var nested = false
            for member in 0..<bits {
                let nameStart = position
                let afterName = try nameEnd(position, end: end, "compound member \(member) name")
                switch version {
                case 1, 2:
                    position = nameStart + ((afterName - 1 - nameStart) + 8) / 8 * 8
                    try within(position, 4, end, "compound member offset")
                    position += version == 1 ? 4 + 28 : 4
                default:
                    position = afterName
                    let offsetBytes = size < 1 << 8 ? 1 : size < 1 << 16 ? 2 : size < 1 << 24 ? 3 : 4
                    try within(position, offsetBytes, end, "compound member offset")
                    position += offsetBytes
                }
                try within(position, 0, end, "compound member")
                let memberType = try datatype(at: position, end: end, depth: depth + 1)
                nested = nested || memberType.variableBaseSize != nil || memberType.nestedVariable
                position = memberType.end
            }
            return TypeInfo(end: position, storedSize: size, variableBaseSize: nil, nestedVariable: nested)
        case 8:  // enum: base type, names, values
            let baseType = try datatype(at: properties, end: end, depth: depth + 1)
            var position = baseType.end
            for member in 0..<bits {
                let nameStart = position
                let afterName = try nameEnd(position, end: end, "enum member \(member) name")
                position = version < 3 ? nameStart + ((afterName - 1 - nameStart) + 8) / 8 * 8 : afterName
            }
            let (values, overflow) = baseType.storedSize.multipliedReportingOverflow(by: UInt64(bits))
            guard !overflow, let count = Int(exactly: values) else { throw fail("enum values overflow") }
            try within(position, count, end, "enum values")
            return TypeInfo(end: position + count, storedSize: size, variableBaseSize: nil,
                            nestedVariable: baseType.variableBaseSize != nil || baseType.nestedVariable)
        case 9:  // variable-length sequence or string: a base type
            // libhdf5 sizes an attribute's buffer from this field but copies 4 + offset + 4 bytes
            // per element out of it (found by the fuzzer): they must agree.
            guard size == UInt64(4 + HDF5Precheck.offsetSize + 4) else {
                throw fail("variable-length datatype declares \(size) bytes per element, not \(4 + HDF5Precheck.offsetSize + 4)")
            }
            let baseType = try datatype(at: properties, end: end, depth: depth + 1)
            return TypeInfo(end: baseType.end, storedSize: UInt64(4 + HDF5Precheck.offsetSize + 4),
                            variableBaseSize: baseType.storedSize,
                            nestedVariable: baseType.variableBaseSize != nil || baseType.nestedVariable)
        case 10:  // array: rank, dimensions, (permutation,) base type
            try within(properties, 1, end, "array rank")
            let rank = try u8(properties)
            guard rank <= 32 else { throw fail("array rank \(rank) is more than 32") }
            let dims = version < 3 ? properties + 4 : properties + 1
            let baseStart = dims + rank * 4 * (version < 3 ? 2 : 1)
            try within(dims, baseStart - dims, end, "array dimensions")
            let baseType = try datatype(at: baseStart, end: end, depth: depth + 1)
            return TypeInfo(end: baseType.end, storedSize: size, variableBaseSize: nil,
                            nestedVariable: baseType.variableBaseSize != nil || baseType.nestedVariable)
        default:
            throw fail("unknown datatype class \(typeClass)")
        }
    }

    func fillValue(at body: Int, end: Int) throws(Problem) {
        try within(body, 1, end, "fill value version")
        switch try u8(body) {
        case 1:
            let size = try field32(body + 4, end: end)
            try within(body + 8, size, end, "fill value")
        case 2:
            try within(body, 4, end, "fill value header")
            if try u8(body + 3) != 0 {
                let size = try field32(body + 4, end: end)
                try within(body + 8, size, end, "fill value")
            }
        case 3:
            try within(body, 2, end, "fill value header")
            if try u8(body + 1) & 0x20 != 0 {
                let size = try field32(body + 2, end: end)
                try within(body + 6, size, end, "fill value")
            }
        default:
            break
        }
    }

    func layout(at body: Int, end: Int) throws(Problem) {
        try within(body, 2, end, "layout header")
        let version = try u8(body)
        switch version {
        case 1, 2:
            try within(body, 8, end, "layout header")
            let rank = try u8(body + 1)
            let layoutClass = try u8(body + 2)
            guard rank <= 33 else { throw fail("layout dimensionality \(rank) is more than 33") }
            var position = body + 8 + (layoutClass == 0 ? 0 : 8) + rank * 4
            try within(body + 8, position - body - 8, end, "layout dimensions")
            if layoutClass == 0 {
                let size = try field32(position, end: end)
                position += 4
                try within(position, size, end, "compact data")
            }
        case 3, 4:
            switch try u8(body + 1) {
            case 0:
                try within(body + 2, 2, end, "compact data size")
                try within(body + 4, try u16(body + 2), end, "compact data")
            case 1:
                try within(body + 2, 16, end, "contiguous layout")
            case 2 where version == 3:
                try within(body + 2, 1, end, "chunk dimensionality")
                let rank = try u8(body + 2)
                guard rank <= 33 else { throw fail("chunk dimensionality \(rank) is more than 33") }
                try within(body + 3, 8 + rank * 4, end, "chunked layout")
            default:
                break  // version 4 chunk indexes and virtual layouts: left to libhdf5
            }
        default:
            break
        }
    }

    func filterPipeline(at body: Int, end: Int) throws(Problem) {
        try within(body, 2, end, "filter pipeline header")
        let version = try u8(body)
        let count = try u8(body + 1)
        guard count <= 32 else { throw fail("\(count) filters is more than 32") }
        var position = body + (version == 1 ? 8 : 2)
        for filter in 0..<count {
            try within(position, 2, end, "filter \(filter)")
            let identifier = try u16(position)
            var nameLength = 0
            if version == 1 || identifier >= 256 {
                try within(position + 2, 2, end, "filter \(filter) name length")
                nameLength = try u16(position + 2)
                position += 4
            } else {
                position += 2
            }
            try within(position, 4, end, "filter \(filter) flags")
            let values = try u16(position + 2)
            position += 4
            if nameLength > 0 {
                try within(position, nameLength, end, "filter \(filter) name")
                _ = try nameEnd(position, end: position + nameLength, "filter \(filter) name")
                position += version == 1 ? (nameLength + 7) / 8 * 8 : nameLength
            }
            let valueBytes = values * 4 + (version == 1 && values % 2 == 1 ? 4 : 0)
            try within(position, valueBytes, end, "filter \(filter) client data")
            position += valueBytes
        }
    }

    func link(at body: Int, end: Int) throws(Problem) {
        try within(body, 2, end, "link header")
        let flags = try u8(body + 1)
        var position = body + 2
        var linkType = 0
        if flags & 0x08 != 0 {
            try within(position, 1, end, "link type")
            linkType = try u8(position)
            position += 1
        }
        if flags & 0x04 != 0 { position += 8 }
        if flags & 0x10 != 0 { position += 1 }
        let lengthBytes = 1 << (flags & 0x03)
        try within(position, lengthBytes, end, "link name length")
        var nameLength = 0
        for byte in 0..<lengthBytes { nameLength |= try u8(position + byte) << (8 * byte) }
        guard nameLength >= 0 else { throw fail("link name length overflows") }
        position += lengthBytes
        try within(position, nameLength, end, "link name")
        position += nameLength
        switch linkType {
        case 0: try within(position, 8, end, "hard link address")
        case 1, 64...255:
            try within(position, 2, end, "link value length")
            try within(position + 2, try u16(position), end, "link value")
        default: break
        }
    }

    func attribute(at body: Int, end: Int) throws(Problem) {
        try within(body, 8, end, "attribute header")
        let version = try u8(body)
        guard (1...3).contains(version) else { return }  // libhdf5 refuses other versions itself
        let flags = version >= 2 ? try u8(body + 1) : 0
        let nameLength = try u16(body + 2)
        let typeSize = try u16(body + 4)
        let spaceSize = try u16(body + 6)
        func padded(_ count: Int) -> Int { version == 1 ? (count + 7) / 8 * 8 : count }
        let name = body + (version == 3 ? 9 : 8)
        guard nameLength >= 1 else { throw fail("attribute name of length 0") }
        try within(name, padded(nameLength), end, "attribute name")
        guard raw[name + nameLength - 1] == 0 else { throw fail("attribute name at byte \(name) is not NUL-terminated at its stored length \(nameLength)") }
        let typeStart = name + padded(nameLength)
        try within(typeStart, padded(typeSize), end, "attribute datatype")
        let spaceStart = typeStart + padded(typeSize)
        try within(spaceStart, padded(spaceSize), end, "attribute dataspace")
        let data = spaceStart + padded(spaceSize)
        // Shared datatypes or dataspaces are references: their sizes are unknown here.
        guard flags & 0x03 == 0 else { return }
        let type = try datatype(at: typeStart, end: typeStart + typeSize, depth: 0)
        let elements = try dataspace(at: spaceStart, end: spaceStart + spaceSize)
        if type.nestedVariable {
            throw fail("unsupported attribute datatype: variable-length data inside another type")
        }
        let (bytes, overflow) = elements.multipliedReportingOverflow(by: type.storedSize)
        guard !overflow, let count = Int(exactly: bytes) else { throw fail("attribute data size overflows") }
        try within(data, count, end, "attribute data")
        guard let baseSize = type.variableBaseSize else { return }
        // Each value: sequence length, global heap collection address, object index.
        for element in 0..<Int(elements) {
            let entry = data + element * 16
            let sequenceLength = UInt64(try u32(entry))
            let collection = try u64(entry + 4)
            let index = try u32(entry + 12)
            guard collection != 0 else { continue }
            guard let objects = Int(exactly: collection).flatMap({ heaps[$0] }) else {
                throw fail("attribute value \(element) points at address \(collection), where no global heap collection is")
            }
            guard let size = objects[index] else {
                throw fail("attribute value \(element) points at object \(index) of the global heap collection at address \(collection), which has no such object")
            }
            // libhdf5 allocates the stated length and copies the whole object into it: the two
            // must agree, so neither an overflow nor a 4 GiB buffer for a 10-byte string.
            let (capacity, capacityOverflow) = sequenceLength.multipliedReportingOverflow(by: baseSize)
            guard !capacityOverflow, size == capacity else {
                throw fail("attribute value \(element) has length \(sequenceLength), but its global heap object \(index) holds \(size) bytes")
            }
        }
    }

    // MARK: Old-style groups

    /// The symbol table's local heap and B-tree, with every name offset inside the heap.
    func symbolTable(tree: UInt64, heap: UInt64) throws(Problem) {
        let heapStart = try locate(heap, 32, "local heap")
        guard matches("HEAP", at: heapStart) else { return }  // libhdf5 refuses it itself
        let dataSize = try u64(heapStart + 8)
        guard let size = Int(exactly: dataSize) else { throw fail("local heap at byte \(heapStart) claims \(dataSize) bytes") }
        let data = try locate(try u64(heapStart + 24), size, "local heap data")
        func checkName(_ offset: UInt64, _ what: String) throws(Problem) {
            guard let offset = Int(exactly: offset), offset < size else {
                throw fail("\(what) names offset \(offset) of the \(size)-byte local heap at byte \(heapStart)")
            }
            _ = try nameEnd(data + offset, end: data + size, "\(what) name")
        }
        var pending: [(address: UInt64, level: Int?)] = [(tree, nil)]
        var visited: Set<UInt64> = []
        while let next = pending.popLast() {
            let (address, expectedLevel) = next
            guard visited.insert(address).inserted else { throw fail("group B-tree node at address \(address) is reached twice") }
            guard visited.count <= HDF5Precheck.maxTreeNodes else { throw fail("group B-tree has more than \(HDF5Precheck.maxTreeNodes) nodes") }
            let k = groupInternalK
            let nodeSize = 8 + 16 + (2 * k + 1) * 8 + 2 * k * 8
            let node = try locate(address, nodeSize, "group B-tree node")
            guard matches("TREE", at: node), try u8(node + 4) == 0 else { continue }  // libhdf5 refuses it itself
            let level = try u8(node + 5)
            if let expectedLevel, level != expectedLevel {
                throw fail("group B-tree node at byte \(node) has level \(level), expected \(expectedLevel)")
            }
            let entries = try u16(node + 6)
            guard entries <= 2 * k else { throw fail("group B-tree node at byte \(node) has \(entries) entries, more than \(2 * k)") }
            for entry in 0...entries {
                try checkName(try u64(node + 24 + entry * 16), "group B-tree key \(entry) at byte \(node)")
                guard entry < entries else { break }
                let child = try u64(node + 24 + entry * 16 + 8)
                if level > 0 {
                    pending.append((child, level - 1))
                } else {
                    try symbolNode(at: child, checkName: checkName)
                }
            }
        }
    }

    func symbolNode(at address: UInt64, checkName: (UInt64, String) throws(Problem) -> Void) throws(Problem) {
        let capacity = 2 * groupLeafK
        let node = try locate(address, 8 + capacity * 40, "symbol table node")
        guard matches("SNOD", at: node) else { return }  // libhdf5 refuses it itself
        let symbols = try u16(node + 6)
        guard symbols <= capacity else { throw fail("symbol table node at byte \(node) has \(symbols) entries, more than \(capacity)") }
        for symbol in 0..<symbols {
            try checkName(try u64(node + 8 + symbol * 40), "symbol \(symbol) of the node at byte \(node)")
        }
    }
}
