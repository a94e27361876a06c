import HDF5Reading
import Testing

@Suite("HDF5File attributes")
struct HDF5FileAttributeTests {
    @Test("reads variable-length UTF-8 and ASCII strings")
    func variableLengthStrings() throws {
        let file = try Fixtures.attributes()
        #expect(try file.attribute("utf8_scalar", at: "/") == .strings(["h\u{e9}llo w\u{f6}rld"]))
        #expect(try file.attribute("ascii_vlen", at: "/") == .strings(["plain ascii"]))
        #expect(try file.attribute("utf8_array", at: "/")
            == .strings(["layer_1", "dense/kernel:0", "\u{fc}n\u{ef}"]))
    }

    @Test("reads fixed-length strings, stripping padding per pad mode")
    func fixedLengthStrings() throws {
        let file = try Fixtures.attributes()
        #expect(try file.attribute("fixed_nullpad", at: "/") == .strings(["a", "bcd"]))
        #expect(try file.attribute("fixed_scalar", at: "/") == .strings(["tensorflow"]))
        #expect(try file.attribute("fixed_nullterm", at: "/") == .strings(["ab", "cdefg"]))
        #expect(try file.attribute("fixed_spacepad", at: "/") == .strings(["ab", "cde"]))
    }

    @Test("reads numbers, and an empty float64 array as .floats([])")
    func numbers() throws {
        let file = try Fixtures.attributes()
        #expect(try file.attribute("empty_floats", at: "/") == .floats([]))
        #expect(try file.attribute("int_scalar", at: "/") == .integers([42]))
        #expect(try file.attribute("int32_array", at: "/") == .integers([1, -2, 3]))
        #expect(try file.attribute("uint8_array", at: "/") == .integers([0, 200, 255]))
        #expect(try file.attribute("float_scalar", at: "/") == .floats([1.5]))
        #expect(try file.attribute("float32_array", at: "/") == .floats([0.25, -1.0]))
        #expect(try file.attribute("float16_scalar", at: "/") == .floats([0.5]))
    }

    @Test("lists attribute names in name order, on groups and datasets")
    func names() throws {
        let file = try Fixtures.attributes()
        #expect(try file.attributeNames(at: "/") == [
            "ascii_vlen", "complex", "empty_floats", "fixed_nullpad", "fixed_nullterm", "fixed_scalar",
            "fixed_spacepad", "float16_scalar", "float32_array", "float_scalar", "int32_array", "int_scalar",
            "invalid_utf8", "uint64_huge", "uint8_array", "utf8_array", "utf8_scalar",
        ])
        #expect(try file.attributeNames(at: "model_weights/dense") == ["weight_names"])
        #expect(try file.attribute("weight_names", at: "/model_weights/dense/")
            == .strings(["dense/kernel:0", "dense/bias:0"]))
        #expect(try file.attribute("note", at: "/model_weights/dense/kernel:0") == .strings(["on a dataset"]))
        #expect(try file.attributeNames(at: "/model_weights") == [])
    }

    @Test("a missing attribute is nil, a missing object is an error")
    func missing() throws {
        let file = try Fixtures.attributes()
        #expect(try file.attribute("no_such_attribute", at: "/") == nil)
        #expect(try file.attribute("nul\u{0}inside", at: "/") == nil)
        let error = expectHDF5Error { _ = try file.attribute("note", at: "/model_weights/nope") }
        #expect(error == .notFound(file: Fixtures.path("attributes.h5"), path: "/model_weights/nope"))
        #expect(error?.description == "\(Fixtures.path("attributes.h5")): /model_weights/nope: not found")
        let namesError = expectHDF5Error { _ = try file.attributeNames(at: "missing/deeper") }
        #expect(namesError == .notFound(file: Fixtures.path("attributes.h5"), path: "/missing/deeper"))
    }

    @Test("refuses invalid UTF-8, unsigned values above Int64.max and compound types")
    func refusals() throws {
        let file = try Fixtures.attributes()
        let name = Fixtures.path("attributes.h5")

        let utf8 = expectHDF5Error { _ = try file.attribute("invalid_utf8", at: "/") }
        #expect(utf8 == .readFailed(file: name, path: "/@invalid_utf8", reason: "string 0 is not valid UTF-8"))
        #expect(utf8?.description == "\(name): /@invalid_utf8: read failed: string 0 is not valid UTF-8")

        let huge = expectHDF5Error { _ = try file.attribute("uint64_huge", at: "/") }
        #expect(huge?.description.contains("\(name): /@uint64_huge: read failed: unsigned value 18446744073709551615") == true)

        let complex = expectHDF5Error { _ = try file.attribute("complex", at: "/") }
        guard case .unsupportedType(name, "/@complex", let type) = complex else {
            Issue.record("expected unsupportedType, got \(String(describing: complex))")
            return
        }
        #expect(type.contains("compound"))
        #expect(complex?.description.hasPrefix("\(name): /@complex: unsupported compound") == true)
    }
}
