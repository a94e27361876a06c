import HDF5Reading
import Testing

@Suite("HDF5File errors")
struct HDF5FileErrorTests {
    /// The reason inside an `openFailed` error, or nil for any other outcome.
    private func openFailure(_ open: () throws -> HDF5File) -> (file: String, reason: String)? {
        guard case .openFailed(let file, let reason) = expectHDF5Error({ _ = try open() }) else { return nil }
        return (file, reason)
    }

    @Test("refuses a text file, naming it and HDF5's reason")
    func notHDF5() throws {
        let path = Fixtures.path("not_hdf5.h5")
        let failure = try #require(openFailure { try HDF5File(path: path) })
        #expect(failure.file == path)
        #expect(failure.reason.contains("signature"))
        #expect(!failure.reason.contains("\n"))
        let image = try #require(openFailure {
            try HDF5File(image: Array("not HDF5 at all, just text".utf8), name: "text.bin")
        })
        #expect(image.file == "text.bin")
        #expect(image.reason.contains("signature"))
    }

    @Test("refuses a truncated file, on disk and in memory")
    func truncated() throws {
        let path = Fixtures.path("truncated.h5")
        let failure = try #require(openFailure { try HDF5File(path: path) })
        #expect(failure.reason.contains("truncated"))
        #expect(HDF5Error.openFailed(file: failure.file, reason: failure.reason).description
            .hasPrefix("\(path): cannot open as HDF5: "))
        let bytes = try Fixtures.bytes("truncated.h5")
        let image = try #require(openFailure { try HDF5File(image: bytes, name: "half.h5") })
        #expect(image.reason.contains("truncated"))
    }

    @Test("refuses empty and missing files")
    func emptyAndMissing() throws {
        let empty = Fixtures.path("empty.h5")
        #expect(expectHDF5Error { _ = try HDF5File(path: empty) }?.description
            == "\(empty): cannot open as HDF5: the file is empty (0 bytes), not an HDF5 file")
        #expect(expectHDF5Error { _ = try HDF5File(image: [], name: "nothing.h5") }?.description
            == "nothing.h5: cannot open as HDF5: the image is empty (0 bytes), not an HDF5 file")
        let missing = Fixtures.path("does_not_exist.h5")
        #expect(expectHDF5Error { _ = try HDF5File(path: missing) }
            == .openFailed(file: missing, reason: "no such file"))
        #expect(expectHDF5Error { _ = try HDF5File(path: Fixtures.directory.path) }
            == .openFailed(file: Fixtures.directory.path, reason: "is a directory, not a file"))
    }

    @Test("missing paths name the file and the normalized path")
    func missingPaths() throws {
        let file = try Fixtures.datasets()
        let name = Fixtures.path("datasets.h5")
        let deep = expectHDF5Error { _ = try file.readDataset(at: "model_weights/nope/deeper/kernel:0") }
        #expect(deep == .notFound(file: name, path: "/model_weights/nope/deeper/kernel:0"))
        #expect(deep?.description == "\(name): /model_weights/nope/deeper/kernel:0: not found")
        #expect(expectHDF5Error { _ = try file.datasetShape(at: "//types//nope/") }
            == .notFound(file: name, path: "/types/nope"))
        #expect(expectHDF5Error { _ = try file.childNames(ofGroup: "links/dangling") }
            == .notFound(file: name, path: "/links/dangling"))
    }

    @Test("wrong kinds say what was expected and found")
    func wrongKinds() throws {
        let file = try Fixtures.datasets()
        let name = Fixtures.path("datasets.h5")
        let group = expectHDF5Error { _ = try file.readDataset(at: "/model_weights/lstm") }
        #expect(group == .wrongKind(file: name, path: "/model_weights/lstm", expected: "dataset", actual: "group"))
        #expect(group?.description == "\(name): /model_weights/lstm: expected a dataset, found a group")
        let dataset = expectHDF5Error { _ = try file.childNames(ofGroup: "types/int32") }
        #expect(dataset?.description == "\(name): /types/int32: expected a group, found a dataset")
    }

    @Test("refuses unsupported element types", arguments: [
        ("strings", "string"), ("bool", "enum"), ("complex", "compound"), ("float128", "16-byte float"),
        ("bfloat16", "16-bit float type that is not IEEE half"),
    ])
    func unsupportedTypes(dataset: String, typeWords: String) throws {
        let file = try Fixtures.datasets()
        let error = expectHDF5Error { _ = try file.readDataset(at: "types/\(dataset)") }
        guard case .unsupportedType(let errorFile, let path, let type) = error else {
            Issue.record("expected unsupportedType, got \(String(describing: error))")
            return
        }
        #expect(errorFile == Fixtures.path("datasets.h5"))
        #expect(path == "/types/\(dataset)")
        #expect(type.contains(typeWords))
        #expect(error?.description.contains("datasets.h5: /types/\(dataset): unsupported ") == true)
    }

    @Test("enforces the element and size limits before reading")
    func limits() throws {
        let file = try Fixtures.datasets()
        let name = Fixtures.path("datasets.h5")
        let huge = expectHDF5Error { _ = try file.readDataset(at: "types/huge_chunked") }
        #expect(huge == .limitExceeded(file: name, path: "/types/huge_chunked", what: "element count",
                                       value: 1 << 30, limit: HDF5File.maxDatasetElements))
        #expect(huge?.description
            == "\(name): /types/huge_chunked: element count is 1073741824, more than the limit 268435456")
        #expect(try file.datasetShape(at: "types/huge_chunked") == [1 << 20, 1 << 10])

        let contiguous = expectHDF5Error { _ = try file.readDataset(at: "types/contiguous_too_big") }
        #expect(contiguous == .limitExceeded(file: name, path: "/types/contiguous_too_big",
                                             what: "declared data size in bytes", value: 4 << 20,
                                             limit: file.fileSize))

        let unsigned = expectHDF5Error { _ = try file.readDataset(at: "types/uint64_huge") }
        #expect(unsigned == .readFailed(file: name, path: "/types/uint64_huge",
                                        reason: "uint64 value 9223372036854775808 at index 0 does not fit in Int64"))
    }

    @Test("refuses contiguous data that lies past the end of the file")
    func dataPastEndOfFile() throws {
        let path = Fixtures.path("past_eof.h5")
        let file = try HDF5File(path: path)
        let error = expectHDF5Error { _ = try file.readDataset(at: "types/float32_be") }
        switch error {
        case .limitExceeded(path, "/types/float32_be", _, _, file.fileSize),
             .readFailed(path, "/types/float32_be", _):
            break
        default:
            Issue.record("expected limitExceeded or readFailed, got \(String(describing: error))")
        }
        #expect(error?.description.hasPrefix("\(path): /types/float32_be: ") == true)
        // The rest of the file still reads.
        #expect(try file.readDataset(at: "types/int32").shape == [3, 2])
    }
}
