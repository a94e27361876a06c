import Foundation
import KerasKit

/// A NumPy `.npz` archive (`numpy.savez` / `savez_compressed`): named `.npy` arrays in a zip.
public struct NumpyArchive: Sendable {
    /// The arrays by name (the entry name without `.npy`), in archive order.
    public let arrays: [(name: String, array: NumpyArray)]

    /// Reads every array of a `.npz` file, in memory.
    /// - Throws: ``KerasFileError`` naming the file and the entry at fault.
    public init(contentsOf path: String) throws(KerasFileError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            throw KerasFileError(file: path, reason: .unreadable(fileProblem(reading: path, error)))
        }
        let archive = try ZipArchiveReader(data: data, label: path)
        var arrays: [(name: String, array: NumpyArray)] = []
        // Each entry is capped by the zip reader; the whole archive is capped too, so many
        // entries cannot add up to more than one entry may.
        var total = 0
        for entry in archive.paths {
            guard let bytes = try archive.read(entry, limit: ZipArchiveReader.maxEntryBytes - total) else { continue }
            total += bytes.count
            do {
                let name = entry.hasSuffix(".npy") ? String(entry.dropLast(4)) : entry
                arrays.append((name, try NumpyArray(npy: bytes)))
            } catch {
                throw KerasFileError(file: path, reason: .storage(path: entry, message: error.description))
            }
        }
        self.arrays = arrays
    }

    /// Whether the bytes start like a zip archive (`PK\x03\x04`).
    public static func isArchive(prefix: some Collection<UInt8>) -> Bool {
        prefix.starts(with: [0x50, 0x4B, 0x03, 0x04])
    }
}
