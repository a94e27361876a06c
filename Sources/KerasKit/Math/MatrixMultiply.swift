/// Row-major single-precision matrix products for the layers' inner loops.
///
/// `c[m×n] (+)= a[m×k] · b[k×n]`, every matrix row-major with the given leading dimensions. The
/// loop order keeps the innermost loop contiguous over `b` and `c`, which the compiler vectorizes.
@inlinable
func multiplyMatrices(
    m: Int, n: Int, k: Int,
    _ a: UnsafePointer<Float>, lda: Int,
    _ b: UnsafePointer<Float>, ldb: Int,
    into c: UnsafeMutablePointer<Float>, ldc: Int,
    accumulate: Bool
) {
    for row in 0..<m {
        let cRow = c + row * ldc
        if !accumulate {
            cRow.update(repeating: 0, count: n)
        }
        let aRow = a + row * lda
        for p in 0..<k {
            let scale = aRow[p]
            let bRow = b + p * ldb
            for column in 0..<n {
                cRow[column] += scale * bRow[column]
            }
        }
    }
}

/// Adds `bias[n]` to every row of `c[m×n]`.
@inlinable
func addRowVector(_ bias: UnsafePointer<Float>, to c: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
    for row in 0..<rows {
        let cRow = c + row * columns
        for column in 0..<columns { cRow[column] += bias[column] }
    }
}
