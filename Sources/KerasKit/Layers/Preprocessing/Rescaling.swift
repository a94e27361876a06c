/// `keras.layers.Rescaling`: `x · scale + offset`, each a number or a list broadcast against the
/// input's trailing axes (per channel), in the compute dtype; the mask passes through. Keras casts
/// the Python numbers with TensorFlow (`cast(self.scale, dtype)`), which makes them float32 constants
/// first: a float64 model scales by float32's `0.1`, and so does KerasKit.
public struct RescalingConfig: LayerBuilding {
    public static let className = "Rescaling"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The factor: one number, or one per position of the trailing axis.
    public let scale: [Double]
    /// Added after scaling: one number, or one per position of the trailing axis.
    public let offset: [Double]

    /// A number or a list of numbers.
    private static func values(_ key: String, default fallback: Double?, _ arguments: inout LayerArguments) throws(KerasConfigError) -> [Double] {
        let value = arguments.json(key, default: fallback.map(JSONValue.number) ?? .null)
        let items = value.arrayValue ?? [value]
        var numbers: [Double] = []
        for item in items {
            guard case .number(let number) = item, number.isFinite else {
                throw arguments.invalid(key, "expected a finite number or a list of them, found \(pythonLiteral(value))")
            }
            numbers.append(number)
        }
        guard !numbers.isEmpty, numbers.count <= KerasLimits.maxDimension else {
            throw arguments.invalid(key, "expected a number or a non-empty list, found \(pythonLiteral(value))")
        }
        return numbers
    }

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        guard arguments.contains("scale") else { throw arguments.invalid("scale", "required") }
        scale = try Self.values("scale", default: nil, &arguments)
        offset = try Self.values("offset", default: 0, &arguments)
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        RunnableLayer(RescalingLayer<Scalar>(
            name: common.name,
            scale: TensorOf(uncheckedShape: [scale.count], scalars: scale.map { Scalar(Float($0)) }),
            offset: TensorOf(uncheckedShape: [offset.count], scalars: offset.map { Scalar(Float($0)) })
        ))
    }
}

/// `Rescaling`: the product rounded, then the sum (two roundings, as Keras computes it).
struct RescalingLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let scale: TensorOf<Scalar>
    let offset: TensorOf<Scalar>

    var parameterCount: Int { 0 }
    var timeBehavior: TimeBehavior { .stepwise }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        for factor in [scale, offset] where factor.scalars.count > 1 {
            guard let last = inputs[0].last, last == nil || last == factor.scalars.count else {
                throw .unsupportedTopology(layer: name, reason: "\(factor.scalars.count) factors don't broadcast to input \(inputs[0].shapeDescription)")
            }
        }
        return [inputs[0]]
    }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        let scaled = try broadcastCombine(input, scale, layer: name) { x, s in x * s }
        let output = try broadcastCombine(scaled, offset, layer: name) { x, o in x + o }
        guard output.shape == input.shape else {
            throw .inputShapeMismatch(layer: name, expected: "an input whose last axis takes \(max(scale.scalars.count, offset.scalars.count)) factors", actual: input.shape)
        }
        return [output]
    }

    func outputMasks(for call: LayerCall<Scalar>, outputs: [TensorOf<Scalar>]) -> [Mask?] { passThroughMasks(call, outputs: outputs) }
}
