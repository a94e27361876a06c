// Where the windows of convolution and pooling layers fall, and the arguments that place them.

/// Keras's `data_format` for sequence and image layers: where the channel axis is.
public enum DataFormat: String, Sendable, Hashable, CaseIterable {
    /// `(batch, steps, channels)`, Keras's default.
    case channelsLast = "channels_last"
    /// `(batch, channels, steps)`.
    case channelsFirst = "channels_first"
}

/// How a convolution or pooling window treats the sequence ends.
public enum Padding: String, Sendable, Hashable, CaseIterable {
    /// No padding: only windows that fit entirely inside the input.
    case valid
    /// Pad so the output has `ceil(length / strides)` steps (TensorFlow's `SAME` split: the
    /// extra element, if any, goes on the right).
    case same
    /// Pad `(kernel_size - 1) · dilation_rate` zeros on the left only (`Conv1D`).
    case causal
}

/// Where the windows of a 1-D convolution or pooling fall on a sequence of `length` steps.
struct WindowGeometry: Equatable {
    /// The number of output steps.
    var outputLength: Int
    /// How many padding steps precede the input (TensorFlow's `SAME` puts the odd one right).
    var padLeft: Int

    /// The geometry for windows spanning `span` steps, `stride` apart; nil when `valid` windows
    /// don't fit (`length < span`).
    init?(length: Int, span: Int, stride: Int, padding: Padding) {
        switch padding {
        case .valid:
            guard length >= span else { return nil }
            outputLength = (length - span) / stride + 1
            padLeft = 0
        case .same:
            outputLength = (length + stride - 1) / stride
            let total = Swift.max((outputLength - 1) * stride + span - length, 0)
            padLeft = total / 2
        case .causal:
            outputLength = length == 0 ? 0 : (length - 1) / stride + 1
            padLeft = span - 1
        }
    }

    /// The static output length, nil when the input length is unknown.
    static func outputLength(_ length: Int?, span: Int, stride: Int, padding: Padding, layer: String) throws(WeightLoadingError) -> Int? {
        guard let length else { return nil }
        guard let geometry = WindowGeometry(length: length, span: span, stride: stride, padding: padding) else {
            throw .unsupportedTopology(layer: layer, reason: "a window of \(span) steps doesn't fit in \(length) steps with padding 'valid'")
        }
        return geometry.outputLength
    }
}
