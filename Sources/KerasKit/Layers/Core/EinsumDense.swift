/// `keras.layers.EinsumDense`: `activation(einsum(equation, x, kernel) + bias)`, for the three
/// equation forms Keras accepts (`ab,bc->ac`, `...b,bc->...c`, `ab...,bc->ac...`), with the
/// kernel and bias shapes Keras derives from `output_shape` and `bias_axes`.
public struct EinsumDenseConfig: LayerBuilding {
    public static let className = "EinsumDense"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The equation, `input,kernel->output`.
    public let equation: String
    /// The output's sizes after the batch axis (Keras's `partial_output_shape`); `nil` entries
    /// take the input's size.
    public let outputShape: [Int?]
    /// Applied to the biased output; `linear` by default.
    public let activation: Activation
    /// The output labels the bias runs along (nil: no bias).
    public let biasAxes: String?
    /// The equation split as Keras's `_analyze_einsum_string` matches it.
    let terms: EinsumDenseTerms

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        guard let equation = try arguments.string("equation", default: nil) else { throw arguments.invalid("equation", "required") }
        self.equation = equation
        guard let terms = EinsumDenseTerms(equation) else {
            throw arguments.invalid("equation", "'\(equation)' is not of a form Keras accepts: [X],[Y]->[Z], ...[X],[Y]->...[Z] or [X]...,[Y]->[Z]...")
        }
        self.terms = terms
        // Keras writes an int for a single size.
        if case .number = arguments.json("output_shape") {
            outputShape = [try arguments.integer("output_shape", default: nil, in: 0...KerasLimits.maxDimension)]
        } else {
            guard let shape = try arguments.shape("output_shape") else { throw arguments.invalid("output_shape", "required") }
            outputShape = shape
        }
        let expected = terms.output.count - (terms.elision == .left ? 0 : 1)
        guard outputShape.count == expected else {
            throw arguments.invalid("output_shape", "\(outputShape.count) sizes for the \(expected) output axes after the batch axis that '\(equation)' names")
        }
        activation = try arguments.activation("activation", default: .linear)
        let bias = try arguments.string("bias_axes", default: nil)
        if let bias {
            for label in bias where !terms.output.contains(label) {
                throw arguments.invalid("bias_axes", "'\(label)' is not an output axis of '\(equation)'")
            }
            guard Set(bias).count == bias.count else { throw arguments.invalid("bias_axes", "'\(bias)' repeats an axis") }
        }
        biasAxes = bias
        _ = try arguments.object("kernel_initializer", default: "GlorotUniform")
        _ = try arguments.object("bias_initializer", default: "Zeros")
        _ = try arguments.object("kernel_regularizer", default: nil)
        _ = try arguments.object("bias_regularizer", default: nil)
        _ = try arguments.object("activity_regularizer", default: nil)
        _ = try arguments.object("kernel_constraint", default: nil)
        _ = try arguments.object("bias_constraint", default: nil)
        try arguments.mustBe("lora_rank", oneOf: [.null], because: "LoRA-adapted kernels are not supported")
        try arguments.mustBe("lora_alpha", oneOf: [.null], because: "LoRA-adapted kernels are not supported")
        try arguments.mustBe("gptq_unpacked_column_size", oneOf: [.null], because: "GPTQ-quantized kernels are not supported")
        try arguments.mustBe("quantization_config", oneOf: [.null], because: "quantized layers are not supported")
    }

    public var weightRoles: [WeightRole] {
        [WeightRole("kernel")] + (biasAxes != nil ? [WeightRole("bias")] : [])
    }

    /// The kernel's and the bias's shapes for an input of `input`'s shape, as Keras builds them.
    func weightShapes(input: [Int?]) throws(WeightLoadingError) -> (kernel: [Int], bias: [Int]?) {
        let elided = input.count - terms.input.count
        guard !input.isEmpty, terms.elision == nil ? elided == 0 : elided >= 0 else {
            throw .unsupportedTopology(layer: common.name, reason: "'\(equation)' takes inputs of rank \(terms.input.count)\(terms.elision == nil ? "" : " or more"), got \(input.shapeDescription)")
        }
        // Keras's `output_dim_map`: output letter i is `partial[i]` after a left ellipsis, else
        // the batch size (i = 0) or `partial[i - 1]`.
        func outputSize(_ label: Character) -> Int?? {
            guard let position = terms.output.firstIndex(of: label) else { return nil }
            if terms.elision == .left { return .some(outputShape[position]) }
            return .some(position == 0 ? input[0] : outputShape[position - 1])
        }
        func inputSize(_ label: Character) -> Int?? {
            guard let position = terms.input.firstIndex(of: label) else { return nil }
            return .some(input[terms.elision == .left ? position + elided : position])
        }
        for label in terms.output where !terms.input.contains(label) && !terms.kernel.contains(label) {
            throw .unsupportedTopology(layer: common.name, reason: "output axis '\(label)' of '\(equation)' is in neither the input nor the kernel")
        }
        for label in terms.input {
            if case .some(.some(let expected)) = outputSize(label), case .some(.some(let actual)) = inputSize(label), expected != actual {
                throw .unsupportedTopology(layer: common.name, reason: "axis '\(label)' is \(actual) in the input \(input.shapeDescription) and \(expected) in output_shape")
            }
        }
        var kernel: [Int] = []
        for label in terms.kernel {
            let size: Int?
            if let output = outputSize(label) {
                size = output
            } else if let input = inputSize(label) {
                size = input
            } else {
                throw .unsupportedTopology(layer: common.name, reason: "kernel axis '\(label)' of '\(equation)' is in neither the input nor the output")
            }
            guard let size else {
                throw .unsupportedTopology(layer: common.name, reason: "kernel axis '\(label)' has no known size (input \(input.shapeDescription), output_shape \(outputShape.shapeDescription))")
            }
            kernel.append(size)
        }
        guard let biasAxes else { return (kernel, nil) }
        let first = terms.output.firstIndex { biasAxes.contains($0) } ?? 0
        var bias: [Int] = []
        for label in terms.output[first...] {
            guard biasAxes.contains(label) else {
                bias.append(1)
                continue
            }
            guard case .some(.some(let size)) = outputSize(label) else {
                throw .unsupportedTopology(layer: common.name, reason: "bias axis '\(label)' has no known size")
            }
            bias.append(size)
        }
        if terms.elision != .left { bias += Array(repeating: 1, count: elided) }
        return (kernel, bias)
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let input = inputs.first ?? []
        let shapes = try weightShapes(input: input)
        let equation: EinsumEquation
        do {
            equation = try EinsumEquation(self.equation, ranks: [input.count, shapes.kernel.count])
            _ = try equation.labelSizes([input, shapes.kernel.map { $0 }])
        } catch {
            throw .unsupportedTopology(layer: common.name, reason: error.description)
        }
        let kernel = try weights.values("kernel", shape: shapes.kernel)
        let bias = try shapes.bias.map { shape throws(WeightLoadingError) in try weights.values("bias", shape: shape) }
        return RunnableLayer(try EinsumDenseLayer<Scalar>(config: self, generation: context.generation, plan: EinsumPlan(equation),
                                                          kernel: kernel, kernelShape: shapes.kernel, bias: bias, biasShape: shapes.bias ?? []))
    }
}

/// An `EinsumDense` equation's three terms, with where its ellipsis is.
struct EinsumDenseTerms: Sendable {
    enum Elision: Sendable { case left, right }
    let input: [Character]
    let kernel: [Character]
    let output: [Character]
    let elision: Elision?

    /// Matches Keras's three patterns; nil for any other equation.
    init?(_ equation: String) {
        let sides = equation.components(separatedBy: "->")
        guard sides.count == 2 else { return nil }
        let operands = sides[0].components(separatedBy: ",")
        guard operands.count == 2 else { return nil }
        func letters(_ text: Substring) -> [Character]? {
            let characters = Array(text)
            return !characters.isEmpty && characters.allSatisfy({ $0.isASCII && $0.isLetter }) ? characters : nil
        }
        let (x, w, z) = (Substring(operands[0]), Substring(operands[1]), Substring(sides[1]))
        guard let kernel = letters(w) else { return nil }
        if let input = letters(x), let output = letters(z) {
            (self.input, self.kernel, self.output, elision) = (input, kernel, output, nil)
        } else if x.hasPrefix("..."), z.hasPrefix("..."), let input = letters(x.dropFirst(3)), let output = letters(z.dropFirst(3)) {
            (self.input, self.kernel, self.output, elision) = (input, kernel, output, .left)
        } else if x.hasSuffix("..."), z.hasSuffix("..."), let input = letters(x.dropLast(3)), input.count >= 2, let output = letters(z.dropLast(3)) {
            (self.input, self.kernel, self.output, elision) = (input, kernel, output, .right)
        } else {
            return nil
        }
    }
}

/// `EinsumDense` at inference: the input brought to `[rows, inner]` (in place when it already
/// is), one packed product per kernel slice of the labels the input, kernel and output share,
/// then the bias and the activation.
struct EinsumDenseLayer<Scalar: ComputeScalar>: InferenceLayer {
    let config: EinsumDenseConfig
    let generation: KerasGeneration
    let plan: EinsumPlan
    /// Per combination of the shared (batch) labels, the kernel slice `inner × columns`, packed.
    let kernels: [Scalar.Matrix]
    let kernelShape: [Int]
    let innerCount: Int
    let columnCount: Int
    /// The bias and its shape (aligned with the output's last axes); empty without one.
    let bias: [Scalar]
    let biasShape: [Int]
    /// The bias repeated over the product's columns, when it lies along exactly them: added by
    /// the product itself.
    let columnBias: [Scalar]?
    let parameterCount: Int

    var name: String { config.common.name }

    init(config: EinsumDenseConfig, generation: KerasGeneration, plan: EinsumPlan, kernel: [Scalar], kernelShape: [Int],
         bias: [Scalar]?, biasShape: [Int]) throws(WeightLoadingError) {
        self.config = config
        self.generation = generation
        self.plan = plan
        self.kernelShape = kernelShape
        let labels = plan.equation.operands[1]
        func size(_ label: Int) -> Int { labels.firstIndex(of: label).map { kernelShape[$0] } ?? 1 }
        let batches = plan.batch.reduce(1) { $0 * size($1) }
        let innerCount = plan.inner.reduce(1) { $0 * size($1) }
        let columnCount = plan.columns.reduce(1) { $0 * size($1) }
        self.innerCount = innerCount
        self.columnCount = columnCount
        // `[batch, inner, columns]`; a kernel label the input and output both lack can't occur
        // (Keras sizes every kernel axis from one of them).
        let ordered = permuteAxes(kernel, shape: kernelShape, permutation: plan.secondOrder, zero: 0)
        let slice = innerCount * columnCount
        kernels = (0..<batches).map { index in
            Scalar.matrix(Array(ordered[(index * slice)..<((index + 1) * slice)]), rows: innerCount, columns: columnCount, groups: 1)
        }
        self.bias = bias ?? []
        self.biasShape = biasShape
        parameterCount = kernel.count + (bias?.count ?? 0)
        // The product's columns are the output's last axes in order when the output keeps the
        // product's order; a bias along exactly those axes (no size-1 gaps) is one per column.
        let identityOutput = plan.outputOrder == Array(0..<plan.outputOrder.count)
        let trailing = plan.equation.output.suffix(biasShape.count)
        if let bias, identityOutput, !plan.columns.isEmpty, Array(trailing) == plan.columns, bias.count == columnCount {
            columnBias = bias
        } else {
            columnBias = nil
        }
    }

    var timeBehavior: TimeBehavior {
        // Step t of the output depends only on step t of the input when the input's time label
        // is a row of the product kept at output axis 1 (and the batch stays at axis 0).
        let input = plan.equation.operands[0], output = plan.equation.output
        guard input.count >= 3, output.count >= 2, input[0] == output[0], input[1] == output[1], plan.rows.contains(input[1]) else {
            return .wholeSequence
        }
        return .stepwise
    }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        do {
            return [try plan.equation.outputShape([inputs[0], kernelShape.map { $0 }])]
        } catch {
            throw .unsupportedTopology(layer: name, reason: error.description)
        }
    }

    func estimatedFLOPs(inputs: [[Int]]) -> Double {
        guard let input = inputs.first else { return 0 }
        let labels = plan.equation.operands[0]
        let rows = plan.rows.reduce(1.0) { total, label in total * Double(labels.firstIndex(of: label).map { input[$0] } ?? 1) }
        return 2 * rows * Double(innerCount) * Double(columnCount) * Double(kernels.count)
    }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        let labels = plan.equation.operands[0]
        guard input.rank == labels.count else {
            throw .inputShapeMismatch(layer: name, expected: "rank \(labels.count) for '\(config.equation)'", actual: input.shape)
        }
        var sizes: [Int: Int] = [:]
        for (label, size) in zip(labels, input.shape) { sizes[label] = size }
        let kernelLabels = plan.equation.operands[1]
        func kernelSize(_ label: Int) -> Int? { kernelLabels.firstIndex(of: label).map { kernelShape[$0] } }
        for label in plan.batch + plan.inner {
            guard let expected = kernelSize(label), sizes[label] == expected else {
                throw .inputShapeMismatch(layer: name, expected: "axis '\(EinsumEquation.letters([label]))' of size \(kernelSize(label) ?? 0) for '\(config.equation)'", actual: input.shape)
            }
        }
        for label in plan.columns { sizes[label] = kernelSize(label) ?? 1 }
        let outputShape = plan.equation.output.map { sizes[$0] ?? 1 }
        let outputCount = try checkedElementCount(outputShape, layer: name)
        let rowCount = plan.rows.reduce(1) { $0 * (sizes[$1] ?? 1) }
        let summedCount = plan.summedFirst.reduce(1) { $0 * (sizes[$1] ?? 1) }
        // `[batch, rows, inner, summed]`, then the summed axes added up.
        var ordered = permuteAxes(input.scalars, shape: input.shape, permutation: plan.firstOrder, zero: 0)
        if summedCount != 1 {
            let groups = kernels.count * rowCount * innerCount
            var reduced = [Scalar](repeating: 0, count: groups)
            ordered.withUnsafeBufferPointer { x in
                for group in 0..<groups {
                    var total: Scalar = 0
                    for index in 0..<summedCount { total += x[group * summedCount + index] }
                    reduced[group] = total
                }
            }
            ordered = reduced
        }
        let identityOutput = plan.outputOrder == Array(0..<plan.outputOrder.count)
        var product = call.buffers?.take(outputCount, zeroed: false) ?? [Scalar](repeating: 0, count: outputCount)
        let (inner, columns) = (innerCount, columnCount)
        ordered.withUnsafeBufferPointer { x in
            product.withUnsafeMutableBufferPointer { y in
                guard let y = y.baseAddress else { return }
                guard let x = x.baseAddress, inner > 0 else {
                    y.update(repeating: 0, count: outputCount)
                    return
                }
                columnBias.withUnsafeBufferPointerIfPresent { bias in
                    for (index, kernel) in kernels.enumerated() {
                        kernel.multiply(m: rowCount, x + index * rowCount * inner, lda: inner,
                                        into: y + index * rowCount * columns, ldc: columns, bias: bias)
                    }
                }
            }
        }
        var output: [Scalar]
        if identityOutput {
            // Moved, not shared: the bias and activation below write `output` in place, which
            // would copy a buffer `product` still referenced.
            output = product
            product = []
        } else {
            let produced = (plan.batch + plan.rows + plan.columns).map { sizes[$0] ?? 1 }
            output = permuteAxes(product, shape: produced, permutation: plan.outputOrder, zero: 0)
            call.buffers?.give(product)
        }
        if columnBias == nil, !bias.isEmpty { addBias(to: &output, shape: outputShape) }
        let rowLength = outputShape.last ?? 1
        output.withUnsafeMutableBufferPointer { y in
            guard let y = y.baseAddress else { return }
            config.activation.apply(y, count: outputCount, rowLength: rowLength, generation: generation)
        }
        return [TensorOf(uncheckedShape: outputShape, scalars: output)]
    }

    /// NumPy broadcasting of the bias against the output's last axes.
    private func addBias(to output: inout [Scalar], shape: [Int]) {
        let trailing = Array(shape.suffix(biasShape.count))
        let block = trailing.reduce(1, *)
        guard block > 0 else { return }
        var biasStrides = [Int](repeating: 0, count: biasShape.count)
        var step = 1
        for axis in stride(from: biasShape.count - 1, through: 0, by: -1) {
            biasStrides[axis] = biasShape[axis] == 1 ? 0 : step
            step *= biasShape[axis]
        }
        var expanded = [Scalar](repeating: 0, count: block)
        var index = [Int](repeating: 0, count: trailing.count)
        for position in 0..<block {
            var offset = 0
            for axis in 0..<trailing.count { offset += index[axis] * biasStrides[axis] }
            expanded[position] = bias[offset]
            var axis = trailing.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < trailing[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        output.withUnsafeMutableBufferPointer { y in
            for start in stride(from: 0, to: y.count, by: block) {
                for offset in 0..<block { y[start + offset] += expanded[offset] }
            }
        }
    }
}
