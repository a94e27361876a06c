import FuzzSupport
import KerasKit

/// Fuzzes config decoding (`ModelConfig(json:)`), then wires a model from the config with no
/// weights (layers that need weights fail cleanly; weightless graphs build and run once).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let config = try? ModelConfig(json: fuzzData(start, count)) else { return 0 }
    if let model = try? KerasModel(config: config, weights: [:], kerasVersion: nil) {
        exercise(model)
    }
    return 0
}
