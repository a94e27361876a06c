/// `keras.ops.cast` (class `Cast`, module `keras.src.ops.core`): the input converted to `dtype`
/// as `tf.cast` converts it, held in the model's float type.
///
/// - float32 / float64: the value rounded to that type (identity in a model of that precision).
/// - float16 / bfloat16: rounded to the nearest value of that format, ties to even, through
///   float32 as TensorFlow (Eigen) converts a float64; overflow gives ±∞.
/// - integer types: truncated toward zero, then wrapped to the type's width as TensorFlow's
///   conversion does for values within int32's range (int64's for int64, `[0, 2^64)` for
///   uint64); a NaN, ±∞ or a value beyond that range, whose conversion TensorFlow leaves to the
///   hardware, is refused when `predict` meets it. The integer is held as a float (exact up to
///   2^24 in a float32 model, 2^53 in float64).
/// - bool: 1 where the value is non-zero (NaN included), else 0.
public struct CastOperationConfig: LayerBuilding {
    public static let className = "Cast"
    public static let isOperation = true
    /// Fields every layer has (only `name` is written; `dtype` is the target below).
    public let common: LayerCommonConfig
    /// The target type.
    public let target: CastTarget

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        // LayerCommonConfig reads `dtype` as a layer's policy; for Cast it is the target.
        guard let name = common.dtype?.name else { throw arguments.invalid("dtype", "required") }
        guard let target = CastTarget(rawValue: name) else {
            throw arguments.invalid("dtype", "'\(name)' is not supported (KerasKit casts to float16, bfloat16, float32, float64, bool and the int and uint types)")
        }
        self.common = common
        self.target = target
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let operands = try OperationOperands<Scalar>(arguments: context.arguments, inputCount: inputs.count, layer: common.name)
        guard inputs.count == 1, operands.operands.count == 1 else {
            throw .unsupportedTopology(layer: common.name, reason: "Cast takes one tensor; the call passes \(inputs.count) tensor(s) and \(operands.operands.count - inputs.count) other argument(s)")
        }
        return RunnableLayer(CastLayer<Scalar>(name: common.name, target: target))
    }
}

/// A type `Cast` converts to.
public enum CastTarget: String, Sendable, Hashable, CaseIterable {
    case float16, bfloat16, float32, float64, bool
    case int8, int16, int32, int64, uint8, uint16, uint32, uint64

    /// For an integer type: its width in bits and whether it is signed.
    var integer: (bits: Int, signed: Bool)? {
        switch self {
        case .int8: (8, true)
        case .int16: (16, true)
        case .int32: (32, true)
        case .int64: (64, true)
        case .uint8: (8, false)
        case .uint16: (16, false)
        case .uint32: (32, false)
        case .uint64: (64, false)
        default: nil
        }
    }
}

/// `Cast`, element-wise.
struct CastLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let target: CastTarget

    var parameterCount: Int { 0 }
    var timeBehavior: TimeBehavior { .stepwise }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] { [inputs[0]] }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        var output = call.outputBuffer(input.scalars.count, zeroed: false)
        let target = target
        var refused: Scalar?
        input.scalars.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                switch target {
                case .float64: for index in 0..<x.count { y[index] = x[index] }
                case .float32: for index in 0..<x.count { y[index] = Scalar(Float(x[index])) }
                case .float16: for index in 0..<x.count { y[index] = Scalar(roundedToHalf(Float(x[index]))) }
                case .bfloat16: for index in 0..<x.count { y[index] = Scalar(roundedToBFloat16(Float(x[index]))) }
                case .bool: for index in 0..<x.count { y[index] = x[index] != 0 ? 1 : 0 }
                default:
                    guard let (bits, signed) = target.integer else { return }
                    for index in 0..<x.count {
                        guard let value = castToInteger(x[index], bits: bits, signed: signed) else {
                            refused = x[index]
                            return
                        }
                        y[index] = value
                    }
                }
            }
        }
        if let refused {
            throw .unrepresentableValue(layer: name, value: Double(refused), reason: "has no defined \(target.rawValue) conversion in TensorFlow (KerasKit converts values within int32's range, or the target's own)")
        }
        return [TensorOf(uncheckedShape: input.shape, scalars: output)]
    }
}

/// `x` truncated toward zero and wrapped to a `bits`-wide integer, or nil where TensorFlow's
/// result is the hardware's (out of the converted range, NaN, ±∞).
@inline(__always)
private func castToInteger<Scalar: ComputeScalar>(_ x: Scalar, bits: Int, signed: Bool) -> Scalar? {
    let truncated = x.rounded(.towardZero)
    switch (bits, signed) {
    case (64, true):
        guard truncated >= -0x1p63, truncated < 0x1p63 else { return nil }
        return truncated
    case (64, false):
        guard truncated >= 0, truncated < 0x1p64 else { return nil }
        return truncated
    case (32, false):
        // Negative values within int32's range wrap; TensorFlow converts through int64.
        guard truncated >= -0x1p31, truncated < 0x1p32 else { return nil }
        return truncated < 0 ? truncated + 0x1p32 : truncated
    default:
        // Through int32, then the low `bits` bits.
        guard truncated >= -0x1p31, truncated < 0x1p31 else { return nil }
        let value = Int64(truncated)
        let modulus = Int64(1) << bits
        var wrapped = value & (modulus - 1)
        if signed, wrapped >= modulus / 2 { wrapped -= modulus }
        return Scalar(wrapped)
    }
}

/// The float16 value nearest `x` (ties to even, subnormals kept, overflow to ±∞).
@inline(__always)
func roundedToHalf(_ x: Float) -> Float {
    guard x.isFinite, x != 0 else { return x }
    let magnitude = Swift.abs(x)
    // The spacing of float16 values around |x|: 2^-24 among subnormals, else 2^(e − 10).
    let exponent = Swift.max(Int(magnitude.exponent), -14)
    let quantum = Float(sign: .plus, exponent: exponent - 10, significand: 1)
    let rounded = (magnitude / quantum).rounded(.toNearestOrEven) * quantum
    let result: Float = rounded > 65504 ? .infinity : rounded
    return x < 0 ? -result : result
}

/// The bfloat16 value nearest `x` (ties to even, NaN kept), as Eigen rounds a float32.
@inline(__always)
func roundedToBFloat16(_ x: Float) -> Float {
    guard !x.isNaN else { return x }
    let bits = x.bitPattern
    let rounded = (bits &+ 0x7fff &+ ((bits >> 16) & 1)) & 0xffff_0000
    return Float(bitPattern: rounded)
}
