//! Dense matrix inverse by blocked LU factorisation with partial pivoting (Golub & Van Loan,
//! *Matrix Computations*, 4th ed., §3.4 and §3.2.11; LAPACK `dgetrf`/`dgetri`): most of the
//! `8n³/3` flops are matrix–matrix products ([`gemm_abt_raw`]), so the cost is bound by
//! arithmetic rather than by memory traffic at large n.

use crate::kernels::gemm_abt_raw;
use crate::parallel::{self, Shared};

/// Width of the column panels and row blocks.
const BLOCK: usize = 64;

/// Inverse of the `n × n` row-major matrix `a`, or None if a pivot is zero or not finite.
///
/// `PA = LU` by right-looking blocked LU (panels of [`BLOCK`] columns, the trailing matrix
/// updated by one product per panel); then `Z = Xᵀ` for `X = A⁻¹ = U⁻¹L⁻¹P` by blocked forward
/// and back substitution on the columns of `Z`, so that every product reads contiguous rows.
pub fn inverse(a: &[f64], n: usize) -> Option<Vec<f64>> {
    assert_eq!(a.len(), n * n, "inverse: a must hold n*n entries");
    let mut lu = a.to_vec();
    let perm = factor(&mut lu, n)?;
    // Z = Pᵀ, then Z ← Z L⁻ᵀ (forward substitution on Y = Zᵀ), then Z ← Z U⁻ᵀ.
    let mut z = vec![0.0; n * n];
    for (i, &p) in perm.iter().enumerate() {
        z[p * n + i] = 1.0;
    }
    let zp = z.as_mut_ptr();
    let lp = lu.as_ptr();
    for i0 in (0..n).step_by(BLOCK) {
        let i1 = (i0 + BLOCK).min(n);
        if i0 > 0 {
            // SAFETY: columns i0..i1 of Z (written) are disjoint from its columns 0..i0 (read);
            // all ranges lie inside the n × n buffers.
            unsafe {
                gemm_abt_raw(
                    -1.0,
                    zp,
                    n,
                    lp.add(i0 * n),
                    n,
                    n,
                    i1 - i0,
                    i0,
                    1.0,
                    zp.add(i0),
                    n,
                )
            };
        }
        for_rows(&mut z, n, i1 - i0, &|row| {
            for r in i0..i1 {
                let l = &lu[r * n + i0..r * n + r];
                row[r] -= l.iter().zip(&row[i0..r]).map(|(x, y)| x * y).sum::<f64>();
            }
        });
    }
    let zp = z.as_mut_ptr();
    for i0 in (0..n).step_by(BLOCK).rev() {
        let i1 = (i0 + BLOCK).min(n);
        if i1 < n {
            // SAFETY: columns i0..i1 of Z (written) are disjoint from its columns i1..n (read).
            unsafe {
                gemm_abt_raw(
                    -1.0,
                    zp.add(i1),
                    n,
                    lp.add(i0 * n + i1),
                    n,
                    n,
                    i1 - i0,
                    n - i1,
                    1.0,
                    zp.add(i0),
                    n,
                )
            };
        }
        for_rows(&mut z, n, i1 - i0, &|row| {
            for r in (i0..i1).rev() {
                let u = &lu[r * n + r + 1..r * n + i1];
                let s: f64 = u.iter().zip(&row[r + 1..i1]).map(|(x, y)| x * y).sum();
                row[r] = (row[r] - s) / lu[r * n + r];
            }
        });
    }
    for i in 0..n {
        for j in i + 1..n {
            z.swap(i * n + j, j * n + i);
        }
    }
    Some(z)
}

/// Applies `f` to each row of the `n`-column matrix `z`, rows shared out over threads (each row
/// is solved on its own, so the split does not change the result); `width` is the block size.
fn for_rows(z: &mut [f64], n: usize, width: usize, f: &(dyn Fn(&mut [f64]) + Sync)) {
    const ROWS: usize = 32;
    let rows = z.len() / n.max(1);
    let zs = Shared::new(z);
    parallel::for_each_large((rows + ROWS - 1) / ROWS, rows * width * width / 2, &|b| {
        for i in b * ROWS..((b + 1) * ROWS).min(rows) {
            // SAFETY: row i belongs to this chunk.
            f(unsafe { zs.part(i * n, n) });
        }
    });
}

/// Overwrites `a` with `L` (unit diagonal, below it) and `U` of `PA = LU` and returns the rows
/// of `A` in the order of `PA`; None if a pivot is zero or not finite.
fn factor(a: &mut [f64], n: usize) -> Option<Vec<usize>> {
    let mut perm: Vec<usize> = (0..n).collect();
    let mut panel_t = Vec::new();
    for j0 in (0..n).step_by(BLOCK) {
        let j1 = (j0 + BLOCK).min(n);
        // Unblocked LU of the panel (rows j0..n, columns j0..j1), swapping whole rows.
        for c in j0..j1 {
            let piv = (c..n).max_by(|&x, &y| a[x * n + c].abs().total_cmp(&a[y * n + c].abs()))?;
            let pv = a[piv * n + c];
            if pv == 0.0 || !pv.is_finite() {
                return None;
            }
            if piv != c {
                let (top, bottom) = a.split_at_mut(piv * n);
                top[c * n..(c + 1) * n].swap_with_slice(&mut bottom[..n]);
                perm.swap(piv, c);
            }
            let (top, bottom) = a.split_at_mut((c + 1) * n);
            let pivot_row = &top[c * n + c + 1..c * n + j1];
            for row in bottom.chunks_exact_mut(n) {
                let l = row[c] / pv;
                row[c] = l;
                for (x, u) in row[c + 1..j1].iter_mut().zip(pivot_row) {
                    *x -= l * u;
                }
            }
        }
        if j1 == n {
            break;
        }
        // U₁₂ = L₁₁⁻¹ A₁₂ on rows j0..j1, columns j1..n.
        for r in j0 + 1..j1 {
            let (top, bottom) = a.split_at_mut(r * n);
            let row = &mut bottom[..n];
            for q in j0..r {
                let l = row[q];
                for (x, u) in row[j1..].iter_mut().zip(&top[q * n + j1..(q + 1) * n]) {
                    *x -= l * u;
                }
            }
        }
        // A₂₂ ← A₂₂ − L₂₁ U₁₂, with U₁₂ packed transposed.
        let (w, m) = (j1 - j0, n - j1);
        panel_t.clear();
        panel_t.resize(m * w, 0.0);
        for q in 0..w {
            for (j, v) in a[(j0 + q) * n + j1..(j0 + q + 1) * n].iter().enumerate() {
                panel_t[j * w + q] = *v;
            }
        }
        let ap = a.as_mut_ptr();
        // SAFETY: A₂₂ (rows and columns j1..n, written) is disjoint from L₂₁ (rows j1..n,
        // columns j0..j1, read) and from the separate buffer `panel_t`.
        unsafe {
            gemm_abt_raw(
                -1.0,
                ap.add(j1 * n + j0),
                n,
                panel_t.as_ptr(),
                w,
                m,
                m,
                w,
                1.0,
                ap.add(j1 * n + j1),
                n,
            )
        };
    }
    Some(perm)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng;

    fn residual(a: &[f64], inv: &[f64], n: usize) -> f64 {
        let mut worst = 0.0_f64;
        for i in 0..n {
            for j in 0..n {
                let v: f64 = (0..n).map(|k| a[i * n + k] * inv[k * n + j]).sum();
                worst = worst.max((v - (i == j) as u8 as f64).abs());
            }
        }
        worst
    }

    #[test]
    fn inverse_times_matrix_is_identity_and_singular_is_none() {
        let n = 5;
        let a: Vec<f64> = (0..n * n)
            .map(|k| ((k * 7 % 11) as f64 - 5.0) / 3.0 + if k % (n + 1) == 0 { 4.0 } else { 0.0 })
            .collect();
        let inv = inverse(&a, n).unwrap();
        assert!(residual(&a, &inv, n) < 1e-13);
        assert!(inverse(&[1.0, 2.0, 2.0, 4.0], 2).is_none());
        assert!(inverse(&[1.0, f64::NAN, 0.0, 1.0], 2).is_none());
    }

    #[test]
    fn blocked_inverse_is_exact_across_block_edges_and_needs_pivoting() {
        // Sizes below, at and across the panel width; a zero leading entry forces a swap in
        // the first panel and a permuted identity block forces swaps in later ones.
        for n in [1, 2, 63, 64, 65, 130, 200] {
            let mut a = vec![0.0; n * n];
            rng::fill_normal(&mut rng::seeded(n as u64), 1.0, &mut a);
            if n > 1 {
                a[0] = 0.0;
            }
            let inv = inverse(&a, n).unwrap();
            assert!(residual(&a, &inv, n) < 1e-10 * n as f64, "n = {n}");
            // A permutation matrix: its inverse is its transpose, exactly.
            let p: Vec<usize> = (0..n).map(|i| (i * 7 + 3) % n).collect();
            if n > 1 && p.iter().collect::<std::collections::HashSet<_>>().len() == n {
                let mut m = vec![0.0; n * n];
                p.iter().enumerate().for_each(|(i, &j)| m[i * n + j] = 1.0);
                let inv = inverse(&m, n).unwrap();
                p.iter()
                    .enumerate()
                    .for_each(|(i, &j)| assert_eq!(inv[j * n + i], 1.0));
                assert_eq!(inv.iter().sum::<f64>(), n as f64);
            }
        }
    }

    #[test]
    fn a_singular_trailing_block_is_detected() {
        // Rank n − 1: the last column repeats the first.
        let n = 100;
        let mut a = vec![0.0; n * n];
        rng::fill_normal(&mut rng::seeded(9), 1.0, &mut a);
        for i in 0..n {
            a[i * n + n - 1] = a[i * n];
        }
        assert!(inverse(&a, n).map_or(true, |inv| inv.iter().any(|x| x.abs() > 1e12)));
    }
}
