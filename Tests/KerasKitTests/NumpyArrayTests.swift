import Foundation
import Testing
@testable import KerasKit

/// Builds a `.npy` file from a header dictionary and raw data.
func npy(_ header: String, _ payload: [UInt8], version: UInt8 = 1) -> Data {
    var text = header
    let prefix = version == 1 ? 10 : 12
    text += String(repeating: " ", count: (64 - (prefix + text.utf8.count + 1) % 64) % 64) + "\n"
    var data = Data([0x93] + Array("NUMPY".utf8) + [version, 0])
    let length = text.utf8.count
    data.append(contentsOf: version == 1 ? [UInt8(length & 0xff), UInt8(length >> 8)] : [UInt8(length & 0xff), UInt8(length >> 8), 0, 0])
    data.append(contentsOf: Array(text.utf8))
    data.append(contentsOf: payload)
    return data
}

func bytes<T>(_ values: [T]) -> [UInt8] { values.withUnsafeBytes { Array($0) } }

@Suite("Reading and writing .npy")
struct NumpyArrayTests {
    @Test("float32 round-trips through npyData")
    func roundTrip() throws {
        let tensor = try Tensor(shape: [2, 3], scalars: [1, -2, 3.5, 0, 1e-7, 6])
        let array = try NumpyArray(npy: tensor.npyData)
        #expect(array.dtype == .float32)
        #expect(array.tensor == tensor)
        #expect(tensor.npyData.count % 64 == 0 || (tensor.npyData.count - 24) % 64 == 0)
    }

    @Test("float64, int32, int64 and version 2 headers convert")
    func conversions() throws {
        let f8 = try NumpyArray(npy: npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2, 2), }", bytes([1.5, 2, 3, 4] as [Double])))
        #expect(f8.tensor.shape == [1, 2, 2] && f8.tensor.scalars == [1.5, 2, 3, 4])
        let i4 = try NumpyArray(npy: npy("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }", bytes([-1, 0, 7] as [Int32])))
        #expect(i4.tensor.scalars == [-1, 0, 7])
        let i8 = try NumpyArray(npy: npy("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", bytes([5, -9] as [Int64]), version: 2))
        #expect(i8.tensor.scalars == [5, -9])
    }

    @Test("big-endian data is byte-swapped and Fortran order transposed")
    func orderConversions() throws {
        let big = try NumpyArray(npy: npy("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", bytes([Float(1.25).bitPattern.bigEndian, Float(-3).bitPattern.bigEndian])))
        #expect(big.tensor.scalars == [1.25, -3])
        // Fortran order: column-major [[1, 2, 3], [4, 5, 6]] is stored 1 4 2 5 3 6.
        let fortran = try NumpyArray(npy: npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", bytes([1, 4, 2, 5, 3, 6] as [Float])))
        #expect(fortran.tensor.scalars == [1, 2, 3, 4, 5, 6])
    }

    @Test("bad files give their own messages", arguments: [
        (Data("hello world, not numpy".utf8), "not a .npy file"),
        (npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", bytes([1, 2] as [Float])), "truncated"),
        (npy("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", [0, 0, 0, 0, 0, 0, 0, 0]), "unsupported .npy dtype '<c8'"),
        (npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776, 1099511627776), }", []), "exceeds the limit"),
        (npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-3,), }", []), "invalid axis size"),
        (npy("{'descr': '<f4', 'shape': (1,), }", [0, 0, 0, 0]), "fortran_order"),
        (npy("{'descr': '<f4', 'fortran_order': False, }", [0, 0, 0, 0]), "shape"),
        (Data([0x93] + Array("NUMPY".utf8) + [9, 0, 0, 0]), "version 9"),
        (Data([0x93] + Array("NUMPY".utf8) + [1, 0, 0xff, 0xff]), "truncated"),
    ])
    func badFiles(data: Data, message: String) {
        #expect {
            try NumpyArray(npy: data)
        } throws: { error in
            "\(error)".contains(message)
        }
    }
}
