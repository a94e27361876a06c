// The runtime shape of the image layers that take `(batch, h, w, c)` or one unbatched `(h, w, c)`
// image (in either data format) and give an image of a fixed height and width, and the layer
// that resizes them with an ``ImageResize``.

/// The output shape of an image layer making `height × width` images from `input`, of rank 3
/// (one image, as Keras reads a rank-3 tensor) or 4, in `format`.
func fixedSizeImageShape(_ input: [Int?], height: Int, width: Int, format: DataFormat, layer: String, className: String) throws(WeightLoadingError) -> [Int?] {
    guard input.count == 3 || input.count == 4 else {
        throw .unsupportedTopology(layer: layer, reason: "\(className) takes images of rank 3 or 4, got \(input.shapeDescription)")
    }
    var shape = input
    let heightAxis = format == .channelsLast ? input.count - 3 : input.count - 2
    shape[heightAxis] = height
    shape[heightAxis + 1] = width
    return shape
}

extension ChannelsLastImage {
    /// `input`, a rank-4 batch or a rank-3 image (a batch of one), channels last; nil for another rank.
    init?(images input: TensorOf<Scalar>, format: DataFormat) {
        if input.rank == 3 {
            self.init(TensorOf(uncheckedShape: [1] + input.shape, scalars: input.scalars), spatialRank: 2, format: format)
        } else {
            self.init(input, spatialRank: 2, format: format)
        }
    }

    /// This image as a tensor in `format`, of rank `rank` (3 drops the batch of one).
    func tensor(format: DataFormat, rank: Int) -> TensorOf<Scalar> {
        let result = tensor(format: format)
        guard rank == 3 else { return result }
        return TensorOf(uncheckedShape: Array(result.shape.dropFirst()), scalars: result.scalars)
    }
}

/// Images resized by an ``ImageResize`` (framed to the target's aspect ratio or not), in either
/// data format, rank 3 or 4. It drops the mask.
struct ImageResizeLayer<Scalar: ComputeScalar>: InferenceLayer {
    let name: String
    /// The Keras class, for messages.
    let className: String
    let resize: ImageResize
    let dataFormat: DataFormat

    var parameterCount: Int { 0 }

    func outputShapes(for inputs: [[Int?]]) throws(WeightLoadingError) -> [[Int?]] {
        [try fixedSizeImageShape(inputs[0], height: resize.height, width: resize.width, format: dataFormat, layer: name, className: className)]
    }

    func forward(_ call: LayerCall<Scalar>, state: inout LayerState<Scalar>?) throws(PredictionError) -> [TensorOf<Scalar>] {
        guard let image = ChannelsLastImage(images: call.input, format: dataFormat) else {
            throw .inputShapeMismatch(layer: name, expected: "images of rank 3 or 4", actual: call.input.shape)
        }
        return [try resize.apply(image, layer: name).tensor(format: dataFormat, rank: call.input.rank)]
    }
}
