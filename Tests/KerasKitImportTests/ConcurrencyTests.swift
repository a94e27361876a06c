import Dispatch
import Foundation
import KerasKit
import KerasKitImport
import KerasKitTestSupport
import Testing

/// Collects results from concurrent workers.
private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int: [[Float]]] = [:]
    private var failures: [String] = []

    func record(_ job: Int, _ outputs: [[Float]]) {
        lock.lock()
        defer { lock.unlock() }
        values[job] = outputs
    }

    func fail(_ message: String) {
        lock.lock()
        defer { lock.unlock() }
        failures.append(message)
    }

    var snapshot: (values: [Int: [[Float]]], failures: [String]) {
        lock.lock()
        defer { lock.unlock() }
        return (values, failures)
    }
}

/// Loading and predicting from many threads at once gives exactly the single-threaded results.
/// Run under the thread sanitizer with
/// `swift test --scratch-path .build-tsan --sanitize=thread --filter ConcurrencyTests`.
@Suite("Loading and predicting from many threads at once")
struct ConcurrencyTests {
    /// Stateless fixtures of varied shapes (stateful models carry states between calls by design).
    static let names = ["lstm_seq", "stacked", "dense_3d", "lstm_state_last", "int_input", "gru_seq", "embedding_mask_lstm", "bidi_lstm_concat_seq"]

    struct JobsError: Error, CustomStringConvertible {
        var description: String
    }

    struct Job: Sendable {
        var label: String
        var format: String
        var bytes: [UInt8]
        var inputs: [Tensor]
    }

    static func jobs() throws -> [Job] {
        var jobs: [Job] = []
        var fixtures: [Fixtures.Fixture] = []
        for name in names {
            let found = Fixtures.all.filter { $0.name == name && $0.model.hasSuffix(".h5") && $0.calls.count == 1 }
            // Both writers' .h5 of every named fixture: a missing name is a failure, not a smaller test.
            guard Set(found.map(\.writer)) == ["keras2", "keras3"] else { throw JobsError(description: "fixture '\(name)' lacks a one-call .h5 from both writers") }
            fixtures += found
        }
        for fixture in fixtures {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Fixtures.path(fixture.model))))
            let inputs = try fixture.calls[0].inputs.map { try Fixtures.array($0).tensor }
            jobs.append(Job(label: fixture.model, format: "path", bytes: bytes, inputs: inputs))
            jobs.append(Job(label: fixture.model, format: "h5", bytes: bytes, inputs: inputs))
            let native = try KerasModel.load(h5Bytes: bytes, name: fixture.model).nativeFileData()
            jobs.append(Job(label: fixture.model + ".safetensors", format: "native", bytes: [UInt8](native), inputs: inputs))
            let archive = (fixture.model as NSString).deletingLastPathComponent + "/model.keras"
            if FileManager.default.fileExists(atPath: Fixtures.path(archive)) {
                let archiveBytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Fixtures.path(archive))))
                jobs.append(Job(label: archive, format: "keras", bytes: archiveBytes, inputs: inputs))
            }
        }
        return jobs
    }

    static func run(_ job: Job) throws -> [[Float]] {
        let model: KerasModel
        switch job.format {
        case "path": model = try KerasModel.load(contentsOf: Fixtures.path(job.label))
        case "h5": model = try KerasModel.load(h5Bytes: job.bytes, name: job.label)
        case "keras": model = try KerasModel.load(kerasArchiveData: Data(job.bytes), name: job.label)
        default: model = try KerasModel.load(nativeData: Data(job.bytes), name: job.label)
        }
        return try model.predict(job.inputs).map(\.scalars)
    }

    @Test("8 threads load the same and different files in every format and predict, matching one thread")
    func concurrentLoadAndPredict() throws {
        let jobs = try Self.jobs()
        // Per fixture: from a path, from bytes, as a native file, and as its .keras archive.
        #expect(jobs.count == 4 * 2 * Self.names.count)
        let expected = try jobs.map(Self.run)
        let results = Results()
        // Every job three times, interleaved across 8 threads.
        let rounds = 3
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            var index = thread
            while index < jobs.count * rounds {
                let job = index % jobs.count
                do {
                    let outputs = try Self.run(jobs[job])
                    if outputs != expected[job] { results.fail("\(jobs[job].label) (\(jobs[job].format)) differs on thread \(thread)") }
                    results.record(job, outputs)
                } catch {
                    results.fail("\(jobs[job].label) (\(jobs[job].format)): \(error)")
                }
                index += 8
            }
        }
        let (values, failures) = results.snapshot
        #expect(failures.isEmpty, "\(failures)")
        #expect(values.count == jobs.count)
    }

    @Test("one shared model predicts from 8 threads, with a streaming session per thread")
    func sharedModel() throws {
        let fixture = try #require(Fixtures.all.first { $0.name == "stacked" && $0.writer == "keras3" })
        let model = try KerasModel.load(h5File: Fixtures.path(fixture.model))
        let input = try Fixtures.array(fixture.calls[0].inputs[0]).tensor
        let expected = try model.predict(input).map(\.scalars)
        let streamed = try StreamingSession(model: model).feedStepByStep([input]).map(\.scalars)
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            do {
                // Sessions are per caller: each thread has its own on the shared model.
                let session = try StreamingSession(model: model)
                for _ in 0..<4 {
                    if try model.predict(input).map(\.scalars) != expected { results.fail("predict differs on thread \(thread)") }
                    if try session.feedStepByStep([input]).map(\.scalars) != streamed { results.fail("stream differs on thread \(thread)") }
                    session.reset()
                }
            } catch {
                results.fail("thread \(thread): \(error)")
            }
        }
        #expect(results.snapshot.failures.isEmpty, "\(results.snapshot.failures)")
    }
}
