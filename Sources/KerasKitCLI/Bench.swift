import ArgumentParser
import Foundation
import KerasKit

/// `keraskit bench MODEL [--input X.npy | --batch N --time T] [--iterations N] [--warmup N] [--json]`.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time predict in-process: median, min and max per call, samples/s and GFLOP/s."
    )

    @Argument(help: "A Keras .h5 file, a Keras 3 .keras archive or a KerasKit native file.")
    var model: String

    @Option(name: .customLong("input"), help: "A .npy input (repeat for several model inputs), or one .npz holding them all.")
    var inputs: [String] = []

    @Option(help: "Samples per call of a generated input (seeded normal values; instead of --input).")
    var batch: Int?

    @Option(help: "Steps of a generated input (default: the model's fixed sequence length).")
    var time: Int?

    @Option(help: "Timed calls.")
    var iterations: Int = 20

    @Option(help: "Untimed calls first.")
    var warmup: Int = 3

    @Option(help: "Seed of the generated input.")
    var seed: UInt64 = 0

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func validate() throws {
        guard iterations > 0 else { throw ValidationError("--iterations must be at least 1") }
        guard warmup >= 0 else { throw ValidationError("--warmup must not be negative") }
        if inputs.isEmpty {
            guard let batch else { throw ValidationError("give --input X.npy, or --batch N (and --time T) for a generated input") }
            guard batch > 0 else { throw ValidationError("--batch must be at least 1") }
            if let time, time <= 0 { throw ValidationError("--time must be at least 1") }
        } else if batch != nil || time != nil {
            throw ValidationError("--input and --batch/--time exclude each other")
        }
    }

    func run() throws {
        let loaded = try loadModel(model)
        try loaded.withCommandScalar { scalar in try run(loaded, as: scalar) }
    }

    /// Times predict with inputs in `Scalar`, the model's precision, so no call converts them.
    private func run<Scalar: CommandScalar>(_ loaded: KerasModel, as scalar: Scalar.Type) throws {
        let arguments: [TensorOf<Scalar>]
        if inputs.isEmpty {
            arguments = [TensorOf(try generatedInput(for: loaded))]
        } else {
            arguments = try readInputs(inputs, inputNames: loaded.config.inputNames, as: Scalar.self)
        }
        let shape = arguments.first?.shape ?? []
        let batchSize = shape.first ?? 1
        let steps = shape.count >= 3 ? shape[1] : 1

        // The path only labels errors; read once, not through the argument wrapper in the timed loop.
        let path = model
        for _ in 0..<warmup { _ = try runPredict(loaded, path: path, inputs: arguments) }
        let clock = ContinuousClock()
        var seconds: [Double] = []
        seconds.reserveCapacity(iterations)
        for _ in 0..<iterations {
            let start = clock.now
            _ = try runPredict(loaded, path: path, inputs: arguments)
            let elapsed = start.duration(to: clock.now)
            seconds.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
        let result = BenchResult(
            model: model, inputShape: shape, iterations: iterations, warmup: warmup,
            seconds: seconds, flops: loaded.estimatedFLOPs(batch: batchSize, time: steps), batch: batchSize
        )
        print(json ? result.json : result.text)
    }

    /// `[batch, time, features]` standard-normal values from a seeded generator.
    private func generatedInput(for model: KerasModel) throws(CommandFailure) -> Tensor {
        guard model.inputShapes.count == 1 else {
            throw CommandFailure("\(self.model): the model has \(model.inputShapes.count) inputs; give them with --input")
        }
        let declared = model.inputShape
        guard declared.count >= 2 else { throw CommandFailure("\(self.model): input shape \(declared) has no feature axis") }
        var shape = [batch ?? 1]
        for (axis, size) in declared.enumerated().dropFirst() {
            let isTime = axis == 1 && declared.count == 3
            if let size {
                if isTime, let time, time != size {
                    throw CommandFailure("\(self.model): the model's sequence length is fixed at \(size), not \(time)")
                }
                shape.append(size)
            } else if isTime, let time {
                shape.append(time)
            } else {
                throw CommandFailure("\(self.model): input axis \(axis) has no fixed size; give --time or an --input")
            }
        }
        let count = shape.reduce(1, *)
        var generator = SeededNormal(seed: seed)
        do {
            return try Tensor(shape: shape, scalars: (0..<count).map { _ in generator.next() })
        } catch {
            throw CommandFailure(error)
        }
    }
}

/// Timings of one bench run and their text and JSON forms.
struct BenchResult {
    var model: String
    var inputShape: [Int]
    var iterations: Int
    var warmup: Int
    var seconds: [Double]
    var flops: Double
    var batch: Int

    var sorted: [Double] { seconds.sorted() }
    var median: Double {
        let values = sorted
        guard !values.isEmpty else { return 0 }
        let middle = values.count / 2
        return values.count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2
    }
    var minimum: Double { sorted.first ?? 0 }
    var maximum: Double { sorted.last ?? 0 }
    var mean: Double { seconds.isEmpty ? 0 : seconds.reduce(0, +) / Double(seconds.count) }
    var samplesPerSecond: Double { median > 0 ? Double(batch) / median : 0 }
    var gflopsPerSecond: Double { median > 0 ? flops / median / 1e9 : 0 }

    var text: String {
        let shape = "(" + inputShape.map(String.init).joined(separator: ", ") + ")"
        return """
        model: \(model)  input \(shape)  simd: \(SIMDLevel.current)  cores: \(ProcessInfo.processInfo.activeProcessorCount)
        predict: median \(Self.duration(median))  min \(Self.duration(minimum))  max \(Self.duration(maximum))  (\(iterations) calls after \(warmup) warm-up)
        throughput: \(String(format: "%.1f", samplesPerSecond)) samples/s  \(String(format: "%.2f", gflopsPerSecond)) GFLOP/s  (\(String(format: "%.4g", flops / 1e9)) GFLOP per call)
        """
    }

    var json: String {
        let object: [String: Any] = [
            "model": model, "input_shape": inputShape, "iterations": iterations, "warmup": warmup,
            "median_seconds": median, "min_seconds": minimum, "max_seconds": maximum, "mean_seconds": mean,
            "samples_per_second": samplesPerSecond, "gflop": flops / 1e9, "gflops_per_second": gflopsPerSecond,
            "simd_level": SIMDLevel.current.description, "cores": ProcessInfo.processInfo.activeProcessorCount,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func duration(_ seconds: Double) -> String {
        switch seconds {
        case ..<1e-3: String(format: "%.2f µs", seconds * 1e6)
        case ..<1: String(format: "%.3f ms", seconds * 1e3)
        default: String(format: "%.3f s", seconds)
        }
    }
}

/// Standard-normal floats from SplitMix64 and Box–Muller: the same values for the same seed on
/// every platform.
struct SeededNormal {
    private var state: UInt64
    private var spare: Float?

    init(seed: UInt64) { state = seed }

    private mutating func nextBits() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The next value.
    mutating func next() -> Float {
        if let spare {
            self.spare = nil
            return spare
        }
        let u1 = (Double(nextBits() >> 11) + 0.5) / 9_007_199_254_740_992
        let u2 = Double(nextBits() >> 11) / 9_007_199_254_740_992
        let radius = (-2 * Foundation.log(u1)).squareRoot()
        spare = Float(radius * Foundation.sin(2 * .pi * u2))
        return Float(radius * Foundation.cos(2 * .pi * u2))
    }
}
