extension KerasModel {
    /// One row of ``summaryRows``: what Keras's `model.summary()` shows for a layer.
    public struct SummaryRow: Sendable, Equatable {
        /// The layer name.
        public var name: String
        /// The Keras class name.
        public var className: String
        /// The layer's output shapes (several for `return_state`).
        public var outputShapes: [[Int?]]
        /// The layer's parameter count.
        public var parameterCount: Int
    }

    /// The rows of a Keras-style summary, one per layer in call order.
    public var summaryRows: [SummaryRow] {
        config.layers.filter { !$0.isOperation }.map { layerConfig in
            SummaryRow(
                name: layerConfig.name, className: layerConfig.className,
                outputShapes: shapes[NodeKey(layer: layerConfig.name, node: 0)] ?? [],
                parameterCount: engine.layer(named: layerConfig.name)?.parameterCount ?? 0
            )
        }
    }

    /// A Keras-style summary table: layer, output shape and parameters, then the totals.
    public func summary() -> String {
        let rows = summaryRows.map { row -> (String, String, String) in
            let shapes = row.outputShapes.map(\.shapeDescription)
            return ("\(row.name) (\(row.className))", shapes.count == 1 ? shapes[0] : "[" + shapes.joined(separator: ", ") + "]", String(row.parameterCount))
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
        var text = "Model: \"\(config.name)\"\n"
        text += String(repeating: "_", count: width) + "\n"
        text += line(headers.0, headers.1, headers.2) + "\n"
        text += String(repeating: "=", count: width) + "\n"
        text += rows.map { line($0.0, $0.1, $0.2) }.joined(separator: "\n" + String(repeating: "_", count: width) + "\n") + "\n"
        text += String(repeating: "=", count: width) + "\n"
        text += "Total params: \(parameterCount)\n"
        text += "Trainable params: \(trainableParameterCount)\n"
        text += "Non-trainable params: \(parameterCount - trainableParameterCount)\n"
        text += String(repeating: "_", count: width)
        return text
    }

    /// Parameters of layers marked trainable.
    public var trainableParameterCount: Int {
        config.layers.reduce(0) { $0 + ($1.common.trainable ? engine.layer(named: $1.name)?.parameterCount ?? 0 : 0) }
    }
}
