extension KerasModel {
    /// The floating-point operations of one ``predict(_:)`` call on `batch` samples of `time`
    /// steps, counted as benchmarks count them: a multiply-add is 2 FLOPs, only matrix products
    /// count. Each layer counts its own calls (``InferenceLayer/estimatedFLOPs(inputs:)``) on
    /// its inputs' shapes, with the batch axis set to `batch` and any other axis of unknown
    /// size to `time`.
    /// - Parameters:
    ///   - batch: Samples per call.
    ///   - time: Sequence length.
    /// - Returns: The count, 0 for an empty model.
    public func estimatedFLOPs(batch: Int, time: Int) -> Double {
        var total = 0.0
        for key in schedule {
            guard let layer = engine.layer(named: key.layer), let inputs = inputShapesByCall[key] else { continue }
            let concrete = inputs.map { shape in shape.enumerated().map { axis, size in size ?? (axis == 0 ? batch : time) } }
            total += layer.estimatedFLOPs(inputs: concrete)
        }
        return total
    }
}
