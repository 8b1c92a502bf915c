//! Householder QR factorisation (Golub & Van Loan, *Matrix Computations*, 4th ed., §5.2.2) and
//! explicit formation of the thin orthogonal factor by backward accumulation (GVL §5.1.6;
//! LAPACK `dgeqr2` + `dorg2r`).

use super::{axpy, householder};

/// Replaces the columns of the `rows × cols` row-major matrix `a` (`rows ≥ cols`) in place by
/// the thin factor `Q` of its Householder QR factorisation `A = Q R` (GVL §5.2.2), with the sign
/// convention that `R` has a non-negative diagonal.
///
/// The columns of `Q` are orthonormal to working precision. When `A` has full column rank, the
/// first `k` columns of `Q` span the same space as the first `k` columns of `A` for every `k`;
/// for a rank-deficient `A` the columns are still orthonormal and their span contains that of
/// `A`.
/// Applied to a matrix of iid Gaussian entries, the sign convention makes `Q` Haar-distributed.
pub fn orthonormal_columns(a: &mut [f64], rows: usize, cols: usize) {
    assert!(
        a.len() == rows * cols,
        "orthonormal_columns: a must hold rows*cols entries"
    );
    assert!(rows >= cols, "orthonormal_columns: needs rows >= cols");
    let (m, n) = (rows, cols);
    let mut tau = vec![0.0; n];
    let mut r_diag = vec![0.0; n];
    let mut v = vec![0.0; m];
    let mut w = vec![0.0; n];

    // Factorisation: reflector k zeroes a[k+1.., k]; its vector (below the unit entry) is kept
    // in that place.
    for k in 0..n {
        let len = m - k;
        for (i, vi) in v[..len].iter_mut().enumerate() {
            *vi = a[(k + i) * n + k];
        }
        let (beta, t) = householder(v[0], &mut v[1..len]);
        v[0] = 1.0;
        r_diag[k] = beta;
        tau[k] = t;
        for (i, &vi) in v[1..len].iter().enumerate() {
            a[(k + 1 + i) * n + k] = vi;
        }
        if t != 0.0 {
            apply_from_left(a, n, k, &v[..len], t, &mut w);
        }
    }

    // Backward accumulation of Q = H₀ H₁ ⋯ H_{n−1} applied to the first n unit vectors.
    for k in (0..n).rev() {
        let len = m - k;
        v[0] = 1.0;
        for i in 1..len {
            v[i] = a[(k + i) * n + k];
        }
        if k + 1 < n {
            apply_from_left(a, n, k, &v[..len], tau[k], &mut w);
        }
        a[k * n + k] = 1.0 - tau[k];
        for i in 1..len {
            a[(k + i) * n + k] = -tau[k] * v[i];
        }
        for i in 0..k {
            a[i * n + k] = 0.0;
        }
    }

    // Q D with D = diag(sign Rₖₖ) pairs with D R, whose diagonal is non-negative.
    for (k, &rk) in r_diag.iter().enumerate() {
        if rk < 0.0 {
            for i in 0..m {
                a[i * n + k] = -a[i * n + k];
            }
        }
    }
}

/// `a[k.., k+1..] ← (I − τ v vᵀ) a[k.., k+1..]` for the row-major matrix `a` with `n` columns,
/// using `w` (length ≥ `n`) as workspace.
fn apply_from_left(a: &mut [f64], n: usize, k: usize, v: &[f64], tau: f64, w: &mut [f64]) {
    let w = &mut w[k + 1..n];
    w.iter_mut().for_each(|x| *x = 0.0);
    for (i, &vi) in v.iter().enumerate() {
        let row = &a[(k + i) * n + k + 1..(k + i + 1) * n];
        axpy(vi, row, w);
    }
    for (i, &vi) in v.iter().enumerate() {
        let row = &mut a[(k + i) * n + k + 1..(k + i + 1) * n];
        axpy(-tau * vi, w, row);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng;

    fn gaussian(rows: usize, cols: usize, seed: u64) -> Vec<f64> {
        let mut r = rng::seeded(seed);
        (0..rows * cols).map(|_| rng::normal(&mut r)).collect()
    }

    /// max |(QᵀQ − I)ᵢⱼ|.
    fn orthogonality_error(q: &[f64], rows: usize, cols: usize) -> f64 {
        let mut worst = 0.0_f64;
        for i in 0..cols {
            for j in 0..cols {
                let g: f64 = (0..rows).map(|k| q[k * cols + i] * q[k * cols + j]).sum();
                let target = if i == j { 1.0 } else { 0.0 };
                worst = worst.max((g - target).abs());
            }
        }
        worst
    }

    /// Qᵀ A, which must be upper triangular with a non-negative diagonal and satisfy A = Q R.
    fn r_factor(q: &[f64], a: &[f64], rows: usize, cols: usize) -> Vec<f64> {
        let mut r = vec![0.0; cols * cols];
        for i in 0..cols {
            for j in 0..cols {
                r[i * cols + j] = (0..rows).map(|k| q[k * cols + i] * a[k * cols + j]).sum();
            }
        }
        r
    }

    #[test]
    fn columns_are_orthonormal_and_span_the_input() {
        for &(rows, cols) in &[(1, 1), (5, 5), (9, 4), (40, 40), (60, 17)] {
            let a = gaussian(rows, cols, (rows * 100 + cols) as u64);
            let mut q = a.clone();
            orthonormal_columns(&mut q, rows, cols);
            let orth = orthogonality_error(&q, rows, cols);
            assert!(
                orth < 4.0 * f64::EPSILON * rows as f64,
                "{rows}×{cols}: {orth:e}"
            );
            let r = r_factor(&q, &a, rows, cols);
            let norm = a.iter().map(|x| x * x).sum::<f64>().sqrt();
            for i in 0..cols {
                assert!(r[i * cols + i] > 0.0, "R[{i}][{i}] = {}", r[i * cols + i]);
                for j in 0..i {
                    let below = r[i * cols + j].abs();
                    assert!(below < 1e-14 * norm, "R[{i}][{j}] = {below:e}");
                }
            }
            // A − Q R = A − Q Qᵀ A vanishes: the span of A lies in that of Q.
            for i in 0..rows {
                for j in 0..cols {
                    let qr: f64 = (0..cols).map(|k| q[i * cols + k] * r[k * cols + j]).sum();
                    assert!((qr - a[i * cols + j]).abs() < 1e-14 * norm);
                }
            }
        }
    }

    #[test]
    fn upper_triangular_input_with_positive_diagonal_gives_identity_columns() {
        let (rows, cols) = (4, 3);
        let mut a = vec![2.0, 1.0, -3.0, 0.0, 0.5, 4.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0];
        orthonormal_columns(&mut a, rows, cols);
        let want = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0];
        for (g, w) in a.iter().zip(&want) {
            assert!((g - w).abs() < 1e-15, "{a:?}");
        }
    }

    #[test]
    fn negative_diagonal_flips_the_column_sign() {
        let mut a = vec![-3.0, 0.0, 0.0, -2.0];
        orthonormal_columns(&mut a, 2, 2);
        assert_eq!(a, vec![-1.0, 0.0, 0.0, -1.0]);
    }

    #[test]
    fn rank_deficient_input_still_gives_orthonormal_columns() {
        let (rows, cols) = (8, 4);
        let mut a = gaussian(rows, cols, 77);
        for i in 0..rows {
            a[i * cols + 2] = 2.0 * a[i * cols] - a[i * cols + 1];
            a[i * cols + 3] = 0.0;
        }
        orthonormal_columns(&mut a, rows, cols);
        assert!(orthogonality_error(&a, rows, cols) < 1e-14);
    }
}
