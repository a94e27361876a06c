/// A layer ready to run: weights checked and laid out in the scalar it computes in, config resolved.
///
/// Layers are generic over `Scalar` and each is built once per model. The graph runs them through
/// ``RunnableLayer``, which its builder wraps them in: that wrapping, done in the registry's
/// per-scalar builders, is where the compiler specializes a layer's `forward` for `Float` and
/// `Double`, so a layer file writes no specialization of its own.
protocol InferenceLayer<Scalar>: Sendable {
    /// What the layer computes in: `Float`, or `Double` for a float64 model.
    associatedtype Scalar: ComputeScalar
    /// The Keras layer name.
    var name: String { get }
    /// The number of scalars in the layer's weights, as Keras's `count_params()`.
    var parameterCount: Int { get }
    /// The shapes of the layer's outputs for its inputs' shapes (batch axis first, `nil` = any).
    /// - Throws: ``WeightLoadingError/unsupportedTopology(layer:reason:)`` for inputs the layer can't take.
    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]]
    /// Runs one call of the layer. `state` carries a stateful layer's states between calls;
    /// layers that keep no state ignore it.
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>]
    /// The masks of a call's outputs, as Keras's `compute_mask` gives them: one per output, or
    /// empty when no output has a mask (readers treat a missing entry as no mask, so a call
    /// without masks allocates no array). The default drops every mask, as Keras 3 does for layers
    /// that don't support masking; layers that support it pass it through
    /// (``passThroughMasks(_:outputs:)``) or compute their own.
    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?]
    /// How the layer treats the time axis, for streaming. The default, `.wholeSequence`, is
    /// right for any layer that mixes time steps.
    var timeBehavior: TimeBehavior { get }
    /// Whether the layer can give its outputs a mask when its inputs have none (`Masking`,
    /// `Embedding(mask_zero=True)`, a nested model holding one). The default is false: the layer's
    /// masks, if any, come from its inputs'.
    var createsMasks: Bool { get }
    /// Whether the layer reads the tensors a call passes as `mask=` itself, as Keras's `call` does
    /// with its `mask` argument, shaped as the caller made them (``LayerCall/maskTensors``),
    /// rather than as ``Mask``s. The default is false.
    var readsMaskTensors: Bool { get }
    /// Whether a call removes the Keras masks of its input tensors for every later reader, as
    /// Keras 3's `MultiHeadAttention` does. The default is false.
    var clearsInputMasks: Bool { get }
    /// Whether a `(batch, steps)` input is a sequence to the layer, step by step (token ids into
    /// an embedding, an element-wise mask operation), for streaming. The default is false.
    var readsRank2Sequences: Bool { get }
    /// The floating-point operations of one call on inputs of these shapes, counted as
    /// benchmarks count them: a multiply-add is 2, only matrix products count. The default is 0.
    func estimatedFLOPs(inputs: [[Int]]) -> Double
}

/// How a layer relates output steps to input steps (streaming needs to know).
enum TimeBehavior: Sendable {
    /// Each output step depends only on the same input step (Dense, Activation, Embedding, …).
    case stepwise
    /// A forward recurrent layer: output step t depends on input steps ≤ t through its states.
    case recurrent
    /// The layer mixes steps in ways states can't carry (Flatten, Conv1D, go_backwards, …).
    case wholeSequence
}

extension InferenceLayer {
    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] {
        []
    }

    var timeBehavior: TimeBehavior { .wholeSequence }

    var createsMasks: Bool { false }

    var readsRank2Sequences: Bool { false }

    var readsMaskTensors: Bool { false }

    var clearsInputMasks: Bool { false }

    func estimatedFLOPs(inputs: [[Int]]) -> Double { 0 }

    /// Keras's `supports_masking = True`: every output carries the first input's mask.
    func passThroughMasks(_ call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] {
        guard let mask = call.mask else { return [] }
        return Array(repeating: mask, count: outputs.count)
    }
}

/// What one call of a layer receives.
struct LayerCall<Scalar: ComputeScalar> {
    /// The tensor inputs (one for most layers).
    var inputs: [TensorOf<Scalar>]
    /// Each input's mask, if it has one (same count as `inputs`, or empty when no input has one).
    var masks: [Mask?] = []
    /// `initial_state` for a recurrent layer.
    var initialState: [TensorOf<Scalar>] = []
    /// The tensors passed by keyword that are not inputs (``LayerConfiguration/keywordTensorParameters``:
    /// `attention_mask`), by name; absent when the call passes none.
    var keywordInputs: [String: TensorOf<Scalar>] = [:]
    /// For a layer that ``InferenceLayer/readsMaskTensors``: the tensors passed as the call's
    /// `mask=`, one per input (nil where none; empty when the call passes none); its inputs'
    /// own masks are then in `masks`.
    var maskTensors: [TensorOf<Scalar>?] = []
    /// Streaming: a recurrent layer continues from `state` and leaves its final states there,
    /// whatever its `stateful` flag.
    var carriesState = false
    /// The model's reusable buffers (``BufferPool``), for outputs; nil runs allocate.
    var buffers: BufferPool<Scalar>? = nil

    /// The first input: the only one for single-input layers.
    var input: TensorOf<Scalar> { inputs[0] }
    /// The first input's mask.
    var mask: Mask? { masks.first ?? nil }
}

/// Which time steps of each sample count: Keras's boolean `(batch, steps)` mask, made by
/// `Masking` or `Embedding(mask_zero=True)` and consumed by recurrent and pooling layers.
struct Mask: Sendable, Equatable {
    /// Samples.
    var batch: Int
    /// Steps per sample.
    var steps: Int
    /// `values[sample * steps + step]`: true where the step counts.
    var values: [Bool]

    /// Whether step `step` of sample `sample` counts.
    @inline(__always)
    func isValid(sample: Int, step: Int) -> Bool { values[sample * steps + step] }
}

/// The states a stateful recurrent layer carries from one call to the next.
struct LayerState<Scalar: ComputeScalar>: Sendable {
    /// The batch size the states were made for.
    var batch: Int
    /// One `[batch × units]` buffer per state (`h`, `c` for an LSTM).
    var tensors: [[Scalar]]
    /// Streaming only: the last output, which a masked step repeats.
    var previousOutput: [Scalar]? = nil
}

/// Why `predict` refused its input.
public enum PredictionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The model takes a different number of input arrays.
    case inputCount(expected: Int, actual: Int)
    /// The input has the wrong number of axes.
    case inputRank(expected: Int, actual: Int, shape: [Int])
    /// An axis with a fixed size in the model has another size in the input.
    case inputDimension(axis: Int, expected: Int, actual: Int, shape: [Int])
    /// A layer got an input it cannot take.
    case inputShapeMismatch(layer: String, expected: String, actual: [Int])
    /// The sequence has no time steps.
    case emptySequence(layer: String)
    /// The work buffers a call needs would not fit in memory.
    case tooLarge(layer: String, elements: String)
    /// An `Embedding` input holds an index outside `0..<inputDim` (after truncation to an integer).
    case indexOutOfRange(layer: String, index: Double, inputDim: Int)
    /// A value an operation can't reproduce Keras's result for (a `Cast` to an integer type of
    /// a value TensorFlow's conversion gives no defined result for).
    case unrepresentableValue(layer: String, value: Double, reason: String)

    public var description: String {
        switch self {
        case .inputCount(let expected, let actual):
            "the model takes \(expected) input array(s), got \(actual)"
        case .inputRank(let expected, let actual, let shape):
            "input has \(actual) axes \(shape.shapeDescription), the model takes \(expected) axes"
        case .inputDimension(let axis, let expected, let actual, let shape):
            "input axis \(axis) has size \(actual) in \(shape.shapeDescription), the model expects \(expected)"
        case .inputShapeMismatch(let layer, let expected, let actual):
            "layer '\(layer)': expected input shape \(expected), got \(actual.shapeDescription)"
        case .emptySequence(let layer):
            "layer '\(layer)': the input sequence has no time steps"
        case .tooLarge(let layer, let elements):
            "layer '\(layer)': the work buffers for this input (\(elements) elements) are too large"
        case .indexOutOfRange(let layer, let index, let inputDim):
            "layer '\(layer)': input value \(index) is not an index in [0, \(inputDim))"
        case .unrepresentableValue(let layer, let value, let reason):
            "layer '\(layer)': value \(value) \(reason)"
        }
    }
}
