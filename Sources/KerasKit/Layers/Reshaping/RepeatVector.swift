/// `keras.layers.RepeatVector`: `(batch, features)` → `(batch, n, features)`.
public struct RepeatVectorConfig: LayerBuilding {
    public static let className = "RepeatVector"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// How many times the vector is repeated.
    public let n: Int

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        n = try arguments.size("n")
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        RunnableLayer(RepeatVectorLayer<Scalar>(config: self))
    }
}

/// `RepeatVector`: `(batch, features)` → `(batch, n, features)`. It drops the mask.
struct RepeatVectorLayer<Scalar: ComputeScalar>: InferenceLayer {
    let config: RepeatVectorConfig

    var name: String { config.common.name }
    var parameterCount: Int { 0 }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        let input = inputs[0]
        guard input.count == 2 else {
            throw .unsupportedTopology(layer: name, reason: "RepeatVector takes input of rank 2, got \(input.shapeDescription)")
        }
        return [[input[0], config.n, input[1]]]
    }
    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        let input = call.input
        guard input.rank == 2 else {
            throw .inputShapeMismatch(layer: name, expected: "(batch, features)", actual: input.shape)
        }
        let (batch, width, n) = (input.shape[0], input.shape[1], config.n)
        let outputShape = [batch, n, width]
        var output = [Scalar](repeating: 0, count: try checkedElementCount(outputShape, layer: name))
        input.scalars.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                guard let x = x.baseAddress, let y = y.baseAddress else { return }
                for sample in 0..<batch {
                    for copy in 0..<n {
                        (y + (sample * n + copy) * width).update(from: x + sample * width, count: width)
                    }
                }
            }
        }
        return [TensorOf(uncheckedShape: outputShape, scalars: output)]
    }
}
