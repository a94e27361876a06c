/// `keras.layers.LayerNormalization`: each sample normalized over `axis`, then scaled by `gamma`
/// and shifted by `beta`.
public struct LayerNormalizationConfig: LayerConfiguration {
    public static let className = "LayerNormalization"
    /// Fields every layer has.
    public var common: LayerCommonConfig
    /// The axes normalized over (batch axis counted; negative from the end). Keras 2 writes the
    /// resolved list (`[2]`), Keras 3 an integer or a list.
    public var axis: [Int]
    /// Added to the variance before the square root.
    public var epsilon: Double
    /// Whether `beta` is added.
    public var center: Bool
    /// Whether `gamma` multiplies.
    public var scale: Bool
    /// Keras 3's deprecated `rms_scaling`: `x · rsqrt(var + ε) · gamma`, without centering.
    public var rmsScaling: Bool
    /// Initializers, regularizers and constraints: kept for inspection, unused at inference.
    public var betaInitializer: KerasObjectConfig?, gammaInitializer: KerasObjectConfig?
    public var betaRegularizer: KerasObjectConfig?, gammaRegularizer: KerasObjectConfig?
    public var betaConstraint: KerasObjectConfig?, gammaConstraint: KerasObjectConfig?

    enum CodingKeys: String, CodingKey {
        case axis, epsilon, center, scale, rmsScaling = "rms_scaling"
        case betaInitializer = "beta_initializer", gammaInitializer = "gamma_initializer"
        case betaRegularizer = "beta_regularizer", gammaRegularizer = "gamma_regularizer"
        case betaConstraint = "beta_constraint", gammaConstraint = "gamma_constraint"
    }

    public init(from decoder: any Decoder) throws {
        common = try LayerCommonConfig(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        axis = try container.decodeAxes(forKey: .axis, default: [-1])
        epsilon = try container.decodeFinite(forKey: .epsilon, default: 1e-3)
        guard epsilon >= 0 else {
            throw DecodingError.dataCorruptedError(forKey: .epsilon, in: container, debugDescription: "epsilon \(epsilon) is negative")
        }
        center = try container.decodeFlag(forKey: .center, default: true)
        scale = try container.decodeFlag(forKey: .scale, default: true)
        rmsScaling = try container.decodeFlag(forKey: .rmsScaling, default: false)
        betaInitializer = try container.decodeObject(forKey: .betaInitializer, default: "Zeros")
        gammaInitializer = try container.decodeObject(forKey: .gammaInitializer, default: "Ones")
        betaRegularizer = try container.decodeObject(forKey: .betaRegularizer, default: nil)
        gammaRegularizer = try container.decodeObject(forKey: .gammaRegularizer, default: nil)
        betaConstraint = try container.decodeObject(forKey: .betaConstraint, default: nil)
        gammaConstraint = try container.decodeObject(forKey: .gammaConstraint, default: nil)
    }

    /// Whether the layer has a `gamma` weight.
    var hasGamma: Bool { scale || rmsScaling }
    /// Whether the layer has a `beta` weight.
    var hasBeta: Bool { center && !rmsScaling }

    public var kerasArguments: [(name: String, value: JSONValue)] {
        [
            ("axis", axis.count == 1 ? .number(Double(axis[0])) : axis.json), ("epsilon", .number(epsilon)),
            ("center", .bool(center)), ("scale", .bool(scale)), ("rms_scaling", .bool(rmsScaling)),
            ("beta_initializer", betaInitializer.json), ("gamma_initializer", gammaInitializer.json),
            ("beta_regularizer", betaRegularizer.json), ("gamma_regularizer", gammaRegularizer.json),
            ("beta_constraint", betaConstraint.json), ("gamma_constraint", gammaConstraint.json),
        ]
    }
}

/// `keras.layers.BatchNormalization` at inference:
/// `(x − moving_mean) / sqrt(moving_variance + ε) · gamma + beta` over the last axis.
public struct BatchNormalizationConfig: LayerConfiguration {
    public static let className = "BatchNormalization"
    /// Fields every layer has.
    public var common: LayerCommonConfig
    /// The feature axis (KerasKit runs the last axis only; checked against the input rank when
    /// the model is built). Keras 2 writes a one-element list.
    public var axis: Int
    /// The moving-average momentum (training only).
    public var momentum: Double
    /// Added to the variance before the square root.
    public var epsilon: Double
    /// Whether `beta` is added.
    public var center: Bool
    /// Whether `gamma` multiplies.
    public var scale: Bool
    /// Initializers, regularizers and constraints: kept for inspection, unused at inference.
    public var betaInitializer: KerasObjectConfig?, gammaInitializer: KerasObjectConfig?
    public var movingMeanInitializer: KerasObjectConfig?, movingVarianceInitializer: KerasObjectConfig?
    public var betaRegularizer: KerasObjectConfig?, gammaRegularizer: KerasObjectConfig?
    public var betaConstraint: KerasObjectConfig?, gammaConstraint: KerasObjectConfig?
    /// Batch renormalization (training only; it adds three stored weights that inference ignores).
    public var renorm: Bool
    /// Renormalization settings (training only).
    public var renormClipping: JSONValue, renormMomentum: Double
    /// Keras 3's cross-replica statistics (training only).
    public var synchronized: Bool
    /// Keras 2's ghost batch size (training only).
    public var virtualBatchSize: Int?
    /// Keras 2's choice of kernel (no effect on results).
    public var fused: Bool?

    enum CodingKeys: String, CodingKey {
        case axis, momentum, epsilon, center, scale
        case betaInitializer = "beta_initializer", gammaInitializer = "gamma_initializer"
        case movingMeanInitializer = "moving_mean_initializer", movingVarianceInitializer = "moving_variance_initializer"
        case betaRegularizer = "beta_regularizer", gammaRegularizer = "gamma_regularizer"
        case betaConstraint = "beta_constraint", gammaConstraint = "gamma_constraint"
        case renorm, renormClipping = "renorm_clipping", renormMomentum = "renorm_momentum"
        case synchronized, virtualBatchSize = "virtual_batch_size", fused
    }

    public init(from decoder: any Decoder) throws {
        common = try LayerCommonConfig(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let axes = try container.decodeAxes(forKey: .axis, default: [-1])
        guard axes.count == 1, let axis = axes.first else {
            throw DecodingError.dataCorruptedError(forKey: .axis, in: container, debugDescription: "axis \(axes) is not supported (KerasKit runs BatchNormalization over the last axis only)")
        }
        self.axis = axis
        momentum = try container.decodeFinite(forKey: .momentum, default: 0.99)
        epsilon = try container.decodeFinite(forKey: .epsilon, default: 1e-3)
        guard epsilon >= 0 else {
            throw DecodingError.dataCorruptedError(forKey: .epsilon, in: container, debugDescription: "epsilon \(epsilon) is negative")
        }
        center = try container.decodeFlag(forKey: .center, default: true)
        scale = try container.decodeFlag(forKey: .scale, default: true)
        betaInitializer = try container.decodeObject(forKey: .betaInitializer, default: "Zeros")
        gammaInitializer = try container.decodeObject(forKey: .gammaInitializer, default: "Ones")
        movingMeanInitializer = try container.decodeObject(forKey: .movingMeanInitializer, default: "Zeros")
        movingVarianceInitializer = try container.decodeObject(forKey: .movingVarianceInitializer, default: "Ones")
        betaRegularizer = try container.decodeObject(forKey: .betaRegularizer, default: nil)
        gammaRegularizer = try container.decodeObject(forKey: .gammaRegularizer, default: nil)
        betaConstraint = try container.decodeObject(forKey: .betaConstraint, default: nil)
        gammaConstraint = try container.decodeObject(forKey: .gammaConstraint, default: nil)
        renorm = try container.decodeFlag(forKey: .renorm, default: false)
        renormClipping = try container.decodeIfPresent(JSONValue.self, forKey: .renormClipping) ?? .null
        renormMomentum = try container.decodeFinite(forKey: .renormMomentum, default: 0.99)
        synchronized = try container.decodeFlag(forKey: .synchronized, default: false)
        virtualBatchSize = try container.decodeIfPresent(Int.self, forKey: .virtualBatchSize)
        fused = try container.decodeIfPresent(Bool.self, forKey: .fused)
    }

    public var kerasArguments: [(name: String, value: JSONValue)] {
        [
            ("axis", .number(Double(axis))), ("momentum", .number(momentum)), ("epsilon", .number(epsilon)),
            ("center", .bool(center)), ("scale", .bool(scale)),
            ("beta_initializer", betaInitializer.json), ("gamma_initializer", gammaInitializer.json),
            ("moving_mean_initializer", movingMeanInitializer.json), ("moving_variance_initializer", movingVarianceInitializer.json),
            ("beta_regularizer", betaRegularizer.json), ("gamma_regularizer", gammaRegularizer.json),
            ("beta_constraint", betaConstraint.json), ("gamma_constraint", gammaConstraint.json),
            ("renorm", .bool(renorm)), ("renorm_clipping", renormClipping), ("renorm_momentum", .number(renormMomentum)),
            ("synchronized", .bool(synchronized)), ("virtual_batch_size", virtualBatchSize.json),
            ("fused", fused.map { .bool($0) } ?? .null),
        ]
    }
}
