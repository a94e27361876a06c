import Foundation
import KerasKit

/// Prints arrays the way NumPy's `print(array)` prints a float32 (or float64) array with default print options
/// (NumPy ≥ 1.14: precision 8, floatmode `maxprec`, line width 75, arrays of more than 1000
/// elements summarized with `...` and 3 edge items). Follows `numpy/_core/arrayprint.py`:
/// `FloatingFormat.fillFormat` picks the notation and paddings, `_formatArray` the layout.
enum NumpyFormatter {
    static let precision = 8
    static let lineWidth = 75
    static let threshold = 1000
    static let edgeItems = 3

    static func format<Scalar: KerasScalar>(_ tensor: TensorOf<Scalar>) -> String {
        guard !tensor.shape.isEmpty else { return tensor.scalars.first.map { "\($0)" } ?? "" }
        guard !tensor.scalars.isEmpty else { return "[]" }
        let layout = Layout(shape: tensor.shape, summarize: tensor.scalars.count > threshold)
        let element = ElementFormat(values: layout.shownOffsets().map { tensor.scalars[$0] })
        return layout.render(offset: 0, axis: 0, hangingIndent: " ", width: lineWidth) { element.format(tensor.scalars[$0]) }
    }

    /// Which elements are shown and how rows wrap (`_formatArray`).
    struct Layout {
        let shape: [Int]
        let strides: [Int]
        let summarize: Bool

        init(shape: [Int], summarize: Bool) {
            self.shape = shape
            self.summarize = summarize
            var strides = [Int](repeating: 1, count: shape.count)
            for axis in shape.indices.dropLast().reversed() { strides[axis] = strides[axis + 1] * shape[axis + 1] }
            self.strides = strides
        }

        /// The indices shown along `axis`: all, or the first and last `edgeItems` when summarized.
        func shownIndices(axis: Int) -> (leading: [Int], trailing: [Int], summary: Bool) {
            let length = shape[axis]
            guard summarize, 2 * edgeItems < length else { return ([], Array(0..<length), false) }
            return (Array(0..<edgeItems), Array((length - edgeItems)..<length), true)
        }

        /// Flat offsets of the shown elements (NumPy formats only these: `_leading_trailing`).
        func shownOffsets(offset: Int = 0, axis: Int = 0) -> [Int] {
            guard axis < shape.count else { return [offset] }
            let shown = shownIndices(axis: axis)
            return (shown.leading + shown.trailing).flatMap { shownOffsets(offset: offset + $0 * strides[axis], axis: axis + 1) }
        }

        func render(offset: Int, axis: Int, hangingIndent: String, width: Int, element: (Int) -> String) -> String {
            guard axis < shape.count else { return element(offset) }
            let axesLeft = shape.count - axis
            let shown = shownIndices(axis: axis)
            let nested = { (index: Int) in
                render(offset: offset + index * strides[axis], axis: axis + 1, hangingIndent: hangingIndent + " ", width: width - 1, element: element)
            }
            var text = ""
            if axesLeft == 1 {
                // Wrap elements that would not fit, leaving room for the closing bracket.
                let elementWidth = width - 1
                var line = hangingIndent
                func extend(_ word: String) {
                    if line.count + word.count > elementWidth, line.count > hangingIndent.count {
                        text += line.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) + "\n"
                        line = hangingIndent
                    }
                    line += word
                }
                var words = shown.leading.map(nested)
                if shown.summary { words.append("...") }
                words += shown.trailing.map(nested)
                for (index, word) in words.enumerated() {
                    extend(word)
                    if index < words.count - 1 { line += " " }
                }
                text += line
            } else {
                let separator = String(repeating: "\n", count: axesLeft - 1)
                var parts = shown.leading.map(nested)
                if shown.summary { parts.append("...") }
                parts += shown.trailing.map(nested)
                text = parts.map { hangingIndent + $0 }.joined(separator: separator)
            }
            return "[" + text.dropFirst(hangingIndent.count) + "]"
        }
    }

    /// How every element is written: notation, digits and padding (`FloatingFormat`).
    struct ElementFormat<Scalar: KerasScalar> {
        var scientific = false
        var padLeft = 0
        var padRight = 0
        /// Scientific notation: fraction digits of every element and exponent digits.
        var fractionDigits = 0
        var exponentDigits = 2

        init(values: [Scalar]) {
            let finite = values.filter(\.isFinite)
            let nonZero = finite.filter { $0 != 0 }.map(abs)
            if let maximum = nonZero.max(), let minimum = nonZero.min() {
                scientific = maximum >= 1e8 || minimum < 0.0001 || maximum / minimum > 1000
            }
            if !finite.isEmpty {
                if scientific {
                    fractionDigits = finite.map { min(Digits($0).shortestScientificFractionDigits, precision) }.max() ?? 0
                    let parts = finite.map { scientificParts($0) }
                    exponentDigits = parts.map { $0.exponent.count - 1 }.max() ?? 2
                    padLeft = parts.map(\.integer.count).max() ?? 0
                    padRight = exponentDigits + 2 + fractionDigits
                } else {
                    let parts = finite.map { Self.positional($0) }
                    padLeft = parts.map(\.integer.count).max() ?? 0
                    padRight = parts.map(\.fraction.count).max() ?? 0
                }
            }
            if finite.count != values.count {
                let negativeInfinity = values.contains { $0.isInfinite && $0 < 0 }
                padLeft = max(padLeft, 3 - (padRight + 1), 3 + (negativeInfinity ? 1 : 0) - (padRight + 1))
            }
        }

        func format(_ value: Scalar) -> String {
            let text: String
            guard value.isFinite else {
                text = value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf")
                return String(repeating: " ", count: max(0, padLeft + padRight + 1 - text.count)) + text
            }
            if scientific {
                let parts = scientificParts(value)
                let exponent = parts.exponent.prefix(1) + String(repeating: "0", count: max(0, exponentDigits - parts.exponent.count + 1)) + parts.exponent.dropFirst()
                return leftPadded(parts.integer) + "." + parts.fraction + "e" + exponent
            }
            let parts = Self.positional(value)
            return leftPadded(parts.integer) + "." + parts.fraction + String(repeating: " ", count: padRight - parts.fraction.count)
        }

        private func leftPadded(_ text: String) -> String {
            String(repeating: " ", count: max(0, padLeft - text.count)) + text
        }

        /// `d.ddde±XX` with exactly `fractionDigits` fraction digits, rounded from the exact value.
        private func scientificParts(_ value: Scalar) -> (integer: String, fraction: String, exponent: String) {
            let text = String(format: "%.\(fractionDigits)e", Double(value))
            let mantissa = text.prefix { $0 != "e" }
            let exponent = String(text.drop { $0 != "e" }.dropFirst())
            let integer = String(mantissa.prefix { $0 != "." })
            let fraction = String(mantissa.drop { $0 != "." }.dropFirst())
            return (integer, fraction, exponent)
        }

        /// The shortest digits that identify the value, at most `precision` after the point,
        /// trailing zeros removed (NumPy's `dragon4_positional(unique=True, trim='.')`).
        static func positional(_ value: Scalar) -> (integer: String, fraction: String) {
            let digits = Digits(value)
            let text = digits.shortestPositionalFractionDigits <= precision
                ? digits.positionalText
                : String(format: "%.\(precision)f", Double(value))
            var integer = String(text.prefix { $0 != "." })
            var fraction = String(text.drop { $0 != "." }.dropFirst())
            while fraction.hasSuffix("0") { fraction.removeLast() }
            if integer == "-0" && value.sign == .plus { integer = "0" }
            return (integer, fraction)
        }
    }

    /// The shortest decimal digits that round-trip the value in its own type (Swift's `description`), split into
    /// significant digits and a decimal exponent: value = 0.`digits` × 10^`exponent` (sign aside).
    struct Digits {
        var negative: Bool
        var digits: [Character]
        var exponent: Int

        init<Scalar: KerasScalar>(_ value: Scalar) {
            negative = value.sign == .minus
            let text = abs(value).description
            let mantissa = text.prefix { $0 != "e" && $0 != "E" }
            let power = Int(text.drop { $0 != "e" && $0 != "E" }.dropFirst()) ?? 0
            let integer = mantissa.prefix { $0 != "." }
            let fraction = mantissa.drop { $0 != "." }.dropFirst()
            var all = Array(integer + fraction)
            var point = integer.count + power
            while all.first == "0" { all.removeFirst(); point -= 1 }
            while all.last == "0" { all.removeLast() }
            digits = all
            exponent = all.isEmpty ? 1 : point
        }

        var shortestPositionalFractionDigits: Int { max(0, digits.count - exponent) }
        var shortestScientificFractionDigits: Int { max(0, digits.count - 1) }

        var positionalText: String {
            let sign = negative ? "-" : ""
            if digits.isEmpty { return sign + "0." }
            if exponent <= 0 {
                return sign + "0." + String(repeating: "0", count: -exponent) + String(digits)
            }
            let integer = String(digits.prefix(exponent)) + String(repeating: "0", count: max(0, exponent - digits.count))
            return sign + integer + "." + String(digits.dropFirst(exponent))
        }
    }
}
