// Einstein summation as `EinsumDense` and the `Einsum` operation use it: an equation parsed
// once against its operands' ranks, then run as one permutation of each operand, one batched
// matrix product and one permutation of the result — the way TensorFlow's einsum lowers to
// `BatchMatMul`, so the sums run over the same axes in the same order.

/// An einsum equation with one or two operands, resolved against the operands' ranks: one
/// label per axis (ellipses expanded to labels of their own), and the output's labels.
struct EinsumEquation: Sendable, Equatable, CustomStringConvertible {
    /// Each operand's axes' labels.
    let operands: [[Int]]
    /// The output's axes' labels.
    let output: [Int]
    /// The equation as written.
    let text: String

    var description: String { text }

    /// Labels for the axes an ellipsis stands for start here, right-aligned as NumPy aligns them.
    private static let ellipsisLabel = 1_000

    /// Parses `text` (`"abc,cd->abd"`, `"...ij,jk->...ik"`, or implicit `"ij,jk"`) for operands
    /// of `ranks`.
    /// - Throws: A one-line reason when the equation doesn't parse or doesn't fit the ranks.
    init(_ text: String, ranks: [Int]) throws(EinsumError) {
        self.text = text
        let compact = text.filter { !$0.isWhitespace }
        let sides = compact.components(separatedBy: "->")
        guard sides.count <= 2 else { throw EinsumError("'\(text)' has more than one '->'") }
        let inputs = sides[0].components(separatedBy: ",")
        guard inputs.count == ranks.count else {
            throw EinsumError("'\(text)' names \(inputs.count) operand(s), the call has \(ranks.count)")
        }
        guard (1...2).contains(inputs.count) else {
            throw EinsumError("'\(text)' has \(inputs.count) operands; KerasKit runs einsum on one or two")
        }
        var parsed: [(labels: [Int], ellipsis: Int?)] = []
        for term in inputs { parsed.append(try Self.parseTerm(term, equation: text)) }
        // Each operand's ellipsis covers the axes its letters leave; the longest sets the count.
        var ellipsisRank = 0
        var operands: [[Int]] = []
        var spans: [Int] = []
        for ((labels, ellipsis), rank) in zip(parsed, ranks) {
            if ellipsis == nil {
                guard labels.count == rank else {
                    throw EinsumError("'\(text)': operand '\(Self.letters(labels))' has \(labels.count) axes, the tensor has \(rank)")
                }
            } else {
                guard labels.count <= rank else {
                    throw EinsumError("'\(text)': operand has \(labels.count) lettered axes, the tensor has only \(rank)")
                }
            }
            spans.append(ellipsis == nil ? 0 : rank - labels.count)
            ellipsisRank = max(ellipsisRank, spans.last ?? 0)
        }
        for ((labels, ellipsis), span) in zip(parsed, spans) {
            guard let position = ellipsis else {
                operands.append(labels)
                continue
            }
            let filled = (0..<span).map { Self.ellipsisLabel + ellipsisRank - span + $0 }
            operands.append(Array(labels[..<position]) + filled + Array(labels[position...]))
        }
        for operand in operands where Set(operand).count != operand.count {
            throw EinsumError("'\(text)' repeats a label within one operand (a diagonal); KerasKit does not implement it")
        }
        let ellipsisLabels = (0..<ellipsisRank).map { Self.ellipsisLabel + $0 }
        var output: [Int]
        if sides.count == 2 {
            let (labels, ellipsis) = try Self.parseTerm(sides[1], equation: text)
            if let position = ellipsis {
                output = Array(labels[..<position]) + ellipsisLabels + Array(labels[position...])
            } else {
                guard ellipsisRank == 0 else {
                    throw EinsumError("'\(text)': the operands have '...' and the output doesn't")
                }
                output = labels
            }
            guard Set(output).count == output.count else { throw EinsumError("'\(text)' repeats a label in the output") }
            let known = Set(operands.joined())
            for label in output where !known.contains(label) {
                throw EinsumError("'\(text)': output label '\(Self.letters([label]))' is in no operand")
            }
        } else {
            // Implicit output: the ellipsis, then the letters that appear once, alphabetically.
            var counts: [Int: Int] = [:]
            for label in operands.joined() where label < Self.ellipsisLabel { counts[label, default: 0] += 1 }
            output = ellipsisLabels + counts.filter { $0.value == 1 }.keys.sorted()
        }
        guard output.count <= KerasLimits.maxRank else { throw EinsumError("'\(text)' gives an output of rank \(output.count)") }
        self.operands = operands
        self.output = output
    }

    private static func parseTerm(_ term: String, equation: String) throws(EinsumError) -> (labels: [Int], ellipsis: Int?) {
        var labels: [Int] = []
        var ellipsis: Int?
        var characters = Array(term.unicodeScalars)[...]
        while let first = characters.first {
            if first == "." {
                guard characters.starts(with: [".", ".", "."]), ellipsis == nil else {
                    throw EinsumError("'\(equation)': '.' is allowed only as one '...' per operand")
                }
                ellipsis = labels.count
                characters = characters.dropFirst(3)
                continue
            }
            guard first.isASCII, first.properties.isAlphabetic else {
                throw EinsumError("'\(equation)': '\(first)' is not a letter")
            }
            labels.append(Int(first.value))
            characters = characters.dropFirst()
        }
        return (labels, ellipsis)
    }

    /// Labels as the letters they came from (`…` for an ellipsis axis).
    static func letters(_ labels: [Int]) -> String {
        String(labels.map { $0 < ellipsisLabel ? Character(UnicodeScalar(UInt8(truncatingIfNeeded: $0))) : "…" })
    }

    /// Each label's size from the operands' shapes, checked to agree (`nil`: unknown).
    func labelSizes(_ shapes: [[Int?]]) throws(EinsumError) -> [Int: Int?] {
        var sizes: [Int: Int?] = [:]
        for (operand, shape) in zip(operands, shapes) {
            for (label, size) in zip(operand, shape) {
                if let known = sizes[label], let known, let size, known != size {
                    throw EinsumError("'\(text)': axis '\(Self.letters([label]))' is \(known) in one operand and \(size) in another")
                }
                if sizes[label] == nil || sizes[label] == .some(nil) { sizes[label] = size }
            }
        }
        return sizes
    }

    /// The output shape for operands of these shapes.
    func outputShape(_ shapes: [[Int?]]) throws(EinsumError) -> [Int?] {
        let sizes = try labelSizes(shapes)
        return output.map { sizes[$0] ?? nil }
    }
}

/// Why an einsum equation can't run: one line, without the layer (the caller adds it).
struct EinsumError: Error, Sendable, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// How a two-operand einsum runs: each label's role, and the permutations that bring the
/// operands to `[batch, rows, inner]` and `[batch, inner, columns]` and the product
/// `[batch, rows, columns]` to the output's order. A one-operand einsum is a permutation and a
/// sum over the labels the output drops.
struct EinsumPlan: Sendable {
    let equation: EinsumEquation
    /// Labels in both operands and the output: one product per combination.
    let batch: [Int]
    /// Labels of the first operand only that the output keeps: the product's rows.
    let rows: [Int]
    /// Labels in both operands that the output drops: summed by the product.
    let inner: [Int]
    /// Labels of the second operand only that the output keeps: the product's columns.
    let columns: [Int]
    /// Labels of one operand only that the output drops: summed before the product.
    let summedFirst: [Int]
    let summedSecond: [Int]
    /// Axes of each operand in `[batch, rows|columns…, inner, summed]` order (the second operand:
    /// `[batch, inner, columns, summed]`).
    let firstOrder: [Int]
    let secondOrder: [Int]
    /// Output axis `i` is axis `outputOrder[i]` of `[batch, rows, columns]`.
    let outputOrder: [Int]

    init(_ equation: EinsumEquation) {
        self.equation = equation
        let first = equation.operands[0]
        let second = equation.operands.count > 1 ? equation.operands[1] : []
        let output = Set(equation.output)
        batch = equation.output.filter { first.contains($0) && second.contains($0) }
        rows = equation.output.filter { first.contains($0) && !second.contains($0) }
        columns = equation.output.filter { second.contains($0) && !first.contains($0) }
        inner = first.filter { second.contains($0) && !output.contains($0) }
        summedFirst = first.filter { !second.contains($0) && !output.contains($0) }
        summedSecond = second.filter { !first.contains($0) && !output.contains($0) }
        firstOrder = (batch + rows + inner + summedFirst).compactMap { first.firstIndex(of: $0) }
        secondOrder = (batch + inner + columns + summedSecond).compactMap { second.firstIndex(of: $0) }
        let produced = batch + rows + columns
        outputOrder = equation.output.compactMap { produced.firstIndex(of: $0) }
    }

    /// Runs the einsum on operands of the ranks the equation was parsed for; the caller checked
    /// the shapes with ``EinsumEquation/labelSizes(_:)``.
    func run<Scalar: ComputeScalar>(_ operands: [TensorOf<Scalar>], layer: String) throws(PredictionError) -> TensorOf<Scalar> {
        var sizes: [Int: Int] = [:]
        for (labels, operand) in zip(equation.operands, operands) {
            guard operand.rank == labels.count else {
                throw .inputShapeMismatch(layer: layer, expected: "rank \(labels.count) for '\(equation.text)'", actual: operand.shape)
            }
            for (label, size) in zip(labels, operand.shape) {
                if let known = sizes[label], known != size {
                    throw .inputShapeMismatch(layer: layer, expected: "axis '\(EinsumEquation.letters([label]))' of size \(known) for '\(equation.text)'", actual: operand.shape)
                }
                sizes[label] = size
            }
        }
        func count(_ labels: [Int]) -> Int { labels.reduce(1) { $0 * (sizes[$1] ?? 1) } }
        let outputShape = equation.output.map { sizes[$0] ?? 1 }
        _ = try checkedElementCount(outputShape, layer: layer)
        let first = summed(permuteAxes(operands[0].scalars, shape: operands[0].shape, permutation: firstOrder, zero: 0),
                           groups: count(batch + rows + inner), length: count(summedFirst))
        if operands.count == 1 {
            // `[batch(=output labels), summed]`, in the output's order.
            let kept = batch + rows
            let order = equation.output.compactMap { kept.firstIndex(of: $0) }
            return TensorOf(uncheckedShape: outputShape, scalars: permuteAxes(first, shape: kept.map { sizes[$0] ?? 1 }, permutation: order, zero: 0))
        }
        let second = summed(permuteAxes(operands[1].scalars, shape: operands[1].shape, permutation: secondOrder, zero: 0),
                            groups: count(batch + inner + columns), length: count(summedSecond))
        let batches = count(batch), m = count(rows), k = count(inner), n = count(columns)
        var product = [Scalar](repeating: 0, count: batches * m * n)
        if m * n > 0 {
            first.withUnsafeBufferPointer { a in
                second.withUnsafeBufferPointer { b in
                    product.withUnsafeMutableBufferPointer { c in
                        guard let c = c.baseAddress else { return }
                        guard k > 0, let a = a.baseAddress, let b = b.baseAddress else { return }
                        for index in 0..<batches {
                            multiplyMatrices(m: m, n: n, k: k, a + index * m * k, lda: k, b + index * k * n, ldb: n,
                                             into: c + index * m * n, ldc: n, accumulate: false)
                        }
                    }
                }
            }
        }
        let producedShape = (batch + rows + columns).map { sizes[$0] ?? 1 }
        return TensorOf(uncheckedShape: outputShape, scalars: permuteAxes(product, shape: producedShape, permutation: outputOrder, zero: 0))
    }

    /// Sums each of `groups` runs of `length` consecutive values (the trailing summed axes).
    private func summed<Scalar: ComputeScalar>(_ values: [Scalar], groups: Int, length: Int) -> [Scalar] {
        guard length != 1 else { return values }
        var result = [Scalar](repeating: 0, count: groups)
        values.withUnsafeBufferPointer { x in
            for group in 0..<groups {
                var total: Scalar = 0
                for index in 0..<length { total += x[group * length + index] }
                result[group] = total
            }
        }
        return result
    }
}
