extension KerasModel {
    /// The floating-point operations of one ``predict(_:)`` call on `batch` samples of `time`
    /// steps, counted as benchmarks count them: a multiply-add is 2 FLOPs, only matrix products count.
    ///
    /// - `LSTM`: `2 · 4·units · (inputUnits + units) · batch · time` (input and recurrent products);
    /// - `Dense`: `2 · inputUnits · units` per row it is applied to (`batch`, times the other
    ///   leading axes; an axis of unknown size counts as `time`).
    ///
    /// Other layers count 0. Input sizes come from the parameter counts, so the estimate holds
    /// however a layer stores its weights.
    /// - Parameters:
    ///   - batch: Samples per call.
    ///   - time: Sequence length.
    /// - Returns: The count, 0 for an empty model.
    public func estimatedFLOPs(batch: Int, time: Int) -> Double {
        var total = 0.0
        for (layerConfig, row) in zip(config.layers, summaryRows) {
            if let lstm = layerConfig.configuration(as: LSTMConfig.self), lstm.units > 0 {
                let gates = 4 * lstm.units
                let inputUnits = (row.parameterCount - (lstm.useBias ? gates : 0)) / gates - lstm.units
                total += 2 * Double(gates) * Double(inputUnits + lstm.units) * Double(batch) * Double(time)
            } else if let dense = layerConfig.configuration(as: DenseConfig.self), dense.units > 0 {
                let inputUnits = (row.parameterCount - (dense.useBias ? dense.units : 0)) / dense.units
                let leading = (row.outputShapes.first ?? [nil, dense.units]).dropLast()
                let rows = leading.enumerated().reduce(1.0) { product, axis in
                    product * Double(axis.offset == 0 ? batch : axis.element ?? time)
                }
                total += 2 * Double(inputUnits) * Double(dense.units) * rows
            }
        }
        return total
    }
}
