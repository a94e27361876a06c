import Foundation
import KerasKit
import KerasKitTestSupport

extension Fixtures {
    /// A small Keras 3 fixture used where one model is enough (LSTM(5) on input (None, 7, 3)).
    /// Without a manifest, its usual paths: the tests then fail on missing files, not a trap.
    static var lstmLast: Fixture {
        all.first { $0.name == "lstm_last" && $0.writer == "keras3" && $0.format == "h5" } ?? Fixture(
            name: "lstm_last", writer: "keras3", format: "h5", keras_version: "3", model: "lstm_last/keras3/model.h5", total_params: 180,
            layers: [.init(name: "lstm", class_name: "LSTM", params: 180)],
            calls: [.init(inputs: ["lstm_last/keras3/call0_input0.npy"], outputs: ["lstm_last/keras3/call0_output0.npy"])]
        )
    }
}

/// A fresh directory under the system's temporary directory, removed when the value goes away.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("KerasKitCLITests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    @discardableResult
    func write(_ data: Data, to name: String) throws -> String {
        try data.write(to: url.appendingPathComponent(name))
        return path(name)
    }
}

/// `.npy` files written by hand, so inputs of every dtype the CLI accepts can be made in a test.
enum NpyWriter {
    enum DType: String, CaseIterable, Sendable {
        case float32 = "<f4", float64 = "<f8", int32 = "<i4", int64 = "<i8"
    }

    static func data(shape: [Int], dtype: DType, values: [Double], header extra: String? = nil) -> Data {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = extra ?? "{'descr': '\(dtype.rawValue)', 'fortran_order': False, 'shape': \(shapeText), }"
        header += String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        data.append(contentsOf: [UInt8(header.utf8.count & 0xff), UInt8(header.utf8.count >> 8)])
        data.append(contentsOf: Array(header.utf8))
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        for value in values {
            switch dtype {
            case .float32: append(Float(value).bitPattern)
            case .float64: append(value.bitPattern)
            case .int32: append(Int32(value))
            case .int64: append(Int64(value))
            }
        }
        return data
    }
}

/// A `.npz` archive as `numpy.savez` writes it: a zip of stored (uncompressed) `name.npy` entries.
enum NpzWriter {
    static func data(_ entries: [(name: String, npy: Data)]) -> Data {
        var archive = Data()
        var central = Data()
        func le16(_ value: Int, _ data: inout Data) { data.append(contentsOf: [UInt8(value & 0xff), UInt8(value >> 8 & 0xff)]) }
        func le32(_ value: UInt32, _ data: inout Data) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        for (name, npy) in entries {
            let fileName = Array((name + ".npy").utf8)
            let crc = crc32(npy)
            let offset = UInt32(archive.count)
            // Local file header.
            le32(0x0403_4b50, &archive); le16(20, &archive); le16(0, &archive); le16(0, &archive)
            le16(0, &archive); le16(0x21, &archive)  // time, date (1980-01-01)
            le32(crc, &archive); le32(UInt32(npy.count), &archive); le32(UInt32(npy.count), &archive)
            le16(fileName.count, &archive); le16(0, &archive)
            archive.append(contentsOf: fileName)
            archive.append(npy)
            // Central directory entry.
            le32(0x0201_4b50, &central); le16(20, &central); le16(20, &central); le16(0, &central); le16(0, &central)
            le16(0, &central); le16(0x21, &central)
            le32(crc, &central); le32(UInt32(npy.count), &central); le32(UInt32(npy.count), &central)
            le16(fileName.count, &central); le16(0, &central); le16(0, &central); le16(0, &central); le16(0, &central)
            le32(0, &central); le32(offset, &central)
            central.append(contentsOf: fileName)
        }
        let centralOffset = UInt32(archive.count)
        archive.append(central)
        le32(0x0605_4b50, &archive); le16(0, &archive); le16(0, &archive)
        le16(entries.count, &archive); le16(entries.count, &archive)
        le32(UInt32(central.count), &archive); le32(centralOffset, &archive); le16(0, &archive)
        return archive
    }

    /// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zip stores it.
    static func crc32(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xffff_ffff
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xedb8_8320 : crc >> 1 }
        }
        return ~crc
    }
}

extension TensorOf {
    /// The scalars' bit patterns (widened to `Double`, which is exact), for comparisons that
    /// must be exact (NaN included).
    var bits: [UInt64] { scalars.map { Double($0).bitPattern } }
}
