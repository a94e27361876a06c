import FuzzSupport
import KerasKit
import KerasKitImport

/// Fuzzes `.keras` archive loading: the zip reader and its size caps, config.json, and the
/// weights file inside.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKerasArchive(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    if let model = try? KerasModel.load(kerasArchiveData: fuzzData(start, count), name: "fuzz.keras") {
        exercise(model)
    }
    return 0
}
