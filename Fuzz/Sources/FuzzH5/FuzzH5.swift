import FuzzSupport
import KerasKit
import KerasKitImport

/// Fuzzes legacy `.h5` loading end to end: libhdf5 (through HDF5Reading's checks), the Keras
/// layout, config decoding and weight checks.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzH5(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = [UInt8](fuzzData(start, count))
    if let model = try? KerasModel.load(h5Bytes: bytes, name: "fuzz.h5") {
        exercise(model)
    }
    return 0
}
