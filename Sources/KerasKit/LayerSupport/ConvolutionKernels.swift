// The compute of the convolution layers, channels last, for 1 to 3 spatial axes (missing leading
// axes have size 1; see ``ConvolutionGeometry``): a forward convolution as matrix products over
// patches, a depthwise convolution as a direct loop, and a transposed convolution as a product
// followed by a scatter. The layers move channels-first tensors to channels last around these.

/// The scalars a call's work buffers may hold at most, so a hostile shape fails as an error
/// instead of an allocation that can't succeed.
private let maximumScratch = 1 << 31

/// Rows of patches gathered per matrix product: about 128 KiB of patches, in whole multiples of
/// the micro-kernel's 12 rows.
private func patchBlockRows(patchLength: Int) -> Int {
    max(12, min(384, (1 << 15) / max(patchLength, 1) / 12 * 12))
}

/// A forward convolution `y = conv(x, kernel) + bias` (no activation), channels last:
/// `x` is `(batch, input…, inputChannels)`, `y` `(batch, output…, filters)`.
///
/// Each of `groups` groups multiplies its patches — the `taps × inputChannels/groups` inputs
/// under each output pixel's window, zero outside the input — by its `matrices[group]`
/// `(taps · inputChannels/groups, filters/groups)`. A 1×1 convolution with unit strides reads `x`
/// itself as the patch matrix.
func convolve<Scalar: ComputeScalar>(
    _ x: UnsafePointer<Scalar>, geometry g: ConvolutionGeometry, inputChannels: Int, groups: Int,
    matrices: [Scalar.Matrix], filters: Int, bias: UnsafePointer<Scalar>?, into y: UnsafeMutablePointer<Scalar>,
    layer: String
) throws(PredictionError) {
    let plan = try ConvolutionPatchPlan(geometry: g, inputChannels: inputChannels, groups: groups, filters: filters, layer: layer)
    var scratch = [Scalar](repeating: 0, count: max(plan.scratchCount, 1))
    scratch.withUnsafeMutableBufferPointer { buffer in
        guard let base = buffer.baseAddress else { return }
        convolve(x, geometry: g, plan: plan, inputChannels: inputChannels, groups: groups, matrices: matrices,
                 filters: filters, bias: bias, into: y, scratch: base)
    }
}

/// How a forward convolution gathers its patches: rows per block, parallel chunks, and the
/// scratch they need, worked out once so a caller that convolves the same geometry many times
/// (a ConvLSTM's recurrent convolution, every step) allocates the scratch once.
struct ConvolutionPatchPlan {
    /// Whether `x` itself is the patch matrix (1×1 window, unit strides, no groups): no scratch.
    let direct: Bool
    /// Scalars in one patch row.
    let patchLength: Int
    /// Patch rows gathered per product.
    let blockRows: Int
    /// Parallel chunks of output rows.
    let chunks: Int
    /// Scalars of scratch ``convolve(_:geometry:plan:inputChannels:groups:matrices:filters:bias:into:scratch:)`` needs.
    let scratchCount: Int

    /// - Throws: ``PredictionError/tooLarge(layer:elements:)`` when the scratch can't be allocated.
    init(geometry g: ConvolutionGeometry, inputChannels: Int, groups: Int, filters: Int, layer: String) throws(PredictionError) {
        let rows = g.batch * g.outputPixels
        direct = groups == 1 && g.taps == 1 && g.strides == [1, 1, 1] && g.padBefore == [0, 0, 0] && g.input == g.output
        patchLength = g.taps * (inputChannels / groups)
        blockRows = patchBlockRows(patchLength: patchLength)
        let work = Double(rows) * Double(patchLength) * Double(filters)
        chunks = work >= Double(PackedMatrix.parallelThreshold) ? max(1, min(Parallel.coreCount, (rows + blockRows - 1) / blockRows)) : 1
        let (count, overflow) = (chunks * blockRows).multipliedReportingOverflow(by: patchLength)
        guard !overflow, count <= maximumScratch else {
            throw .tooLarge(layer: layer, elements: "\(chunks * blockRows)×\(patchLength)")
        }
        scratchCount = direct ? 0 : count
    }
}

/// ``convolve(_:geometry:inputChannels:groups:matrices:filters:bias:into:layer:)`` on a caller's
/// scratch of `plan.scratchCount` scalars: allocates nothing. With `accumulate` the result is
/// added to `y`.
func convolve<Scalar: ComputeScalar>(
    _ x: UnsafePointer<Scalar>, geometry g: ConvolutionGeometry, plan: ConvolutionPatchPlan, inputChannels: Int, groups: Int,
    matrices: [Scalar.Matrix], filters: Int, bias: UnsafePointer<Scalar>?, into y: UnsafeMutablePointer<Scalar>,
    accumulate: Bool = false, scratch: UnsafeMutablePointer<Scalar>
) {
    let rows = g.batch * g.outputPixels
    guard rows > 0, filters > 0 else { return }
    let groupChannels = inputChannels / groups, groupFilters = filters / groups
    if plan.direct {
        matrices[0].multiply(m: rows, x, lda: inputChannels, into: y, ldc: filters, accumulate: accumulate, bias: bias)
        return
    }
    let patchLength = plan.patchLength, blockRows = plan.blockRows, chunks = plan.chunks
    let pointers = UncheckedSendable((x: x, y: y, scratch: scratch, bias: bias))
    Parallel.forEachIndexedChunk(of: rows, chunks: chunks, alignment: blockRows) { chunk, range in
        let (x, y, bias) = (pointers.value.x, pointers.value.y, pointers.value.bias)
        let patches = pointers.value.scratch + chunk * blockRows * patchLength
        var start = range.lowerBound
        while start < range.upperBound {
            let end = min(start + blockRows, range.upperBound)
            for group in 0..<groups {
                gatherPatches(x, geometry: g, inputChannels: inputChannels, firstChannel: group * groupChannels,
                              channels: groupChannels, rows: start..<end, into: patches)
                matrices[group].multiply(m: end - start, patches, lda: patchLength,
                                         into: y + start * filters + group * groupFilters, ldc: filters, accumulate: accumulate,
                                         bias: bias.map { $0 + group * groupFilters }, parallel: chunks == 1)
            }
            start = end
        }
    }
}

/// Writes the patch of each output pixel in `rows` (indices into `batch × output pixels`) as one
/// row of `patches`: for each tap in row-major kernel order, `channels` input channels from
/// `firstChannel`, zero where the tap falls outside the input.
private func gatherPatches<Scalar: ComputeScalar>(
    _ x: UnsafePointer<Scalar>, geometry g: ConvolutionGeometry, inputChannels: Int, firstChannel: Int, channels: Int,
    rows: Range<Int>, into patches: UnsafeMutablePointer<Scalar>
) {
    let (k0, k1, k2) = (g.kernel[0], g.kernel[1], g.kernel[2])
    let (i0Size, i1Size, i2Size) = (g.input[0], g.input[1], g.input[2])
    let (o1Size, o2Size) = (g.output[1], g.output[2])
    let outputPixels = g.outputPixels
    // With unit spacing on the last axis and all channels, a row of taps is one contiguous run.
    let contiguous = g.dilation[2] == 1 && channels == inputChannels
    var destination = patches
    for row in rows {
        let sample = row / outputPixels
        var pixel = row % outputPixels
        let o0 = pixel / (o1Size * o2Size)
        pixel %= o1Size * o2Size
        let o1 = pixel / o2Size, o2 = pixel % o2Size
        let first2 = o2 * g.strides[2] - g.padBefore[2]
        for t0 in 0..<k0 {
            let i0 = o0 * g.strides[0] - g.padBefore[0] + t0 * g.dilation[0]
            for t1 in 0..<k1 {
                let i1 = o1 * g.strides[1] - g.padBefore[1] + t1 * g.dilation[1]
                guard i0 >= 0, i0 < i0Size, i1 >= 0, i1 < i1Size else {
                    destination.update(repeating: 0, count: k2 * channels)
                    destination += k2 * channels
                    continue
                }
                let line = x + ((sample * i0Size + i0) * i1Size + i1) * i2Size * inputChannels + firstChannel
                if contiguous {
                    let low = min(max(0, -first2), k2), high = max(low, min(k2, i2Size - first2))
                    if low > 0 { destination.update(repeating: 0, count: low * channels) }
                    if high > low {
                        (destination + low * channels).update(from: line + (first2 + low) * inputChannels, count: (high - low) * channels)
                    }
                    if high < k2 { (destination + high * channels).update(repeating: 0, count: (k2 - high) * channels) }
                } else {
                    for t2 in 0..<k2 {
                        let i2 = first2 + t2 * g.dilation[2]
                        let tap = destination + t2 * channels
                        if i2 >= 0, i2 < i2Size {
                            tap.update(from: line + i2 * inputChannels, count: channels)
                        } else {
                            tap.update(repeating: 0, count: channels)
                        }
                    }
                }
                destination += k2 * channels
            }
        }
    }
}

/// A depthwise convolution `y = depthwise_conv(x, kernel) + bias`, channels last: output channel
/// `c · multiplier + m` is input channel `c` convolved with `kernel[…, c, m]`. `kernel` is Keras's
/// `(taps…, channels, multiplier)`, row-major, so each tap's weights line up with the output
/// channels.
func depthwiseConvolve<Scalar: ComputeScalar>(
    _ x: UnsafePointer<Scalar>, geometry g: ConvolutionGeometry, channels: Int, multiplier: Int,
    kernel: UnsafePointer<Scalar>, bias: UnsafePointer<Scalar>?, into y: UnsafeMutablePointer<Scalar>
) {
    let outputChannels = channels * multiplier
    let lines = g.batch * g.output[0] * g.output[1]
    guard lines > 0, outputChannels > 0 else { return }
    let work = Double(lines) * Double(g.output[2]) * Double(g.taps) * Double(outputChannels)
    let chunks = work >= Double(PackedMatrix.parallelThreshold) / 4 ? min(Parallel.coreCount, lines) : 1
    let pointers = UncheckedSendable((x: x, y: y, kernel: kernel, bias: bias))
    Parallel.forEachIndexedChunk(of: lines, chunks: chunks) { _, range in
        let (x, y, kernel, bias) = (pointers.value.x, pointers.value.y, pointers.value.kernel, pointers.value.bias)
        let (k0, k1, k2) = (g.kernel[0], g.kernel[1], g.kernel[2])
        let (i0Size, i1Size, i2Size) = (g.input[0], g.input[1], g.input[2])
        let (o0Size, o1Size, o2Size) = (g.output[0], g.output[1], g.output[2])
        for line in range {
            let sample = line / (o0Size * o1Size)
            let o0 = line / o1Size % o0Size, o1 = line % o1Size
            let output = y + line * o2Size * outputChannels
            for o2 in 0..<o2Size {
                let target = output + o2 * outputChannels
                if let bias { target.update(from: bias, count: outputChannels) } else { target.update(repeating: 0, count: outputChannels) }
            }
            for t0 in 0..<k0 {
                let i0 = o0 * g.strides[0] - g.padBefore[0] + t0 * g.dilation[0]
                guard i0 >= 0, i0 < i0Size else { continue }
                for t1 in 0..<k1 {
                    let i1 = o1 * g.strides[1] - g.padBefore[1] + t1 * g.dilation[1]
                    guard i1 >= 0, i1 < i1Size else { continue }
                    let inputLine = x + ((sample * i0Size + i0) * i1Size + i1) * i2Size * channels
                    for t2 in 0..<k2 {
                        let weights = kernel + ((t0 * k1 + t1) * k2 + t2) * outputChannels
                        let shift = t2 * g.dilation[2] - g.padBefore[2]
                        // Output steps whose input step o2·stride + shift lies inside the input.
                        let stride = g.strides[2]
                        let low = shift >= 0 ? 0 : (-shift + stride - 1) / stride
                        let high = min(o2Size, i2Size - shift <= 0 ? 0 : (i2Size - 1 - shift) / stride + 1)
                        guard low < high else { continue }
                        for o2 in low..<high {
                            let source = inputLine + (o2 * stride + shift) * channels
                            let target = output + o2 * outputChannels
                            if multiplier == 1 {
                                for c in 0..<channels { target[c] += source[c] * weights[c] }
                            } else {
                                for c in 0..<channels {
                                    let value = source[c]
                                    for m in 0..<multiplier { target[c * multiplier + m] += value * weights[c * multiplier + m] }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A transposed convolution `y = conv_transpose(x, kernel) + bias`, channels last: input pixel
/// `i` adds `x[i] · kernel[tap]` at output `i · stride + tap · dilation − padBefore` (see
/// ``ConvolutionGeometry/init(batch:spatial:outputSpatial:window:)``). `matrix` is the kernel as
/// `(inputChannels, taps · filters)`: one product gives every tap's contribution of a block of
/// input pixels, which are then added where they land.
func transposedConvolve<Scalar: ComputeScalar>(
    _ x: UnsafePointer<Scalar>, geometry g: ConvolutionGeometry, inputChannels: Int, filters: Int,
    matrix: Scalar.Matrix, bias: UnsafePointer<Scalar>?, into y: UnsafeMutablePointer<Scalar>, layer: String
) throws(PredictionError) {
    let outputPixels = g.outputPixels, inputPixels = g.inputPixels
    guard g.batch > 0, outputPixels > 0, filters > 0 else { return }
    let columns = g.taps * filters
    let blockRows = patchBlockRows(patchLength: columns)
    let chunks = g.batch > 1 && Double(g.batch * inputPixels) * Double(inputChannels * columns) >= Double(PackedMatrix.parallelThreshold)
        ? min(Parallel.coreCount, g.batch) : 1
    let (scratchCount, overflow) = (chunks * blockRows).multipliedReportingOverflow(by: columns)
    guard !overflow, scratchCount <= maximumScratch else {
        throw .tooLarge(layer: layer, elements: "\(chunks * blockRows)×\(columns)")
    }
    var scratch = [Scalar](repeating: 0, count: scratchCount)
    scratch.withUnsafeMutableBufferPointer { buffer in
        guard let base = buffer.baseAddress else { return }
        let pointers = UncheckedSendable((x: x, y: y, scratch: base, bias: bias))
        Parallel.forEachIndexedChunk(of: g.batch, chunks: chunks) { chunk, samples in
            let (x, y, bias) = (pointers.value.x, pointers.value.y, pointers.value.bias)
            let contributions = pointers.value.scratch + chunk * blockRows * columns
            let (k0, k1, k2) = (g.kernel[0], g.kernel[1], g.kernel[2])
            let (i1Size, i2Size) = (g.input[1], g.input[2])
            let (o0Size, o1Size, o2Size) = (g.output[0], g.output[1], g.output[2])
            for sample in samples {
                let output = y + sample * outputPixels * filters
                output.update(repeating: 0, count: outputPixels * filters)
                var start = 0
                while start < inputPixels {
                    let end = min(start + blockRows, inputPixels)
                    matrix.multiply(m: end - start, x + (sample * inputPixels + start) * inputChannels, lda: inputChannels,
                                    into: contributions, ldc: columns, parallel: chunks == 1)
                    for pixel in start..<end {
                        let i0 = pixel / (i1Size * i2Size), i1 = pixel / i2Size % i1Size, i2 = pixel % i2Size
                        let row = contributions + (pixel - start) * columns
                        for t0 in 0..<k0 {
                            let o0 = i0 * g.strides[0] + t0 * g.dilation[0] - g.padBefore[0]
                            guard o0 >= 0, o0 < o0Size else { continue }
                            for t1 in 0..<k1 {
                                let o1 = i1 * g.strides[1] + t1 * g.dilation[1] - g.padBefore[1]
                                guard o1 >= 0, o1 < o1Size else { continue }
                                for t2 in 0..<k2 {
                                    let o2 = i2 * g.strides[2] + t2 * g.dilation[2] - g.padBefore[2]
                                    guard o2 >= 0, o2 < o2Size else { continue }
                                    let source = row + ((t0 * k1 + t1) * k2 + t2) * filters
                                    let target = output + ((o0 * o1Size + o1) * o2Size + o2) * filters
                                    for f in 0..<filters { target[f] += source[f] }
                                }
                            }
                        }
                    }
                    start = end
                }
                if let bias { addRowVector(bias, to: output, rows: outputPixels, columns: filters) }
            }
        }
    }
}


extension Optional {
    /// Calls `body` with the array's storage, or with nil when there is no array (an optional
    /// bias).
    func withUnsafeBufferPointerIfPresent<Element, Result, Failure: Error>(
        _ body: (UnsafePointer<Element>?) throws(Failure) -> Result
    ) throws(Failure) -> Result where Wrapped == [Element] {
        guard let array = self else { return try body(nil) }
        return try array.withUnsafeBufferPointer { (buffer) throws(Failure) in try body(buffer.baseAddress) }
    }
}
