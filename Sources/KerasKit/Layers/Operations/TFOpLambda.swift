/// Keras 2's `TFOpLambda`: a TensorFlow function applied to tensors in a Functional model
/// (`x + 3.0` is `tf.__operators__.add`), recorded as a layer with the function's name. KerasKit
/// runs the binary arithmetic functions on a tensor and a constant or on two tensors
/// (keras.applications' MobileNetV3 and ConvNeXt use them); any other function is refused by
/// name. No code is read from the file: the name alone says what runs.
public struct TFOpLambdaConfig: LayerBuilding {
    public static let className = "TFOpLambda"
    /// Fields every layer has.
    public let common: LayerCommonConfig
    /// The function's name under `tf.` (`__operators__.add`, `math.multiply`).
    public let function: String
    /// What it computes; nil for a function KerasKit doesn't run (refused when the model is
    /// built, so that `inspect` still shows the model).
    let operation: ElementwiseOperation?

    /// The functions KerasKit runs, by their `tf.` names.
    static let operations: [String: ElementwiseOperation] = [
        "__operators__.add": .add, "math.add": .add, "__operators__.sub": .subtract, "math.subtract": .subtract,
        "math.multiply": .multiply, "__operators__.mul": .multiply, "math.truediv": .divide, "__operators__.truediv": .divide,
        "math.divide": .divide, "math.maximum": .maximum, "math.minimum": .minimum, "math.pow": .power, "__operators__.pow": .power,
    ]

    public init(common: LayerCommonConfig, arguments: inout LayerArguments) throws(KerasConfigError) {
        self.common = common
        function = try arguments.string("function", default: nil) ?? ""
        operation = Self.operations[function]
    }

    func makeLayer<Scalar: ComputeScalar>(inputs: [[Int?]], weights: WeightList<Scalar>, context: LayerBuildContext<Scalar>) throws(WeightLoadingError) -> RunnableLayer<Scalar> {
        guard let operation else {
            let known = Self.operations.keys.sorted().map { "tf.\($0)" }.joined(separator: ", ")
            throw .unsupportedTopology(layer: common.name, reason: "TFOpLambda function tf.\(function) is not supported (KerasKit runs \(known))")
        }
        return RunnableLayer(try ElementwiseOperationLayer<Scalar>(name: common.name, operation: operation, inputs: inputs, arguments: context.arguments, className: Self.className))
    }
}
