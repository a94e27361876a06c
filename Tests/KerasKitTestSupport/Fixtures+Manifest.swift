import KerasKit
import Testing

extension Fixtures {
    /// `Fixtures/manifest.json` as `scripts/make_fixtures.py` writes it.
    public struct Manifest: Decodable, Sendable {
        /// One entry per fixture, writer and file format.
        public var fixtures: [Fixture]
        /// The broken files.
        public var errors: [ErrorFixture]
    }

    /// One model file made by real Keras, with the calls Keras made on it and their outputs.
    ///
    /// Property names are the manifest's keys. The optional ones are newer than some manifests.
    public struct Fixture: Decodable, Hashable, CustomTestStringConvertible, Sendable {
        /// One `model.predict` call, with its `.npy` inputs and Keras's outputs.
        public struct Call: Decodable, Hashable, Sendable {
            /// Whether Keras reset the model's states before this call (stateful models).
            public var reset_states_before: Bool
            /// The input files, relative to ``Fixtures/root``.
            public var inputs: [String]
            /// The files of Keras's outputs, relative to ``Fixtures/root``.
            public var outputs: [String]

            /// A call from its files.
            public init(reset_states_before: Bool = false, inputs: [String], outputs: [String]) {
                self.reset_states_before = reset_states_before
                self.inputs = inputs
                self.outputs = outputs
            }
        }

        /// One entry of `model.layers`, as Keras's summary lists it.
        public struct Layer: Decodable, Hashable, Sendable {
            public var name: String
            public var class_name: String
            /// The output shape Keras reports: a list of sizes (`null` unknown), or a list of such
            /// lists for a layer with several outputs.
            public var output_shape: JSONValue?
            /// `layer.count_params()`.
            public var params: Int
            /// The sizes of `layer.trainable_weights` and `layer.non_trainable_weights`.
            public var trainable_params: Int?
            public var non_trainable_params: Int?
            /// The layer's config dict as Keras wrote it in this fixture's file.
            public var config: JSONValue?

            /// A layer from its summary row.
            public init(name: String, class_name: String, params: Int) {
                self.name = name
                self.class_name = class_name
                self.params = params
            }
        }

        /// The fixture's name (its folder under ``Fixtures/root``).
        public var name: String
        /// `keras2` (tf-keras) or `keras3`.
        public var writer: String
        /// `h5` or `keras`.
        public var format: String
        /// The `keras_version` the file records.
        public var keras_version: String
        /// What the model is, in a sentence.
        public var description: String
        /// The model file, relative to ``Fixtures/root``.
        public var model: String
        /// The model's dtype policy: `float32`, or `float64` for a model Keras ran in float64.
        public var dtype: String
        /// The largest difference from Keras's outputs accepted (1e-5; 1e-9 for float64 models).
        public var atol: Double
        /// `model.count_params()`.
        public var total_params: Int
        /// The sizes of `model.trainable_weights` and `model.non_trainable_weights`.
        public var trainable_params: Int?
        public var non_trainable_params: Int?
        /// `model.layers`.
        public var layers: [Layer]
        /// The calls Keras made, in order.
        public var calls: [Call]
        /// The classes KerasKit must refuse for this model (a model made to check the refusal);
        /// nil for a model it runs.
        public var unsupported: [String]?
        /// The classes of the Keras 3 operation nodes in the model's config (`Transpose`,
        /// `GetItem`, …), which `model.layers` leaves out; nil when it has none.
        public var operations: [String]?

        /// A fixture from its fields, for a stand-in when the manifest is missing.
        public init(name: String, writer: String, format: String, keras_version: String, model: String,
                    total_params: Int, layers: [Layer], calls: [Call], dtype: String = "float32", atol: Double = 1e-5) {
            self.name = name
            self.writer = writer
            self.format = format
            self.keras_version = keras_version
            self.description = name
            self.model = model
            self.dtype = dtype
            self.atol = atol
            self.total_params = total_params
            self.layers = layers
            self.calls = calls
        }

        public var testDescription: String { "\(name) (\(writer), .\(format))" }

        /// The precision KerasKit must compute the model in.
        public var precision: ComputePrecision { dtype == "float64" ? .float64 : .float32 }
        /// Whether the model computes in float64.
        public var isFloat64: Bool { precision == .float64 }
        /// The first call, which starts from zero states as a freshly loaded model does.
        public var firstCall: Call { calls[0] }

        /// The Keras classes in the model as far as the manifest shows them: each layer's
        /// `class_name`, every `class_name` inside its `config` (the layers a wrapper or a
        /// nested model holds — and initializers', which name no layer), and its operations'.
        public var classNames: Set<String> {
            var names = Set(layers.map(\.class_name))
            func collect(_ value: JSONValue) {
                switch value {
                case .object(let members):
                    if case .string(let name)? = members["class_name"] { names.insert(name) }
                    members.values.forEach(collect)
                case .array(let values):
                    values.forEach(collect)
                default:
                    break
                }
            }
            layers.compactMap(\.config).forEach(collect)
            names.formUnion(operations ?? [])
            return names
        }
    }

    /// A broken model file and the text its error must contain.
    public struct ErrorFixture: Decodable, Hashable, CustomTestStringConvertible, Sendable {
        public var name: String
        /// The file, relative to ``Fixtures/root``.
        public var file: String
        /// `h5` or `keras`.
        public var format: String
        /// How the file was broken.
        public var description: String
        /// Text the error's description must contain.
        public var expect: String

        public var testDescription: String { "\(name): \(file)" }
    }
}
