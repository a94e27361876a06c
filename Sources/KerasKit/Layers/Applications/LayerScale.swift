/// `LayerScale` of `keras.applications.convnext`: `x · gamma`, one learned scale per channel of
/// the last axis. It is a class of Keras (module `keras.src.applications.convnext`; tf-keras's
/// `keras.applications.convnext`), so ConvNeXt files name it.
public struct LayerScaleConfig: LayerBuilding {
    public static let className = "LayerScale"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The value `gamma` starts from (training only).
    public let initValues: Double
    /// The number of channels `gamma` scales.
    public let projectionDim: Int

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        initValues = try arguments.number("init_values", default: nil)
        projectionDim = try arguments.size("projection_dim")
    }

    /// tf-keras names the weight `gamma`; Keras 3 leaves it unnamed (`variable`).
    public var weightRoles: [WeightRole] { [WeightRole("gamma", otherNames: ["variable"])] }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        let input = inputs.first ?? []
        let channels = try knownLastAxis(input, layer: common.name)
        guard channels == projectionDim else {
            throw .unsupportedTopology(layer: common.name, reason: "projection_dim \(projectionDim) differs from the input's \(channels) channels")
        }
        return RunnableLayer(LayerScaleLayer<Scalar>(name: common.name, gamma: try weights.values("gamma", shape: [projectionDim])))
    }
}

/// `LayerScale`: each row of the last axis multiplied by `gamma`, element by element. It drops
/// the mask (the class doesn't declare mask support).
struct LayerScaleLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    let gamma: [Scalar]

    var parameterCount: Int { gamma.count }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] { [inputs[0]] }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        let channels = gamma.count
        guard input.rank >= 1, input.shape[input.rank - 1] == channels else {
            throw .inputShapeMismatch(layer: name, expected: "(…, \(channels))", actual: input.shape)
        }
        var output = input.scalars
        output.withUnsafeMutableBufferPointer { y in
            gamma.withUnsafeBufferPointer { g in
                guard let y = y.baseAddress, let g = g.baseAddress, channels > 0 else { return }
                for row in 0..<(input.scalars.count / channels) {
                    let values = y + row * channels
                    for channel in 0..<channels { values[channel] *= g[channel] }
                }
            }
        }
        return [TensorOf(uncheckedShape: input.shape, scalars: output)]
    }

    var timeBehavior: TimeBehavior { .stepwise }
}
