// TensorFlow's image resizing, as the image layers that resize (bilinear upsampling, resizing,
// center and random crops that fall back to resizing) compute it with the TensorFlow backend:
// `tf.image.resize`'s methods (each one TensorFlow kernel: ResizeBilinear, ResizeNearestNeighbor,
// ResizeBicubic and ResizeArea, ScaleAndTranslate for the others and for antialiasing), and the
// centered aspect-ratio crop and pad Keras does before it. Everything is computed in float32 as the
// kernels do, except `nearest`, which copies values and so keeps float64 exact.

import Foundation

/// The methods of TensorFlow's `tf.image.resize` (Keras's `interpolation` names).
public enum ResizeMethod: String, Sendable, Hashable, CaseIterable {
    /// ResizeBilinear with half-pixel centers; with antialiasing, ScaleAndTranslate's triangle kernel.
    case bilinear
    /// ResizeNearestNeighbor with half-pixel centers (antialiasing does not apply).
    case nearest
    /// ResizeBicubic (Keys' cubic, a = −0.5, from a 1024-entry table) with half-pixel centers; with
    /// antialiasing, ScaleAndTranslate's Keys cubic kernel.
    case bicubic
    /// ResizeArea: each output pixel is the mean of the input area it covers (antialiasing does not apply).
    case area
    /// ScaleAndTranslate with a Lanczos kernel of radius 3.
    case lanczos3
    /// ScaleAndTranslate with a Lanczos kernel of radius 5.
    case lanczos5
    /// ScaleAndTranslate with a Gaussian kernel of radius 1.5 (σ = 0.5).
    case gaussian
    /// ScaleAndTranslate with the Mitchell–Netravali cubic kernel.
    case mitchellcubic
}

/// What is done to an image's aspect ratio before it is resized.
enum ImageFraming: Sendable, Hashable {
    /// Nothing: the image is stretched to the target size.
    case stretch
    /// The largest centered window with the target's aspect ratio is kept (Keras's
    /// `crop_to_aspect_ratio` and `smart_resize`). Keras 3 keeps at least one row and column;
    /// tf.keras does not (TensorFlow then refuses the empty image).
    case cropToAspectRatio(atLeastOnePixel: Bool)
    /// The short side is padded evenly with `fill` to the target's aspect ratio (Keras 3's
    /// `pad_to_aspect_ratio`: the same number of rows or columns on both sides, so an odd total
    /// loses one).
    case padToAspectRatio(fill: Double)
}

/// A resize of channels-last images to `height × width` as Keras does it with TensorFlow.
struct ImageResize: Sendable, Hashable {
    var height: Int, width: Int
    var method: ResizeMethod
    var antialias: Bool
    var framing: ImageFraming

    /// `image` framed and resized; throws for an empty image or sizes that overflow.
    func apply<Scalar: ComputeScalar>(_ image: ChannelsLastImage<Scalar>, layer: String) throws(PredictionError) -> ChannelsLastImage<Scalar> {
        var framed = image
        switch framing {
        case .stretch: break
        case .cropToAspectRatio(let atLeastOnePixel):
            framed = image.centerCropped(to: aspectRatioCrop(of: image, atLeastOnePixel: atLeastOnePixel))
        case .padToAspectRatio(let fill):
            framed = try image.padded(by: aspectRatioPadding(of: image), fill: Scalar(fill), layer: layer)
        }
        guard framed.spatial[0] > 0, framed.spatial[1] > 0 else {
            throw .inputShapeMismatch(layer: layer, expected: "an image of at least 1×1 to resize", actual: [framed.batch] + framed.spatial + [framed.channels])
        }
        return try framed.resized(height: height, width: width, method: method, antialias: antialias, layer: layer)
    }

    /// The crop size `smart_resize` and `crop_to_aspect_ratio` keep: sizes computed in float32
    /// and truncated, as TensorFlow does.
    func aspectRatioCrop<Scalar>(of image: ChannelsLastImage<Scalar>, atLeastOnePixel: Bool) -> (height: Int, width: Int) {
        let (inHeight, inWidth) = (image.spatial[0], image.spatial[1])
        var cropHeight = Swift.min(inHeight, Int(Float(inWidth * height) / Float(width)))
        var cropWidth = Swift.min(inWidth, Int(Float(inHeight * width) / Float(height)))
        if atLeastOnePixel { (cropHeight, cropWidth) = (Swift.max(cropHeight, 1), Swift.max(cropWidth, 1)) }
        return (cropHeight, cropWidth)
    }

    /// The rows (top and bottom each) and columns (left and right each) `pad_to_aspect_ratio` adds.
    func aspectRatioPadding<Scalar>(of image: ChannelsLastImage<Scalar>) -> (rows: Int, columns: Int) {
        let (inHeight, inWidth) = (image.spatial[0], image.spatial[1])
        let padHeight = Swift.max(inHeight, Int(Float(inWidth * height) / Float(width)))
        let padWidth = Swift.max(inWidth, Int(Float(inHeight * width) / Float(height)))
        return (Int(Float(padHeight - inHeight) / 2), Int(Float(padWidth - inWidth) / 2))
    }
}

extension ChannelsLastImage {
    /// The centered `size` window (start offsets truncated from float32 halves, as TensorFlow does).
    func centerCropped(to size: (height: Int, width: Int)) -> ChannelsLastImage {
        let (inHeight, inWidth) = (spatial[0], spatial[1])
        let top = Int(Float(inHeight - size.height) / 2), left = Int(Float(inWidth - size.width) / 2)
        return cropped(top: top, left: left, height: size.height, width: size.width)
    }

    /// The `height × width` window at (`top`, `left`), which lies inside the image.
    func cropped(top: Int, left: Int, height: Int, width: Int) -> ChannelsLastImage {
        if top == 0, left == 0, height == spatial[0], width == spatial[1] { return self }
        let inWidth = spatial[1]
        var output: [Scalar] = []
        output.reserveCapacity(batch * height * width * channels)
        for sample in 0..<batch {
            for row in top..<(top + height) {
                let start = ((sample * spatial[0] + row) * inWidth + left) * channels
                output.append(contentsOf: scalars[start..<(start + width * channels)])
            }
        }
        return ChannelsLastImage(batch: batch, spatial: [height, width], channels: channels, scalars: output)
    }

    /// The image with `rows` rows of `fill` above and below and `columns` columns left and right.
    func padded(by padding: (rows: Int, columns: Int), fill: Scalar, layer: String) throws(PredictionError) -> ChannelsLastImage {
        guard padding.rows > 0 || padding.columns > 0 else { return self }
        let (inHeight, inWidth) = (spatial[0], spatial[1])
        let height = inHeight + 2 * padding.rows, width = inWidth + 2 * padding.columns
        var output = [Scalar](repeating: fill, count: try checkedElementCount([batch, height, width, channels], layer: layer))
        for sample in 0..<batch {
            for row in 0..<inHeight {
                let source = (sample * inHeight + row) * inWidth * channels
                let target = ((sample * height + row + padding.rows) * width + padding.columns) * channels
                output.replaceSubrange(target..<(target + inWidth * channels), with: scalars[source..<(source + inWidth * channels)])
            }
        }
        return ChannelsLastImage(batch: batch, spatial: [height, width], channels: channels, scalars: output)
    }

    /// The image resized to `height × width` by `method` as TensorFlow's kernel for it computes.
    func resized(height: Int, width: Int, method: ResizeMethod, antialias: Bool, layer: String) throws(PredictionError) -> ChannelsLastImage {
        let outputShape = [batch, height, width, channels]
        let count = try checkedElementCount(outputShape, layer: layer)
        let (inHeight, inWidth) = (spatial[0], spatial[1])
        let output: [Scalar]
        switch (method, antialias) {
        case (.nearest, _):
            let rows = nearestIndices(input: inHeight, output: height), columns = nearestIndices(input: inWidth, output: width)
            var values: [Scalar] = []
            values.reserveCapacity(count)
            for sample in 0..<batch {
                for row in rows {
                    for column in columns {
                        let start = ((sample * inHeight + row) * inWidth + column) * channels
                        values.append(contentsOf: scalars[start..<(start + channels)])
                    }
                }
            }
            output = values
        case (.bilinear, false):
            output = bilinearResized(height: height, width: width, count: count)
        case (.bicubic, false):
            let rows = SeparableTaps.keysCubicTable(input: inHeight, output: height)
            let columns = SeparableTaps.keysCubicTable(input: inWidth, output: width)
            output = try separablyResized(rows: rows, columns: columns, rowsFirst: true, scale: nil, layer: layer)
        case (.area, _):
            let rows = SeparableTaps.area(input: inHeight, output: height), columns = SeparableTaps.area(input: inWidth, output: width)
            let scale = Float(1.0 / Double(rows.scale * columns.scale))
            output = try separablyResized(rows: rows.taps, columns: columns.taps, rowsFirst: false, scale: scale, layer: layer)
        default:
            let kernel = SamplingKernel(method: method)
            let rows = SeparableTaps.scaleAndTranslate(input: inHeight, output: height, kernel: kernel, antialias: antialias)
            let columns = SeparableTaps.scaleAndTranslate(input: inWidth, output: width, kernel: kernel, antialias: antialias)
            output = try separablyResized(rows: rows, columns: columns, rowsFirst: true, scale: nil, layer: layer)
        }
        return ChannelsLastImage(batch: batch, spatial: [height, width], channels: channels, scalars: output)
    }

    /// ResizeNearestNeighbor's source index per output index: `⌊(i + 0.5) · in/out⌋` in float32,
    /// clamped to the image.
    private func nearestIndices(input: Int, output: Int) -> [Int] {
        let scale = Float(input) / Float(output)
        return (0..<output).map { Swift.min(Swift.max(Int(((Float($0) + 0.5) * scale).rounded(.down)), 0), input - 1) }
    }

    /// ResizeBilinear with half-pixel centers: output row `y` samples input row
    /// `(y + 0.5) · (H / H') − 0.5` between its two neighbours clamped to the image, in float32,
    /// interpolating along the width first.
    private func bilinearResized(height outputHeight: Int, width outputWidth: Int, count: Int) -> [Scalar] {
        let (height, width) = (spatial[0], spatial[1])
        let rows = BilinearTap.taps(inputLength: height, outputLength: outputHeight)
        let columns = BilinearTap.taps(inputLength: width, outputLength: outputWidth)
        var output = [Scalar](repeating: 0, count: count)
        let channels = channels
        scalars.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                @inline(__always) func pixel(_ sample: Int, _ row: Int, _ column: Int, _ channel: Int) -> Float {
                    Float(x[((sample * height + row) * width + column) * channels + channel])
                }
                var target = 0
                for sample in 0..<batch {
                    for row in rows {
                        for column in columns {
                            for channel in 0..<channels {
                                let topLeft = pixel(sample, row.lower, column.lower, channel)
                                let topRight = pixel(sample, row.lower, column.upper, channel)
                                let bottomLeft = pixel(sample, row.upper, column.lower, channel)
                                let bottomRight = pixel(sample, row.upper, column.upper, channel)
                                let top = topLeft + (topRight - topLeft) * column.lerp
                                let bottom = bottomLeft + (bottomRight - bottomLeft) * column.lerp
                                y[target] = Scalar(top + (bottom - top) * row.lerp)
                                target += 1
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// A resize done one axis after the other in float32 (`rowsFirst`: along the height first),
    /// each output a sum of weighted inputs in tap order, times `scale` when given.
    private func separablyResized(rows: SeparableTaps, columns: SeparableTaps, rowsFirst: Bool, scale: Float?, layer: String) throws(PredictionError) -> [Scalar] {
        let (height, width) = (spatial[0], spatial[1])
        let values = scalars.map { Float($0) }
        var result: [Float]
        if rowsFirst {
            _ = try checkedElementCount([batch, rows.outputs, width, channels], layer: layer)
            let between = rows.resample(values, outer: batch, length: height, inner: width * channels)
            result = columns.resample(between, outer: batch * rows.outputs, length: width, inner: channels)
        } else {
            _ = try checkedElementCount([batch, height, columns.outputs, channels], layer: layer)
            let between = columns.resample(values, outer: batch * height, length: width, inner: channels)
            result = rows.resample(between, outer: batch, length: height, inner: columns.outputs * channels)
        }
        if let scale { for index in result.indices { result[index] *= scale } }
        return result.map { Scalar($0) }
    }
}

/// One bilinear output index's two input neighbours and the weight of the upper one
/// (TensorFlow's `compute_interpolation_weights` with its `HalfPixelScaler`).
struct BilinearTap {
    var lower: Int, upper: Int, lerp: Float

    /// The taps for `outputLength` outputs over `inputLength` inputs.
    static func taps(inputLength: Int, outputLength: Int) -> [BilinearTap] {
        let scale = Float(inputLength) / Float(outputLength)
        return (0..<outputLength).map { index in
            let position = (Float(index) + 0.5) * scale - 0.5
            let floor = position.rounded(.down)
            let upper = Swift.min(Int(position.rounded(.up)), inputLength - 1)
            let lower = Swift.min(Swift.max(Int(floor), 0), upper)
            return BilinearTap(lower: lower, upper: upper, lerp: position - floor)
        }
    }
}

/// Per output index along one axis, `span` (input index, weight) taps, zero-weighted past the end.
struct SeparableTaps {
    var outputs: Int
    var span: Int
    var indices: [Int]
    var weights: [Float]

    /// `values` `(outer, length, inner)` resampled along the middle axis to `(outer, outputs, inner)`.
    func resample(_ values: [Float], outer: Int, length: Int, inner: Int) -> [Float] {
        var output = [Float](repeating: 0, count: outer * outputs * inner)
        values.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                for block in 0..<outer {
                    for position in 0..<outputs {
                        let target = (block * outputs + position) * inner
                        for tap in 0..<span {
                            let weight = weights[position * span + tap]
                            let source = (block * length + indices[position * span + tap]) * inner
                            for element in 0..<inner { y[target + element] += weight * x[source + element] }
                        }
                    }
                }
            }
        }
        return output
    }

    /// The weights as TensorFlow's kernels normalize them: divided by their sum unless it is
    /// (nearly) zero, when ResizeBicubic keeps them and ScaleAndTranslate zeroes them.
    private static func normalized(_ weights: [Float], zeroWhenDegenerate: Bool = false) -> [Float] {
        let sum = weights.reduce(0, +)
        guard abs(sum) >= 1000 * Float.leastNormalMagnitude else {
            return zeroWhenDegenerate ? weights.map { _ in 0 } : weights
        }
        let inverse = 1 / sum
        return weights.map { $0 * inverse }
    }

    /// ResizeBicubic's taps with half-pixel centers: Keys' cubic (a = −0.5) looked up in its
    /// 1024-step table, taps outside the image weighted 0 and the rest renormalized.
    static func keysCubicTable(input: Int, output: Int) -> SeparableTaps {
        let tableSize = 1024
        let table: [(Float, Float)] = (0...tableSize).map { step in
            let a = -0.5
            var x = Float(Double(step) * 1.0 / Double(tableSize))
            let near = Float(((a + 2) * Double(x) - (a + 3)) * Double(x) * Double(x) + 1)
            x = Float(Double(x) + 1.0)
            let far = Float(((a * Double(x) - 5 * a) * Double(x) + 8 * a) * Double(x) - 4 * a)
            return (near, far)
        }
        let scale = Float(input) / Float(output)
        var indices: [Int] = [], weights: [Float] = []
        for position in 0..<output {
            let location = (Float(position) + 0.5) * scale - 0.5
            let base = Int(location.rounded(.down))
            let offset = Int(((location - Float(base)) * Float(tableSize)).rounded(.toNearestOrEven))
            let raw = [table[offset].1, table[offset].0, table[tableSize - offset].0, table[tableSize - offset].1]
            var tapWeights: [Float] = []
            for tap in 0..<4 {
                let wanted = base - 1 + tap
                let bounded = Swift.min(Swift.max(wanted, 0), input - 1)
                indices.append(bounded)
                tapWeights.append(bounded == wanted ? raw[tap] : 0)
            }
            weights += normalized(tapWeights)
        }
        return SeparableTaps(outputs: output, span: 4, indices: indices, weights: weights)
    }

    /// ResizeArea's taps: each input pixel weighted by how much of it the output pixel's
    /// `[i · s, (i + 1) · s)` covers (`s = in/out` in float32); the caller divides by the area.
    static func area(input: Int, output: Int) -> (taps: SeparableTaps, scale: Float) {
        let scale = Float(input) / Float(output)
        var perOutput: [[(Int, Float)]] = []
        for position in 0..<output {
            let start = Float(position) * scale, end = Float(position + 1) * scale
            let first = Int(start.rounded(.down)), last = Int(end.rounded(.up))
            func coverage(_ index: Int) -> Float {
                Float(index) < start ? (Float(index + 1) > end ? scale : Float(index + 1) - start) : (Float(index + 1) > end ? end - Float(index) : 1)
            }
            var taps: [(Int, Float)] = [(first, coverage(first))]
            if first + 1 != last {
                if first + 1 < last - 1 { for index in (first + 1)..<(last - 1) { taps.append((index, 1)) } }
                taps.append((last - 1, coverage(last - 1)))
            }
            perOutput.append(taps.map { (Swift.min(Swift.max($0.0, 0), input - 1), $0.1) })
        }
        return (padded(perOutput, outputs: output), scale)
    }

    /// ScaleAndTranslate's taps (no translation): each output samples at `(i + 0.5) / scale`
    /// with the kernel, stretched by `1/scale` when antialiasing a downscale; inputs within the
    /// kernel's radius, clamped to the image, weights normalized.
    static func scaleAndTranslate(input: Int, output: Int, kernel: SamplingKernel, antialias: Bool) -> SeparableTaps {
        let scale = Float(output) / Float(input)
        let inverseScale = Float(1.0 / Double(scale))
        let kernelScale: Float = antialias ? Swift.max(inverseScale, 1) : 1
        let inverseKernelScale = 1 / kernelScale
        let reach = kernel.radius * kernelScale
        var perOutput: [[(Int, Float)]] = []
        for position in 0..<output {
            let sample = (Float(position) + 0.5) * inverseScale
            guard sample >= 0, sample <= Float(input) else {
                perOutput.append([])
                continue
            }
            let first = Swift.min(Swift.max(Int((sample - reach - 0.5).rounded(.up)), 0), input - 1)
            let last = Swift.min(Swift.max(Int((sample + reach - 0.5).rounded(.down)), 0), input - 1)
            let sources = first <= last ? Array(first...last) : []
            let weights = normalized(sources.map { kernel(abs((Float($0) + 0.5 - sample) * inverseKernelScale)) }, zeroWhenDegenerate: true)
            perOutput.append(Array(zip(sources, weights)))
        }
        return padded(perOutput, outputs: output)
    }

    /// Taps of varying counts padded with zero weights to one span.
    private static func padded(_ perOutput: [[(Int, Float)]], outputs: Int) -> SeparableTaps {
        let span = Swift.max(perOutput.map(\.count).max() ?? 0, 1)
        var indices: [Int] = [], weights: [Float] = []
        for taps in perOutput {
            for tap in 0..<span {
                indices.append(tap < taps.count ? taps[tap].0 : 0)
                weights.append(tap < taps.count ? taps[tap].1 : 0)
            }
        }
        return SeparableTaps(outputs: outputs, span: span, indices: indices, weights: weights)
    }
}

/// ScaleAndTranslate's sampling kernels (TensorFlow's `sampling_kernels.h`), in float32.
struct SamplingKernel {
    enum Shape { case triangle, keysCubic, lanczos, gaussian, mitchellCubic }
    var shape: Shape
    var radius: Float

    /// The kernel `tf.image.resize` uses for `method` through ScaleAndTranslate (bilinear and
    /// bicubic get there only when antialiasing).
    init(method: ResizeMethod) {
        switch method {
        case .bilinear, .nearest, .area: (shape, radius) = (.triangle, 1)
        case .bicubic: (shape, radius) = (.keysCubic, 2)
        case .lanczos3: (shape, radius) = (.lanczos, 3)
        case .lanczos5: (shape, radius) = (.lanczos, 5)
        case .gaussian: (shape, radius) = (.gaussian, 1.5)
        case .mitchellcubic: (shape, radius) = (.mitchellCubic, 2)
        }
    }

    func callAsFunction(_ value: Float) -> Float {
        let x = abs(value)
        switch shape {
        case .triangle:
            return x < 1 ? 1 - x : 0
        case .keysCubic:
            if x >= 2 { return 0 }
            if x >= 1 { return ((-0.5 * x + 2.5) * x - 4) * x + 2 }
            return ((1.5 * x - 2.5) * x) * x + 1
        case .lanczos:
            let pi: Float = 3.14159265359
            if x > radius { return 0 }
            if x <= 1e-3 { return 1 }
            return radius * Foundation.sin(pi * x) * Foundation.sin(pi * x / radius) / (pi * pi * x * x)
        case .gaussian:
            if x >= radius { return 0 }
            let sigma = Double(radius / 3)
            return Float(Foundation.exp(Double(-x * x) / (2.0 * sigma * sigma)))
        case .mitchellCubic:
            if x >= 2 { return 0 }
            if x >= 1 { return (((-7.0 / 18.0) * x + 2) * x - 10.0 / 3.0) * x + 16.0 / 9.0 }
            return (((7.0 / 6.0) * x - 2) * x) * x + 8.0 / 9.0
        }
    }
}
