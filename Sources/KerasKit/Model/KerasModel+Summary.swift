extension KerasModel {
    /// One row of ``summaryRows``: what Keras's `model.summary()` shows for a layer.
    public struct SummaryRow: Sendable {
        /// The layer's config (name, class, arguments).
        public var layer: LayerConfig
        /// The layer's output shapes (several for `return_state`); empty when they can't be known
        /// (a model KerasKit can't run, past its first unsupported layer).
        public var outputShapes: [[Int?]]
        /// The layer's parameter count.
        public var parameterCount: Int
        /// The parameters training updates (Keras's `trainable_weights`).
        public var trainableParameterCount: Int
        /// Whether KerasKit implements the layer's class.
        public var isSupported: Bool

        /// The layer name.
        public var name: String { layer.name }
        /// The Keras class name.
        public var className: String { layer.className }
        /// The parameters training doesn't update (statistics, frozen layers).
        public var nonTrainableParameterCount: Int { parameterCount - trainableParameterCount }
    }

    /// The rows of a Keras-style summary, one per layer of `model.layers` (Keras 3's operation
    /// nodes aside), in config order.
    public var summaryRows: [SummaryRow] {
        Self.summaryRows(config: config, weights: Dictionary(weights.map { ($0.layer, $0.arrays) }, uniquingKeysWith: { first, _ in first }),
                         shapes: { shapes[NodeKey(layer: $0, node: 0)] })
    }

    /// Summary rows from a config and its stored weights alone, for a model that may not build:
    /// parameter counts are the stored weights' sizes, shapes come from `shapes` (nil: unknown).
    public static func summaryRows(config: ModelConfig, weights: [String: [WeightArray]], shapes: (String) -> [[Int?]]?) -> [SummaryRow] {
        config.layers.filter { !$0.isOperation }.map { layer in
            let arrays = weights[layer.name] ?? []
            let roles = layer.weightRoles
            var total = 0, trainable = 0
            for (index, array) in arrays.enumerated() {
                let size = array.shape.reduce(1, *)
                total += size
                // A class KerasKit doesn't implement declares no roles: its weights count as
                // trainable when the layer is (the summary says so).
                if index < roles.count ? roles[index].trainable : (!layer.isSupported && layer.common.trainable) { trainable += size }
            }
            return SummaryRow(layer: layer, outputShapes: shapes(layer.name) ?? [], parameterCount: total,
                              trainableParameterCount: trainable, isSupported: layer.isSupported)
        }
    }

    /// Summary rows of a model that may not build (layers of classes KerasKit doesn't implement):
    /// output shapes as far as the supported layers infer them (unknown past an unsupported
    /// layer), parameter counts from the stored weights.
    /// - Parameters:
    ///   - config: The model config.
    ///   - weights: The stored weights by layer name.
    ///   - kerasVersion: The writer's `keras_version`.
    /// - Returns: One row per layer, as ``summaryRows`` gives them for a model that builds.
    public static func summaryRows(config: ModelConfig, weights: [String: [WeightArray]], kerasVersion: String?) -> [SummaryRow] {
        let generation = KerasGeneration(kerasVersion: kerasVersion)
        let builders = LayerRegistry.builders(for: Float.self)
        let wiring = try? GraphBuilder.build(config: config, lenient: true) { layerConfig, inputShapes, site throws(WeightLoadingError) in
            guard layerConfig.isSupported, inputShapes.allSatisfy({ !$0.isEmpty }) else {
                throw .unsupportedTopology(layer: layerConfig.name, reason: "not built for inspection")
            }
            let context = LayerBuildContext(generation: generation, site: site, builders: builders)
            return try builders.build(layerConfig, inputs: inputShapes, weights: weights[layerConfig.name] ?? [], context: context)
        }
        return summaryRows(config: config, weights: weights, shapes: { wiring?.shapes[NodeKey(layer: $0, node: 0)] })
    }

    /// A Keras-style summary table: layer, output shape and parameters, then the totals.
    public func summary() -> String {
        Self.summary(name: config.name, rows: summaryRows)
    }

    /// A Keras-style summary table of `rows`; unsupported layers are marked.
    public static func summary(name: String, rows summaryRows: [SummaryRow]) -> String {
        let rows = summaryRows.map { row -> (String, String, String) in
            let shapes = row.outputShapes.map(\.shapeDescription)
            let shape = shapes.isEmpty ? "?" : shapes.count == 1 ? shapes[0] : "[" + shapes.joined(separator: ", ") + "]"
            let marker = row.isSupported ? "" : " [unsupported]"
            return ("\(row.name) (\(row.className))\(marker)", shape, String(row.parameterCount))
        }
        let headers = ("Layer (type)", "Output Shape", "Param #")
        let nameWidth = max(headers.0.count, rows.map(\.0.count).max() ?? 0) + 2
        let shapeWidth = max(headers.1.count, rows.map(\.1.count).max() ?? 0) + 2
        let paramWidth = max(headers.2.count, rows.map(\.2.count).max() ?? 0)
        let width = nameWidth + shapeWidth + paramWidth
        func line(_ a: String, _ b: String, _ c: String) -> String {
            a.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
                + b.padding(toLength: shapeWidth, withPad: " ", startingAt: 0)
                + String(repeating: " ", count: max(0, paramWidth - c.count)) + c
        }
        let total = summaryRows.reduce(0) { $0 + $1.parameterCount }
        let trainable = summaryRows.reduce(0) { $0 + $1.trainableParameterCount }
        var text = "Model: \"\(name)\"\n"
        text += String(repeating: "_", count: width) + "\n"
        text += line(headers.0, headers.1, headers.2) + "\n"
        text += String(repeating: "=", count: width) + "\n"
        text += rows.map { line($0.0, $0.1, $0.2) }.joined(separator: "\n" + String(repeating: "_", count: width) + "\n") + "\n"
        text += String(repeating: "=", count: width) + "\n"
        text += "Total params: \(total)\n"
        text += "Trainable params: \(trainable)\n"
        text += "Non-trainable params: \(total - trainable)\n"
        if summaryRows.contains(where: { !$0.isSupported }) {
            text += "(the weights of unsupported layers are counted as trainable when the layer is)\n"
        }
        text += String(repeating: "_", count: width)
        return text
    }

    /// Parameters training updates, as Keras counts them: the weights each layer declares
    /// trainable, in layers marked trainable.
    public var trainableParameterCount: Int { summaryRows.reduce(0) { $0 + $1.trainableParameterCount } }

    /// Parameters training doesn't update (normalization statistics, frozen layers).
    public var nonTrainableParameterCount: Int { parameterCount - trainableParameterCount }
}
