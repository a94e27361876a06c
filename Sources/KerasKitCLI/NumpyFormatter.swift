import Foundation
import KerasKit

/// Prints arrays the way NumPy's `repr` of a float32 array reads (precision 8, aligned columns).
enum NumpyFormatter {
    static func format(_ tensor: Tensor) -> String {
        let texts = elementTexts(tensor.scalars)
        let width = texts.map(\.count).max() ?? 0
        let padded = texts.map { String(repeating: " ", count: width - $0.count) + $0 }
        guard !tensor.shape.isEmpty else { return padded.first ?? "" }
        var index = 0
        return render(shape: tensor.shape[...], depth: 0, elements: padded, index: &index)
    }

    private static func render(shape: ArraySlice<Int>, depth: Int, elements: [String], index: inout Int) -> String {
        guard let size = shape.first else { return "" }
        if shape.count == 1 {
            let row = elements[index..<(index + size)]
            index += size
            // Wrap long rows at 75 columns, as NumPy does.
            var lines: [String] = []
            var line = ""
            for item in row {
                let candidate = line.isEmpty ? item : line + " " + item
                if candidate.count + depth + 2 > 75, !line.isEmpty {
                    lines.append(line)
                    line = item
                } else {
                    line = candidate
                }
            }
            lines.append(line)
            return "[" + lines.joined(separator: "\n" + String(repeating: " ", count: depth + 1)) + "]"
        }
        let separator = "\n" + String(repeating: "\n", count: shape.count - 2) + String(repeating: " ", count: depth + 1)
        let parts = (0..<size).map { _ in render(shape: shape.dropFirst(), depth: depth + 1, elements: elements, index: &index) }
        return "[" + parts.joined(separator: separator) + "]"
    }

    private static func elementTexts(_ values: [Float]) -> [String] {
        let finite = values.filter(\.isFinite).map { abs(Double($0)) }
        let maximum = finite.max() ?? 0
        let minimum = finite.filter { $0 > 0 }.min() ?? 0
        let scientific = maximum >= 1e16 || (minimum > 0 && (minimum < 1e-4 || maximum / minimum > 1e3))
        if scientific {
            return values.map { $0.isFinite ? String(format: "%.8e", Double($0)) : special($0) }
        }
        let texts = values.map { $0.isFinite ? String(format: "%.8f", Double($0)) : special($0) }
        // Drop the fraction digits that are zero in every element ("1." stays, as NumPy prints it).
        let trailingZeros = texts.filter { $0.contains(".") }.map { text in text.reversed().prefix { $0 == "0" }.count }
        let drop = trailingZeros.min() ?? 0
        return texts.map { $0.contains(".") ? String($0.dropLast(drop)) : $0 }
    }

    private static func special(_ value: Float) -> String {
        value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf")
    }
}
