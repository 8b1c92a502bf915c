//! Eigenvalues of a general real square matrix: Parlett–Reinsch balancing, blocked Householder
//! reduction to upper Hessenberg form (Golub & Van Loan, *Matrix Computations*, 4th ed., §7.4.3;
//! LAPACK `dgehrd`)
//! and the Francis implicit double-shift QR iteration with deflation (GVL §7.5; EISPACK `hqr`,
//! LAPACK `dlahqr`), eigenvalues only; from n = 75 on, the multishift iteration with aggressive
//! early deflation of [`super::multishift`] instead.
//!
//! All transformations after the exact power-of-two balancing are orthogonal, so the computed
//! eigenvalues are exact for a matrix within a small multiple of `n · ε · ‖A‖` of the balanced
//! input; how far that moves an eigenvalue depends on its condition number.

use super::{axpy, dot, householder, max_abs, pow2_scale};
use crate::kernels::{gemm_ab_raw, gemm_abt_raw};
use crate::parallel::{self, Shared};

/// Sweeps without deflation after which an exceptional shift is used.
const EXCEPTIONAL_SHIFT_EVERY: usize = 10;
/// The QR iteration may spend at most this many times `max(n, 10)` sweeps in total (as in
/// EISPACK `hqr`). Finite input typically needs a few sweeps per eigenvalue; the cap only
/// guarantees termination.
const MAX_SWEEPS_PER_N: usize = 30;
/// Balancing passes are capped; random matrices need two or three.
const MAX_BALANCE_PASSES: usize = 100;

/// Eigenvalues `(re, im)` of the `n × n` row-major matrix `a`, sorted by descending real part,
/// ties by descending `|im|` with the positive imaginary part first, so the two members of a
/// complex-conjugate pair are adjacent and exact conjugates of each other.
///
/// The matrix is scaled by a power of two, balanced (Parlett–Reinsch, radix 2), reduced to
/// Hessenberg form by Householder reflectors (`10n³/3` flops, two thirds in matrix products) and
/// iterated with Francis double shifts (from n = 75 on, chains of them with aggressive early
/// deflation, [`super::multishift`]), about `10n³` flops in all. Input with a non-finite entry, or an iteration that fails
/// to converge, gives NaN for the eigenvalues not found.
pub fn eigenvalues(a: &[f64], n: usize) -> (Vec<f64>, Vec<f64>) {
    assert!(a.len() == n * n, "eigenvalues: a must hold n*n entries");
    if a.iter().any(|x| !x.is_finite()) {
        return (vec![f64::NAN; n], vec![f64::NAN; n]);
    }
    let r = reduce(a, n);
    let (re, im) = hessenberg_eigenvalues(&r.h, n);
    let unscale = |x: Vec<f64>| -> Vec<f64> { x.into_iter().map(|v| v / r.scale).collect() };
    (unscale(re), unscale(im))
}

/// A finite `n × n` matrix `A` brought to upper Hessenberg form `H = Qᵀ D⁻¹ (s A) D Q`.
pub(crate) struct Reduction {
    /// The power of two `s` that brings the largest entry of `A` near 1.
    pub(crate) scale: f64,
    /// The balancing diagonal `D` (powers of two).
    pub(crate) d: Vec<f64>,
    /// `H` on and above the subdiagonal; below it, column `k` holds the tail `v` of reflector
    /// `k` (LAPACK `dgehrd` layout, see [`hessenberg`]).
    pub(crate) h: Vec<f64>,
    /// The factors `τ_k` of the reflectors, `Q = H₀ H₁ ⋯ H_{n−3}`.
    pub(crate) tau: Vec<f64>,
}

/// Scales `a` by a power of two, balances it and reduces it to Hessenberg form.
pub(crate) fn reduce(a: &[f64], n: usize) -> Reduction {
    let scale = pow2_scale(max_abs(a));
    let mut h: Vec<f64> = a.iter().map(|x| x * scale).collect();
    let d = balance(&mut h, n);
    let tau = hessenberg(&mut h, n);
    Reduction { scale, d, h, tau }
}

/// Eigenvalues of the Hessenberg part of `h` (entries below the subdiagonal are ignored), in
/// the order of [`eigenvalues`]; NaN for those the iteration did not find.
pub(crate) fn hessenberg_eigenvalues(h: &[f64], n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut h = h.to_vec();
    for i in 2..n {
        h[i * n..i * n + i - 1].iter_mut().for_each(|x| *x = 0.0);
    }
    let mut re = vec![0.0; n];
    let mut im = vec![0.0; n];
    if n >= super::multishift::MIN_SIZE {
        super::multishift::multishift_qr(&mut h, n, &mut re, &mut im);
    } else {
        hessenberg_qr(&mut h, n, &mut re, &mut im, sweep_budget(n), None);
    }
    let mut pairs: Vec<(f64, f64)> = re.into_iter().zip(im).collect();
    pairs.sort_by(|x, y| {
        descending_nan_last(x.0, y.0)
            .then_with(|| descending_nan_last(x.1.abs(), y.1.abs()))
            .then_with(|| descending_nan_last(x.1, y.1))
    });
    pairs.into_iter().unzip()
}

/// The sweep budget of an `n × n` Hessenberg matrix: [`MAX_SWEEPS_PER_N`] `· max(n, 10)`.
pub(super) fn sweep_budget(n: usize) -> usize {
    MAX_SWEEPS_PER_N * n.max(10)
}

/// Descending order with NaN after every number.
fn descending_nan_last(x: f64, y: f64) -> std::cmp::Ordering {
    y.partial_cmp(&x)
        .unwrap_or_else(|| x.is_nan().cmp(&y.is_nan()))
}

/// Parlett–Reinsch balancing (EISPACK `balanc` without permutations): repeatedly scales row `i`
/// by `1/f` and column `i` by `f`, `f` a power of two, so that the off-diagonal 1-norms of row
/// and column `i` become comparable, until no scaling reduces their sum by 5 %. The scaling is
/// an exact diagonal similarity that lowers `‖A‖` and so the error of the QR iteration.
/// Returns the diagonal `D` of the similarity: the result is `D⁻¹ A D`.
fn balance(a: &mut [f64], n: usize) -> Vec<f64> {
    const RADIX: f64 = 2.0;
    const RADIX2: f64 = RADIX * RADIX;
    let mut d = vec![1.0; n];
    for _ in 0..MAX_BALANCE_PASSES {
        let mut converged = true;
        for i in 0..n {
            let mut c = 0.0;
            let mut r = 0.0;
            for j in (0..n).filter(|&j| j != i) {
                c += a[j * n + i].abs();
                r += a[i * n + j].abs();
            }
            if c == 0.0 || r == 0.0 {
                continue;
            }
            let s = c + r;
            let mut f = 1.0;
            let mut g = r / RADIX;
            while c < g && f < 1e100 {
                f *= RADIX;
                c *= RADIX2;
            }
            g = r * RADIX;
            while c > g && f > 1e-100 {
                f /= RADIX;
                c /= RADIX2;
            }
            if (c + r) / f < 0.95 * s {
                converged = false;
                d[i] *= f;
                let g = 1.0 / f;
                a[i * n..(i + 1) * n].iter_mut().for_each(|x| *x *= g);
                for j in 0..n {
                    a[j * n + i] *= f;
                }
            }
        }
        if converged {
            break;
        }
    }
    d
}

/// Columns per panel of the blocked reduction.
const PANEL: usize = 32;
/// Rows per parallel chunk of the panel's matrix–vector products.
const GEMV_ROWS: usize = 32;
/// The blocked reduction stops when fewer columns than this remain; the rest is unblocked.
const BLOCKED_DOWN_TO: usize = 128;

/// Householder reduction `Qᵀ A Q = H` to upper Hessenberg form in place: reflector `k` zeroes
/// `a[k+2.., k]`. Returns the factors `τ_k`; reflector `k` is `I − τ_k u uᵀ` with
/// `u = (0, …, 0, 1, v)`, the 1 in row `k + 1`, and `v` is stored in `a[k+2.., k]` below the
/// subdiagonal (LAPACK `dgehrd` layout).
///
/// Blocked as LAPACK `dgehrd`/`dlahr2` (Quintana-Ortí & van de Geijn, ACM TOMS 32, 2006): a
/// panel of [`PANEL`] columns is reduced with the updates of the later columns deferred,
/// `Q_panel = I − V T Vᵀ` and `Y = A V T`, then the trailing matrix gets
/// `A ← (I − V Tᵀ Vᵀ)(A − Y Vᵀ)` by matrix products. The products `A v` that build the rows of
/// `Y` below the panel's first column are the only level-2 part left (`2n³/3` of the `10n³/3`
/// flops); the rows above it are one matrix product after the panel, as in `dlahr2`.
fn hessenberg(a: &mut [f64], n: usize) -> Vec<f64> {
    let mut taus = vec![0.0; n.saturating_sub(2)];
    let mut k0 = 0;
    while n >= BLOCKED_DOWN_TO && k0 + BLOCKED_DOWN_TO <= n {
        hessenberg_panel(a, n, k0, PANEL, &mut taus[k0..k0 + PANEL]);
        k0 += PANEL;
    }
    hessenberg_columns(a, n, k0, &mut taus);
    taus
}

/// Reduces columns `k0..k0 + nb` (GVL Algorithm 7.4.2 with the `dlahr2` deferral) and applies
/// the panel's reflectors to the columns after it.
/// Not inlined, so that engines run it optimised from its second call ([`crate::kernels`]).
#[inline(never)]
fn hessenberg_panel(a: &mut [f64], n: usize, k0: usize, nb: usize, taus: &mut [f64]) {
    let m = n - k0 - 1;
    // V (m × nb, rows k0+1..n), T (nb × nb, upper), Y = A V T (n × nb).
    let mut v = vec![0.0; m * nb];
    let mut t = vec![0.0; nb * nb];
    let mut y = vec![0.0; n * nb];
    // The panel's columns, each contiguous, worked on here and written back at the end; until
    // then `a` keeps their original values, which the products A v below read.
    let mut panel = vec![0.0; nb * n];
    for (i, row) in a.chunks_exact(n).enumerate() {
        for (q, &x) in row[k0..k0 + nb].iter().enumerate() {
            panel[q * n + i] = x;
        }
    }
    let mut g = vec![0.0; nb];
    for j in 0..nb {
        let c = k0 + j;
        let pc = &mut panel[j * n..(j + 1) * n];
        if j > 0 {
            // Right: a[:, c] −= Y[:, ..j] V[c, ..j]ᵀ on rows k0+1..n (the rows above: after the
            // panel).
            let vc = &v[(c - k0 - 1) * nb..(c - k0 - 1) * nb + j];
            for (x, yi) in pc[k0 + 1..]
                .iter_mut()
                .zip(y[(k0 + 1) * nb..].chunks_exact(nb))
            {
                *x -= dot(&yi[..j], vc);
            }
            // Left on rows k0+1..: b ← (I − V Tᵀ Vᵀ) b.
            let col = &mut pc[k0 + 1..];
            let mut w = vec![0.0; j];
            for (vi, x) in v.chunks_exact(nb).zip(col.iter()) {
                axpy(*x, &vi[..j], &mut w);
            }
            let tw: Vec<f64> = (0..j)
                .map(|q| (0..=q).map(|l| t[l * nb + q] * w[l]).sum())
                .collect();
            for (x, vi) in col.iter_mut().zip(v.chunks_exact(nb)) {
                *x -= dot(&vi[..j], &tw);
            }
        }
        // The reflector of column c from rows c+1..n.
        let mut u = pc[c + 1..].to_vec();
        let (beta, tau) = householder(u[0], &mut u[1..]);
        taus[j] = tau;
        pc[c + 1] = beta;
        u[0] = 1.0;
        pc[c + 2..].copy_from_slice(&u[1..]);
        for (i, &ui) in u.iter().enumerate() {
            v[(c - k0 + i) * nb + j] = ui;
        }
        // g = V[:, ..j]ᵀ v_j; Y[:, j] = τ (A[:, c+1..] v_j − Y[:, ..j] g); T[..j, j] = −τ T g.
        g[..j].iter_mut().for_each(|x| *x = 0.0);
        for (vi, &ui) in v[(c - k0) * nb..].chunks_exact(nb).zip(&u) {
            axpy(ui, &vi[..j], &mut g[..j]);
        }
        // Rows k0+1..n, row by row, so the split over threads does not change the result.
        let (ys, a_now, g_now) = (Shared::new(&mut y), &*a, &g[..j]);
        let rows = |b: usize| {
            for i in k0 + 1 + b * GEMV_ROWS..(k0 + 1 + (b + 1) * GEMV_ROWS).min(n) {
                // SAFETY: row i of Y belongs to this chunk.
                let yi = unsafe { ys.part(i * nb, nb) };
                let av = dot(&a_now[i * n + c + 1..(i + 1) * n], &u);
                yi[j] = tau * (av - dot(&yi[..j], g_now));
            }
        };
        parallel::for_each_large((m + GEMV_ROWS - 1) / GEMV_ROWS, m * u.len(), &rows);
        for q in 0..j {
            t[q * nb + j] = -tau * (q..j).map(|l| t[q * nb + l] * g[l]).sum::<f64>();
        }
        t[j * nb + j] = tau;
    }
    // Rows 0..=k0 of Y = A V T from the matrix as it was at the panel's start, then the right
    // update of those rows of the panel's columns.
    let mut vt = vec![0.0; nb * m];
    for (i, vi) in v.chunks_exact(nb).enumerate() {
        for (q, x) in vi.iter().enumerate() {
            vt[q * m + i] = *x;
        }
    }
    let top = k0 + 1;
    let mut av = vec![0.0; top * nb];
    // SAFETY: rows 0..top of a from column k0+1 hold m entries; vt (nb × m) and av (top × nb)
    // are separate buffers.
    unsafe {
        gemm_abt_raw(
            1.0,
            a.as_ptr().add(k0 + 1),
            n,
            vt.as_ptr(),
            m,
            top,
            nb,
            m,
            0.0,
            av.as_mut_ptr(),
            nb,
        )
    };
    for (yi, avi) in y.chunks_exact_mut(nb).zip(av.chunks_exact(nb)) {
        for (j, x) in yi.iter_mut().enumerate() {
            *x = (0..=j).map(|q| avi[q] * t[q * nb + j]).sum();
        }
    }
    for j in 1..nb {
        let vc = &v[(j - 1) * nb..(j - 1) * nb + j];
        for (x, yi) in panel[j * n..j * n + top].iter_mut().zip(y.chunks_exact(nb)) {
            *x -= dot(&yi[..j], vc);
        }
    }
    for (i, row) in a.chunks_exact_mut(n).enumerate() {
        for (q, x) in row[k0..k0 + nb].iter_mut().enumerate() {
            *x = panel[q * n + i];
        }
    }
    // Trailing columns k1..n: right update of all rows, A −= Y V[k1.., :]ᵀ.
    let k1 = k0 + nb;
    let rest = n - k1;
    let ap = a.as_mut_ptr();
    // SAFETY: y (n × nb) and the rows of v from k1 (rest × nb) are separate buffers; the
    // written block is rows 0..n, columns k1..n of the n × n matrix a.
    unsafe {
        gemm_abt_raw(
            -1.0,
            y.as_ptr(),
            nb,
            v.as_ptr().add((k1 - k0 - 1) * nb),
            nb,
            n,
            rest,
            nb,
            1.0,
            ap.add(k1),
            n,
        )
    };
    // Left update of rows k0+1..n: W = Vᵀ A_sub (nb × rest), A_sub read in place (row-major
    // product), then A_sub −= V (Tᵀ W).
    let mut w = vec![0.0; nb * rest];
    // SAFETY: vt (nb × m) and w (nb × rest) are separate from a, whose rows k0+1..n from
    // column k1 hold rest entries.
    unsafe {
        gemm_ab_raw(
            1.0,
            vt.as_ptr(),
            m,
            ap.add((k0 + 1) * n + k1),
            n,
            nb,
            rest,
            m,
            0.0,
            w.as_mut_ptr(),
            rest,
        )
    };
    // (Tᵀ W)ᵀ (rest × nb), T upper triangular.
    let mut twt = vec![0.0; rest * nb];
    for (col, out) in twt.chunks_exact_mut(nb).enumerate() {
        for (q, o) in out.iter_mut().enumerate() {
            *o = (0..=q).map(|l| t[l * nb + q] * w[l * rest + col]).sum();
        }
    }
    // SAFETY: v (m × nb) and twt (rest × nb) are separate buffers; the written block is rows
    // k0+1..n, columns k1..n of a.
    unsafe {
        gemm_abt_raw(
            -1.0,
            v.as_ptr(),
            nb,
            twt.as_ptr(),
            nb,
            m,
            rest,
            nb,
            1.0,
            ap.add((k0 + 1) * n + k1),
            n,
        )
    };
}

/// Reduces columns `from..n−2` one reflector at a time (GVL Algorithm 7.4.2): each is applied
/// from the left to rows `k+1..` and from the right to all rows.
fn hessenberg_columns(a: &mut [f64], n: usize, from: usize, taus: &mut [f64]) {
    let mut u = vec![0.0; n];
    let mut w = vec![0.0; n];
    for k in from..n.saturating_sub(2) {
        let len = n - k - 1;
        for (i, ui) in u[..len].iter_mut().enumerate() {
            *ui = a[(k + 1 + i) * n + k];
        }
        let (beta, tau) = householder(u[0], &mut u[1..len]);
        taus[k] = tau;
        a[(k + 1) * n + k] = beta;
        for i in k + 2..n {
            a[i * n + k] = u[i - k - 1];
        }
        if tau == 0.0 {
            continue;
        }
        u[0] = 1.0;
        let u = &u[..len];
        // Left: rows k+1.. of columns k+1.. ← (I − τ u uᵀ) · that block.
        let w = &mut w[..len];
        w.iter_mut().for_each(|x| *x = 0.0);
        for (i, &ui) in u.iter().enumerate() {
            let row = k + 1 + i;
            axpy(ui, &a[row * n + k + 1..(row + 1) * n], w);
        }
        w.iter_mut().for_each(|x| *x *= tau);
        for (i, &ui) in u.iter().enumerate() {
            let row = k + 1 + i;
            axpy(-ui, w, &mut a[row * n + k + 1..(row + 1) * n]);
        }
        // Right: columns k+1.. of every row ← that block · (I − τ u uᵀ).
        for row in a.chunks_exact_mut(n) {
            let row = &mut row[k + 1..];
            let t = tau * dot(row, u);
            axpy(-t, u, row);
        }
    }
}

/// Eigenvalues of the upper Hessenberg `n × n` row-major matrix `h` into `re`, `im` (unsorted,
/// conjugate pairs in consecutive slots, positive imaginary part first); `h` is destroyed.
///
/// LAPACK `dlahqr` without the Schur form: the active block `l..=i` is found by the
/// Ahues–Kressner small-subdiagonal test; 1 × 1 and 2 × 2 blocks at its bottom deflate; otherwise
/// a Francis double-shift sweep with the eigenvalues of the trailing 2 × 2 block as shifts (one
/// real shift used twice when they are real) chases a bulge of 3 × 3 reflectors, started at
/// the lowest row where two consecutive small subdiagonals allow it. After 10 and 20 sweeps
/// without deflation an exceptional ad-hoc shift breaks cycles. When `budget` sweeps have been
/// spent, the eigenvalues not yet found are NaN.
///
/// With `schur = Some(z)` (`z` an `n × n` row-major matrix, typically `I`) every transformation
/// is applied to the whole of `h` and accumulated as `z ← z Q`, so that on return `h` is in
/// real Schur form `Qᵀ H Q` up to unstandardised 2 × 2 blocks (a block is `1 × 1` exactly
/// when the subdiagonal entry left of it is `0`); otherwise only the active block is updated.
pub(super) fn hessenberg_qr(
    h: &mut [f64],
    n: usize,
    re: &mut [f64],
    im: &mut [f64],
    mut budget: usize,
    mut schur: Option<&mut [f64]>,
) {
    if n == 0 {
        return;
    }
    let ulp = f64::EPSILON;
    let smlnum = f64::MIN_POSITIVE * (n as f64 / ulp);
    let mut since_deflation = 0;
    // Index of the last row of the active block; the rows below have been deflated.
    let mut i = n - 1;
    loop {
        let l = split_point(h, n, i, ulp, smlnum);
        if l > 0 {
            h[l * n + l - 1] = 0.0;
        }
        if l + 1 >= i {
            // A 1 × 1 or 2 × 2 block has split off.
            if l == i {
                re[i] = h[i * n + i];
                im[i] = 0.0;
            } else {
                let (r1, i1, r2, i2) =
                    two_by_two_eigenvalues(h[l * n + l], h[l * n + i], h[i * n + l], h[i * n + i]);
                re[l] = r1;
                im[l] = i1;
                re[i] = r2;
                im[i] = i2;
            }
            since_deflation = 0;
            if l == 0 {
                return;
            }
            i = l - 1;
            continue;
        }
        if budget == 0 {
            return not_found(re, im, i);
        }
        budget -= 1;
        since_deflation += 1;
        let at = |r: usize, c: usize| h[r * n + c];
        let (h11, h12, h21, h22) = if since_deflation % (2 * EXCEPTIONAL_SHIFT_EVERY) == 0 {
            let s = at(i, i - 1).abs() + at(i - 1, i - 2).abs();
            (0.75 * s + at(i, i), -0.4375 * s, s, 0.75 * s + at(i, i))
        } else if since_deflation % EXCEPTIONAL_SHIFT_EVERY == 0 {
            let s = at(l + 1, l).abs() + at(l + 2, l + 1).abs();
            (0.75 * s + at(l, l), -0.4375 * s, s, 0.75 * s + at(l, l))
        } else {
            (at(i - 1, i - 1), at(i - 1, i), at(i, i - 1), at(i, i))
        };
        let shifts = francis_shifts(h11, h12, h21, h22);
        let (m, v) = sweep_start(h, n, l, i, shifts, ulp);
        double_shift_sweep(h, n, l, m, i, v, schur.as_deref_mut());
    }
}

/// The first row `l ≤ i` of the unreduced block ending at row `i`: scans up for a negligible
/// subdiagonal `h[k][k−1]` by the conservative criterion of Ahues & Kressner (LAPACK `dlahqr`).
pub(super) fn split_point(h: &[f64], n: usize, i: usize, ulp: f64, smlnum: f64) -> usize {
    let at = |r: usize, c: usize| h[r * n + c];
    let mut k = i;
    while k > 0 {
        let sub = at(k, k - 1).abs();
        if sub <= smlnum {
            break;
        }
        let mut tst = at(k - 1, k - 1).abs() + at(k, k).abs();
        if tst == 0.0 {
            if k >= 2 {
                tst += at(k - 1, k - 2).abs();
            }
            if k + 1 < n {
                tst += at(k + 1, k).abs();
            }
        }
        if sub <= ulp * tst {
            let sup = at(k - 1, k).abs();
            let diff = (at(k - 1, k - 1) - at(k, k)).abs();
            let (ab, ba) = (sub.max(sup), sub.min(sup));
            let (aa, bb) = (at(k, k).abs().max(diff), at(k, k).abs().min(diff));
            let s = aa + ab;
            if ba * (ab / s) <= smlnum.max(ulp * (bb * (aa / s))) {
                break;
            }
        }
        k -= 1;
    }
    k
}

/// Shifts `(σ₁ re, σ₁ im, σ₂ re, σ₂ im)` from the 2 × 2 block `[h11 h12; h21 h22]`: its
/// eigenvalues when complex, otherwise the real eigenvalue closer to `h22`, twice.
pub(super) fn francis_shifts(h11: f64, h12: f64, h21: f64, h22: f64) -> (f64, f64, f64, f64) {
    let s = h11.abs() + h12.abs() + h21.abs() + h22.abs();
    if s == 0.0 {
        return (0.0, 0.0, 0.0, 0.0);
    }
    let (h11, h12, h21, h22) = (h11 / s, h12 / s, h21 / s, h22 / s);
    let tr = 0.5 * (h11 + h22);
    let det = (h11 - tr) * (h22 - tr) - h12 * h21;
    let rtdisc = det.abs().sqrt();
    if det >= 0.0 {
        (tr * s, rtdisc * s, tr * s, -rtdisc * s)
    } else {
        let (r1, r2) = (tr + rtdisc, tr - rtdisc);
        let r = if (r1 - h22).abs() <= (r2 - h22).abs() {
            r1
        } else {
            r2
        };
        (r * s, 0.0, r * s, 0.0)
    }
}

/// The row `m` (`l ≤ m ≤ i − 2`) where the sweep starts and the scaled first column
/// `(H − σ₁)(H − σ₂) e_m` restricted to rows `m..m+3`: the lowest `m` whose subdiagonal
/// `h[m][m−1]` the first reflector would leave negligible (GVL §7.5.5; LAPACK `dlahqr`).
fn sweep_start(
    h: &[f64],
    n: usize,
    l: usize,
    i: usize,
    (r1r, r1i, r2r, r2i): (f64, f64, f64, f64),
    ulp: f64,
) -> (usize, [f64; 3]) {
    let at = |r: usize, c: usize| h[r * n + c];
    let mut m = i - 2;
    loop {
        let s = (at(m, m) - r2r).abs() + r2i.abs() + at(m + 1, m).abs();
        let h21s = at(m + 1, m) / s;
        let mut v = [
            h21s * at(m, m + 1) + (at(m, m) - r1r) * ((at(m, m) - r2r) / s) - r1i * (r2i / s),
            h21s * (at(m, m) + at(m + 1, m + 1) - r1r - r2r),
            h21s * at(m + 2, m + 1),
        ];
        let s = v[0].abs() + v[1].abs() + v[2].abs();
        v.iter_mut().for_each(|x| *x /= s);
        if m == l {
            return (m, v);
        }
        let h00 = at(m, m - 1).abs() * (v[1].abs() + v[2].abs());
        let h01 = v[0].abs() * (at(m - 1, m - 1).abs() + at(m, m).abs() + at(m + 1, m + 1).abs());
        if h00 <= ulp * h01 {
            return (m, v);
        }
        m -= 1;
    }
}

/// One Francis double-shift sweep on rows and columns `m..=i` of the active block `l..=i`
/// (GVL Algorithm 7.5.1): the reflector built from `v` creates a bulge at row `m`, and 3 × 3
/// reflectors (2 × 2 at the bottom) chase it down to row `i`. Only the active block is updated,
/// which suffices for eigenvalues, unless `z` is given (see [`hessenberg_qr`]).
/// Not inlined, so that engines run it optimised from its second call ([`crate::kernels`]).
#[inline(never)]
fn double_shift_sweep(
    h: &mut [f64],
    n: usize,
    l: usize,
    m: usize,
    i: usize,
    mut v: [f64; 3],
    mut z: Option<&mut [f64]>,
) {
    let (first_row, last_col) = if z.is_some() { (0, n - 1) } else { (l, i) };
    for k in m..i {
        let nr = 3.min(i - k + 1);
        let t1 = if k > m {
            let (chased, t) = bulge_reflector(h, n, k, nr);
            v = chased;
            t
        } else {
            let (first, rest) = v[..nr].split_at_mut(1);
            householder(first[0], rest).1
        };
        if k == m && m > l {
            // The reflector flips the sign of h[m][m−1] up to rounding; written as a product
            // so that it stays right when v[1] and v[2] underflow.
            h[k * n + k - 1] *= 1.0 - t1;
        }
        if t1 == 0.0 {
            continue;
        }
        let (v2, t2) = (v[1], t1 * v[1]);
        let rows = &mut h[k * n..];
        let (r0, rest) = rows.split_at_mut(n);
        let (r1, rest) = rest.split_at_mut(n);
        let (r0, r1) = (&mut r0[k..=last_col], &mut r1[k..=last_col]);
        if nr == 3 {
            let (v3, t3) = (v[2], t1 * v[2]);
            let r2 = &mut rest[k..=last_col];
            for ((x0, x1), x2) in r0.iter_mut().zip(r1.iter_mut()).zip(r2.iter_mut()) {
                let sum = *x0 + v2 * *x1 + v3 * *x2;
                *x0 -= sum * t1;
                *x1 -= sum * t2;
                *x2 -= sum * t3;
            }
            let z_rows = z.as_deref_mut().unwrap_or(&mut []).chunks_exact_mut(n);
            for row in h[first_row * n..(i.min(k + 3) + 1) * n]
                .chunks_exact_mut(n)
                .chain(z_rows)
            {
                let x = &mut row[k..k + 3];
                let sum = x[0] + v2 * x[1] + v3 * x[2];
                x[0] -= sum * t1;
                x[1] -= sum * t2;
                x[2] -= sum * t3;
            }
        } else {
            for (x0, x1) in r0.iter_mut().zip(r1.iter_mut()) {
                let sum = *x0 + v2 * *x1;
                *x0 -= sum * t1;
                *x1 -= sum * t2;
            }
            let z_rows = z.as_deref_mut().unwrap_or(&mut []).chunks_exact_mut(n);
            for row in h[first_row * n..(i + 1) * n]
                .chunks_exact_mut(n)
                .chain(z_rows)
            {
                let x = &mut row[k..k + 2];
                let sum = x[0] + v2 * x[1];
                x[0] -= sum * t1;
                x[1] -= sum * t2;
            }
        }
    }
}

/// Marks the eigenvalues `0..=i` not found: NaN.
pub(super) fn not_found(re: &mut [f64], im: &mut [f64], i: usize) {
    re[..=i].iter_mut().for_each(|x| *x = f64::NAN);
    im[..=i].iter_mut().for_each(|x| *x = f64::NAN);
}

/// The reflector that returns column `k − 1` of a bulge (rows `k..k + nr`, `nr` = 2 or 3) to
/// Hessenberg form: reads that column, writes `β` and the zeros below it, and returns the
/// reflector's vector `(1, v₁, v₂)` (in entries 1.. , with `v₂ = 0` when `nr = 2`) and `τ`.
pub(super) fn bulge_reflector(h: &mut [f64], n: usize, k: usize, nr: usize) -> ([f64; 3], f64) {
    let mut v = [0.0; 3];
    for (r, vr) in v[..nr].iter_mut().enumerate() {
        *vr = h[(k + r) * n + k - 1];
    }
    let (beta, tau) = {
        let (first, rest) = v[..nr].split_at_mut(1);
        householder(first[0], rest)
    };
    h[k * n + k - 1] = beta;
    for r in 1..nr {
        h[(k + r) * n + k - 1] = 0.0;
    }
    (v, tau)
}

/// Eigenvalues `(re₁, im₁, re₂, im₂)` of `[a b; c d]` by the standardisation of LAPACK `dlanv2`:
/// real eigenvalues are computed without cancellation; otherwise a rotation equalises the
/// diagonal, after which a complex pair is `a ± i √|b| √|c|` with exactly equal real parts
/// (positive imaginary part first).
fn two_by_two_eigenvalues(a: f64, b: f64, c: f64, d: f64) -> (f64, f64, f64, f64) {
    let eps = f64::EPSILON;
    if c == 0.0 || b == 0.0 {
        return (a, 0.0, d, 0.0);
    }
    if a == d && b.signum() != c.signum() {
        let w = b.abs().sqrt() * c.abs().sqrt();
        return (a, w, a, -w);
    }
    let temp = a - d;
    let p = 0.5 * temp;
    let bcmax = b.abs().max(c.abs());
    let bcmis = b.abs().min(c.abs()) * b.signum() * c.signum();
    let scale = p.abs().max(bcmax);
    let z = p / scale * p + bcmax / scale * bcmis;
    if z >= 4.0 * eps {
        // Real eigenvalues.
        let z = p + (scale.sqrt() * z.sqrt()).copysign(p);
        let e1 = d + z;
        let e2 = d - bcmax / z * bcmis;
        return (e1, 0.0, e2, 0.0);
    }
    // Complex or nearly equal real eigenvalues: rotate to equal diagonal entries.
    let sigma = b + c;
    let tau = sigma.hypot(temp);
    let cs = (0.5 * (1.0 + sigma.abs() / tau)).sqrt();
    let sn = -(p / (tau * cs)) * sigma.signum();
    let (aa, bb) = (a * cs + b * sn, -a * sn + b * cs);
    let (cc, dd) = (c * cs + d * sn, -c * sn + d * cs);
    let b = bb * cs + dd * sn;
    let c = -aa * sn + cc * cs;
    let mid = 0.5 * ((aa * cs + cc * sn) + (-bb * sn + dd * cs));
    if c == 0.0 || b == 0.0 {
        return (mid, 0.0, mid, 0.0);
    }
    if b.signum() == c.signum() {
        let p = (b.abs().sqrt() * c.abs().sqrt()).copysign(c);
        return (mid + p, 0.0, mid - p, 0.0);
    }
    let w = b.abs().sqrt() * c.abs().sqrt();
    (mid, w, mid, -w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::qr::orthonormal_columns;
    use crate::linalg::test_matrices::{
        gaussian, matmul, monic_coefficients, rotation_block_matrix, transpose, BLOCK_REALS,
        COMPANION_ROOTS, ROTATION_BLOCKS,
    };
    use crate::rng;
    use std::f64::consts::PI;

    /// LU factorisation with partial pivoting in place; returns the row permutation's sign,
    /// or 0 for a singular matrix.
    fn lu(a: &mut [f64], n: usize, perm: &mut [usize]) -> f64 {
        let mut sign = 1.0;
        for (i, p) in perm.iter_mut().enumerate() {
            *p = i;
        }
        for k in 0..n {
            let p = (k..n)
                .max_by(|&x, &y| a[x * n + k].abs().total_cmp(&a[y * n + k].abs()))
                .unwrap();
            if a[p * n + k] == 0.0 {
                return 0.0;
            }
            if p != k {
                for j in 0..n {
                    a.swap(k * n + j, p * n + j);
                }
                perm.swap(k, p);
                sign = -sign;
            }
            for i in k + 1..n {
                let f = a[i * n + k] / a[k * n + k];
                a[i * n + k] = f;
                for j in k + 1..n {
                    a[i * n + j] -= f * a[k * n + j];
                }
            }
        }
        sign
    }

    fn determinant(a: &[f64], n: usize) -> f64 {
        let mut w = a.to_vec();
        let mut perm = vec![0; n];
        let sign = lu(&mut w, n, &mut perm);
        (0..n).fold(sign, |d, k| d * w[k * n + k])
    }

    /// Largest distance from each expected eigenvalue to a distinct computed one (greedy
    /// nearest matching).
    fn spectrum_error(got: &(Vec<f64>, Vec<f64>), want: &[(f64, f64)]) -> f64 {
        assert_eq!(got.0.len(), want.len());
        let mut unused: Vec<(f64, f64)> =
            got.0.iter().copied().zip(got.1.iter().copied()).collect();
        let mut worst = 0.0_f64;
        for &(wr, wi) in want {
            let (k, d) = unused
                .iter()
                .map(|&(r, i)| (r - wr).hypot(i - wi))
                .enumerate()
                .min_by(|x, y| x.1.total_cmp(&y.1))
                .unwrap();
            worst = worst.max(d);
            unused.swap_remove(k);
        }
        worst
    }

    /// Sorted by descending real part; complex eigenvalues in adjacent exact conjugate pairs,
    /// positive imaginary part first.
    fn assert_ordered_pairs(re: &[f64], im: &[f64]) {
        assert!(re.windows(2).all(|w| w[0] >= w[1]), "{re:?}");
        let mut k = 0;
        while k < re.len() {
            if im[k] != 0.0 {
                assert!(im[k] > 0.0 && k + 1 < re.len(), "{k}: {re:?} {im:?}");
                assert_eq!((re[k + 1], im[k + 1]), (re[k], -im[k]));
                k += 2;
            } else {
                k += 1;
            }
        }
    }

    /// `Q` of a reduction, applied to the identity reflector by reflector.
    fn explicit_q(h: &[f64], tau: &[f64], n: usize) -> Vec<f64> {
        let mut q = vec![0.0; n * n];
        (0..n).for_each(|i| q[i * n + i] = 1.0);
        for k in (0..tau.len()).rev() {
            let mut u = vec![0.0; n];
            u[k + 1] = 1.0;
            (k + 2..n).for_each(|i| u[i] = h[i * n + k]);
            for j in 0..n {
                let s: f64 = (0..n).map(|i| u[i] * q[i * n + j]).sum();
                (0..n).for_each(|i| q[i * n + j] -= tau[k] * u[i] * s);
            }
        }
        q
    }

    #[test]
    fn blocked_reduction_is_an_orthogonal_similarity_to_hessenberg_form() {
        // n = 200: two panels of the blocked reduction, then the unblocked tail; n = 100: the
        // unblocked reduction only. Both: Q H Qᵀ = A with orthogonal Q, and the blocked H
        // equals the unblocked one to rounding.
        for n in [100, 200] {
            let mut a = vec![0.0; n * n];
            rng::fill_normal(&mut rng::seeded(n as u64), 1.0, &mut a);
            let mut h = a.clone();
            let tau = hessenberg(&mut h, n);
            let mut h1 = a.clone();
            let mut tau1 = vec![0.0; n - 2];
            hessenberg_columns(&mut h1, n, 0, &mut tau1);
            let q = explicit_q(&h, &tau, n);
            let mut hh = h.clone();
            for i in 2..n {
                hh[i * n..i * n + i - 1].iter_mut().for_each(|x| *x = 0.0);
            }
            let qt: Vec<f64> = (0..n * n).map(|k| q[(k % n) * n + k / n]).collect();
            let back = matmul(&matmul(&q, &hh, n), &qt, n);
            let norm = a.iter().map(|x| x * x).sum::<f64>().sqrt();
            let err = back
                .iter()
                .zip(&a)
                .map(|(x, y)| (x - y).powi(2))
                .sum::<f64>()
                .sqrt();
            assert!(err < 1e-13 * norm * n as f64, "n = {n}: {err}");
            let qtq = matmul(&qt, &q, n);
            for i in 0..n {
                for j in 0..n {
                    assert!((qtq[i * n + j] - (i == j) as u8 as f64).abs() < 1e-13 * n as f64);
                }
            }
            for i in 0..n {
                for j in i.saturating_sub(1)..n {
                    assert!(
                        (h[i * n + j] - h1[i * n + j]).abs() < 1e-11,
                        "n = {n}: H[{i}][{j}]"
                    );
                }
            }
            assert!(tau.iter().zip(&tau1).all(|(x, y)| (x - y).abs() < 1e-12));
        }
    }

    #[test]
    fn empty_one_by_one_zero_and_non_finite() {
        assert_eq!(eigenvalues(&[], 0), (vec![], vec![]));
        assert_eq!(eigenvalues(&[-2.5], 1), (vec![-2.5], vec![0.0]));
        assert_eq!(eigenvalues(&[0.0; 25], 5), (vec![0.0; 5], vec![0.0; 5]));
        let (re, im) = eigenvalues(&[1.0, f64::NAN, 0.0, 1.0], 2);
        assert!(re.iter().chain(&im).all(|x| x.is_nan()));
        let (re, _) = eigenvalues(&[1.0, f64::INFINITY, 0.0, 1.0], 2);
        assert!(re.iter().all(|x| x.is_nan()));
    }

    #[test]
    fn two_by_two_closed_forms() {
        // Real: [4 1; 2 3] has eigenvalues 5 and 2.
        assert_eq!(
            eigenvalues(&[4.0, 1.0, 2.0, 3.0], 2),
            (vec![5.0, 2.0], vec![0.0, 0.0])
        );
        // (a + d)/2 ± √(((a − d)/2)² + bc) for random entries, real or complex.
        let mut r = rng::seeded(1);
        for _ in 0..200 {
            let mut m = [0.0; 4];
            rng::fill_normal(&mut r, 1.0, &mut m);
            let [a, b, c, d] = m;
            let (mid, disc) = (0.5 * (a + d), (0.5 * (a - d)).powi(2) + b * c);
            let want = if disc >= 0.0 {
                [(mid + disc.sqrt(), 0.0), (mid - disc.sqrt(), 0.0)]
            } else {
                [(mid, (-disc).sqrt()), (mid, -(-disc).sqrt())]
            };
            let got = eigenvalues(&m, 2);
            assert_ordered_pairs(&got.0, &got.1);
            let size = a.abs() + b.abs() + c.abs() + d.abs();
            // Nearly equal real eigenvalues are ill-conditioned: allow ε^(1/2) there.
            let sep = (want[0].0 - want[1].0).hypot(want[0].1 - want[1].1);
            let tol = if sep > 1e-3 * size {
                1e-14 * size
            } else {
                1e-7 * size
            };
            assert!(
                spectrum_error(&got, &want) <= tol,
                "{m:?}: {got:?} vs {want:?}"
            );
        }
        // Complex: [1 −2; 3 1] has eigenvalues 1 ± i√6; a rotation generator ±i.
        let (re, im) = eigenvalues(&[1.0, -2.0, 3.0, 1.0], 2);
        assert_eq!(re, [1.0, 1.0]);
        assert!((im[0] - 6.0_f64.sqrt()).abs() <= 4.0 * f64::EPSILON && im[1] == -im[0]);
        assert_eq!(
            eigenvalues(&[0.0, 1.0, -1.0, 0.0], 2),
            (vec![0.0, 0.0], vec![1.0, -1.0])
        );
        // Defective: a Jordan block.
        assert_eq!(
            eigenvalues(&[3.0, 1.0, 0.0, 3.0], 2),
            (vec![3.0, 3.0], vec![0.0, 0.0])
        );
    }

    #[test]
    fn rotation_scaling_blocks_under_orthogonal_similarity() {
        // Blocks r [cos θ −sin θ; sin θ cos θ] with eigenvalues r e^{±iθ}, and two real ones.
        let (b, n) = rotation_block_matrix();
        let mut want = Vec::new();
        for &(r, t) in &ROTATION_BLOCKS {
            want.push((r * t.cos(), r * t.sin()));
            want.push((r * t.cos(), -r * t.sin()));
        }
        want.extend(BLOCK_REALS.iter().map(|&x| (x, 0.0)));
        let mut q = gaussian(n, 1.0, 2);
        orthonormal_columns(&mut q, n, n);
        let a = matmul(&matmul(&q, &b, n), &transpose(&q, n), n);
        let got = eigenvalues(&a, n);
        assert_ordered_pairs(&got.0, &got.1);
        assert_eq!(
            got.1.iter().filter(|x| **x != 0.0).count(),
            2 * ROTATION_BLOCKS.len()
        );
        let err = spectrum_error(&got, &want);
        assert!(err <= 1e-14, "{err:e}");
    }

    #[test]
    fn companion_matrix_roots() {
        // p(z) = Π (z − zₖ) with real and complex-conjugate roots.
        let roots = COMPANION_ROOTS;
        let n = roots.len();
        let coef = monic_coefficients(&roots);
        assert!(coef.iter().all(|c| c.1.abs() < 1e-12));
        // Frobenius companion matrix: first row −c₁ … −cₙ, ones on the subdiagonal.
        let mut a = vec![0.0; n * n];
        for j in 0..n {
            a[j] = -coef[j + 1].0;
        }
        for i in 1..n {
            a[i * n + i - 1] = 1.0;
        }
        let got = eigenvalues(&a, n);
        assert_ordered_pairs(&got.0, &got.1);
        let err = spectrum_error(&got, &roots);
        assert!(err <= 1e-14, "{err:e}");
    }

    #[test]
    fn triangular_matrices_give_their_diagonal() {
        let n = 30;
        let mut a = gaussian(n, 1.0, 3);
        let diag: Vec<f64> = (0..n).map(|i| (i as f64 - 10.0) * 0.75).collect();
        for i in 0..n {
            a[i * n + i] = diag[i];
            for j in 0..i {
                a[i * n + j] = 0.0;
            }
        }
        let mut sorted = diag;
        sorted.sort_by(|x, y| y.total_cmp(x));
        // Upper triangular is already Schur form: the diagonal comes back exactly.
        assert_eq!(eigenvalues(&a, n), (sorted.clone(), vec![0.0; n]));
        // Lower triangular needs the full reduction and iteration.
        let (re, im) = eigenvalues(&transpose(&a, n), n);
        for k in 0..n {
            assert!(
                (re[k] - sorted[k]).abs() <= 5e-13,
                "{k}: {} vs {}",
                re[k],
                sorted[k]
            );
            assert!(im[k] == 0.0);
        }
    }

    #[test]
    fn similarity_with_well_conditioned_random_basis() {
        let n = 12;
        let mut s = gaussian(n, 0.1, 4);
        for i in 0..n {
            s[i * n + i] += 1.0;
        }
        let s_inv = crate::linalg::inverse::inverse(&s, n).unwrap();
        let check = matmul(&s, &s_inv, n);
        for i in 0..n {
            for j in 0..n {
                assert!((check[i * n + j] - (i == j) as u8 as f64).abs() < 1e-14);
            }
        }
        // Real spectrum with a repeated and a zero eigenvalue.
        let lambda = [
            4.0, 2.0, 2.0, 1.5, 0.0, -0.5, -1.0, -3.0, 0.7, -2.2, 3.3, 1.0,
        ];
        let mut d = vec![0.0; n * n];
        for i in 0..n {
            d[i * n + i] = lambda[i];
        }
        let a = matmul(&matmul(&s, &d, n), &s_inv, n);
        let want: Vec<(f64, f64)> = lambda.iter().map(|&x| (x, 0.0)).collect();
        let got = eigenvalues(&a, n);
        let err = spectrum_error(&got, &want);
        assert!(err <= 1e-13, "{err:e}");
        // The same with a 2 × 2 block α ± iβ in place of two of them.
        d[2 * n + 2] = 0.3;
        d[2 * n + 3] = 1.7;
        d[3 * n + 2] = -1.7;
        d[3 * n + 3] = 0.3;
        let a = matmul(&matmul(&s, &d, n), &s_inv, n);
        let mut want = want;
        want[2] = (0.3, 1.7);
        want[3] = (0.3, -1.7);
        let got = eigenvalues(&a, n);
        assert_ordered_pairs(&got.0, &got.1);
        let err = spectrum_error(&got, &want);
        assert!(err <= 1e-13, "{err:e}");
        // Badly scaled by a diagonal similarity 2^(±8k): balancing undoes it.
        let mut b = a;
        for i in 0..n {
            for j in 0..n {
                b[i * n + j] *= 2.0_f64.powi(8 * (i as i32 - j as i32));
            }
        }
        let err = spectrum_error(&eigenvalues(&b, n), &want);
        assert!(err <= 1e-13, "{err:e}");
    }

    #[test]
    fn sum_is_trace_and_product_is_determinant() {
        let n = 8;
        for seed in 5..10 {
            let a = gaussian(n, 1.0, seed);
            let (re, im) = eigenvalues(&a, n);
            let trace: f64 = (0..n).map(|i| a[i * n + i]).sum();
            let sum: f64 = re.iter().sum();
            let size: f64 = re.iter().zip(&im).map(|(r, i)| r.hypot(*i)).sum();
            assert!((sum - trace).abs() <= 1e-10 * size, "{sum} vs {trace}");
            assert_eq!(im.iter().sum::<f64>(), 0.0);
            let (mut pr, mut pi) = (1.0, 0.0);
            for (r, i) in re.iter().zip(&im) {
                let next = (pr * r - pi * i, pr * i + pi * r);
                pr = next.0;
                pi = next.1;
            }
            let det = determinant(&a, n);
            assert!((pr - det).abs() <= 1e-10 * det.abs(), "{pr} vs {det}");
            assert!(pi.abs() <= 1e-10 * det.abs(), "{pi}");
        }
    }

    #[test]
    fn cyclic_shifts_need_exceptional_shifts() {
        // The cyclic permutation has the n-th roots of unity as eigenvalues; standard Francis
        // shifts make no progress on it.
        for n in [3, 4, 5, 8, 13] {
            let mut a = vec![0.0; n * n];
            a[n - 1] = 1.0;
            for i in 1..n {
                a[i * n + i - 1] = 1.0;
            }
            let want: Vec<(f64, f64)> = (0..n)
                .map(|k| {
                    let t = 2.0 * PI * k as f64 / n as f64;
                    (t.cos(), t.sin())
                })
                .collect();
            let got = eigenvalues(&a, n);
            assert_ordered_pairs(&got.0, &got.1);
            let err = spectrum_error(&got, &want);
            assert!(err <= 1e-15 * n as f64, "n = {n}: {err:e}");
        }
    }

    #[test]
    fn exhausted_sweep_budget_gives_nan_for_the_eigenvalues_not_found() {
        // Block upper triangular: a trailing 1 × 1 block deflates without a sweep, the leading
        // cyclic 3 × 3 block needs sweeps.
        let n = 4;
        #[rustfmt::skip]
        let h0 = [
            0.0, 0.0, 1.0, 5.0,
            1.0, 0.0, 0.0, 6.0,
            0.0, 1.0, 0.0, 7.0,
            0.0, 0.0, 0.0, 2.0,
        ];
        let (mut re, mut im) = (vec![0.0; n], vec![0.0; n]);
        hessenberg_qr(&mut h0.clone(), n, &mut re, &mut im, 0, None);
        assert!(re[..3].iter().chain(&im[..3]).all(|x| x.is_nan()));
        assert_eq!((re[3], im[3]), (2.0, 0.0));
        hessenberg_qr(&mut h0.clone(), n, &mut re, &mut im, 300, None);
        assert!(re.iter().chain(&im).all(|x| x.is_finite()));
    }

    #[test]
    fn power_of_two_scaling_is_exact_and_extremes_are_safe() {
        let n = 20;
        let a = gaussian(n, 1.0, 11);
        let (re, im) = eigenvalues(&a, n);
        assert_ordered_pairs(&re, &im);
        for &p in &[-900, -600, 600, 900] {
            let f = 2.0_f64.powi(p);
            let scaled: Vec<f64> = a.iter().map(|x| x * f).collect();
            let (sr, si) = eigenvalues(&scaled, n);
            let want_r: Vec<f64> = re.iter().map(|x| x * f).collect();
            let want_i: Vec<f64> = im.iter().map(|x| x * f).collect();
            assert_eq!((sr, si), (want_r, want_i), "2^{p}");
        }
    }

    #[test]
    fn circular_law_for_iid_gaussian_couplings() {
        // J_ij ~ N(0, g²/N): the eigenvalues fill the disc of radius g uniformly, so the
        // spectral radius tends to g and the mean of |λ|² to g²/2.
        let (n, g) = (400, 1.5);
        for seed in [20, 21] {
            let j = gaussian(n, g / (n as f64).sqrt(), seed);
            let (re, im) = eigenvalues(&j, n);
            assert_ordered_pairs(&re, &im);
            let abs2: Vec<f64> = re.iter().zip(&im).map(|(r, i)| r * r + i * i).collect();
            let radius = abs2.iter().fold(0.0_f64, |m, x| m.max(*x)).sqrt();
            let mean_abs2 = abs2.iter().sum::<f64>() / n as f64;
            assert!((radius / g - 1.0).abs() < 0.10, "radius {radius}");
            assert!(
                (mean_abs2 / (g * g / 2.0) - 1.0).abs() < 0.05,
                "mean |λ|² {mean_abs2}"
            );
            // Schur: Σ|λ|² ≤ ‖J‖_F².
            assert!(abs2.iter().sum::<f64>() <= j.iter().map(|x| x * x).sum::<f64>());
        }
    }
}
