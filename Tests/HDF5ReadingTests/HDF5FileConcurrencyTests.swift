import Foundation
import HDF5Reading
import Testing

@Suite("HDF5File concurrency and silence")
struct HDF5FileConcurrencyTests {
    /// One round of reads that each task repeats; returns a summary to compare.
    private static func readRound(shared: HDF5File, sharedAttributes: HDF5File, task: Int) throws -> String {
        let own = task.isMultiple(of: 2)
            ? try HDF5File(path: Fixtures.path("datasets.h5"))
            : try HDF5File(image: try Fixtures.bytes("datasets.h5"), name: "task-\(task).h5")
        var parts: [String] = []
        for file in [shared, own] {
            let kernel = try file.readDataset(at: "model_weights/lstm/lstm/lstm_cell/kernel:0")
            if case .float32(let values) = kernel.storage { parts.append("\(values)") }
            let big = try file.readDataset(at: "types/float32_be")
            if case .float32(let values) = big.storage { parts.append("\(values)") }
            parts.append("\(try file.childNames(ofGroup: "types").count)")
            // Failures too, so that error stacks are walked on many threads at once.
            if case .notFound = expectHDF5Error({ _ = try file.readDataset(at: "types/missing") }) {
                parts.append("missing")
            }
        }
        parts.append("\(try sharedAttributes.attribute("utf8_array", at: "/") ?? .strings([]))")
        parts.append("\(try sharedAttributes.attribute("fixed_nullpad", at: "/") ?? .strings([]))")
        if case .openFailed = expectHDF5Error({ _ = try HDF5File(path: Fixtures.path("not_hdf5.h5")) }) {
            parts.append("not hdf5")
        }
        return parts.joined(separator: "|")
    }

    @Test("8 tasks read the same and different files at once")
    func concurrentReads() async throws {
        let shared = try Fixtures.datasets()
        let sharedAttributes = try Fixtures.attributes()
        let expected = try Self.readRound(shared: shared, sharedAttributes: sharedAttributes, task: 0)
        let results = try await withThrowingTaskGroup(of: [String].self) { group in
            for task in 0..<8 {
                group.addTask {
                    var summaries: [String] = []
                    for _ in 0..<25 {
                        summaries.append(try Self.readRound(shared: shared, sharedAttributes: sharedAttributes,
                                                            task: task))
                    }
                    return summaries
                }
            }
            var all: [String] = []
            for try await summaries in group { all += summaries }
            return all
        }
        #expect(results.count == 8 * 25)
        #expect(results.allSatisfy { $0 == expected })
    }

    @Test("libhdf5 prints nothing to stderr on failures, from any thread")
    func silentOnErrors() async throws {
        let captured = try await captureStandardError {
            await withTaskGroup(of: Void.self) { group in
                for task in 0..<8 {
                    group.addTask {
                        _ = try? HDF5File(path: Fixtures.path("not_hdf5.h5"))
                        _ = try? HDF5File(path: Fixtures.path("truncated.h5"))
                        _ = try? HDF5File(image: Array("junk \(task)".utf8), name: "junk.h5")
                        if let file = try? Fixtures.datasets() {
                            _ = try? file.readDataset(at: "types/missing/deeper")
                            _ = try? file.readDataset(at: "types/strings")
                            _ = try? file.kind(at: "links/external/dense")
                            _ = try? file.attribute("x", at: "links/dangling")
                        }
                    }
                }
            }
        }
        #expect(!captured.contains("HDF5-DIAG"))
        #expect(!captured.contains("#000:"))
    }

    /// Runs `body` with file descriptor 2 redirected to a temporary file; returns what was written.
    private func captureStandardError(_ body: () async throws -> Void) async throws -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("hdf5-stderr-\(UUID().uuidString).txt")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        fflush(nil)
        let saved = dup(2)
        try #require(saved >= 0)
        dup2(handle.fileDescriptor, 2)
        do {
            try await body()
        } catch {
            fflush(nil)
            dup2(saved, 2)
            close(saved)
            throw error
        }
        fflush(nil)
        dup2(saved, 2)
        close(saved)
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }
}
