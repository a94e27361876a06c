/// `keras.layers.Conv1D`: `activation(conv(x, kernel) + bias)` over `(batch, steps, channels)`.
///
/// KerasKit runs the `channels_last`, `groups=1` form; other values are refused when decoding.
public struct Conv1DConfig: LayerConfiguration {
    public static let className = "Conv1D"
    /// Fields every layer has.
    public var common: LayerCommonConfig
    /// The number of output channels.
    public var filters: Int
    /// The window length.
    public var kernelSize: Int
    /// The step between windows.
    public var strides: Int
    /// `valid`, `same` or `causal`.
    public var padding: Padding
    /// Always `channels_last` (decoding refuses `channels_first`).
    public var dataFormat: DataFormat
    /// The spacing between kernel taps.
    public var dilationRate: Int
    /// Always 1 (decoding refuses grouped convolutions).
    public var groups: Int
    /// Applied to the output; `linear` by default.
    public var activation: Activation
    /// Whether a bias vector is added.
    public var useBias: Bool
    /// Initializers, regularizers and constraints: kept for inspection, unused at inference.
    public var kernelInitializer: KerasObjectConfig?, biasInitializer: KerasObjectConfig?
    public var kernelRegularizer: KerasObjectConfig?, biasRegularizer: KerasObjectConfig?, activityRegularizer: KerasObjectConfig?
    public var kernelConstraint: KerasObjectConfig?, biasConstraint: KerasObjectConfig?

    enum CodingKeys: String, CodingKey {
        case filters, kernelSize = "kernel_size", strides, padding, dataFormat = "data_format"
        case dilationRate = "dilation_rate", groups, activation, useBias = "use_bias"
        case kernelInitializer = "kernel_initializer", biasInitializer = "bias_initializer"
        case kernelRegularizer = "kernel_regularizer", biasRegularizer = "bias_regularizer"
        case activityRegularizer = "activity_regularizer"
        case kernelConstraint = "kernel_constraint", biasConstraint = "bias_constraint"
    }

    public init(from decoder: any Decoder) throws {
        common = try LayerCommonConfig(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        filters = try container.decodeSize(forKey: .filters)
        kernelSize = try container.decodeWindow(forKey: .kernelSize, default: nil)
        strides = try container.decodeWindow(forKey: .strides, default: 1)
        padding = try container.decodePadding(forKey: .padding, allowed: [.valid, .same, .causal])
        dataFormat = try container.decodeDataFormat(forKey: .dataFormat)
        guard dataFormat == .channelsLast else {
            throw DecodingError.dataCorruptedError(forKey: .dataFormat, in: container, debugDescription: "channels_first is not supported (KerasKit runs Conv1D on channels_last input only)")
        }
        dilationRate = try container.decodeWindow(forKey: .dilationRate, default: 1)
        groups = try container.decodeIfPresent(Int.self, forKey: .groups) ?? 1
        guard groups == 1 else {
            throw DecodingError.dataCorruptedError(forKey: .groups, in: container, debugDescription: "groups=\(groups) is not supported (KerasKit runs Conv1D with groups=1 only)")
        }
        activation = try container.decodeActivation(forKey: .activation, default: .linear)
        useBias = try container.decodeFlag(forKey: .useBias, default: true)
        kernelInitializer = try container.decodeObject(forKey: .kernelInitializer, default: "GlorotUniform")
        biasInitializer = try container.decodeObject(forKey: .biasInitializer, default: "Zeros")
        kernelRegularizer = try container.decodeObject(forKey: .kernelRegularizer, default: nil)
        biasRegularizer = try container.decodeObject(forKey: .biasRegularizer, default: nil)
        activityRegularizer = try container.decodeObject(forKey: .activityRegularizer, default: nil)
        kernelConstraint = try container.decodeObject(forKey: .kernelConstraint, default: nil)
        biasConstraint = try container.decodeObject(forKey: .biasConstraint, default: nil)
    }

    /// The span of one window: `(kernel_size - 1) · dilation_rate + 1`.
    var effectiveKernelSize: Int { (kernelSize - 1) * dilationRate + 1 }

    public var kerasArguments: [(name: String, value: JSONValue)] {
        [
            ("filters", .number(Double(filters))), ("kernel_size", [kernelSize].json), ("strides", [strides].json),
            ("padding", .string(padding.rawValue)), ("data_format", .string(dataFormat.rawValue)),
            ("dilation_rate", [dilationRate].json), ("groups", .number(Double(groups))),
            ("activation", .string(activation.rawValue)), ("use_bias", .bool(useBias)),
            ("kernel_initializer", kernelInitializer.json), ("bias_initializer", biasInitializer.json),
            ("kernel_regularizer", kernelRegularizer.json), ("bias_regularizer", biasRegularizer.json),
            ("activity_regularizer", activityRegularizer.json),
            ("kernel_constraint", kernelConstraint.json), ("bias_constraint", biasConstraint.json),
        ]
    }
}
