extension TensorOf where Scalar == Float {
    /// Creates a float32 tensor from double-precision values, rounding each to nearest.
    /// - Throws: ``TensorError`` when the element count is not the product of the shape.
    public init(shape: [Int], doubles: [Double]) throws(TensorError) {
        try self.init(shape: shape, scalars: doubles.map { Float($0) })
    }

    /// Creates a float32 tensor from integer values, as Keras casts integer input.
    /// - Throws: ``TensorError`` when the element count is not the product of the shape.
    public init<Integer: BinaryInteger>(shape: [Int], integers: [Integer]) throws(TensorError) {
        try self.init(shape: shape, scalars: integers.map { Float($0) })
    }

    /// Creates a float32 tensor from IEEE half-precision bit patterns.
    /// - Throws: ``TensorError`` when the element count is not the product of the shape.
    public init(shape: [Int], float16Bits: [UInt16]) throws(TensorError) {
        try self.init(shape: shape, scalars: float16Bits.map(Float.init(float16Bits:)))
    }
}

extension Float {
    /// Widens an IEEE 754 binary16 bit pattern exactly (no `Float16` needed, so this builds on
    /// every platform).
    public init(float16Bits bits: UInt16) {
        let sign = UInt32(bits >> 15) << 31
        let exponent = Int((bits >> 10) & 0x1f)
        let mantissa = UInt32(bits & 0x3ff)
        switch exponent {
        case 0:
            // Zero or subnormal: mantissa · 2^-24.
            let magnitude = Float(mantissa) * 0x1p-24
            self = sign == 0 ? magnitude : -magnitude
        case 0x1f:
            self = Float(bitPattern: sign | 0x7f80_0000 | (mantissa << 13))
        default:
            self = Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
        }
    }
}
