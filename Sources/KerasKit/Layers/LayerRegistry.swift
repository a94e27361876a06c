/// The Keras classes KerasKit runs: each listed once, here. Everything else about a class lives
/// in its own file under `Layers/`.
enum LayerRegistry {
    /// Every class's builder for `Scalar`. Listing the config types in a function generic over
    /// the scalar is what lets the compiler specialize each builder, and the layer it wraps in a
    /// ``RunnableLayer``, for `Float` and for `Double` (see ``RunnableLayer``).
    static func entries<Scalar: ComputeScalar>(_ scalar: Scalar.Type) -> [LayerEntry<Scalar>] {
        [
            // Core
            .init(InputLayerConfig.self), .init(DenseConfig.self), .init(ActivationConfig.self), .init(EmbeddingConfig.self),
            .init(MaskingConfig.self), .init(IdentityConfig.self), .init(EinsumDenseConfig.self),
            // Activation layers
            .init(ReLUConfig.self), .init(LeakyReLUConfig.self), .init(PReLUConfig.self), .init(ELUConfig.self), .init(SoftmaxConfig.self),
            // Regularization (identity at inference)
            .init(DropoutConfig.self), .init(SpatialDropout1DConfig.self), .init(SpatialDropout2DConfig.self), .init(SpatialDropout3DConfig.self),
            .init(GaussianNoiseConfig.self), .init(GaussianDropoutConfig.self), .init(AlphaDropoutConfig.self),
            .init(ActivityRegularizationConfig.self),
            // Recurrent layers and wrappers
            .init(LSTMConfig.self), .init(GRUConfig.self), .init(SimpleRNNConfig.self),
            .init(ConvLSTM1DConfig.self), .init(ConvLSTM2DConfig.self), .init(ConvLSTM3DConfig.self),
            .init(BidirectionalConfig.self), .init(TimeDistributedConfig.self),
            // Reshaping
            .init(FlattenConfig.self), .init(ReshapeConfig.self), .init(PermuteConfig.self), .init(RepeatVectorConfig.self),
            .init(ZeroPadding1DConfig.self), .init(Cropping1DConfig.self), .init(UpSampling1DConfig.self),
            // Merging
            .init(ConcatenateConfig.self), .init(AddConfig.self), .init(SubtractConfig.self), .init(MultiplyConfig.self),
            .init(AverageConfig.self), .init(MaximumConfig.self), .init(MinimumConfig.self), .init(DotConfig.self),
            // Convolution and pooling
            .init(Conv1DConfig.self), .init(Conv2DConfig.self), .init(Conv3DConfig.self),
            .init(DepthwiseConv1DConfig.self), .init(DepthwiseConv2DConfig.self), .init(SeparableConv1DConfig.self), .init(SeparableConv2DConfig.self),
            .init(Conv1DTransposeConfig.self), .init(Conv2DTransposeConfig.self), .init(Conv3DTransposeConfig.self),
            .init(MaxPooling1DConfig.self), .init(AveragePooling1DConfig.self),
            .init(GlobalAveragePooling1DConfig.self), .init(GlobalMaxPooling1DConfig.self),
            // Pooling and reshaping, 2-D and 3-D
            .init(MaxPooling2DConfig.self), .init(MaxPooling3DConfig.self), .init(AveragePooling2DConfig.self), .init(AveragePooling3DConfig.self),
            .init(GlobalAveragePooling2DConfig.self), .init(GlobalAveragePooling3DConfig.self),
            .init(GlobalMaxPooling2DConfig.self), .init(GlobalMaxPooling3DConfig.self),
            .init(AdaptiveAveragePooling1DConfig.self), .init(AdaptiveAveragePooling2DConfig.self), .init(AdaptiveAveragePooling3DConfig.self),
            .init(AdaptiveMaxPooling1DConfig.self), .init(AdaptiveMaxPooling2DConfig.self), .init(AdaptiveMaxPooling3DConfig.self),
            .init(ZeroPadding2DConfig.self), .init(ZeroPadding3DConfig.self), .init(Cropping2DConfig.self), .init(Cropping3DConfig.self),
            .init(UpSampling2DConfig.self), .init(UpSampling3DConfig.self),
            // Normalization
            .init(LayerNormalizationConfig.self), .init(BatchNormalizationConfig.self), .init(UnitNormalizationConfig.self),
            .init(GroupNormalizationConfig.self), .init(RMSNormalizationConfig.self), .init(NormalizationConfig.self),
            // Preprocessing
            .init(RescalingConfig.self), .init(ResizingConfig.self), .init(CenterCropConfig.self),
            // Keras 3 operations (module keras.src.ops.numpy) that compute masks in Functional configs
            .init(NotEqualConfig.self), .init(AnyConfig.self), .init(LogicalOrConfig.self), .init(LogicalAndConfig.self),
            .init(ExpandDimsConfig.self), .init(ZerosLikeConfig.self), .init(OnesLikeConfig.self),
            // Keras 3 operations that move values (keras.ops.transpose, x[key], …)
            .init(TransposeConfig.self), .init(SqueezeConfig.self), .init(StackConfig.self), .init(TakeConfig.self),
            .init(GetItemConfig.self), .init(TileConfig.self), .init(RepeatConfig.self), .init(FlipConfig.self),
            .init(RollConfig.self), .init(BroadcastToConfig.self), .init(TakeAlongAxisConfig.self),
            // Keras 2's TensorFlow functions on tensors
            .init(TFOpLambdaConfig.self), .init(SlicingOpLambdaConfig.self),
            // Image augmentation (identity at inference)
            .init(RandomFlipConfig.self), .init(RandomRotationConfig.self), .init(RandomZoomConfig.self),
            .init(RandomTranslationConfig.self), .init(RandomContrastConfig.self), .init(RandomBrightnessConfig.self),
            .init(RandomHeightConfig.self), .init(RandomWidthConfig.self), .init(RandomGrayscaleConfig.self),
            .init(RandomHueConfig.self), .init(RandomSaturationConfig.self), .init(RandomSharpnessConfig.self),
            .init(RandomShearConfig.self), .init(RandomColorJitterConfig.self), .init(RandomColorDegenerationConfig.self),
            .init(RandomPosterizationConfig.self), .init(RandomInvertConfig.self), .init(RandomPerspectiveConfig.self),
            .init(RandomElasticTransformConfig.self), .init(RandomErasingConfig.self), .init(RandomGaussianBlurConfig.self),
            .init(AugMixConfig.self), .init(RandAugmentConfig.self), .init(CutMixConfig.self), .init(MixUpConfig.self),
            .init(SolarizationConfig.self), .init(RandomCropConfig.self), .init(MaxNumBoundingBoxesConfig.self),
            // Classes of keras.applications
            .init(LayerScaleConfig.self),
            // Attention
            .init(MultiHeadAttentionConfig.self), .init(GroupQueryAttentionConfig.self),
            // Attention, and the operation Keras 3 records for the query mask it passes on
            .init(AttentionConfig.self), .init(AdditiveAttentionConfig.self), .init(ConvertToTensorConfig.self),
            // Models used as layers
            .init(NestedModelConfig.self),
        ]
    }

    /// Keras 3 operations whose class names are also layers' (`Add` is `keras.ops.add` in an
    /// operation node, module `keras.src.ops.*`): a namespace of their own.
    static func operationEntries<Scalar: ComputeScalar>(_ scalar: Scalar.Type) -> [LayerEntry<Scalar>] {
        [
            .init(AddOperationConfig.self), .init(SubtractOperationConfig.self), .init(MultiplyOperationConfig.self),
            .init(DivideOperationConfig.self), .init(TrueDivideOperationConfig.self), .init(MaximumOperationConfig.self),
            .init(MinimumOperationConfig.self), .init(PowerOperationConfig.self),
            .init(EinsumOperationConfig.self), .init(MatmulOperationConfig.self),
            // Math operation nodes (ops-math): comparisons and other binary operations, where, cast
            .init(EqualOperationConfig.self), .init(GreaterOperationConfig.self), .init(GreaterEqualOperationConfig.self),
            .init(LessOperationConfig.self), .init(LessEqualOperationConfig.self), .init(LogicalXorOperationConfig.self),
            .init(FloorDivideOperationConfig.self), .init(ModOperationConfig.self), .init(WhereOperationConfig.self),
            .init(CastOperationConfig.self),
            // element-wise math on one tensor
            .init(NegativeOperationConfig.self), .init(AbsoluteOperationConfig.self), .init(AbsOperationConfig.self),
            .init(FabsOperationConfig.self), .init(SignOperationConfig.self), .init(SquareOperationConfig.self),
            .init(SqrtOperationConfig.self), .init(RsqrtOperationConfig.self), .init(ReciprocalOperationConfig.self),
            .init(ExpOperationConfig.self), .init(Exp2OperationConfig.self), .init(Expm1OperationConfig.self),
            .init(LogOperationConfig.self), .init(Log2OperationConfig.self), .init(Log10OperationConfig.self),
            .init(Log1pOperationConfig.self), .init(ErfOperationConfig.self), .init(ErfcOperationConfig.self),
            .init(CbrtOperationConfig.self), .init(SinOperationConfig.self), .init(CosOperationConfig.self),
            .init(TanOperationConfig.self), .init(ArcsinOperationConfig.self), .init(ArccosOperationConfig.self),
            .init(ArctanOperationConfig.self), .init(SinhOperationConfig.self), .init(CoshOperationConfig.self),
            .init(TanhOperationConfig.self), .init(ArcsinhOperationConfig.self), .init(ArccoshOperationConfig.self),
            .init(ArctanhOperationConfig.self), .init(FloorOperationConfig.self), .init(CeilOperationConfig.self),
            .init(TruncOperationConfig.self), .init(RoundOperationConfig.self), .init(ClipOperationConfig.self),
            .init(LogicalNotOperationConfig.self), .init(IsnanOperationConfig.self), .init(IsinfOperationConfig.self),
            .init(IsfiniteOperationConfig.self),
            // activation functions applied to a tensor
            .init(ReLUOperationConfig.self), .init(ReluOperationConfig.self), .init(Relu6OperationConfig.self),
            .init(SigmoidOperationConfig.self), .init(SparseSigmoidOperationConfig.self), .init(SoftplusOperationConfig.self),
            .init(SoftsignOperationConfig.self), .init(SparsePlusOperationConfig.self), .init(SiluOperationConfig.self),
            .init(LogSigmoidOperationConfig.self), .init(HardSigmoidOperationConfig.self), .init(HardSiluOperationConfig.self),
            .init(SeluOperationConfig.self), .init(TanhShrinkOperationConfig.self), .init(HardTanhOperationConfig.self),
            .init(LeakyReluOperationConfig.self), .init(EluOperationConfig.self), .init(CeluOperationConfig.self),
            .init(GeluOperationConfig.self), .init(SoftShrinkOperationConfig.self), .init(HardShrinkOperationConfig.self),
            .init(SquareplusOperationConfig.self), .init(ThresholdOperationConfig.self),
            .init(SoftmaxOperationConfig.self), .init(LogSoftmaxOperationConfig.self), .init(GluOperationConfig.self),
            // reductions
            .init(MeanOperationConfig.self), .init(SumOperationConfig.self), .init(MaxOperationConfig.self),
            .init(MinOperationConfig.self), .init(AmaxOperationConfig.self), .init(AminOperationConfig.self),
            .init(ProdOperationConfig.self), .init(AllOperationConfig.self), .init(VarOperationConfig.self),
            .init(StdOperationConfig.self), .init(LogsumexpOperationConfig.self), .init(ArgmaxOperationConfig.self),
            .init(ArgminOperationConfig.self),
            .init(ConcatenateOperationConfig.self), .init(ReshapeOperationConfig.self),
        ]
    }

    /// The builders for each scalar, made once (on first use) and shared by every model.
    private static let floatBuilders = LayerBuilders(entries(Float.self) + operationEntries(Float.self))
    private static let doubleBuilders = LayerBuilders(entries(Double.self) + operationEntries(Double.self))

    /// The registered layer config types, in registry order (operations of their own namespace
    /// aside).
    static let types: [any LayerBuilding.Type] = entries(Float.self).map(\.type)
    /// The operation config types of ``operationEntries(_:)``.
    static let operationTypes: [any LayerBuilding.Type] = operationEntries(Float.self).map(\.type)

    /// The config types by every class name and alias they decode (nested models decode from
    /// their whole entry, not by name).
    private static let byName: [String: any LayerBuilding.Type] = names(of: types.filter { $0 != NestedModelConfig.self })

    /// The operation config types by class name: ``operationTypes`` and the layers Keras also
    /// records as operations of the same meaning.
    private static let operationByName: [String: any LayerBuilding.Type] = names(of: operationTypes + types.filter { $0.isRecordedAsOperation })

    private static func names(of types: [any LayerBuilding.Type]) -> [String: any LayerBuilding.Type] {
        var result: [String: any LayerBuilding.Type] = [:]
        for type in types {
            for name in [type.className] + type.aliases where result[name] == nil { result[name] = type }
        }
        return result
    }

    /// The config type for a class name or alias.
    static func configurationType(named className: String) -> (any LayerBuilding.Type)? { byName[className] }

    /// The config type of an operation node's class (module `keras.src.ops.*`).
    static func operationType(named className: String) -> (any LayerBuilding.Type)? { operationByName[className] }

    /// The Keras class names KerasKit can rebuild (aliases aside).
    static var classNames: [String] { types.filter { $0 != NestedModelConfig.self }.map { $0.className } }

    /// The operation classes of ``operationEntries(_:)``.
    static var operationClassNames: [String] { operationTypes.map { $0.className } }

    /// The builders for `Scalar`.
    static func builders<Scalar: ComputeScalar>(for scalar: Scalar.Type) -> LayerBuilders<Scalar> {
        (floatBuilders as? LayerBuilders<Scalar>) ?? (doubleBuilders as? LayerBuilders<Scalar>) ?? LayerBuilders(entries(scalar))
    }
}
