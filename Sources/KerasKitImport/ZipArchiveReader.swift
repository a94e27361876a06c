import Foundation
import KerasKit
internal import ZIPFoundation

/// Reads entries of a zip archive into memory — never to disk — with a size cap per entry that
/// holds even when the archive's own size claims lie (zip bombs).
struct ZipArchiveReader {
    let label: String
    private let archive: Archive
    /// The archive's size: no entry's compressed data can be larger, whatever it claims.
    private let archiveSize: UInt64

    /// The most bytes one entry may inflate to.
    static let maxEntryBytes = 1 << 31
    /// Entries that inflate past this size may do so at most ``maxCompressionRatio`` times their
    /// compressed size. Keras stores its archives uncompressed, and deflate on real weights gains
    /// little; a tiny entry declaring gigabytes is a zip bomb.
    static let ratioCheckedBytes = 64 << 20
    static let maxCompressionRatio: UInt64 = 100

    init(data: Data, label: String) throws(KerasFileError) {
        self.label = label
        archiveSize = UInt64(data.count)
        if let problem = Self.structuralProblem(in: data) {
            throw KerasFileError(file: label, reason: .notAKerasModel("not a readable zip archive: \(problem)"))
        }
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw KerasFileError(file: label, reason: .notAKerasModel("not a readable zip archive: \(Self.words(of: error))"))
        }
    }

    /// ZIPFoundation's error case in words (`missingEndOfCentralDirectoryRecord` → "missing end
    /// of central directory record"), so the message reads as a sentence.
    static func words(of error: any Error) -> String {
        let text = String(describing: error)
        let name = text.prefix { $0 != "(" }
        var result = ""
        for character in name {
            if character.isUppercase, let last = result.last, last.isLetter { result.append(" ") }
            result.append(character.isUppercase ? Character(character.lowercased()) : character)
        }
        return result + text.dropFirst(name.count)
    }

    /// The file entries' paths, in archive order.
    var paths: [String] { archive.filter { $0.type == .file }.map(\.path) }

    /// The uncompressed bytes of `path`, or nil when the archive has no such entry.
    func read(_ path: String, limit: Int = maxEntryBytes) throws(KerasFileError) -> Data? {
        guard let entry = archive[path] else { return nil }
        guard entry.uncompressedSize <= UInt64(limit) else {
            throw KerasFileError(file: label, reason: .limitExceeded(path: path, what: "zip entry size", value: Int(clamping: entry.uncompressedSize), limit: limit))
        }
        let compressed = max(min(entry.compressedSize, archiveSize), 1)
        if entry.uncompressedSize > UInt64(Self.ratioCheckedBytes), entry.uncompressedSize / compressed > Self.maxCompressionRatio {
            throw KerasFileError(file: label, reason: .limitExceeded(path: path, what: "zip entry compression ratio (\(entry.uncompressedSize) bytes from \(compressed))", value: Int(clamping: entry.uncompressedSize / compressed), limit: Int(Self.maxCompressionRatio)))
        }
        let declared = Int(entry.uncompressedSize)
        var data = Data()
        let checksum: CRC32
        do {
            checksum = try archive.extract(entry, skipCRC32: false) { chunk in
                // The declared size is only a claim: stop as soon as inflation passes it.
                guard data.count + chunk.count <= declared else { throw ZipEntryOverrun() }
                data.append(chunk)
            }
        } catch is ZipEntryOverrun {
            throw KerasFileError(file: label, reason: .malformed(offset: nil, message: "zip entry '\(path)' inflates past its declared \(declared) bytes"))
        } catch {
            throw KerasFileError(file: label, reason: .malformed(offset: nil, message: "zip entry '\(path)' cannot be read: \(Self.words(of: error))"))
        }
        // `extract` with a consumer computes the CRC-32 but leaves comparing it to the caller.
        guard checksum == entry.checksum else {
            throw KerasFileError(file: label, reason: .malformed(offset: nil, message: "zip entry '\(path)' fails its CRC-32 check"))
        }
        return data
    }
}

private struct ZipEntryOverrun: Error {}
