import Foundation
import Testing
import KerasKit

@Suite("README's feature table matches the code")
struct ReadmeTests {
    static let readme: String = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }()

    /// The class names in the first column of the table between the layer markers.
    static var tableClassNames: Set<String> {
        guard let start = readme.range(of: "<!-- layers:begin -->"), let end = readme.range(of: "<!-- layers:end -->") else { return [] }
        var names = Set<String>()
        for line in readme[start.upperBound..<end.lowerBound].split(separator: "\n") where line.hasPrefix("| `") {
            let firstColumn = line.split(separator: "|").first ?? ""
            for part in firstColumn.split(separator: "`").enumerated() where part.offset % 2 == 1 {
                names.insert(String(part.element))
            }
        }
        return names
    }

    @Test("every supported layer class is in the table, and the table lists nothing else")
    func layerTable() {
        #expect(!Self.readme.isEmpty)
        #expect(Self.tableClassNames == Set(LayerConfig.supportedClassNames))
    }

    @Test("every row of the table says the layer computes in float64 (every layer has a Double implementation)")
    func float64Column() {
        guard let start = Self.readme.range(of: "<!-- layers:begin -->"), let end = Self.readme.range(of: "<!-- layers:end -->") else {
            Issue.record("no layer table")
            return
        }
        let rows = Self.readme[start.upperBound..<end.lowerBound].split(separator: "\n").filter { $0.hasPrefix("| `") }
        #expect(!rows.isEmpty)
        for row in rows {
            #expect(row.split(separator: "|").last?.trimmingCharacters(in: .whitespaces) == "✓", "\(row)")
        }
    }

    @Test("every activation is listed")
    func activations() {
        for activation in Activation.allCases {
            #expect(Self.readme.contains("`\(activation.rawValue)`"), "\(activation.rawValue)")
        }
    }
}
