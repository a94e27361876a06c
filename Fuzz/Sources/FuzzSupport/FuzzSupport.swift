import Foundation
import KerasKit

/// The input bytes of one fuzz iteration as `Data` (copied: libFuzzer owns the buffer).
public func fuzzData(_ start: UnsafePointer<UInt8>?, _ count: Int) -> Data {
    guard let start, count > 0 else { return Data() }
    return Data(bytes: start, count: count)
}

/// Runs `model` once on zeros shaped like its inputs (unknown axes 2, batch 1), so the
/// fuzzer reaches shape inference and every layer's forward pass. Inputs above 2^16 elements
/// are skipped: a large but valid input is not a bug, and the fuzzer's memory limit is small.
/// Errors are the expected outcome for most inputs and are ignored; a trap is the finding.
public func exercise(_ model: KerasModel) {
    var inputs: [Tensor] = []
    for shape in model.inputShapes {
        let sizes = shape.enumerated().map { axis, size in axis == 0 ? 1 : (size ?? 2) }
        guard let count = try? Tensor.elementCount(of: sizes), count <= 1 << 16,
              let zeros = try? Tensor(zeros: sizes) else { return }
        inputs.append(zeros)
    }
    _ = try? model.predict(inputs)
    _ = model.parameterCount
}
