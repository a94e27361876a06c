import Foundation
import KerasKit
internal import HDF5Reading

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

/// A Keras model file as read, before its model is built: enough to inspect a model KerasKit
/// can't run (``KerasModel/summaryRows(config:weights:shapes:)``).
public struct ModelFileContents: Sendable {
    /// What errors call the file.
    public var file: String
    /// The decoded config; layers of classes KerasKit doesn't implement are
    /// ``UnsupportedLayerConfig``s.
    public var config: ModelConfig
    /// The stored weights by layer name, in each layer's stored order.
    public var weights: [String: [WeightArray]]
    /// The writer's `keras_version`, if it says.
    public var kerasVersion: String?
    /// The writer's backend, if it says.
    public var backend: String?

    /// Builds the model.
    /// - Throws: ``KerasFileError`` naming the file, for weights that don't fit the config or
    ///   layer classes KerasKit doesn't implement (all named in one line).
    public func model() throws(KerasFileError) -> KerasModel {
        do {
            return try KerasModel(config: config, weights: weights, kerasVersion: kerasVersion, backend: backend)
        } catch {
            throw KerasFileError(file: file, reason: .weights(error))
        }
    }
}

extension KerasModel {
    /// Reads a `.h5` or `.keras` file's config and weights without building the model, so a model
    /// with layers KerasKit doesn't implement can still be inspected.
    /// - Parameter path: A Keras `.h5` file or a Keras 3 `.keras` archive.
    /// - Throws: ``KerasFileError`` naming the file and the cause; a native file is refused
    ///   (it always holds a model KerasKit built).
    public static func readContents(of path: String) throws(KerasFileError) -> ModelFileContents {
        let prefix = try filePrefix(path)
        switch ModelFileKind.detect(prefix: prefix) {
        case .hdf5:
            let file: HDF5File
            do {
                file = try HDF5File(path: path)
            } catch {
                throw KerasFileError(file: path, reason: error.keraskitReason(opening: true))
            }
            return try H5ModelReader(file: file, label: path).readContents()
        case .kerasArchive:
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
            } catch {
                throw KerasFileError(file: path, reason: .unreadable(fileProblem(reading: path, error)))
            }
            return try readContents(kerasArchiveData: data, name: path)
        case .native, nil:
            throw KerasFileError(file: path, reason: .notAKerasModel("not a Keras .h5 or .keras file"))
        }
    }

    /// The first bytes of a file, which tell its kind.
    static func filePrefix(_ path: String) throws(KerasFileError) -> [UInt8] {
        let prefix: [UInt8]
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            prefix = [UInt8](try handle.read(upToCount: 16) ?? Data())
        } catch {
            throw KerasFileError(file: path, reason: .unreadable(fileProblem(reading: path, error)))
        }
        guard !prefix.isEmpty else { throw KerasFileError(file: path, reason: .notAKerasModel("the file is empty")) }
        return prefix
    }

    /// Loads any model file KerasKit reads, recognizing the format from the file's first bytes.
    /// - Parameter path: A Keras `.h5` file, a Keras 3 `.keras` archive or a KerasKit native file.
    /// - Throws: ``KerasFileError`` naming the file and the cause.
    public static func load(contentsOf path: String) throws(KerasFileError) -> KerasModel {
        let prefix = try filePrefix(path)
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
