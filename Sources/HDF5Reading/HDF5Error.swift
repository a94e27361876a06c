/// A failure while reading an HDF5 file, carrying the file and the object path it concerns.
///
/// Every case names the file (``HDF5File/name``); all but ``openFailed(file:reason:)`` also
/// name the path inside it. For attributes the path is the owning object's path followed by
/// `@` and the attribute name, for example `/model_weights@layer_names`.
/// Texts that come from libhdf5 itself (its error stack) are kept, joined into one line.
public enum HDF5Error: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file could not be opened as HDF5: missing, unreadable, empty, not HDF5, or truncated.
    case openFailed(file: String, reason: String)
    /// No group, dataset or attribute exists at `path` (this includes dangling soft links).
    case notFound(file: String, path: String)
    /// The object at `path` exists but is of another kind, for example a group where a
    /// dataset was expected. `expected` and `actual` are words such as `"group"`, `"dataset"`.
    case wrongKind(file: String, path: String, expected: String, actual: String)
    /// The object's datatype, dataspace, layout or link type is not one this reader handles.
    /// `type` describes what was found, for example `"compound"` or `"16-bit float that is not IEEE half"`.
    case unsupportedType(file: String, path: String, type: String)
    /// libhdf5 reported a failure, or the data read was invalid. `reason` is one line, usually
    /// HDF5's own error stack (`function(): description; ...`, outermost call first).
    case readFailed(file: String, path: String, reason: String)
    /// A size declared by the file is larger than this reader accepts (see the limits on
    /// ``HDF5File``). `what` names the quantity, for example `"element count"`.
    case limitExceeded(file: String, path: String, what: String, value: Int, limit: Int)

    /// One readable line naming the file and, except for open failures, the path.
    public var description: String {
        switch self {
        case .openFailed(let file, let reason):
            return "\(file): cannot open as HDF5: \(reason)"
        case .notFound(let file, let path):
            return "\(file): \(path): not found"
        case .wrongKind(let file, let path, let expected, let actual):
            return "\(file): \(path): expected \(Self.withArticle(expected)), found \(Self.withArticle(actual))"
        case .unsupportedType(let file, let path, let type):
            return "\(file): \(path): unsupported \(type)"
        case .readFailed(let file, let path, let reason):
            return "\(file): \(path): read failed: \(reason)"
        case .limitExceeded(let file, let path, let what, let value, let limit):
            return "\(file): \(path): \(what) is \(value), more than the limit \(limit)"
        }
    }

    private static func withArticle(_ noun: String) -> String {
        guard let first = noun.first else { return noun }
        return ("aeiou".contains(first) ? "an " : "a ") + noun
    }
}
