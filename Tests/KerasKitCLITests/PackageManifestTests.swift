import Foundation
import Testing

@Suite("Package structure")
struct PackageManifestTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("swift package describe: KerasKit depends on no HDF5 target, directly or not")
    func coreHasNoHDF5() throws {
        // A scratch directory of its own: no lock shared with the running build, and `describe`
        // reads only the root manifest, so nothing is fetched (well under a second).
        let scratch = try TemporaryDirectory()
        let result = try Keraskit.runProcess(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["swift", "package", "--package-path", Self.packageRoot.path, "--scratch-path", scratch.url.path, "describe", "--type", "json"]
        )
        try #require(result.status == 0, "swift package describe failed: \(result.stderr)")
        // Any line of warnings before the JSON object is skipped.
        let json = try #require(result.stdout.firstIndex(of: "{").map { Data(result.stdout[$0...].utf8) })
        let description = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        let targets = try #require(description["targets"] as? [[String: Any]])
        var dependencies: [String: [String]] = [:]
        var productDependencies: [String: [String]] = [:]
        for target in targets {
            guard let name = target["name"] as? String else { continue }
            dependencies[name] = target["target_dependencies"] as? [String] ?? []
            productDependencies[name] = target["product_dependencies"] as? [String] ?? []
        }
        try #require(dependencies["KerasKit"] != nil, "no KerasKit target in \(dependencies.keys.sorted())")

        var closure: Set<String> = []
        var pending = ["KerasKit"]
        while let name = pending.popLast() {
            for dependency in dependencies[name] ?? [] where closure.insert(dependency).inserted {
                pending.append(dependency)
            }
        }
        let hdf5 = closure.filter { $0.localizedCaseInsensitiveContains("hdf5") }
        #expect(hdf5.isEmpty, "KerasKit depends on \(hdf5.sorted())")
        #expect(closure.subtracting(dependencies.keys).isEmpty)
        #expect((["KerasKit"] + closure).flatMap { productDependencies[$0] ?? [] }.isEmpty, "KerasKit uses products")
        // The importer is where HDF5 belongs.
        #expect(dependencies["KerasKitImport"]?.contains("HDF5Reading") == true)
    }
}
