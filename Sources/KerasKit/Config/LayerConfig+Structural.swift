extension LayerConfig {
    /// Shape, merge, convolution, pooling, normalization and embedding layers, and Keras 3's
    /// mask operations.
    static let structuralLayerTypes: [any LayerConfiguration.Type] = []
}
