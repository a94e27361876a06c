import Foundation
import KerasKitTestSupport
import Testing

/// `inspect` never gives up on a model whose config parses; `predict` refuses in one line that
/// names every unsupported class.
@Suite("keraskit on models with layer classes KerasKit doesn't implement")
struct UnsupportedModelCommandTests {
    static let model = "unsupported_layers/keras3/model.keras"

    @Test("inspect prints the whole summary with the unsupported rows marked, and exits 0")
    func inspectMarksUnsupportedRows() throws {
        let result = try Keraskit.run(["inspect", Fixtures.path(Self.model)])
        expectSuccess(result)
        #expect(result.stdout.contains("auto_contrast (AutoContrast) [unsupported]"))
        #expect(result.stdout.contains("mel_spectrogram (MelSpectrogram) [unsupported]"))
        #expect(result.stdout.contains("dense (Dense)"))
        #expect(result.stdout.contains("unsupported layer classes: AutoContrast (auto_contrast), MelSpectrogram (mel_spectrogram)"))
        let fixture = try #require(Fixtures.everything.first { $0.model == Self.model })
        #expect(result.stdout.contains("Total params: \(fixture.total_params)"))
    }

    @Test("inspect --json marks each layer and gives Keras's counts")
    func inspectJSON() throws {
        let result = try Keraskit.run(["inspect", "--json", Fixtures.path(Self.model)])
        expectSuccess(result)
        let report = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        #expect(report["supported"] as? Bool == false)
        let layers = try #require(report["layers"] as? [[String: Any]])
        #expect(layers.map { $0["supported"] as? Bool ?? true } == layers.map { ["AutoContrast", "MelSpectrogram"].contains($0["class_name"] as? String ?? "") == false })
        let fixture = try #require(Fixtures.everything.first { $0.model == Self.model })
        #expect((report["trainable_params"] as? NSNumber)?.intValue == fixture.trainable_params)
        #expect((report["non_trainable_params"] as? NSNumber)?.intValue == fixture.non_trainable_params)
    }

    @Test("predict refuses in one line naming every unsupported class, exit 1")
    func predictNamesEveryClass() throws {
        let input = Fixtures.path("unsupported_layers/keras3/call0_input0.npy")
        let result = try Keraskit.run(["predict", Fixtures.path(Self.model), "--input", input])
        #expect(result.status == 1)
        #expect(result.stderrLines.count == 1)
        #expect(result.stderr.contains("unsupported layer classes: AutoContrast (auto_contrast), MelSpectrogram (mel_spectrogram)"))
    }

    @Test("inspect --json rows carry their own layer's config (Keras 3 mask operations aside)")
    func jsonRowsAlign() throws {
        let result = try Keraskit.run(["inspect", "--json", Fixtures.path("masking_gru_last/keras3/model.h5")])
        expectSuccess(result)
        let report = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        let layers = try #require(report["layers"] as? [[String: Any]])
        #expect(!layers.isEmpty)
        for layer in layers {
            #expect((layer["config"] as? [String: Any])?["name"] as? String == layer["name"] as? String)
        }
    }
}
