import FuzzSupport
import KerasKit

/// Fuzzes the `.npy` reader: header parsing, size checks, byte order and Fortran order.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNumpy(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    if let array = try? NumpyArray(npy: fuzzData(start, count)) {
        _ = array.tensor
    }
    return 0
}
