import Foundation
import KerasKit

/// The kinds of model file KerasKit reads, told apart by their first bytes.
public enum ModelFileKind: String, Sendable, CaseIterable {
    /// Legacy HDF5 (`model.save("model.h5")`).
    case hdf5
    /// A Keras 3 `.keras` zip archive.
    case kerasArchive
    /// KerasKit's native single file (safetensors with KerasKit metadata), from `keraskit convert`.
    case native

    /// Recognizes a file from its first bytes (not its extension).
    /// - Returns: nil when the bytes match no known format.
    public static func detect(prefix: some Collection<UInt8>) -> ModelFileKind? {
        let hdf5Signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]
        if prefix.starts(with: hdf5Signature) { return .hdf5 }
        if prefix.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .kerasArchive }
        // safetensors: an 8-byte little-endian header length, then the JSON header's '{'.
        let bytes = Array(prefix.prefix(9))
        if bytes.count == 9, bytes[8] == UInt8(ascii: "{"), bytes[4..<8].allSatisfy({ $0 == 0 }) { return .native }
        return nil
    }
}

extension KerasModel {
    /// Loads any model file KerasKit reads, recognizing the format from the file's first bytes.
    /// - Parameter path: A Keras `.h5` file, a Keras 3 `.keras` archive or a KerasKit native file.
    /// - Throws: ``KerasFileError`` naming the file and the cause.
    public static func load(contentsOf path: String) throws(KerasFileError) -> KerasModel {
        let prefix: [UInt8]
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            prefix = [UInt8](try handle.read(upToCount: 16) ?? Data())
        } catch {
            throw KerasFileError(file: path, reason: .unreadable((error as NSError).localizedDescription))
        }
        guard !prefix.isEmpty else { throw KerasFileError(file: path, reason: .notAKerasModel("the file is empty")) }
        switch ModelFileKind.detect(prefix: prefix) {
        case .hdf5: return try load(h5File: path)
        case .native: return try load(nativeFile: path)
        case .kerasArchive: return try load(kerasArchive: path)
        case nil:
            let shown = prefix.prefix(8).map { String(format: "%02x", $0) }.joined(separator: " ")
            throw KerasFileError(file: path, reason: .notAKerasModel("not a model file KerasKit reads (starts with \(shown); expected HDF5, a .keras zip or a KerasKit native file)"))
        }
    }
}
