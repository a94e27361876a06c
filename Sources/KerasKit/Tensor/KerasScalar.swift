/// The element types a KerasKit tensor holds: `Float` for models that compute in float32 (the
/// Keras default) and `Double` for models whose dtype policy is `float64`.
///
/// KerasKit conforms `Float` and `Double`; other conformances are not supported.
public protocol KerasScalar: BinaryFloatingPoint, LosslessStringConvertible, Sendable {
    /// The NumPy element type of this scalar (`float32` or `float64`).
    static var numpyDType: NumpyArray.DType { get }
    /// The precision a model computing in this type has.
    static var precision: ComputePrecision { get }
}

extension Float: KerasScalar {
    public static var numpyDType: NumpyArray.DType { .float32 }
    public static var precision: ComputePrecision { .float32 }
}

extension Double: KerasScalar {
    public static var numpyDType: NumpyArray.DType { .float64 }
    public static var precision: ComputePrecision { .float64 }
}

/// The floating-point precision a model computes in, from its layers' dtype policies.
///
/// Keras's default policy `float32` computes in `Float`. A model whose layers have the policy
/// `float64` (Keras 2 `dtype="float64"`, Keras 3 `DTypePolicy("float64")`, or
/// `keras.config.set_floatx("float64")` when it was built) computes in `Double` with `Double`
/// weights, as Keras does. Mixed-precision policies (`mixed_float16`, `mixed_bfloat16`) compute
/// in float32.
public enum ComputePrecision: String, Sendable, Hashable, CustomStringConvertible {
    /// IEEE single precision (`Float`).
    case float32
    /// IEEE double precision (`Double`).
    case float64

    public var description: String { rawValue }
}
