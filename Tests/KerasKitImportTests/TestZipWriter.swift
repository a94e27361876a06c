import Foundation

/// A minimal zip writer for tests, so broken `.keras` archives are made in memory: stored
/// entries, hand-made deflate streams, and size fields that may lie.
enum TestZip {
    struct Entry {
        var name: String
        /// The bytes as the archive stores them (compressed when `method` is 8).
        var payload: [UInt8]
        /// 0 stored, 8 deflate.
        var method: UInt16
        var crc: UInt32
        /// The uncompressed size the headers declare (true or not).
        var declaredSize: UInt32
    }

    /// An uncompressed entry with true sizes and CRC.
    static func stored(_ name: String, _ bytes: [UInt8]) -> Entry {
        Entry(name: name, payload: bytes, method: 0, crc: crc32(bytes), declaredSize: UInt32(bytes.count))
    }

    /// An uncompressed entry holding `text` as UTF-8.
    static func stored(_ name: String, text: String) -> Entry {
        stored(name, Array(text.utf8))
    }

    /// A deflated entry that inflates to `1 + 258 * copies` zero bytes from about
    /// `copies * 13 / 8` bytes (a zip bomb), declaring `declaredSize` and a CRC of zero.
    static func zeroBomb(_ name: String, copies: Int, declaredSize: UInt32) -> Entry {
        Entry(name: name, payload: deflatedZeros(copies: copies), method: 8, crc: 0, declaredSize: declaredSize)
    }

    /// The archive: local headers and data, then the central directory and its end record.
    static func archive(_ entries: [Entry]) -> Data {
        var out: [UInt8] = []
        var central: [UInt8] = []
        for entry in entries {
            let offset = UInt32(out.count)
            let name = Array(entry.name.utf8)
            // Local file header.
            out += le32(0x0403_4b50) + le16(20) + le16(0) + le16(entry.method) + le16(0) + le16(0x21)
            out += le32(entry.crc) + le32(UInt32(entry.payload.count)) + le32(entry.declaredSize)
            out += le16(UInt16(name.count)) + le16(0) + name + entry.payload
            // Central directory header (made by MS-DOS, so the type comes from the name).
            central += le32(0x0201_4b50) + le16(20) + le16(20) + le16(0) + le16(entry.method) + le16(0) + le16(0x21)
            central += le32(entry.crc) + le32(UInt32(entry.payload.count)) + le32(entry.declaredSize)
            central += le16(UInt16(name.count)) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset) + name
        }
        let centralOffset = UInt32(out.count)
        out += central
        out += le32(0x0605_4b50) + le16(0) + le16(0) + le16(UInt16(entries.count)) + le16(UInt16(entries.count))
        out += le32(UInt32(central.count)) + le32(centralOffset) + le16(0)
        return Data(out)
    }

    /// The standard CRC-32 (IEEE 802.3) that zip uses.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    /// One final fixed-Huffman deflate block: a literal 0, then `copies` back-references of
    /// length 258 at distance 1, then end of block.
    private static func deflatedZeros(copies: Int) -> [UInt8] {
        var bits = BitWriter()
        bits.write(1, count: 1)  // BFINAL
        bits.write(1, count: 2)  // BTYPE 01: fixed Huffman codes
        bits.writeCode(0x30, length: 8)  // literal 0 (codes 0-143 are 0x30 + value, 8 bits)
        for _ in 0..<copies {
            bits.writeCode(0xC5, length: 8)  // length code 285 = 258 bytes, no extra bits
            bits.writeCode(0, length: 5)  // distance code 0 = distance 1
        }
        bits.writeCode(0, length: 7)  // end of block (256)
        return bits.bytes
    }

    private struct BitWriter {
        var bytes: [UInt8] = []
        var used = 8

        /// Writes `count` bits of `value`, least significant first (deflate's header fields).
        mutating func write(_ value: UInt32, count: Int) {
            for index in 0..<count { put(bit: (value >> UInt32(index)) & 1) }
        }

        /// Writes a Huffman code, most significant bit first.
        mutating func writeCode(_ code: UInt32, length: Int) {
            for index in stride(from: length - 1, through: 0, by: -1) { put(bit: (code >> UInt32(index)) & 1) }
        }

        private mutating func put(bit: UInt32) {
            if used == 8 { bytes.append(0); used = 0 }
            bytes[bytes.count - 1] |= UInt8(bit) << UInt8(used)
            used += 1
        }
    }

    private static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xff), UInt8(value >> 8)] }
    private static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * UInt32($0))) & 0xff) } }
}
