/// The limits applied to sizes declared by a file, so that a damaged or hostile file cannot
/// make the reader allocate unbounded memory. Exceeding one throws
/// ``HDF5Error/limitExceeded(file:path:what:value:limit:)``.
extension HDF5File {
    /// At most 2^28 elements per dataset (1 GiB of float32). For contiguous and compact
    /// datasets the declared data size must also fit in the file (``fileSize``), and the
    /// stored data must end inside it; chunked (possibly compressed) datasets may declare at
    /// most ``maxChunkedExpansion`` times the bytes their chunks occupy in the file (at least
    /// ``chunkedBytesWithoutStorage``).
    public static let maxDatasetElements = 1 << 28
    /// How many times its stored size a chunked dataset may declare: deflate's own maximum
    /// expansion is about 1032:1, so a tiny file cannot make the reader fill gigabytes.
    public static let maxChunkedExpansion = 1024
    /// The declared size a chunked dataset may have whatever its stored size (1 MiB).
    public static let chunkedBytesWithoutStorage = 1 << 20
    /// At most 2^20 elements per attribute.
    public static let maxAttributeElements = 1 << 20
    /// At most 64 MiB per attribute value (fixed-length string buffers, total length of
    /// variable-length strings, numbers as 8-byte values), and per list of names.
    public static let maxAttributeBytes = 64 << 20
    /// At most 32 dimensions (HDF5's own maximum).
    public static let maxRank = 32
    /// At most 2^20 names from ``childNames(ofGroup:)`` or ``attributeNames(at:)``.
    public static let maxNames = 1 << 20
}
