/// What the layers need of the scalar they compute in: elementary functions, vectorized
/// activations, a constant right-hand matrix for products and an LSTM recurrence.
///
/// Layers are generic over their scalar and call only these; `Float` answers with the SIMD
/// kernels (``PackedMatrix``, ``LSTMKernel``, ``VectorMath``) and `Double` with plain Swift
/// loops (``ReferenceMatrix``, ``ReferenceLSTMKernel``) and Foundation's double-precision
/// functions. See ``InferenceLayer`` for how the layers' generic code gets specialized.
protocol ComputeScalar: KerasScalar {
    /// A constant right-hand matrix `B`, prepared once at load for products `A·B (+ bias)`.
    associatedtype Matrix: MatrixProduct where Matrix.Scalar == Self
    /// An LSTM's weights prepared once at load, with its projection and recurrence.
    associatedtype Recurrence: LSTMRecurrence where Recurrence.Scalar == Self

    /// Prepares `b`, `rows × columns` values row-major, split into `groups` equal column groups.
    static func matrix(_ b: [Self], rows: Int, columns: Int, groups: Int) -> Matrix

    /// Prepares a stored weight of `rows × columns` values, in place when a native file already
    /// holds it in the form the products read (``PackedMatrix``'s panels), else from its values.
    static func matrix(_ weight: WeightArray, rows: Int, columns: Int, groups: Int) -> Matrix

    /// Prepares an LSTM from its prepared `kernel` `(inputUnits, 4·units)` and `recurrentKernel`
    /// `(units, 4·units)` (4 groups each) and `bias` `(4·units)`, gate order i, f, c, o.
    static func lstmRecurrence(kernel: Matrix, recurrentKernel: Matrix, bias: WeightVector<Self>?, inputUnits: Int, units: Int,
                               activation: Activation, recurrentActivation: Activation, generation: KerasGeneration) -> Recurrence

    /// `values[i] = exp(values[i])` for `count` values.
    static func exponentiate(_ values: UnsafeMutablePointer<Self>, count: Int)
    /// `values[i] = 1 / (1 + exp(-values[i]))` for `count` values.
    static func applySigmoid(_ values: UnsafeMutablePointer<Self>, count: Int)
    /// `values[i] = tanh(values[i])` for `count` values.
    static func applyTanh(_ values: UnsafeMutablePointer<Self>, count: Int)

    /// Scratch scalars ``multiplyTransient(m:n:k:_:lda:_:ldb:transposed:into:ldc:scratch:)``
    /// needs for a `k × n` right-hand matrix.
    static func transientScratchCount(rows k: Int, columns n: Int) -> Int
    /// `c[m × n] = a[m × k] · B` on the calling thread, for a `B` that changes from call to call
    /// (attention's keys and values): `b` holds `B` row-major, `ldb` apart, or with `transposed`
    /// `Bᵀ` (`n × k`); `scratch` holds ``transientScratchCount(rows:columns:)`` scalars.
    static func multiplyTransient(m: Int, n: Int, k: Int, _ a: UnsafePointer<Self>, lda: Int,
                                  _ b: UnsafePointer<Self>, ldb: Int, transposed: Bool,
                                  into c: UnsafeMutablePointer<Self>, ldc: Int, scratch: UnsafeMutablePointer<Self>)
    /// Each of `rows` rows of `count` values (`stride` apart) scaled by `scale`, then replaced by
    /// its softmax `exp(x − max) / Σ`, as TensorFlow computes a row.
    static func softmaxRows(_ values: UnsafeMutablePointer<Self>, rows: Int, count: Int, stride: Int, scale: Self)

    /// `eˣ`.
    static func exponential(_ x: Self) -> Self
    /// `eˣ − 1`, accurate near 0.
    static func exponentialMinusOne(_ x: Self) -> Self
    /// The natural logarithm.
    static func logarithm(_ x: Self) -> Self
    /// `log(1 + x)`, accurate near 0.
    static func logarithmOnePlus(_ x: Self) -> Self
    /// The hyperbolic tangent.
    static func hyperbolicTangent(_ x: Self) -> Self
    /// The error function.
    static func errorFunction(_ x: Self) -> Self

    /// The layers of a model built for this scalar, or nil when the model computes in another.
    static func layerGraph(of engine: ComputeEngine) -> LayerGraph<Self>?
}

/// A constant right-hand matrix for products `C = A·B (+ bias)`, as ``PackedMatrix`` provides.
protocol MatrixProduct<Scalar>: Sendable {
    associatedtype Scalar
    /// `c = (accumulate ? c : 0) + a·B + bias` for `m` rows of `a` (`lda` ≥ rows of `B`) and `c`
    /// (`ldc` ≥ columns of `B`); `parallel` lets large products split over the cores.
    func product(m: Int, _ a: UnsafePointer<Scalar>, lda: Int, into c: UnsafeMutablePointer<Scalar>, ldc: Int,
                 accumulate: Bool, bias: UnsafePointer<Scalar>?, parallel: Bool)
}

extension MatrixProduct {
    /// `c = (accumulate ? c : 0) + a·B + bias`, with ``PackedMatrix``'s defaults: overwrite, no
    /// bias, split over the cores when large.
    @inline(__always)
    func multiply(m: Int, _ a: UnsafePointer<Scalar>, lda: Int, into c: UnsafeMutablePointer<Scalar>, ldc: Int,
                  accumulate: Bool = false, bias: UnsafePointer<Scalar>? = nil, parallel: Bool = true) {
        product(m: m, a, lda: lda, into: c, ldc: ldc, accumulate: accumulate, bias: bias, parallel: parallel)
    }
}

/// An LSTM's weights prepared once at load and its forward pass, as ``LSTMKernel`` provides
/// them: a whole unmasked sequence at once, or one step at a time for loops that handle masks.
protocol LSTMRecurrence<Scalar>: Sendable {
    associatedtype Scalar: ComputeScalar
    /// `W`, `(inputUnits, 4·units)`: the masked loop projects the input with it.
    var kernel: Scalar.Matrix { get }
    /// Runs the layer over `time` steps for `batch` samples: input projection and recurrence
    /// (see ``LSTMKernel``). `fused: false` forces the plain gate loop.
    func run(
        x: UnsafePointer<Scalar>, batch: Int, time: Int, timeMajor: Bool, goesBackwards: Bool,
        h: UnsafeMutablePointer<Scalar>, c: UnsafeMutablePointer<Scalar>, sequence: UnsafeMutablePointer<Scalar>?,
        fused: Bool
    )
    /// One step: `z` (`batch × 4·units`) holds the step's projection and is overwritten; `h`
    /// and `c` are updated in place.
    func step(z: UnsafeMutablePointer<Scalar>, h: UnsafeMutablePointer<Scalar>, c: UnsafeMutablePointer<Scalar>,
              batch: Int, fused: Bool)
}

extension LSTMRecurrence {
    /// The whole sequence with the fastest gate code available.
    @inline(__always)
    func run(
        x: UnsafePointer<Scalar>, batch: Int, time: Int, timeMajor: Bool, goesBackwards: Bool,
        h: UnsafeMutablePointer<Scalar>, c: UnsafeMutablePointer<Scalar>, sequence: UnsafeMutablePointer<Scalar>?
    ) {
        run(x: x, batch: batch, time: time, timeMajor: timeMajor, goesBackwards: goesBackwards, h: h, c: c, sequence: sequence, fused: true)
    }

    /// One step with the fastest gate code available.
    @inline(__always)
    func step(z: UnsafeMutablePointer<Scalar>, h: UnsafeMutablePointer<Scalar>, c: UnsafeMutablePointer<Scalar>, batch: Int) {
        step(z: z, h: h, c: c, batch: batch, fused: true)
    }
}
