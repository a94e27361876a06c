extension LayerConfig {
    /// Shape, merge, convolution, pooling, normalization and embedding layers, and Keras 3's
    /// mask operations.
    static let structuralLayerTypes: [any LayerConfiguration.Type] = [
        // Embedding and masking
        EmbeddingConfig.self, MaskingConfig.self,
        // Shape
        SpatialDropout1DConfig.self, FlattenConfig.self, ReshapeConfig.self, PermuteConfig.self, RepeatVectorConfig.self,
        // Merge
        ConcatenateConfig.self, AddConfig.self, SubtractConfig.self, MultiplyConfig.self,
        AverageConfig.self, MaximumConfig.self, MinimumConfig.self,
        // Convolution and pooling
        Conv1DConfig.self, MaxPooling1DConfig.self, AveragePooling1DConfig.self,
        GlobalAveragePooling1DConfig.self, GlobalMaxPooling1DConfig.self,
        // Normalization
        LayerNormalizationConfig.self, BatchNormalizationConfig.self,
        // Keras 3 operations (module keras.src.ops.numpy) that compute masks in Functional configs
        NotEqualConfig.self, AnyConfig.self, LogicalOrConfig.self, LogicalAndConfig.self,
        ExpandDimsConfig.self, ZerosLikeConfig.self, OnesLikeConfig.self,
    ]
}
