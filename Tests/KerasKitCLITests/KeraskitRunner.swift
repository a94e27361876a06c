import Foundation
import Testing

/// Runs the built `keraskit` executable, as swift-argument-parser's `AssertExecuteCommand` does.
///
/// The binary is the one SwiftPM built next to the test bundle (`.build/<triple>/debug/keraskit`):
/// this target depends on `KerasKitCLI`, so `swift test` builds the executable before running
/// tests. `KERASKIT_BINARY` overrides the location.
enum Keraskit {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    struct Result {
        var arguments: [String]
        var status: Int32
        /// False when the process ended by a signal (a trap or crash).
        var exited: Bool
        var stdoutData: Data
        var stderr: String
        var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
        /// stderr split into lines, without the final newline.
        var stderrLines: [Substring] {
            stderr.isEmpty ? [] : stderr.dropLast(stderr.hasSuffix("\n") ? 1 : 0).split(separator: "\n", omittingEmptySubsequences: false)
        }
    }

    static let binary: URL? = {
        let fileManager = FileManager.default
        if let path = ProcessInfo.processInfo.environment["KERASKIT_BINARY"] {
            return URL(fileURLWithPath: path)
        }
        var directories: [URL] = []
        // macOS: the .xctest bundle sits in the products directory.
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            directories.append(bundle.bundleURL.deletingLastPathComponent())
        }
        // Linux: the test executable (`KerasKitPackageTests.xctest`) sits in the products directory.
        directories.append(URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent())
        directories.append(Bundle.main.bundleURL)
        directories.append(Bundle.main.bundleURL.deletingLastPathComponent())
        return directories.map { $0.appendingPathComponent("keraskit") }.first { fileManager.isExecutableFile(atPath: $0.path) }
    }()

    /// Runs `keraskit` with `arguments` and waits for it.
    static func run(_ arguments: [String]) throws -> Result {
        guard let binary else {
            throw Failure(description: "no built keraskit next to the test bundle (\(CommandLine.arguments[0])); run `swift build` or set KERASKIT_BINARY")
        }
        return try runProcess(binary, arguments)
    }

    /// Runs any executable, its output captured through files (no pipe can fill up and block).
    static func runProcess(_ executable: URL, _ arguments: [String]) throws -> Result {
        let directory = try TemporaryDirectory()
        let outPath = directory.path("stdout"), errPath = directory.path("stderr")
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Result(
            arguments: arguments,
            status: process.terminationStatus,
            exited: process.terminationReason == .exit,
            stdoutData: try Data(contentsOf: URL(fileURLWithPath: outPath)),
            stderr: String(decoding: try Data(contentsOf: URL(fileURLWithPath: errPath)), as: UTF8.self)
        )
    }
}

/// Expects success: exit status 0, nothing on stderr.
func expectSuccess(_ result: Keraskit.Result, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.exited, "keraskit \(result.arguments) crashed", sourceLocation: sourceLocation)
    #expect(result.status == 0, "keraskit \(result.arguments) exited \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr.isEmpty, "keraskit \(result.arguments) wrote to stderr: \(result.stderr)", sourceLocation: sourceLocation)
}

/// Expects a model, data or I/O error: exit status 1 and exactly one line on stderr naming the
/// file (by its last path component) and containing each of `causes`; no HDF5 console output.
func expectError(
    _ result: Keraskit.Result, naming file: String, _ causes: String..., sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(result.exited, "keraskit \(result.arguments) crashed", sourceLocation: sourceLocation)
    #expect(result.status == 1, "keraskit \(result.arguments) exited \(result.status), not 1: \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderrLines.count == 1, "stderr is not one line: \(result.stderr.debugDescription)", sourceLocation: sourceLocation)
    #expect(result.stderr.hasSuffix("\n"), "stderr doesn't end its line", sourceLocation: sourceLocation)
    let name = URL(fileURLWithPath: file).lastPathComponent
    #expect(result.stderr.contains(name), "stderr doesn't name \(name): \(result.stderr)", sourceLocation: sourceLocation)
    for cause in causes {
        #expect(result.stderr.contains(cause), "stderr doesn't say \(cause.debugDescription): \(result.stderr)", sourceLocation: sourceLocation)
    }
    #expect(!result.stderr.contains("HDF5-DIAG") && !result.stdout.contains("HDF5-DIAG"), "HDF5 console output", sourceLocation: sourceLocation)
}

/// Expects a usage error: exit status 2 and a message on stderr.
func expectUsageError(_ result: Keraskit.Result, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.exited, "keraskit \(result.arguments) crashed", sourceLocation: sourceLocation)
    #expect(result.status == 2, "keraskit \(result.arguments) exited \(result.status), not 2: \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr.contains(message), "stderr doesn't say \(message.debugDescription): \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stdout.isEmpty, "usage error wrote to stdout: \(result.stdout)", sourceLocation: sourceLocation)
}
