import Foundation
import Testing
@testable import KerasKit
import KerasKitTestSupport

@Suite("README's feature table matches the code")
struct ReadmeTests {
    static let readme: String = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }()

    /// The class names in the first column of the table between the layer markers.
    static var tableClassNames: Set<String> { Set(tableRows.flatMap(\.classes)) }

    @Test("every supported layer class is in the table, and the table lists nothing else")
    func layerTable() {
        #expect(!Self.readme.isEmpty)
        #expect(Self.tableClassNames == Set(LayerConfig.supportedClassNames))
    }

    @Test("the README's list of arithmetic operation nodes is the registry's")
    func operationList() throws {
        let start = try #require(Self.readme.range(of: "<!-- operations -->"))
        let end = try #require(Self.readme.range(of: "<!-- /operations -->"))
        let listed = Self.readme[start.upperBound..<end.lowerBound].split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
        #expect(listed == LayerRegistry.operationClassNames)
    }

    /// The rows of the layer table: the class names of the first column, and the last column.
    static var tableRows: [(classes: [String], float64: String)] {
        guard let start = readme.range(of: "<!-- layers:begin -->"), let end = readme.range(of: "<!-- layers:end -->") else { return [] }
        return readme[start.upperBound..<end.lowerBound].split(separator: "\n").filter { $0.hasPrefix("| `") }.map { line in
            let columns = line.split(separator: "|", omittingEmptySubsequences: false)
            let classes = (columns.dropFirst().first ?? "").split(separator: "`").enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
            return (classes, columns.dropLast().last?.trimmingCharacters(in: .whitespaces) ?? "")
        }
    }

    /// The Keras 3 operations (`isOperation`: not in `model.layers`, so the manifest never lists
    /// them) in one Functional graph, with an input and the outputs Keras computes for it: 0/1
    /// values, exact in any precision.
    static let operationGraph = (
        json: """
        {"class_name": "Functional", "config": {"name": "ops", "layers": [
         {"class_name": "InputLayer", "config": {"batch_shape": [null, null, 3], "name": "x"}, "name": "x", "inbound_nodes": []},
         {"module": "keras.src.ops.numpy", "class_name": "NotEqual", "config": {"name": "ne"}, "name": "ne",
          "inbound_nodes": [{"args": [\(tensor("x")), 0.5], "kwargs": {}}]},
         {"module": "keras.src.ops.numpy", "class_name": "Any", "config": {"name": "any", "axis": -1, "keepdims": false}, "name": "any",
          "inbound_nodes": [{"args": [\(tensor("ne"))], "kwargs": {}}]},
         {"module": "keras.src.ops.numpy", "class_name": "ExpandDims", "config": {"name": "ed", "axis": -1}, "name": "ed",
          "inbound_nodes": [{"args": [\(tensor("any"))], "kwargs": {}}]},
         {"module": "keras.src.ops.numpy", "class_name": "ZerosLike", "config": {"name": "zeros", "dtype": "bool"}, "name": "zeros",
          "inbound_nodes": [{"args": [\(tensor("x"))], "kwargs": {}}]},
         {"module": "keras.src.ops.numpy", "class_name": "OnesLike", "config": {"name": "ones", "dtype": "bool"}, "name": "ones",
          "inbound_nodes": [{"args": [\(tensor("x"))], "kwargs": {}}]},
         {"module": "keras.src.ops.numpy", "class_name": "LogicalOr", "config": {"name": "or"}, "name": "or",
          "inbound_nodes": [{"args": [\(tensor("ed")), \(tensor("zeros"))], "kwargs": {}}]},
         {"module": "keras.src.ops.numpy", "class_name": "LogicalAnd", "config": {"name": "and"}, "name": "and",
          "inbound_nodes": [{"args": [\(tensor("ed")), \(tensor("ones"))], "kwargs": {}}]},
         {"module": "keras.src.ops.core", "class_name": "ConvertToTensor", "config": {"name": "ct", "dtype": null, "sparse": null, "ragged": null},
          "name": "ct", "inbound_nodes": [{"args": [\(tensor("any"))], "kwargs": {}}]}
        ], "input_layers": ["x", 0, 0], "output_layers": [["ne", 0, 0], ["any", 0, 0], ["or", 0, 0], ["and", 0, 0], ["ct", 0, 0]]}}
        """,
        input: [0.5, 0.5, 0.5, 0.5, 2, 0.5, 1, 2, 3] as [Double],  // shape [1, 3, 3]
        // not_equal(x, 0.5); any over the last axis; any broadcast OR zeros; any broadcast AND ones;
        // any converted to a tensor (unchanged).
        outputs: [[0, 0, 0, 0, 1, 0, 1, 1, 1], [0, 1, 1], [0, 0, 0, 1, 1, 1, 1, 1, 1], [0, 0, 0, 1, 1, 1, 1, 1, 1], [0, 1, 1]] as [[Double]]
    )

    private static func tensor(_ layer: String) -> String {
        #"{"class_name": "__keras_tensor__", "config": {"keras_history": ["\#(layer)", 0, 0]}}"#
    }

    /// What the float64 column can honestly be checked against.
    ///
    /// No property in the code says "this class has a `Double` path": every layer is generic over
    /// `ComputeScalar` and `LayerRegistry.entries` builds each one for `Float` and for `Double`,
    /// so a class can't lack the path at compile time. What can break is the `Double`
    /// computation, and only running it against values computed elsewhere shows it works.
    /// `Float64Tests` (KerasKitImportTests) is that run for every fixture in the manifest: the
    /// float64 models against Keras's float64 outputs to 1e-9, every float32 model rebuilt in
    /// `Double` against Keras to 1e-5. A layer whose `Double` path breaks fails there.
    ///
    /// This test makes the ✓ claim nothing those runs miss: every class of a ✓ row must be in
    /// the model of some fixture, as the manifest lists it (each layer's class, and the classes
    /// in its `config` where the manifest has configs: the layers wrappers and nested models
    /// hold, and the Keras 3 operations of its config, which `model.layers` leaves out). The
    /// mask operations are in no fixture, so this test runs them itself, in `Double`, in
    /// ``operationGraph``: every registered operation must be there or in a fixture. A class added with a ✓ and no fixture fails here; a row without a
    /// ✓ fails too, since the README says every layer computes in `Double`.
    @Test("every row of the table says ✓ for float64, and each class of it is computed in Double by a fixture or by the operation graph")
    func float64Column() throws {
        let rows = Self.tableRows
        try #require(!rows.isEmpty, "no layer table")
        #expect(Fixtures.manifestError == nil, "\(Fixtures.manifestError ?? "")")
        try #require(!Fixtures.all.isEmpty, "no fixtures in \(Fixtures.root.path)")

        // The operation graph in Double gives Keras's values, and holds every registered operation.
        let config = try ModelConfig(json: Data(Self.operationGraph.json.utf8))
        let model = try KerasModel(config: config, weights: [:], generation: .keras3, kerasVersion: "3.15.1", precision: .float64)
        #expect(model.computePrecision == .float64)
        let outputs = try model.predict(TensorOf<Double>(shape: [1, 3, 3], scalars: Self.operationGraph.input))
        #expect(outputs.map(\.scalars) == Self.operationGraph.outputs)
        let operations = Set(config.layers.filter(\.isOperation).map(\.className))
        // The manifest names Python classes; an alias (`GroupedQueryAttention`) counts for its class.
        let written = Fixtures.all.reduce(into: Set<String>()) { $0.formUnion($1.classNames) }
        let inFixtures = written.union(written.compactMap { LayerRegistry.configurationType(named: $0)?.className })
        // An operation a fixture holds (the manifest lists a model's operations) runs in Double there.
        let uncovered = Set(LayerRegistry.types.filter { $0.isOperation }.map { $0.className }).subtracting(operations).subtracting(inFixtures)
        #expect(uncovered.isEmpty, "the operation graph or a fixture must hold every registered operation: \(uncovered.sorted())")

        for row in rows {
            #expect(row.float64 == "✓", "\(row.classes): float64 column says \(row.float64.debugDescription)")
            guard row.float64 == "✓" else { continue }
            for className in row.classes where !inFixtures.contains(className) && !operations.contains(className) {
                Issue.record("README says \(className) computes in float64, but no fixture's model holds it: no float64 run covers it")
            }
        }
    }

    @Test("every activation is listed")
    func activations() {
        for activation in Activation.allCases {
            #expect(Self.readme.contains("`\(activation.rawValue)`"), "\(activation.rawValue)")
        }
    }
}
