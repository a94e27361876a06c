/// Why a Keras file could not be loaded: the file, and the cause with its place in the file.
public struct KerasFileError: Error, Sendable, CustomStringConvertible {
    /// The causes, each carrying the place in the file it concerns.
    public enum Reason: Sendable, CustomStringConvertible {
        /// The file can't be opened or read at all.
        case unreadable(String)
        /// The bytes are not a format KerasKit reads (not HDF5, or HDF5 without a Keras model).
        case notAKerasModel(String)
        /// HDF5 could not read an object inside the file.
        case storage(path: String, message: String)
        /// A required attribute is missing or has the wrong type.
        case badAttribute(path: String, name: String, problem: String)
        /// The model config is malformed or uses something unsupported.
        case config(KerasConfigError)
        /// The weights don't fit the config.
        case weights(WeightLoadingError)
        /// The file's structure is invalid at a byte offset (native format).
        case malformed(offset: Int?, message: String)
        /// A size in the file is beyond KerasKit's sanity limits.
        case limitExceeded(path: String, what: String, value: Int, limit: Int)

        public var description: String {
            switch self {
            case .unreadable(let message): message
            case .notAKerasModel(let message): message
            case .storage(let path, let message): "\(path): \(message)"
            case .badAttribute(let path, let name, let problem): "\(path) attribute '\(name)': \(problem)"
            case .config(let error): error.description
            case .weights(let error): error.description
            case .malformed(let offset, let message): (offset.map { "byte \($0): " } ?? "") + message
            case .limitExceeded(let path, let what, let value, let limit): "\(path): \(what) \(value) is more than the limit \(limit)"
            }
        }
    }

    /// The file's path as given.
    public let file: String
    /// What went wrong, and where.
    public let reason: Reason

    /// Creates an error for `file`.
    public init(file: String, reason: Reason) {
        self.file = file
        self.reason = reason
    }

    /// `file: cause`, one line.
    public var description: String { "\(file): \(reason)" }
}
