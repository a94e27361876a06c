import FuzzSupport
import KerasKit

/// Fuzzes the native-format reader: safetensors header validation, metadata, weight mapping.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNative(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    if let model = try? KerasModel.load(nativeData: fuzzData(start, count), name: "fuzz.safetensors") {
        exercise(model)
    }
    return 0
}
