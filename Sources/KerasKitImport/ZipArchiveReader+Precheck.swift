import Foundation

/// Structural checks on a zip archive's bytes before ZIPFoundation reads them.
///
/// ZIPFoundation's in-memory archive traps (a Swift range check in `MemoryFile.readData`, or
/// the `off_t` conversion in `Data.readStruct`) when a header sends it to an offset past the end
/// of the data — found by the `.keras` fuzzer. The offsets it seeks to come from the end of
/// central directory record (possibly ZIP64), each central directory entry (possibly through its
/// ZIP64 extra field), each local file header and the data that follows it; this check walks
/// them exactly as `Archive.makeIterator()` does and refuses any that points past the end.
extension ZipArchiveReader {
    /// At most this many entries (a `.keras` archive has three; an `.npz` one per input). Finding
    /// an entry by name walks the whole central directory, so reading every entry is quadratic.
    static let maxEntries = 1024

    /// A readable reason, with the byte offset, why ZIPFoundation must not read `data`; nil when
    /// the archive's offsets are all inside it (or it has no end record, which ZIPFoundation
    /// refuses cleanly).
    static func structuralProblem(in data: Data) -> String? {
        data.withUnsafeBytes { raw in ZipLayout(raw: raw).problem() }
    }
}

private struct ZipLayout {
    let raw: UnsafeRawBufferPointer

    func u16(_ offset: Int) -> UInt64? {
        guard offset >= 0, offset <= raw.count - 2 else { return nil }
        return UInt64(raw[offset]) | UInt64(raw[offset + 1]) << 8
    }

    func u32(_ offset: Int) -> UInt64? {
        guard let low = u16(offset), let high = u16(offset + 2) else { return nil }
        return low | high << 16
    }

    func u64(_ offset: Int) -> UInt64? {
        guard let low = u32(offset), let high = u32(offset + 4) else { return nil }
        return low | high << 32
    }

    /// `offset` as an index when it lies inside the data (the end itself included).
    func inside(_ offset: UInt64) -> Int? {
        offset <= UInt64(raw.count) ? Int(offset) : nil
    }

    func problem() -> String? {
        // ZIPFoundation takes the last end record, scanning back from 22 bytes before the end.
        guard raw.count >= 22 else { return nil }
        var end = raw.count - 22
        while end >= 0, u32(end) != 0x0605_4B50 { end -= 1 }
        guard end >= 0, var entries = u16(end + 10), var directory = u32(end + 16) else { return nil }
        // A ZIP64 end record sits right before its locator, right before the end record.
        if end > 20 + 56, u32(end - 20) == 0x0706_4B50, u32(end - 76) == 0x0606_4B50,
           let entries64 = u64(end - 76 + 32), let directory64 = u64(end - 76 + 48) {
            entries = entries64
            directory = directory64
        }
        guard var position = inside(directory) else {
            return "zip central directory offset \(directory) lies past the end of the \(raw.count)-byte archive"
        }
        var index: UInt64 = 0
        while index < entries {
            // ZIPFoundation stops iterating at an entry it cannot read; that is not a trap.
            guard position <= raw.count - 46, u32(position) == 0x0201_4B50,
                  let flags = u16(position + 8), let method = u16(position + 10),
                  var compressed = u32(position + 20), var uncompressed = u32(position + 24),
                  let nameLength = u16(position + 28), let extraLength = u16(position + 30),
                  let commentLength = u16(position + 32), var local = u32(position + 42) else { return nil }
            guard index < UInt64(ZipArchiveReader.maxEntries) else {
                return "zip central directory has more than \(ZipArchiveReader.maxEntries) entries"
            }
            // ZIP64 extra field: each 32-bit field that is all ones is replaced, in order.
            var extra = position + 46 + Int(nameLength)
            let extraEnd = extra + Int(extraLength)
            while extra + 4 <= extraEnd, let identifier = u16(extra), let size = u16(extra + 2) {
                if identifier == 1 {
                    var field = extra + 4
                    let fieldEnd = field + Int(size)
                    if uncompressed == 0xFFFF_FFFF, field + 8 <= fieldEnd, let wide = u64(field) { uncompressed = wide; field += 8 }
                    if compressed == 0xFFFF_FFFF, field + 8 <= fieldEnd, let wide = u64(field) { compressed = wide; field += 8 }
                    if local == 0xFFFF_FFFF, field + 8 <= fieldEnd, let wide = u64(field) { local = wide; field += 8 }
                    break
                }
                extra += 4 + Int(size)
            }
            guard let header = inside(local) else {
                return "zip entry \(index) at byte \(position): local header offset \(local) lies past the end of the \(raw.count)-byte archive"
            }
            // ZIPFoundation stops at a local header it cannot read.
            guard header <= raw.count - 30, u32(header) == 0x0403_4B50,
                  let localName = u16(header + 26), let localExtra = u16(header + 28) else { return nil }
            let dataStart = UInt64(header) + 30 + localName + localExtra
            let stored = method == 0 ? uncompressed : compressed
            let (dataEnd, overflow) = dataStart.addingReportingOverflow(stored)
            guard inside(dataStart) != nil, !overflow, flags & 0x08 == 0 || inside(dataEnd) != nil else {
                return "zip entry \(index) at byte \(position): its data (\(stored) bytes from byte \(dataStart)) lies past the end of the \(raw.count)-byte archive"
            }
            position += 46 + Int(nameLength) + Int(extraLength) + Int(commentLength)
            guard position <= raw.count else { return nil }
            index += 1
        }
        return nil
    }
}
