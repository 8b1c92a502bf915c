//! Two-stage reduction of a symmetric matrix to tridiagonal form, for its eigenvalues: first to
//! a band of half-bandwidth `b` by blocked Householder transformations whose two-sided updates
//! are matrix products (LAPACK `dsytrd_sy2sb`; Bischof, Lang & Sun, ACM TOMS 26, 2000), then
//! from the band to tridiagonal form by plane rotations that chase each bulge down the band
//! (Schwarz, Numer. Math. 12, 1968; LAPACK `dsbtrd`).
//!
//! The one-stage reduction ([`super::symeig`]) spends half its `4n³/3` flops in matrix–vector
//! products that read the whole trailing matrix once per column, so for large `n` it runs at the
//! speed of memory; here those flops are matrix products, and the band stage costs `O(n²b)`.
//! Both stages are orthogonal similarity transformations: the tridiagonal matrix has the
//! eigenvalues of the input to within a small multiple of `n · ε · ‖A‖₂`. The orthogonal factor
//! is not kept, so this serves eigenvalues only.

use super::symeig::rank_2k_update_lower;
use super::{axpy, dot, givens, householder};
use crate::kernels::{gemm_abt_raw, mirror};

/// Half-bandwidth of the intermediate band matrix.
pub(super) const BAND: usize = 32;

/// Diagonal `d` and off-diagonal `e` (`e[i]` couples `i` and `i + 1`, `e[n − 1] = 0`) of a
/// tridiagonal matrix orthogonally similar to the symmetric `n × n` matrix whose lower triangle
/// `w` holds (row-major, full storage; `w` is overwritten), through a band of half-bandwidth `b`.
pub(super) fn tridiagonalize_two_stage(w: &mut [f64], n: usize, b: usize) -> (Vec<f64>, Vec<f64>) {
    assert!(w.len() == n * n && b >= 1);
    mirror(w, n, 0, false);
    reduce_to_band(w, n, b);
    let mut band = lower_band(w, n, b);
    band_to_tridiagonal(&mut band, n, b)
}

/// Reduces the full symmetric matrix `w` to half-bandwidth `b` in place (its lower triangle
/// then holds the band; the upper triangle is left stale). Panel `j₀` factors the block
/// `A[j₀+b.., j₀..j₀+b] = QR` with `Q = I − V T Vᵀ` (compact WY, LAPACK `dlarft`) and updates
/// the trailing matrix `A₂₂ ← Qᵀ A₂₂ Q = A₂₂ − V Yᵀ − Y Vᵀ`, where `X = A₂₂ V T` and
/// `Y = X − ½ V (Tᵀ Vᵀ X)`: `X` is one product, the update another (its lower triangle).
fn reduce_to_band(w: &mut [f64], n: usize, b: usize) {
    let mut work = PanelWork {
        vt: vec![0.0; b * n],
        pt: vec![0.0; b * n],
        t: vec![0.0; b * b],
        xt: vec![0.0; b * n],
    };
    let mut j0 = 0;
    while j0 + b + 1 < n {
        work.reduce_panel(w, n, b, j0);
        j0 += b;
    }
}

/// Buffers of one panel of [`reduce_to_band`]: reflector l is row l of `vt` (zero before entry
/// l, one at l), `pt` is the panel transposed and `xt` holds Xᵀ, then Yᵀ, so that all are worked
/// on in contiguous rows; `t` is the triangular factor T (b × b).
struct PanelWork {
    vt: Vec<f64>,
    pt: Vec<f64>,
    t: Vec<f64>,
    xt: Vec<f64>,
}

impl PanelWork {
    /// Panel `j0` of [`reduce_to_band`]: factors it and updates the trailing matrix.
    /// Not inlined, so that engines run it optimised from its second call ([`crate::kernels`]).
    #[inline(never)]
    fn reduce_panel(&mut self, w: &mut [f64], n: usize, b: usize, j0: usize) {
        let r0 = j0 + b;
        let m = n - r0;
        let k = b.min(m - 1);
        let (vt, pt, t) = (&mut self.vt[..k * m], &mut self.pt[..b * m], &mut self.t);
        for r in 0..m {
            for l in 0..b {
                pt[l * m + r] = w[(r0 + r) * n + j0 + l];
            }
        }
        for l in 0..k {
            let (done, rest) = pt.split_at_mut((l + 1) * m);
            let col = &mut done[l * m..];
            let (beta, tau) = householder(col[l], &mut col[l + 1..]);
            let v = &mut vt[l * m..(l + 1) * m];
            v[..l].iter_mut().for_each(|x| *x = 0.0);
            v[l] = 1.0;
            v[l + 1..].copy_from_slice(&col[l + 1..]);
            col[l] = beta;
            col[l + 1..].iter_mut().for_each(|x| *x = 0.0);
            for other in rest.chunks_exact_mut(m) {
                let s = tau * (other[l] + dot(&v[l + 1..], &other[l + 1..]));
                other[l] -= s;
                axpy(-s, &v[l + 1..], &mut other[l + 1..]);
            }
            // Column l of T: T[l][l] = τ, T[..l][l] = −τ T[..l][..l] (V[.., ..l]ᵀ v_l).
            let z: Vec<f64> = (0..l)
                .map(|i| dot(&vt[i * m + l..(i + 1) * m], &vt[l * m + l..(l + 1) * m]))
                .collect();
            for i in 0..l {
                let s: f64 = (i..l).map(|p| t[i * b + p] * z[p]).sum();
                t[i * b + l] = -tau * s;
            }
            t[l * b + l] = tau;
        }
        for r in 0..m {
            for l in 0..b {
                w[(r0 + r) * n + j0 + l] = pt[l * m + r];
            }
        }
        if k == 0 {
            return;
        }

        // Everything below is kept transposed (k × m, one row per reflector), so that its
        // loops run along contiguous rows. Xᵀ = Tᵀ (Vᵀ A₂₂): one product with A₂₂ full.
        let xt = &mut self.xt[..k * m];
        // SAFETY: A₂₂ is rows r0..n, columns r0..n of `w`; `vt` holds k rows of m; `xt` is a
        // separate k × m buffer.
        unsafe {
            gemm_abt_raw(
                1.0,
                vt.as_ptr(),
                m,
                w.as_ptr().add(r0 * n + r0),
                n,
                k,
                m,
                m,
                0.0,
                xt.as_mut_ptr(),
                m,
            );
        }
        for l in (0..k).rev() {
            let (before, row) = xt.split_at_mut(l * m);
            let row = &mut row[..m];
            row.iter_mut().for_each(|x| *x *= t[l * b + l]);
            for (i, other) in before.chunks_exact(m).enumerate() {
                axpy(t[i * b + l], other, row);
            }
        }
        // Yᵀ = Xᵀ − ½ (Tᵀ Vᵀ X)ᵀ Vᵀ, with G = Vᵀ X by one more product.
        let mut g = vec![0.0; k * k];
        // SAFETY: `vt` and `xt` hold k rows of m each, `g` is a separate k × k buffer.
        unsafe {
            gemm_abt_raw(
                1.0,
                vt.as_ptr(),
                m,
                xt.as_ptr(),
                m,
                k,
                k,
                m,
                0.0,
                g.as_mut_ptr(),
                k,
            );
        }
        for l in 0..k {
            let row = &mut xt[l * m..(l + 1) * m];
            for i in 0..k {
                let half_m: f64 = 0.5 * (0..=i).map(|p| t[p * b + i] * g[p * k + l]).sum::<f64>();
                axpy(-half_m, &vt[i * m..(i + 1) * m], row);
            }
        }
        // A₂₂ ← A₂₂ − V Yᵀ − Y Vᵀ on the lower triangle.
        rank_2k_update_lower(w, n, r0, m, vt, xt, m, k);
        mirror(w, n, r0 + b, false);
    }
}

/// Lower band of half-bandwidth `b` of `w`, one row per `b + 2` slots: entry `(i, j)`, `j ≤ i`,
/// at `i(b + 2) + (i − j)`; slot `b + 1` of each row holds the bulge of the chase.
fn lower_band(w: &[f64], n: usize, b: usize) -> Vec<f64> {
    let width = b + 2;
    let mut band = vec![0.0; n * width];
    for i in 0..n {
        for d in 0..=b.min(i) {
            band[i * width + d] = w[i * n + i - d];
        }
    }
    band
}

/// Tridiagonal form of the symmetric band matrix `band` ([`lower_band`] layout, half-bandwidth
/// `b`): column by column, entries `b, b − 1, …, 2` below the diagonal are zeroed from the
/// bottom by rotations of adjacent rows and columns, and the bulge each rotation leaves `b + 1`
/// below the diagonal is chased off the end of the band, `b` rows per rotation.
fn band_to_tridiagonal(band: &mut [f64], n: usize, b: usize) -> (Vec<f64>, Vec<f64>) {
    for j in 0..n.saturating_sub(2) {
        for k in (j + 2..=(j + b).min(n - 1)).rev() {
            rotate(band, n, b, k - 1, j);
            let mut q = k + b;
            while q < n {
                rotate(band, n, b, q - 1, q - b - 1);
                q += b;
            }
        }
    }
    let width = b + 2;
    let d = (0..n).map(|i| band[i * width]).collect();
    let e = (0..n)
        .map(|i| {
            if i + 1 < n {
                band[(i + 1) * width + 1]
            } else {
                0.0
            }
        })
        .collect();
    (d, e)
}

/// `A ← G A Gᵀ` for the rotation `G` of rows and columns `p`, `p + 1` that zeroes `A[p+1][col]`
/// against `A[p][col]` (`col < p`). Entries of the two rows left of `col` are zero, and the one
/// entry this creates outside the band, `A[p+b+1][p]`, lands in the bulge slot.
/// Not inlined, so that engines run it optimised from its second call ([`crate::kernels`]).
#[inline(never)]
fn rotate(band: &mut [f64], n: usize, b: usize, p: usize, col: usize) {
    let width = b + 2;
    let q = p + 1;
    let (c, s, r) = givens(band[p * width + p - col], band[q * width + q - col]);
    if s == 0.0 {
        return;
    }
    band[p * width + p - col] = r;
    band[q * width + q - col] = 0.0;
    // Rows p and q, columns col + 1 .. p − 1: offsets 1.. in row p, 2.. in row q.
    let (row_p, row_q) = band[p * width..(q + 1) * width].split_at_mut(width);
    let len = p - col - 1;
    for (x, y) in row_p[1..=len].iter_mut().zip(&mut row_q[2..len + 2]) {
        let (u, v) = (*x, *y);
        *x = c * u + s * v;
        *y = c * v - s * u;
    }
    // The 2 × 2 diagonal block.
    let (app, aqq, apq) = (row_p[0], row_q[0], row_q[1]);
    let (cc, ss, cs) = (c * c, s * s, c * s);
    row_p[0] = cc * app + 2.0 * cs * apq + ss * aqq;
    row_q[0] = ss * app - 2.0 * cs * apq + cc * aqq;
    row_q[1] = cs * (aqq - app) + (cc - ss) * apq;
    // Columns p and q, rows q + 1 ..= p + b + 1.
    for i in q + 1..=(p + b + 1).min(n - 1) {
        let (ip, iq) = (i * width + i - p, i * width + i - q);
        let (u, v) = (band[ip], band[iq]);
        band[ip] = c * u + s * v;
        band[iq] = c * v - s * u;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::symeig::tridiagonal_ql;
    use crate::linalg::test_matrices::{random_orthogonal, with_spectrum};

    /// Q diag(λ) Qᵀ for a random orthogonal Q, with λ spread over [−1, 1] and one cluster.
    fn with_known_spectrum(n: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
        let mut lambda: Vec<f64> = (0..n)
            .map(|k| {
                if k % 5 == 0 {
                    0.3
                } else {
                    (2.0 * k as f64 + 1.0) / n as f64 - 1.0
                }
            })
            .collect();
        let a = with_spectrum(&random_orthogonal(n, seed), &lambda);
        lambda.sort_by(f64::total_cmp);
        (a, lambda)
    }

    /// Lower triangle of `a` in full storage, upper triangle zero (the input layout).
    fn lower(a: &[f64], n: usize) -> Vec<f64> {
        let mut w = vec![0.0; n * n];
        for i in 0..n {
            w[i * n..i * n + i + 1].copy_from_slice(&a[i * n..i * n + i + 1]);
        }
        w
    }

    fn eigenvalues(mut d: Vec<f64>, mut e: Vec<f64>) -> Vec<f64> {
        tridiagonal_ql(&mut d, &mut e, None);
        d.sort_by(f64::total_cmp);
        d
    }

    /// Invariants of an orthogonal similarity: tr A = Σ dᵢ and ‖A‖_F² = Σ dᵢ² + 2 Σ eᵢ².
    fn check_invariants(a: &[f64], n: usize, d: &[f64], e: &[f64]) {
        let trace: f64 = (0..n).map(|i| a[i * n + i]).sum();
        let frob: f64 = a.iter().map(|x| x * x).sum();
        let td: f64 = d.iter().sum();
        let fd: f64 =
            d.iter().map(|x| x * x).sum::<f64>() + 2.0 * e.iter().map(|x| x * x).sum::<f64>();
        assert!(
            (trace - td).abs() < 1e-13 * n as f64,
            "trace {trace} vs {td}"
        );
        assert!(
            (frob - fd).abs() < 1e-13 * n as f64 * frob,
            "‖A‖² {frob} vs {fd}"
        );
    }

    #[test]
    fn band_reduction_keeps_the_spectrum_at_every_size_and_bandwidth() {
        // Sizes around the bandwidth exercise panels with fewer reflectors than columns, a last
        // panel of one row, and matrices already inside the band.
        for &(n, b) in &[
            (1, 3),
            (2, 3),
            (3, 1),
            (5, 3),
            (6, 3),
            (7, 3),
            (8, 3),
            (13, 4),
            (40, 3),
            (64, 8),
            (97, 16),
            (150, 32),
        ] {
            let (a, want) = with_known_spectrum(n, 7 + n as u64);
            let mut w = lower(&a, n);
            let (d, e) = tridiagonalize_two_stage(&mut w, n, b);
            check_invariants(&a, n, &d, &e);
            let got = eigenvalues(d, e);
            for (g, w) in got.iter().zip(&want) {
                assert!(
                    (g - w).abs() < 1e-14 * n as f64,
                    "n = {n}, b = {b}: {g} vs {w}"
                );
            }
        }
    }

    #[test]
    fn band_stage_alone_reduces_a_band_matrix() {
        // A pentadiagonal matrix (b = 2) with known eigenvalues: the square of the tridiagonal
        // Toeplitz matrix tridiag(−1, 2, −1), whose eigenvalues are (2 − 2cos(kπ/(n+1)))².
        let n = 30;
        let entry = |i: usize, j: usize| match i.abs_diff(j) {
            0 => {
                if i == 0 || i == n - 1 {
                    5.0
                } else {
                    6.0
                }
            }
            1 => -4.0,
            2 => 1.0,
            _ => 0.0,
        };
        let t2: Vec<f64> = (0..n * n).map(|k| entry(k / n, k % n)).collect();
        let mut band = lower_band(&t2, n, 2);
        let (d, e) = band_to_tridiagonal(&mut band, n, 2);
        check_invariants(&t2, n, &d, &e);
        let got = eigenvalues(d, e);
        let mut want: Vec<f64> = (1..=n)
            .map(|k| (2.0 - 2.0 * (k as f64 * std::f64::consts::PI / (n + 1) as f64).cos()).powi(2))
            .collect();
        want.sort_by(f64::total_cmp);
        for (g, w) in got.iter().zip(&want) {
            assert!((g - w).abs() < 1e-13 * 16.0, "{g} vs {w}");
        }
    }

    #[test]
    fn the_first_stage_leaves_nothing_outside_the_band() {
        let (n, b) = (50, 5);
        let (a, _) = with_known_spectrum(n, 3);
        let mut w = lower(&a, n);
        mirror(&mut w, n, 0, false);
        reduce_to_band(&mut w, n, b);
        for i in 0..n {
            for j in 0..i.saturating_sub(b) {
                assert_eq!(w[i * n + j], 0.0, "({i}, {j})");
            }
        }
    }
}
