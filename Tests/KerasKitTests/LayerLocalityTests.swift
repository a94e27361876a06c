import Foundation
import Testing
@testable import KerasKit

/// The issue "One layer, one place": the code that knows a Keras class lives in that class's own
/// file and in the registry's one line. This scans the sources and fails when another file's
/// code (comments aside; identifiers and strings count) names one of the checked classes.
@Suite("Each layer class is named in its own file and the registry only")
struct LayerLocalityTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    /// The classes the issue names, and every class added since the rule was set.
    static let checked = [
        "Dense", "Conv1D", "BatchNormalization", "LayerNormalization", "MaxPooling1D", "Concatenate", "Embedding", "GRU",
        "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D",
        "Bidirectional", "TimeDistributed",
        "ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax", "Identity", "GaussianNoise", "GaussianDropout", "AlphaDropout",
        "ActivityRegularization", "SpatialDropout2D", "SpatialDropout3D", "Dot", "RandomCrop", "MaxNumBoundingBoxes", "ZeroPadding1D", "Cropping1D", "UpSampling1D", "Rescaling", "UnitNormalization",
        "Conv2D", "Conv3D", "DepthwiseConv1D", "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D", "Conv1DTranspose",
        "Conv2DTranspose", "Conv3DTranspose", "TFOpLambda", "LayerScale",
        // Pooling and reshaping, 2-D and 3-D
        "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D", "AveragePooling3D",
        "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D",
        "AdaptiveAveragePooling1D", "AdaptiveAveragePooling2D", "AdaptiveAveragePooling3D", "AdaptiveMaxPooling1D", "AdaptiveMaxPooling2D", "AdaptiveMaxPooling3D",
        "ZeroPadding2D", "ZeroPadding3D", "Cropping2D", "Cropping3D", "UpSampling2D", "UpSampling3D",
        // Resizing and cropping images
        "Resizing", "CenterCrop",
        // Normalization
        "GroupNormalization", "RMSNormalization", "Normalization",
    ] + ImageAugmentationClasses.names

    /// The augmentation classes, read from their family file's registrations.
    enum ImageAugmentationClasses {
        static let names = ["RandomFlip", "RandomRotation", "RandomZoom", "RandomTranslation", "RandomContrast", "RandomBrightness", "RandomHeight", "RandomWidth", "RandomGrayscale", "RandomHue", "RandomSaturation", "RandomSharpness", "RandomShear", "RandomColorJitter", "RandomColorDegeneration", "RandomPosterization", "RandomInvert", "RandomPerspective", "RandomElasticTransform", "RandomErasing", "RandomGaussianBlur", "AugMix", "RandAugment", "CutMix", "MixUp", "Solarization"]
    }

    /// Every Swift file under Sources/ with its code: comments removed, string literals kept.
    static let files: [(path: String, code: String)] = {
        guard let enumerator = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil) else { return [] }
        var result: [(String, String)] = []
        for case let url as URL in enumerator where url.pathExtension == "swift" {
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
            result.append((url.path.replacingOccurrences(of: sources.path + "/", with: ""), withoutComments(text)))
        }
        return result
    }()

    /// Swift source without `//` and `/* */` comments (string literals kept, so a string naming
    /// a class still counts).
    static func withoutComments(_ text: String) -> String {
        var output = ""
        var characters = Array(text)[...]
        var inString = false
        while let character = characters.first {
            if inString {
                output.append(character)
                characters = characters.dropFirst()
                if character == "\\", let escaped = characters.first {
                    output.append(escaped)
                    characters = characters.dropFirst()
                } else if character == "\"" {
                    inString = false
                }
                continue
            }
            if character == "\"" {
                inString = true
                output.append(character)
                characters = characters.dropFirst()
            } else if characters.starts(with: "//") {
                while let next = characters.first, next != "\n" { characters = characters.dropFirst() }
            } else if characters.starts(with: "/*") {
                characters = characters.dropFirst(2)
                while !characters.isEmpty, !characters.starts(with: "*/") { characters = characters.dropFirst() }
                characters = characters.dropFirst(2)
            } else {
                output.append(character)
                characters = characters.dropFirst()
            }
        }
        return output
    }

    /// Every registered class name, to tell `Conv2D` from `Conv2DTranspose`.
    static let registeredNames = LayerRegistry.classNames

    /// Whether `code` holds an identifier or string word starting with `name` (and not with a
    /// longer registered class name that starts with it: `Conv2DTransposeConfig` names
    /// `Conv2DTranspose`, not `Conv2D`).
    static func names(_ code: String, _ name: String) -> Bool {
        let longer = registeredNames.filter { $0.count > name.count && $0.hasPrefix(name) }
        var searchRange = code.startIndex..<code.endIndex
        while let found = code.range(of: name, range: searchRange) {
            let before = found.lowerBound == code.startIndex ? nil : code[code.index(before: found.lowerBound)]
            if before.map({ !($0.isLetter || $0.isNumber || $0 == "_") }) ?? true {
                let word = code[found.lowerBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                if !longer.contains(where: { word.hasPrefix($0) }) { return true }
            }
            searchRange = found.upperBound..<code.endIndex
        }
        return false
    }

    @Test("the scan reads the sources and finds the registry")
    func scanWorks() {
        #expect(Self.files.count > 50)
        #expect(Self.files.contains { $0.path.hasSuffix("Layers/LayerRegistry.swift") })
        #expect(Self.names("let x = DenseConfig()", "Dense"))
        #expect(!Self.names("let x = denseThing", "Dense"), "lower-case identifiers are other words")
        #expect(!Self.names(Self.withoutComments("let x = 1 // Dense\n/* GRU */"), "Dense"))
        #expect(Self.names(Self.withoutComments("let s = \"GRU\""), "GRU"))
        #expect(!Self.names("LeakyReLUConfig", "ReLU"), "a name inside another identifier doesn't count")
        #expect(!Self.names("let x = Conv2DTransposeConfig.self", "Conv2D"), "a longer class's name is that class's")
        #expect(Self.names("let x = Conv2DConfig.self", "Conv2D"))
    }

    @Test("at most two files name the class: its own and the registry (three when a Keras 3 operation of the same name has its own)", arguments: checked)
    func namedInTwoFilesAtMost(className: String) {
        let naming = Self.files.filter { Self.names($0.code, className) }.map(\.path).sorted()
        let others = naming.filter { !$0.hasSuffix("Layers/LayerRegistry.swift") }
        #expect(naming.contains { $0.hasSuffix("Layers/LayerRegistry.swift") }, "\(className) is not registered")
        // `Concatenate` is also `keras.ops.concatenate`, another class in the operation namespace:
        // its config lives in its own file under Operations/, or beside the layer's (`ReLU`,
        // `Softmax`), never anywhere else.
        let twin = LayerRegistry.operationClassNames.contains(className)
        let allowed = others.count == 1 || (twin && others.count == 2 && others.contains { $0.contains("Layers/Operations/") })
        #expect(allowed, "\(className) is named in \(others)")
    }
}
