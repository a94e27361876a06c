/// The arguments `ConvLSTM1D`, `ConvLSTM2D` and `ConvLSTM3D` read, in Keras's constructor order
/// with its defaults.
///
/// Keras 3 defaults `recurrent_activation` to `sigmoid`, tf-keras to `hard_sigmoid`; both always
/// write the key, so the default (Keras 3's) only serves hand-written configs. Initializers,
/// regularizers, constraints, `unit_forget_bias`, dropout rates and `seed` do not change
/// inference; they are read so a model can be inspected and converted without loss.
public struct ConvLSTMOptions: Sendable, Hashable {
    /// Output channels of `h` and `c`.
    public let filters: Int
    /// The input convolution's window (the recurrent one has the same kernel size, stride 1,
    /// dilation 1 and `same` padding).
    public let window: ConvolutionWindow
    /// φ (`tanh`).
    public let activation: Activation
    /// σ (`sigmoid`).
    public let recurrentActivation: Activation
    /// Whether the gates have a bias vector.
    public let useBias: Bool
    /// Whether the forget-gate bias was initialized to one (training only).
    public let unitForgetBias: Bool
    /// Dropout rates, inactive at inference.
    public let dropout: Double, recurrentDropout: Double
    /// Training-time seed (Keras 3).
    public let seed: Int?
    /// `return_sequences`, `return_state`, `go_backwards`, `stateful`, ….
    let sequence: SequenceOptions

    init(reading arguments: inout LayerArguments, rank: Int) throws(KerasConfigError) {
        filters = try arguments.size("filters")
        window = try ConvolutionWindow(reading: &arguments, rank: rank, paddings: [.valid, .same])
        if window.strides.contains(where: { $0 > 1 }), window.dilationRate.contains(where: { $0 > 1 }) {
            throw arguments.invalid("dilation_rate", "Keras refuses strides > 1 together with dilation_rate > 1")
        }
        activation = try arguments.activation("activation", default: .tanh)
        recurrentActivation = try arguments.activation("recurrent_activation", default: .sigmoid)
        if window.dataFormat == .channelsFirst {
            // Keras would apply these over the last spatial axis of a channels-first gate tensor.
            for (key, value) in [("activation", activation), ("recurrent_activation", recurrentActivation)] where value.isRowWise {
                throw arguments.invalid(key, "KerasKit runs \(value.rawValue) in a ConvLSTM only with channels_last")
            }
        }
        useBias = try arguments.flag("use_bias", default: true)
        _ = try arguments.object("kernel_initializer", default: "GlorotUniform")
        _ = try arguments.object("recurrent_initializer", default: "Orthogonal")
        _ = try arguments.object("bias_initializer", default: "Zeros")
        unitForgetBias = try arguments.flag("unit_forget_bias", default: true)
        for key in ["kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer",
                    "kernel_constraint", "recurrent_constraint", "bias_constraint"] {
            _ = try arguments.object(key, default: nil)
        }
        dropout = try arguments.rate("dropout")
        recurrentDropout = try arguments.rate("recurrent_dropout")
        seed = try arguments.optionalInteger("seed", in: Int(Int32.min)...Int(Int32.max))
        sequence = try SequenceOptions(reading: &arguments)
        if sequence.timeMajor {
            throw arguments.invalid("time_major", "convolutional recurrent layers run batch-major only")
        }
    }
}

/// `ConvLSTM1D`, `ConvLSTM2D` or `ConvLSTM3D`: one class per spatial rank, the same layer.
protocol ConvLSTMConfiguration: RecurrentLayerConfiguration {
    /// The number of spatial axes.
    static var rank: Int { get }
    /// The layer's arguments.
    var options: ConvLSTMOptions { get }
}

extension ConvLSTMConfiguration {
    var sequenceOptions: SequenceOptions { options.sequence }

    public var outputCount: Int { options.sequence.returnState ? 3 : 1 }

    public var weightRoles: [WeightRole] {
        [WeightRole("kernel"), WeightRole("recurrent_kernel")] + (options.useBias ? [WeightRole("bias")] : [])
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let name = common.name
        let input = inputs.first ?? []
        let window = options.window, filters = options.filters, rank = Self.rank
        guard input.count == rank + 3 else {
            throw .unsupportedTopology(layer: name, reason: "\(Self.className) takes input of rank \(rank + 3) (batch, time, …), got \(input.shapeDescription)")
        }
        // Keras builds ConvLSTM cells for static spatial sizes only.
        let step = Array(input.dropFirst(2))
        let known = step.compactMap { $0 }
        guard known.count == step.count else { throw .unknownInputSize(layer: name, shape: input) }
        let channels = window.dataFormat == .channelsLast ? known[rank] : known[0]
        let spatial = window.dataFormat == .channelsLast ? Array(known.prefix(rank)) : Array(known.dropFirst())
        guard let inputGeometry = ConvolutionGeometry(batch: 1, spatial: spatial, window: window) else {
            throw .unsupportedTopology(layer: name, reason: "a \(window.kernelSize) window (dilation \(window.dilationRate)) doesn't fit the input \(input.shapeDescription)")
        }
        let outputSpatial = Array(inputGeometry.output.suffix(rank))
        let recurrentWindow = ConvolutionWindow(kernelSize: window.kernelSize, strides: Array(repeating: 1, count: rank), padding: .same,
                                                dataFormat: .channelsLast, dilationRate: Array(repeating: 1, count: rank))
        guard let recurrentGeometry = ConvolutionGeometry(batch: 1, spatial: outputSpatial, window: recurrentWindow) else {
            throw .unsupportedTopology(layer: name, reason: "no recurrent convolution for the output \(outputSpatial)")
        }
        let gates = 4 * filters
        let kernelShape = window.kernelSize + [channels, gates], recurrentShape = window.kernelSize + [filters, gates]
        guard let kernelCount = try? Tensor.elementCount(of: kernelShape), let recurrentCount = try? Tensor.elementCount(of: recurrentShape),
              (try? Tensor.elementCount(of: [inputGeometry.inputPixels, channels])) != nil,
              (try? Tensor.elementCount(of: [recurrentGeometry.outputPixels, gates])) != nil else {
            throw .unsupportedTopology(layer: name, reason: "kernels of \(kernelShape.shapeDescription) and \(recurrentShape.shapeDescription) are too large")
        }
        let kernel = try weights.values("kernel", shape: kernelShape)
        let recurrentKernel = try weights.values("recurrent_kernel", shape: recurrentShape)
        let bias = options.useBias ? try weights.vector("bias", shape: [gates]) : nil
        let recurrentPlan: ConvolutionPatchPlan
        do {
            recurrentPlan = try ConvolutionPatchPlan(geometry: recurrentGeometry, inputChannels: filters, groups: 1, filters: gates, layer: name)
        } catch {
            throw .unsupportedTopology(layer: name, reason: "the recurrent convolution's patches (\(recurrentShape.shapeDescription)) are too large")
        }
        let cell = ConvLSTMCell<Scalar>(
            name: name, filters: filters, channels: channels, window: window, inputSpatial: spatial, outputSpatial: outputSpatial,
            recurrentGeometry: recurrentGeometry, recurrentPlan: recurrentPlan,
            inputMatrices: [Scalar.matrix(kernel, rows: window.tapCount * channels, columns: gates, groups: 1)],
            recurrentMatrices: [Scalar.matrix(recurrentKernel, rows: window.tapCount * filters, columns: gates, groups: 1)],
            inputBias: bias, activation: options.activation, recurrentActivation: options.recurrentActivation,
            generation: context.generation, parameterCount: kernelCount + recurrentCount + (bias?.count ?? 0)
        )
        // tf-keras's ConvRNN keeps `zero_output_for_mask` in its config but never passes it to its
        // loop: masked steps repeat the previous output there.
        var sequence = options.sequence
        if context.generation != .keras3 { sequence.zeroOutputForMask = false }
        return RunnableLayer(RecurrentLayer(name: name, options: sequence, cell: cell))
    }
}

/// `keras.layers.ConvLSTM1D`: an LSTM whose input and recurrent transformations are 1-D
/// convolutions, over `(batch, time, steps, channels)`.
public struct ConvLSTM1DConfig: ConvLSTMConfiguration {
    public static let className = "ConvLSTM1D"
    static let rank = 1
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The layer's arguments.
    public let options: ConvLSTMOptions

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        options = try ConvLSTMOptions(reading: &arguments, rank: Self.rank)
    }
}

/// `keras.layers.ConvLSTM2D`: an LSTM whose input and recurrent transformations are 2-D
/// convolutions, over `(batch, time, rows, columns, channels)`.
public struct ConvLSTM2DConfig: ConvLSTMConfiguration {
    public static let className = "ConvLSTM2D"
    static let rank = 2
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The layer's arguments.
    public let options: ConvLSTMOptions

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        options = try ConvLSTMOptions(reading: &arguments, rank: Self.rank)
    }
}

/// `keras.layers.ConvLSTM3D`: an LSTM whose input and recurrent transformations are 3-D
/// convolutions, over `(batch, time, depth, rows, columns, channels)`.
public struct ConvLSTM3DConfig: ConvLSTMConfiguration {
    public static let className = "ConvLSTM3D"
    static let rank = 3
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The layer's arguments.
    public let options: ConvLSTMOptions

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        options = try ConvLSTMOptions(reading: &arguments, rank: Self.rank)
    }
}

/// Keras's `ConvLSTMCell` (gate order i, f, c, o), with `*` a convolution:
///
///     z = W * xₜ + b + U * hₜ₋₁
///     i = σ(z₀), f = σ(z₁), g = φ(z₂), o = σ(z₃)
///     cₜ = f·cₜ₋₁ + i·g,  hₜ = o·φ(cₜ)
///
/// `W * x` uses the layer's strides, padding and dilation; `U * h` the same kernel size with
/// stride 1, dilation 1 and `same` padding, so `h` keeps the input convolution's output size.
/// The states are kept channels last; a channels-first layer's inputs, outputs and
/// `initial_state` are moved at the call's edges.
struct ConvLSTMCell<Scalar: ComputeScalar>: RecurrentCell {
    let name: String
    let filters: Int
    let channels: Int
    let window: ConvolutionWindow
    let inputSpatial: [Int]
    let outputSpatial: [Int]
    /// One sample's recurrent convolution, and its patch plan.
    let recurrentGeometry: ConvolutionGeometry
    let recurrentPlan: ConvolutionPatchPlan
    /// `(taps · channels, 4·filters)` and `(taps · filters, 4·filters)`, prepared at load.
    let inputMatrices: [Scalar.Matrix]
    let recurrentMatrices: [Scalar.Matrix]
    let inputBias: WeightVector<Scalar>?
    let activation: Activation
    let recurrentActivation: Activation
    let generation: KerasGeneration
    let parameterCount: Int

    private var inputPixels: Int { inputSpatial.reduce(1, *) }
    private var outputPixels: Int { outputSpatial.reduce(1, *) }
    private var channelsLast: Bool { window.dataFormat == .channelsLast }

    var units: Int { outputPixels * filters }
    var inputUnits: Int { inputPixels * channels }
    var inputStepShape: [Int] { channelsLast ? inputSpatial + [channels] : [channels] + inputSpatial }
    var outputStepShape: [Int] { channelsLast ? outputSpatial + [filters] : [filters] + outputSpatial }
    var projectionWidth: Int { outputPixels * 4 * filters }
    var stateCount: Int { 2 }
    var flopsPerStep: Double {
        2 * Double(projectionWidth) * Double(window.tapCount) * Double(channels + filters)
    }

    func project(_ x: UnsafePointer<Scalar>, rows: Int, into z: UnsafeMutablePointer<Scalar>) throws(PredictionError) {
        guard let geometry = ConvolutionGeometry(batch: rows, spatial: inputSpatial, window: window) else {
            throw .inputShapeMismatch(layer: name, expected: window.minimumInputDescription(channels: channels), actual: [rows] + inputStepShape)
        }
        let bias = inputBias.map { vector in vector.withUnsafeBufferPointer { Array($0) } }
        try bias.withUnsafeBufferPointerIfPresent { (bias) throws(PredictionError) in
            if channelsLast {
                try convolve(x, geometry: geometry, inputChannels: channels, groups: 1, matrices: inputMatrices,
                             filters: 4 * filters, bias: bias, into: z, layer: name)
            } else {
                let moved = movingChannels(Array(UnsafeBufferPointer(start: x, count: rows * inputUnits)),
                                           shape: [rows, channels] + inputSpatial, toFirst: false)
                try moved.withUnsafeBufferPointer { (moved) throws(PredictionError) in
                    guard let moved = moved.baseAddress else { return }
                    try convolve(moved, geometry: geometry, inputChannels: channels, groups: 1, matrices: inputMatrices,
                                 filters: 4 * filters, bias: bias, into: z, layer: name)
                }
            }
        }
    }

    /// Keras's `(batch, time)` mask, or `Masking`'s `(batch, time, pixels…)` one: Keras applies
    /// it pixel by pixel to the `(batch, pixels…, filters)` states, so it needs channels last and
    /// states with the input's pixels (`same` padding, stride 1).
    func acceptsMask(parts: Int) -> Bool {
        parts == 1 || (channelsLast && inputSpatial == outputSpatial && parts == outputPixels)
    }

    func reordered(_ values: [Scalar], rows: Int, toLayer: Bool) -> [Scalar] {
        guard !channelsLast, !values.isEmpty else { return values }
        let shape = toLayer ? [rows] + outputSpatial + [filters] : [rows, filters] + outputSpatial
        return movingChannels(values, shape: shape, toFirst: toLayer)
    }

    /// The recurrent convolution's patches, then φ(c) for every sample.
    func scratchCount(batch: Int) -> Int { recurrentPlan.scratchCount + batch * units }

    func step(z: UnsafeMutablePointer<Scalar>, h: UnsafeMutablePointer<Scalar>, c: UnsafeMutablePointer<Scalar>,
              batch: Int, scratch: UnsafeMutablePointer<Scalar>) {
        let units = self.units, width = projectionWidth, filters = self.filters, gates = 4 * filters
        for sample in 0..<batch {
            convolve(UnsafePointer(h + sample * units), geometry: recurrentGeometry, plan: recurrentPlan, inputChannels: filters,
                     groups: 1, matrices: recurrentMatrices, filters: gates, bias: nil, into: z + sample * width,
                     accumulate: true, scratch: scratch)
        }
        let pixels = batch * outputPixels
        for pixel in 0..<pixels {
            let row = z + pixel * gates
            recurrentActivation.apply(row, count: 2 * filters, rowLength: filters, generation: generation)
            activation.apply(row + 2 * filters, count: filters, rowLength: filters, generation: generation)
            recurrentActivation.apply(row + 3 * filters, count: filters, rowLength: filters, generation: generation)
        }
        let squashed = scratch + recurrentPlan.scratchCount
        for pixel in 0..<pixels {
            let row = z + pixel * gates, state = c + pixel * filters, out = squashed + pixel * filters
            for k in 0..<filters {
                let value = row[filters + k] * state[k] + row[k] * row[2 * filters + k]
                state[k] = value
                out[k] = value
            }
        }
        activation.apply(squashed, count: pixels * filters, rowLength: filters, generation: generation)
        for pixel in 0..<pixels {
            let row = z + pixel * gates, out = squashed + pixel * filters, hidden = h + pixel * filters
            for k in 0..<filters { hidden[k] = row[3 * filters + k] * out[k] }
        }
    }
}
