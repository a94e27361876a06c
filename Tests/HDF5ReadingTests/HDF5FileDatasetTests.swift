import HDF5Reading
import Testing

@Suite("HDF5File datasets")
struct HDF5FileDatasetTests {
    @Test("reads float32 weights whose names contain ':'")
    func kerasStyleNames() throws {
        let file = try Fixtures.datasets()
        let kernel = try file.readDataset(at: "/model_weights/lstm/lstm/lstm_cell/kernel:0")
        #expect(kernel.shape == [2, 3])
        #expect(kernel.elementType == .float32)
        guard case .float32(let values) = kernel.storage else {
            Issue.record("expected float32 storage, got \(kernel.storage)")
            return
        }
        #expect(values == [0, 0.25, 0.5, 0.75, 1, 1.25])
        #expect(try file.datasetShape(at: "model_weights/lstm/lstm/lstm_cell/bias:0") == [3])
    }

    @Test("keeps float16 as raw IEEE half bits, little- and big-endian in the file")
    func float16() throws {
        let file = try Fixtures.datasets()
        let little = try file.readDataset(at: "types/float16")
        #expect(little.elementType == .float16)
        guard case .float16(let bits) = little.storage else {
            Issue.record("expected float16 storage")
            return
        }
        #expect(bits == [0x3C00, 0xC000, 0x3800, 0x7BFF, 0x7C00])
        let big = try file.readDataset(at: "types/float16_be")
        guard case .float16(let bigBits) = big.storage else {
            Issue.record("expected float16 storage")
            return
        }
        #expect(bigBits == [0x3C00, 0xC000])
    }

    @Test("converts big-endian float32 and reads float64")
    func floats() throws {
        let file = try Fixtures.datasets()
        let big = try file.readDataset(at: "types/float32_be")
        #expect(big.shape == [2, 2])
        #expect(big.elementType == .float32)
        guard case .float32(let values) = big.storage else {
            Issue.record("expected float32 storage")
            return
        }
        #expect(values == [1.5, -2.25, 3.0, 1e-3])

        let doubles = try file.readDataset(at: "types/float64")
        guard case .float64(let doubleValues) = doubles.storage else {
            Issue.record("expected float64 storage")
            return
        }
        #expect(doubleValues == [Double.pi, -1e300, 0])
    }

    @Test("widens every integer type to Int64", arguments: [
        ("int8", HDF5ElementType.int8, [2], [-128, 127] as [Int64]),
        ("int16", .int16, [2], [-300, 300]),
        ("int32", .int32, [3, 2], [-1, 2, 3, -4, 5, 6]),
        ("int64", .int64, [2], [-(1 << 62), 1 << 62]),
        ("uint8", .uint8, [3], [0, 1, 255]),
        ("uint16", .uint16, [1], [65535]),
        ("uint32", .uint32, [1], [4_294_967_295]),
        ("uint64", .uint64, [2], [0, Int64.max]),
    ])
    func integers(name: String, type: HDF5ElementType, shape: [Int], expected: [Int64]) throws {
        let array = try Fixtures.datasets().readDataset(at: "types/\(name)")
        #expect(array.elementType == type)
        #expect(array.shape == shape)
        guard case .integers(let values) = array.storage else {
            Issue.record("expected integer storage")
            return
        }
        #expect(values == expected)
    }

    @Test("reads scalar, empty and chunked gzip datasets")
    func shapes() throws {
        let file = try Fixtures.datasets()
        let scalar = try file.readDataset(at: "types/scalar")
        #expect(scalar.shape == [])
        #expect(scalar.elementCount == 1)
        guard case .float64([3.25]) = scalar.storage else {
            Issue.record("expected [3.25], got \(scalar.storage)")
            return
        }
        let empty = try file.readDataset(at: "types/empty")
        #expect(empty.shape == [0, 3])
        #expect(empty.elementCount == 0)
        let chunked = try file.readDataset(at: "types/chunked_gzip")
        #expect(chunked.shape == [10, 10])
        guard case .float32(let values) = chunked.storage else {
            Issue.record("expected float32 storage")
            return
        }
        #expect(values == (0..<100).map(Float.init))
    }

    @Test("navigates groups, kinds and soft links")
    func navigation() throws {
        let file = try Fixtures.datasets()
        #expect(try file.kind(at: "/") == .group)
        #expect(try file.kind(at: "model_weights/lstm") == .group)
        #expect(try file.kind(at: "/model_weights/lstm/lstm/lstm_cell/kernel:0") == .dataset)
        #expect(try file.kind(at: "/model_weights/missing/deeper/still") == nil)
        #expect(try file.kind(at: "/types/float64/inside_a_dataset") == nil)
        #expect(try file.kind(at: "links/dangling") == nil)
        #expect(try file.kind(at: "links/soft_to_bias") == .dataset)
        #expect(try file.kind(at: "links/external") == .other)
        #expect(try file.childNames(ofGroup: "/") == ["empty_group", "links", "model_weights", "order", "types"])
        #expect(try file.childNames(ofGroup: "order") == ["a", "b", "c"])
        #expect(try file.childNames(ofGroup: "empty_group") == [])
        #expect(try file.childNames(ofGroup: "model_weights/lstm/lstm/lstm_cell") == ["bias:0", "kernel:0"])
        let viaLink = try file.readDataset(at: "links/soft_to_bias")
        guard case .float32(let bias) = viaLink.storage else {
            Issue.record("expected float32 storage")
            return
        }
        #expect(bias == [1, -1, 0.5])
    }

    @Test("never follows external links")
    func externalLinks() throws {
        let file = try Fixtures.datasets()
        let name = Fixtures.path("datasets.h5")
        let through = expectHDF5Error { _ = try file.kind(at: "links/external/dense") }
        #expect(through == .unsupportedType(file: name, path: "/links/external", type: "external link (not followed)"))
        let read = expectHDF5Error { _ = try file.childNames(ofGroup: "links/external") }
        #expect(read == .wrongKind(file: name, path: "/links/external", expected: "group", actual: "external link"))
        #expect(read?.description == "\(name): /links/external: expected a group, found an external link")
    }

    @Test("reads a file image from memory")
    func image() throws {
        let bytes = try Fixtures.bytes("datasets.h5")
        let file = try HDF5File(image: bytes, name: "in-memory.h5")
        #expect(file.name == "in-memory.h5")
        #expect(file.fileSize == bytes.count)
        let kernel = try file.readDataset(at: "model_weights/lstm/lstm/lstm_cell/kernel:0")
        #expect(kernel.shape == [2, 3])
        let missing = expectHDF5Error { _ = try file.readDataset(at: "nope") }
        #expect(missing?.description == "in-memory.h5: /nope: not found")
    }

    @Test("keeps two images with the same name apart")
    func imagesWithSameName() throws {
        let first = try HDF5File(image: try Fixtures.bytes("datasets.h5"), name: "same.h5")
        let second = try HDF5File(image: try Fixtures.bytes("attributes.h5"), name: "same.h5")
        #expect(try first.kind(at: "types") == .group)
        #expect(try second.kind(at: "types") == nil)
        #expect(try second.attribute("int_scalar", at: "/") == .integers([42]))
        #expect(try first.attribute("int_scalar", at: "/") == nil)
    }
}
