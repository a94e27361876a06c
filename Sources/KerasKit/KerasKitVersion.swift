/// This release of KerasKit, as `keraskit --version` prints it.
public enum KerasKitVersion {
    /// Semantic version of the package.
    public static let current = "0.1.0"
}
