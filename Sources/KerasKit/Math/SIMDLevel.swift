internal import _KerasKitKernels

/// The vector instruction set KerasKit's kernels run with, chosen once per process.
///
/// Swift on Linux compiles for baseline x86-64 (SSE2), so the kernels live in a C target that is
/// compiled once per level with `target` attributes and picked at run time from `cpuid` and
/// `xgetbv`: the same binary runs on any x86-64 and uses AVX2 or AVX-512 where present. On arm64
/// the baseline is NEON. Set `KERASKIT_ISA=baseline|avx2|avx512` to ask for a lower level.
public enum SIMDLevel: Int, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    /// SSE2 on x86-64, NEON on arm64: every machine Swift runs on.
    case baseline = 0
    /// AVX2 with FMA, 8 floats per register (x86-64 only).
    case avx2 = 1
    /// AVX-512F, 16 floats per register (x86-64 only).
    case avx512 = 2

    /// The level the kernels use in this process: the best one the processor and OS support,
    /// lowered by `KERASKIT_ISA` if set.
    public static let current: SIMDLevel = SIMDLevel(rawValue: Int(kk_detected_isa())) ?? .baseline

    /// Every level that can run on this machine, lowest first.
    public static var supported: [SIMDLevel] { allCases.filter(\.isSupported) }

    /// Whether this level can run on this machine.
    public var isSupported: Bool { kk_isa_supported(Int32(rawValue)) != 0 }

    /// The width in floats of the column panels this level's kernels read packed matrices in:
    /// 8 (SSE2), 16 (AVX2; NEON on arm64), 32 (AVX-512).
    public var panelWidth: Int { Int(kk_panel_width(Int32(rawValue))) }

    /// `baseline`, `avx2` or `avx512`.
    public var description: String {
        switch self {
        case .baseline: "baseline"
        case .avx2: "avx2"
        case .avx512: "avx512"
        }
    }

    /// Lower levels run on more machines.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
