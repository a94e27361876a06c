/// A constant right-hand matrix kept as it is, for products in plain Swift: what `Double`
/// models use where `Float` models use the packed SIMD panels of ``PackedMatrix``.
struct ReferenceMatrix<Scalar: ComputeScalar>: MatrixProduct {
    /// Rows of `B` (the inner dimension of a product).
    let rows: Int
    /// Columns of `B`.
    let columns: Int
    /// `B`, `rows × columns`, row-major.
    let values: [Scalar]

    /// Keeps `b`, `rows × columns` values row-major (missing values read as zero).
    init(_ b: [Scalar], rows: Int, columns: Int) {
        self.rows = max(rows, 0)
        self.columns = max(columns, 0)
        let count = self.rows * self.columns
        values = b.count >= count ? b : b + [Scalar](repeating: 0, count: count - b.count)
    }

    func product(m: Int, _ a: UnsafePointer<Scalar>, lda: Int, into c: UnsafeMutablePointer<Scalar>, ldc: Int,
                 accumulate: Bool, bias: UnsafePointer<Scalar>?, parallel: Bool) {
        guard m > 0 else { return }
        values.withUnsafeBufferPointer { b in
            guard let b = b.baseAddress else {
                // No columns or no rows: the product is zero.
                if !accumulate { for row in 0..<m { (c + row * ldc).update(repeating: 0, count: columns) } }
                return
            }
            multiplyMatrices(m: m, n: columns, k: rows, a, lda: lda, b, ldb: columns, into: c, ldc: ldc, accumulate: accumulate)
        }
        if let bias {
            for row in 0..<m {
                let cRow = c + row * ldc
                for column in 0..<columns { cRow[column] += bias[column] }
            }
        }
    }
}

/// `c[m×n] (+)= a[m×k] · b[k×n]`, every matrix row-major with the given leading dimensions. The
/// loop order keeps the innermost loop contiguous over `b` and `c`, which the compiler vectorizes
/// once the function is specialized.
func multiplyMatrices<Scalar: ComputeScalar>(
    m: Int, n: Int, k: Int,
    _ a: UnsafePointer<Scalar>, lda: Int,
    _ b: UnsafePointer<Scalar>, ldb: Int,
    into c: UnsafeMutablePointer<Scalar>, ldc: Int,
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
