//! Singular values by Golub–Kahan Householder bidiagonalisation (Golub & Van Loan, *Matrix
//! Computations*, 4th ed., §5.4.8) followed by implicit-shift bidiagonal QR (GVL §8.6) in the
//! form of Demmel & Kahan, "Accurate singular values of bidiagonal matrices", SIAM J. Sci. Stat.
//! Comput. 11 (1990), as in LAPACK `dbdsqr`.
//!
//! The matrix is never squared: every singular value is accurate to a small multiple of
//! `ε · ‖A‖₂` in absolute terms, tiny ones included, so the zero singular values of an exactly
//! rank-deficient matrix come out at that level rather than at `√ε · ‖A‖₂`. The bidiagonal
//! stage is moreover accurate to a small relative error in every singular value.

use super::{axpy, dot, givens, householder, max_abs, pow2_scale};

/// Bidiagonal QR may spend at most this many times `n²` rotations (as in LAPACK `dbdsqr`).
/// The iteration converges long before; the cap only guarantees termination.
const MAX_ROTATIONS_PER_N2: usize = 6;

/// Singular values of the `rows × cols` row-major matrix `a`, in descending order
/// (`min(rows, cols)` of them).
///
/// Householder bidiagonalisation (GVL §5.4.8, `4mn² − 4n³/3` flops for `m ≥ n`), then
/// implicit-shift QR on the bidiagonal matrix (GVL §8.6) with the Demmel–Kahan convergence
/// criteria, zero-shift sweeps and choice of chasing direction (LAPACK `dbdsqr`). A wide matrix
/// is handled through its transpose. Input with a non-finite entry gives NaN singular values.
pub fn singular_values(a: &[f64], rows: usize, cols: usize) -> Vec<f64> {
    assert!(
        a.len() == rows * cols,
        "singular_values: a must hold rows*cols entries"
    );
    if a.iter().any(|x| !x.is_finite()) {
        return vec![f64::NAN; rows.min(cols)];
    }
    let scale = pow2_scale(max_abs(a));
    // Work on the tall orientation m ≥ n.
    let (m, n) = if rows >= cols {
        (rows, cols)
    } else {
        (cols, rows)
    };
    let mut w = vec![0.0; m * n];
    if rows >= cols {
        for (wi, ai) in w.iter_mut().zip(a) {
            *wi = ai * scale;
        }
    } else {
        for i in 0..rows {
            for j in 0..cols {
                w[j * rows + i] = a[i * cols + j] * scale;
            }
        }
    }
    let (mut d, mut e) = bidiagonalize(&mut w, m, n);
    bidiagonal_qr(&mut d, &mut e);
    let mut s: Vec<f64> = d.iter().map(|x| x.abs() / scale).collect();
    s.sort_by(|x, y| y.total_cmp(x));
    s
}

/// Householder bidiagonalisation `Uᵀ A V = B` of the row-major `m × n` matrix `a` (`m ≥ n`),
/// returning the diagonal `d` (length `n`) and superdiagonal `e` (length `n − 1`, or 0) of the
/// upper bidiagonal `B`. The contents of `a` are destroyed.
fn bidiagonalize(a: &mut [f64], m: usize, n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut d = vec![0.0; n];
    let mut e = vec![0.0; n.saturating_sub(1)];
    let mut u = vec![0.0; m];
    let mut wl = vec![0.0; n];
    for k in 0..n {
        bidiagonal_step(a, m, n, k, &mut u, &mut wl, (&mut d, &mut e));
    }
    (d, e)
}

/// Step `k` of [`bidiagonalize`]: the left reflector of column `k` and, unless it is the last,
/// the right reflector of row `k`, with their updates of the rows below. Not inlined, so that
/// engines run it optimised from its second call ([`crate::kernels`]).
#[inline(never)]
fn bidiagonal_step(
    a: &mut [f64],
    m: usize,
    n: usize,
    k: usize,
    u: &mut [f64],
    wl: &mut [f64],
    (d, e): (&mut [f64], &mut [f64]),
) {
    // Left reflector: zero a[k+1.., k].
    let len = m - k;
    for (i, ui) in u[..len].iter_mut().enumerate() {
        *ui = a[(k + i) * n + k];
    }
    let (beta, tau_l) = householder(u[0], &mut u[1..len]);
    u[0] = 1.0;
    d[k] = beta;
    if k + 1 == n {
        return;
    }
    // wl = τ uᵀ a[k.., k+1..].
    let wl = &mut wl[k + 1..n];
    wl.iter_mut().for_each(|x| *x = 0.0);
    if tau_l != 0.0 {
        for (i, &ui) in u[..len].iter().enumerate() {
            axpy(ui, &a[(k + i) * n + k + 1..(k + i + 1) * n], wl);
        }
        wl.iter_mut().for_each(|x| *x *= tau_l);
    }
    // Row k under the left reflector, then the right reflector zeroing a[k, k+2..].
    let (row_k, below) = a[k * n..].split_at_mut(n);
    let row_k = &mut row_k[k + 1..];
    axpy(-1.0, wl, row_k);
    let (first, rest) = row_k.split_at_mut(1);
    let (beta, tau_r) = householder(first[0], rest);
    first[0] = 1.0;
    e[k] = beta;
    let v: &[f64] = row_k;
    // Remaining rows: left update followed by the right update, one pass per row.
    for (i, row) in below.chunks_exact_mut(n).take(m - k - 1).enumerate() {
        let row = &mut row[k + 1..];
        axpy(-u[i + 1], wl, row);
        if tau_r != 0.0 {
            let t = tau_r * dot(row, v);
            axpy(-t, v, row);
        }
    }
}

/// Singular values of the upper bidiagonal matrix with diagonal `d` and superdiagonal `e`
/// (`e[i]` at position `(i, i + 1)`), left in `d` up to sign and unsorted.
///
/// LAPACK `dbdsqr` without singular vectors: the Demmel–Kahan relative convergence criteria
/// based on the recurrence `μⱼ₊₁ = |dⱼ₊₁| μⱼ / (μⱼ + |eⱼ|)`, the bulge chased from the larger
/// towards the smaller end of each unreduced block, the shift taken from the 2 × 2 block at the
/// smaller end (LAPACK `dlas2`) unless it would spoil relative accuracy, in which case a
/// zero-shift sweep is used, and 2 × 2 blocks solved directly. Every singular value is then
/// accurate to a small multiple of `n · ε` relative to itself.
fn bidiagonal_qr(d: &mut [f64], e: &mut [f64]) {
    let n = d.len();
    if n < 2 || d.iter().chain(e.iter()).any(|x| !x.is_finite()) {
        return;
    }
    let eps = f64::EPSILON;
    // Relative tolerance ε^(−1/8) ε clamped to [10ε, 100ε], as in `dbdsqr`.
    let tol = eps.powf(-0.125).clamp(10.0, 100.0) * eps;
    let max_rotations = MAX_ROTATIONS_PER_N2 * n * n;

    // Absolute threshold from a lower estimate of the smallest singular value.
    let mut smin_est = d[0].abs();
    let mut mu = smin_est;
    for i in 1..n {
        if smin_est == 0.0 {
            break;
        }
        mu = d[i].abs() * (mu / (mu + e[i - 1].abs()));
        smin_est = smin_est.min(mu);
    }
    let smin_est = smin_est / (n as f64).sqrt();
    let thresh = (tol * smin_est).max(max_rotations as f64 * f64::MIN_POSITIVE);

    let mut rotations = 0;
    let mut hi = n - 1;
    let (mut old_lo, mut old_hi) = (usize::MAX, 0);
    let mut forward = true;
    while hi > 0 && rotations < max_rotations {
        // Unreduced block lo..=hi: e[lo..hi] above the threshold.
        let mut smax = d[hi].abs();
        let mut lo = hi;
        while lo > 0 {
            if e[lo - 1].abs() <= thresh {
                e[lo - 1] = 0.0;
                break;
            }
            smax = smax.max(d[lo - 1].abs()).max(e[lo - 1].abs());
            lo -= 1;
        }
        if lo == hi {
            hi -= 1;
            continue;
        }
        if lo + 1 == hi {
            let (smin, smax) = singular_values_2x2(d[lo], e[lo], d[hi]);
            d[lo] = smax;
            d[hi] = smin;
            e[lo] = 0.0;
            if hi < 2 {
                break;
            }
            hi -= 2;
            continue;
        }
        // On a new block, chase from the larger end towards the smaller one.
        if lo > old_hi || hi < old_lo {
            forward = d[lo].abs() >= d[hi].abs();
        }
        let sminl = if forward {
            relative_deflation_forward(d, e, lo, hi, tol)
        } else {
            relative_deflation_backward(d, e, lo, hi, tol)
        };
        let sminl = match sminl {
            Some(s) => s,
            None => continue,
        };
        old_lo = lo;
        old_hi = hi;

        let shift = if n as f64 * tol * (sminl / smax) <= eps.max(0.01 * tol) {
            0.0
        } else {
            let (lead, (shift, _)) = if forward {
                (
                    d[lo].abs(),
                    singular_values_2x2(d[hi - 1], e[hi - 1], d[hi]),
                )
            } else {
                (d[hi].abs(), singular_values_2x2(d[lo], e[lo], d[lo + 1]))
            };
            if lead > 0.0 && (shift / lead) * (shift / lead) < eps {
                0.0
            } else {
                shift
            }
        };
        rotations += hi - lo;
        match (forward, shift == 0.0) {
            (true, true) => zero_shift_sweep_down(d, e, lo, hi),
            (true, false) => shifted_sweep_down(d, e, lo, hi, shift),
            (false, true) => zero_shift_sweep_up(d, e, lo, hi),
            (false, false) => shifted_sweep_up(d, e, lo, hi, shift),
        }
        let end = if forward { hi - 1 } else { lo };
        if e[end].abs() <= thresh {
            e[end] = 0.0;
        }
    }
}

/// Relative convergence test of `dbdsqr` running down the block `lo..=hi`: zeroes the first
/// `e[j]` with `|e[j]| ≤ tol · μⱼ` and returns `None`, or returns `min μⱼ`, an estimate of the
/// smallest singular value of the block.
fn relative_deflation_forward(
    d: &[f64],
    e: &mut [f64],
    lo: usize,
    hi: usize,
    tol: f64,
) -> Option<f64> {
    if e[hi - 1].abs() <= tol * d[hi].abs() {
        e[hi - 1] = 0.0;
        return None;
    }
    let mut mu = d[lo].abs();
    let mut sminl = mu;
    for j in lo..hi {
        if e[j].abs() <= tol * mu {
            e[j] = 0.0;
            return None;
        }
        mu = d[j + 1].abs() * (mu / (mu + e[j].abs()));
        sminl = sminl.min(mu);
    }
    Some(sminl)
}

/// Mirror image of [`relative_deflation_forward`], running up the block.
fn relative_deflation_backward(
    d: &[f64],
    e: &mut [f64],
    lo: usize,
    hi: usize,
    tol: f64,
) -> Option<f64> {
    if e[lo].abs() <= tol * d[lo].abs() {
        e[lo] = 0.0;
        return None;
    }
    let mut mu = d[hi].abs();
    let mut sminl = mu;
    for j in (lo..hi).rev() {
        if e[j].abs() <= tol * mu {
            e[j] = 0.0;
            return None;
        }
        mu = d[j].abs() * (mu / (mu + e[j].abs()));
        sminl = sminl.min(mu);
    }
    Some(sminl)
}

/// One implicit-shift QR sweep on the block `lo..=hi` chasing the bulge downwards
/// (GVL Algorithm 8.6.1 in the form of `dbdsqr`); `d[lo] ≠ 0`.
fn shifted_sweep_down(d: &mut [f64], e: &mut [f64], lo: usize, hi: usize, shift: f64) {
    let mut f = (d[lo].abs() - shift) * (1.0_f64.copysign(d[lo]) + shift / d[lo]);
    let mut g = e[lo];
    for i in lo..hi {
        let (cr, sr, r) = givens(f, g);
        if i > lo {
            e[i - 1] = r;
        }
        f = cr * d[i] + sr * e[i];
        e[i] = cr * e[i] - sr * d[i];
        g = sr * d[i + 1];
        d[i + 1] *= cr;
        let (cl, sl, r) = givens(f, g);
        d[i] = r;
        f = cl * e[i] + sl * d[i + 1];
        d[i + 1] = cl * d[i + 1] - sl * e[i];
        if i + 1 < hi {
            g = sl * e[i + 1];
            e[i + 1] *= cl;
        }
    }
    e[hi - 1] = f;
}

/// One implicit-shift QR sweep on the block `lo..=hi` chasing the bulge upwards; `d[hi] ≠ 0`.
fn shifted_sweep_up(d: &mut [f64], e: &mut [f64], lo: usize, hi: usize, shift: f64) {
    let mut f = (d[hi].abs() - shift) * (1.0_f64.copysign(d[hi]) + shift / d[hi]);
    let mut g = e[hi - 1];
    for i in (lo + 1..=hi).rev() {
        let (cr, sr, r) = givens(f, g);
        if i < hi {
            e[i] = r;
        }
        f = cr * d[i] + sr * e[i - 1];
        e[i - 1] = cr * e[i - 1] - sr * d[i];
        g = sr * d[i - 1];
        d[i - 1] *= cr;
        let (cl, sl, r) = givens(f, g);
        d[i] = r;
        f = cl * e[i - 1] + sl * d[i - 1];
        d[i - 1] = cl * d[i - 1] - sl * e[i - 1];
        if i > lo + 1 {
            g = sl * e[i - 2];
            e[i - 2] *= cl;
        }
    }
    e[lo] = f;
}

/// One zero-shift QR sweep on the block `lo..=hi` chasing downwards (Demmel & Kahan 1990):
/// every entry is computed to high relative accuracy, and a zero diagonal entry is deflated.
fn zero_shift_sweep_down(d: &mut [f64], e: &mut [f64], lo: usize, hi: usize) {
    let (mut cs, mut old_cs, mut old_sn) = (1.0, 1.0, 0.0);
    for i in lo..hi {
        let (c, s, r) = givens(d[i] * cs, e[i]);
        cs = c;
        if i > lo {
            e[i - 1] = old_sn * r;
        }
        let (oc, os, di) = givens(old_cs * r, d[i + 1] * s);
        old_cs = oc;
        old_sn = os;
        d[i] = di;
    }
    let h = d[hi] * cs;
    d[hi] = h * old_cs;
    e[hi - 1] = h * old_sn;
}

/// Mirror image of [`zero_shift_sweep_down`], chasing upwards.
fn zero_shift_sweep_up(d: &mut [f64], e: &mut [f64], lo: usize, hi: usize) {
    let (mut cs, mut old_cs, mut old_sn) = (1.0, 1.0, 0.0);
    for i in (lo + 1..=hi).rev() {
        let (c, s, r) = givens(d[i] * cs, e[i - 1]);
        cs = c;
        if i < hi {
            e[i] = old_sn * r;
        }
        let (oc, os, di) = givens(old_cs * r, d[i - 1] * s);
        old_cs = oc;
        old_sn = os;
        d[i] = di;
    }
    let h = d[lo] * cs;
    d[lo] = h * old_cs;
    e[lo] = h * old_sn;
}

/// Singular values `(σ_min, σ_max)` of the upper triangular matrix `[f g; 0 h]`, computed
/// without overflow or harmful cancellation (LAPACK `dlas2`).
fn singular_values_2x2(f: f64, g: f64, h: f64) -> (f64, f64) {
    let (fa, ga, ha) = (f.abs(), g.abs(), h.abs());
    let (fhmn, fhmx) = (fa.min(ha), fa.max(ha));
    if fhmn == 0.0 {
        let smax = if fhmx == 0.0 { ga } else { fhmx.hypot(ga) };
        return (0.0, smax);
    }
    if ga < fhmx {
        let a_s = 1.0 + fhmn / fhmx;
        let a_t = (fhmx - fhmn) / fhmx;
        let a_u = (ga / fhmx) * (ga / fhmx);
        let c = 2.0 / ((a_s * a_s + a_u).sqrt() + (a_t * a_t + a_u).sqrt());
        (fhmn * c, fhmx / c)
    } else {
        let a_u = fhmx / ga;
        if a_u == 0.0 {
            // fhmx ≪ ga: σ_max = |g| and σ_min = |f h| / |g| to working precision.
            ((fhmn * fhmx) / ga, ga)
        } else {
            let a_s = 1.0 + fhmn / fhmx;
            let a_t = (fhmx - fhmn) / fhmx;
            let c = 1.0
                / ((1.0 + (a_s * a_u) * (a_s * a_u)).sqrt()
                    + (1.0 + (a_t * a_u) * (a_t * a_u)).sqrt());
            (2.0 * (fhmn * c) * a_u, ga / (c + c))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::qr::orthonormal_columns;
    use crate::linalg::symeig::sym_eigvals;
    use crate::rng;

    const EPS: f64 = f64::EPSILON;

    fn gaussian(rows: usize, cols: usize, seed: u64) -> Vec<f64> {
        let mut r = rng::seeded(seed);
        (0..rows * cols).map(|_| rng::normal(&mut r)).collect()
    }

    fn orthonormal(rows: usize, cols: usize, seed: u64) -> Vec<f64> {
        let mut q = gaussian(rows, cols, seed);
        orthonormal_columns(&mut q, rows, cols);
        q
    }

    /// U diag(s) Vᵀ with U (rows × k) and V (cols × k) having orthonormal columns.
    fn with_singular_values(s: &[f64], rows: usize, cols: usize, seed: u64) -> Vec<f64> {
        let k = s.len();
        let u = orthonormal(rows, k, seed);
        let v = orthonormal(cols, k, seed + 1);
        let mut a = vec![0.0; rows * cols];
        for i in 0..rows {
            for j in 0..cols {
                a[i * cols + j] = (0..k).map(|l| u[i * k + l] * s[l] * v[j * k + l]).sum();
            }
        }
        a
    }

    fn transpose(a: &[f64], rows: usize, cols: usize) -> Vec<f64> {
        let mut t = vec![0.0; rows * cols];
        for i in 0..rows {
            for j in 0..cols {
                t[j * rows + i] = a[i * cols + j];
            }
        }
        t
    }

    /// Eigenvalues of the symmetric Jordan–Wielandt matrix [0 A; Aᵀ 0] are ±σᵢ (and zeros):
    /// an independent route to the singular values, accurate to O(ε‖A‖) in absolute terms.
    fn singular_values_via_symeig(a: &[f64], rows: usize, cols: usize) -> Vec<f64> {
        let n = rows + cols;
        let mut h = vec![0.0; n * n];
        for i in 0..rows {
            for j in 0..cols {
                h[i * n + rows + j] = a[i * cols + j];
                h[(rows + j) * n + i] = a[i * cols + j];
            }
        }
        let mut ev = sym_eigvals(&h, n);
        ev.reverse();
        ev.truncate(rows.min(cols));
        ev
    }

    fn frobenius2(a: &[f64]) -> f64 {
        a.iter().map(|x| x * x).sum()
    }

    #[test]
    fn degenerate_shapes() {
        assert!(singular_values(&[], 0, 0).is_empty());
        assert!(singular_values(&[], 0, 5).is_empty());
        assert!(singular_values(&[], 4, 0).is_empty());
        assert_eq!(singular_values(&[-2.5], 1, 1), vec![2.5]);
        // A single row or column has its Euclidean norm as singular value.
        let v = [3.0, -4.0, 12.0];
        assert_eq!(singular_values(&v, 1, 3), vec![13.0]);
        assert_eq!(singular_values(&v, 3, 1), vec![13.0]);
        assert_eq!(singular_values(&[0.0; 12], 3, 4), vec![0.0; 3]);
    }

    #[test]
    fn diagonal_and_permuted_diagonal_are_exact() {
        let diag: [f64; 6] = [1.0, -1e-5, 3e-10, 7.0, -1e-20, 0.0];
        let n = diag.len();
        let mut a = vec![0.0; n * n];
        let perm = [3, 0, 5, 1, 4, 2];
        for (i, &x) in diag.iter().enumerate() {
            a[i * n + perm[i]] = x;
        }
        let mut want: Vec<f64> = diag.iter().map(|x| x.abs()).collect();
        want.sort_by(|x, y| y.total_cmp(x));
        assert_eq!(singular_values(&a, n, n), want);
    }

    #[test]
    fn two_by_two_closed_form() {
        // σ₁σ₂ = |det A| and σ₁² + σ₂² = ‖A‖_F².
        let a = [2.0, -1.0, 0.5, 3.0];
        let det = (2.0 * 3.0 + 0.5 * 1.0_f64).abs();
        let f2 = frobenius2(&a);
        let disc = (f2 * f2 - 4.0 * det * det).sqrt();
        let s1 = ((f2 + disc) / 2.0).sqrt();
        let s2 = det / s1;
        let s = singular_values(&a, 2, 2);
        assert!((s[0] - s1).abs() <= 2.0 * EPS * s1, "{s:?}");
        assert!((s[1] - s2).abs() <= 2.0 * EPS * s1, "{s:?}");
    }

    #[test]
    fn prescribed_singular_values_are_recovered() {
        // Relative error within 2kε, k = min(rows, cols), which also covers the rounding in
        // forming U diag(s) Vᵀ.
        for &(rows, cols) in &[(30, 30), (45, 20), (20, 45), (3, 2)] {
            let k = rows.min(cols);
            let s: Vec<f64> = (0..k).map(|i| 3.0 - 2.5 * i as f64 / k as f64).collect();
            let a = with_singular_values(&s, rows, cols, (rows * cols) as u64);
            let got = singular_values(&a, rows, cols);
            for (g, w) in got.iter().zip(&s) {
                assert!(
                    (g - w).abs() <= 2.0 * k as f64 * EPS * w,
                    "{rows}×{cols}: got {g}, want {w}"
                );
            }
        }
    }

    #[test]
    fn tiny_singular_values_have_absolute_accuracy() {
        // Spread over ten decades: errors stay at the ε·‖A‖ level, far below what the
        // eigenvalues of AᵀA could deliver (√ε·‖A‖ ≈ 1.5e-8).
        let n = 25;
        let s: Vec<f64> = (0..n)
            .map(|i| 10f64.powf(-10.0 * i as f64 / (n - 1) as f64))
            .collect();
        let a = with_singular_values(&s, n, n, 4);
        let got = singular_values(&a, n, n);
        for (g, w) in got.iter().zip(&s) {
            assert!(
                (g - w).abs() <= 4.0 * n as f64 * EPS,
                "got {g:e}, want {w:e}"
            );
        }
    }

    #[test]
    fn rank_deficient_matrices_have_zero_singular_values() {
        for &(rows, cols, rank) in &[(40, 40, 13), (50, 30, 1), (25, 60, 7)] {
            let x = gaussian(rows, rank, 8);
            let y = gaussian(cols, rank, 9);
            let mut a = vec![0.0; rows * cols];
            for i in 0..rows {
                for j in 0..cols {
                    a[i * cols + j] = (0..rank).map(|l| x[i * rank + l] * y[j * rank + l]).sum();
                }
            }
            let s = singular_values(&a, rows, cols);
            assert_eq!(s.len(), rows.min(cols));
            assert!(s[rank - 1] > 1e-3 * s[0]);
            for &z in &s[rank..] {
                assert!(z <= 8.0 * EPS * s[0], "{rows}×{cols}: {z:e} vs {:e}", s[0]);
            }
        }
    }

    #[test]
    fn wide_matrix_matches_its_transpose() {
        let (rows, cols) = (7, 19);
        let a = gaussian(rows, cols, 31);
        let s = singular_values(&a, rows, cols);
        let t = singular_values(&transpose(&a, rows, cols), cols, rows);
        assert_eq!(s.len(), rows);
        for (x, y) in s.iter().zip(&t) {
            assert!((x - y).abs() <= 2.0 * cols as f64 * EPS * s[0]);
        }
    }

    #[test]
    fn squares_sum_to_frobenius_norm_squared() {
        for &(rows, cols, seed) in &[(12, 12, 1u64), (33, 17, 2), (9, 50, 3), (64, 64, 4)] {
            let a = gaussian(rows, cols, seed);
            let s = singular_values(&a, rows, cols);
            assert!(s.windows(2).all(|w| w[0] >= w[1]), "not descending");
            let sum: f64 = s.iter().map(|x| x * x).sum();
            let f2 = frobenius2(&a);
            assert!(
                (sum - f2).abs() <= 2.0 * rows.max(cols) as f64 * EPS * f2,
                "{sum} vs {f2}"
            );
        }
    }

    #[test]
    fn extreme_scales_neither_overflow_nor_underflow() {
        let (rows, cols) = (11, 8);
        let a = gaussian(rows, cols, 12);
        let want = singular_values(&a, rows, cols);
        for &f in &[1e-300, 1e300] {
            let b: Vec<f64> = a.iter().map(|x| x * f).collect();
            let got = singular_values(&b, rows, cols);
            for (g, w) in got.iter().zip(&want) {
                assert!((g / f - w).abs() <= 1e-14 * want[0]);
            }
        }
    }

    #[test]
    fn bidiagonal_with_zero_diagonal_entries() {
        // Exact zeros on the diagonal force zero-shift sweeps; the last row is zero, so one
        // singular value vanishes exactly.
        let mut d = vec![2.0, 0.0, 1.5, 3.0, 0.0];
        let mut e = vec![1.0, -0.7, 0.2, 2.2];
        let n = d.len();
        let mut b = vec![0.0; n * n];
        for i in 0..n {
            b[i * n + i] = d[i];
            if i + 1 < n {
                b[i * n + i + 1] = e[i];
            }
        }
        bidiagonal_qr(&mut d, &mut e);
        let mut got: Vec<f64> = d.iter().map(|x| x.abs()).collect();
        got.sort_by(|x, y| y.total_cmp(x));
        let reference = singular_values_via_symeig(&b, n, n);
        for (g, w) in got.iter().zip(&reference) {
            assert!(
                (g - w).abs() <= 4.0 * n as f64 * EPS * got[0],
                "{got:?} vs {reference:?}"
            );
        }
        assert!(got[n - 2] > 0.04, "{got:?}");
        assert!(got[n - 1] <= EPS * got[0], "{got:?}");
        let sum: f64 = got.iter().map(|x| x * x).sum();
        assert!((sum - frobenius2(&b)).abs() <= 2.0 * n as f64 * EPS * frobenius2(&b));
    }

    #[test]
    fn agrees_with_the_jordan_wielandt_eigenvalues() {
        for &(rows, cols, seed) in &[(10, 10, 40u64), (23, 9, 41), (6, 31, 42)] {
            let a = gaussian(rows, cols, seed);
            let s = singular_values(&a, rows, cols);
            let reference = singular_values_via_symeig(&a, rows, cols);
            for (x, y) in s.iter().zip(&reference) {
                assert!((x - y).abs() <= 2.0 * (rows + cols) as f64 * EPS * s[0]);
            }
        }
    }

    #[test]
    fn singular_values_of_two_by_two_triangle() {
        let cases = [
            (3.0, 4.0, 5.0),
            (1.0, 1e10, 2.0),
            (1e-8, 1.0, 1e-8),
            (2.0, 0.0, -3.0),
            (1e-200, 1e200, 1e-200),
        ];
        for &(f, g, h) in &cases {
            // σ_min σ_max = |f h| and σ_min² + σ_max² = f² + g² + h² (checked after scaling).
            let (smin, smax) = singular_values_2x2(f, g, h);
            assert!(smin <= smax);
            assert!(((smin / smax) - (f * h / smax / smax).abs()).abs() <= 4.0 * EPS);
            let norm = f.abs().max(g.abs()).max(h.abs());
            let (fs, gs, hs) = (f / norm, g / norm, h / norm);
            let t = fs * fs + gs * gs + hs * hs;
            let u = (smin / norm).powi(2) + (smax / norm).powi(2);
            assert!((u - t).abs() <= 4.0 * EPS * t, "{f} {g} {h}");
        }
        assert_eq!(singular_values_2x2(0.0, 2.0, 3.0), (0.0, 13f64.sqrt()));
        assert_eq!(singular_values_2x2(0.0, 2.0, 0.0), (0.0, 2.0));
    }

    #[test]
    fn bidiagonal_of_ones_closed_form() {
        // The n × n upper bidiagonal matrix of ones has σₖ = 2 cos(kπ/(2n+1)), k = 1..n.
        for &n in &[2usize, 5, 40] {
            let mut d = vec![1.0; n];
            let mut e = vec![1.0; n - 1];
            bidiagonal_qr(&mut d, &mut e);
            let mut got: Vec<f64> = d.iter().map(|x| x.abs()).collect();
            got.sort_by(|x, y| y.total_cmp(x));
            for (k, g) in got.iter().enumerate() {
                let theta = (k + 1) as f64 * std::f64::consts::PI / (2 * n + 1) as f64;
                let want = 2.0 * theta.cos();
                assert!(
                    (g - want).abs() <= 4.0 * n as f64 * EPS * want,
                    "{g} vs {want}"
                );
            }
        }
    }

    #[test]
    fn graded_bidiagonal_keeps_relative_accuracy() {
        // Entries spanning 60 decades. The product of the singular values equals |det B| =
        // ∏|dᵢ|, which only holds to working precision if each tiny singular value is
        // accurate relative to itself. Both chasing directions are exercised.
        let n = 16;
        let d: Vec<f64> = (0..n)
            .map(|i| (1.0 + 0.1 * i as f64) * 10f64.powi(-4 * i as i32))
            .collect();
        let e: Vec<f64> = (0..n - 1)
            .map(|i| 0.7 * 10f64.powi(-4 * i as i32))
            .collect();
        for reversed in [false, true] {
            // Reversing the order of rows and columns gives B' = P Bᵀ P with the same singular
            // values and the large entries at the bottom.
            let (mut dd, mut ee) = (d.clone(), e.clone());
            if reversed {
                dd.reverse();
                ee.reverse();
            }
            bidiagonal_qr(&mut dd, &mut ee);
            let log_prod: f64 = dd.iter().map(|x| x.abs().ln()).sum();
            let log_det: f64 = d.iter().map(|x| x.abs().ln()).sum();
            assert!(
                (log_prod - log_det).abs() <= 4.0 * n as f64 * EPS,
                "{log_prod} vs {log_det}"
            );
            let sum: f64 = dd.iter().map(|x| x * x).sum();
            let f2: f64 = d.iter().chain(&e).map(|x| x * x).sum();
            assert!((sum - f2).abs() <= 4.0 * n as f64 * EPS * f2);
        }
    }

    #[test]
    fn non_finite_input_gives_nan() {
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let mut a = gaussian(6, 4, 5);
            a[7] = bad;
            let s = singular_values(&a, 6, 4);
            assert!(s.len() == 4 && s.iter().all(|x| x.is_nan()));
        }
    }
}
