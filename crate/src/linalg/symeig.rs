//! Symmetric eigenproblem: Householder tridiagonalisation (Golub & Van Loan, *Matrix
//! Computations*, 4th ed., §8.3.1; EISPACK `tred2`) followed by the implicit QL iteration with
//! Wilkinson shifts (GVL §8.3; EISPACK `imtql1`/`imtql2`).
//!
//! The input is first scaled by an exact power of two so that its largest entry is of order one,
//! which keeps every intermediate quantity far from overflow and underflow. Only the symmetric
//! part `(A + Aᵀ)/2` of the input is used.

use super::sym_band::{tridiagonalize_two_stage, BAND};
use super::{axpy, dot, householder, max_abs, pow2_scale};
use crate::kernels::gemm_abt_raw;
use crate::parallel::{self, Shared};

/// Largest number of QL sweeps spent on one eigenvalue before it is accepted as converged.
/// The iteration converges in two or three sweeps per eigenvalue; the cap only guarantees
/// termination.
const MAX_SWEEPS_PER_EIGENVALUE: usize = 60;

/// Eigenvalues of the symmetric `n × n` row-major matrix `a`, in ascending order.
///
/// Householder tridiagonalisation (GVL §8.3.1; from `TWO_STAGE_FROM` on through a band,
/// `sym_band`) costs `4n³/3` flops; the eigenvalues of the tridiagonal matrix then
/// follow in `O(n²)` from the implicit QL iteration with Wilkinson shifts (GVL §8.3). Only the
/// symmetric part `(A + Aᵀ)/2` is used. Each computed eigenvalue
/// is within a small multiple of `n · ε · ‖A‖₂` of an exact one. Input with a non-finite entry
/// gives NaN eigenvalues.
pub fn sym_eigvals(a: &[f64], n: usize) -> Vec<f64> {
    assert!(a.len() == n * n, "sym_eigvals: a must hold n*n entries");
    if a.iter().any(|x| !x.is_finite()) {
        return vec![f64::NAN; n];
    }
    let (mut w, scale) = scaled_symmetric_part(a, n);
    let (mut d, mut e) = if n >= TWO_STAGE_FROM {
        tridiagonalize_two_stage(&mut w, n, BAND)
    } else {
        let (d, e, _) = tridiagonalize(&mut w, n);
        (d, e)
    };
    tridiagonal_ql(&mut d, &mut e, None);
    d.sort_by(f64::total_cmp);
    d.iter_mut().for_each(|v| *v /= scale);
    d
}

/// Eigenvalues of two symmetric `n × n` matrices, as [`sym_eigvals`] gives them, computed side
/// by side: with helper threads each matrix is reduced on its own thread (its loops then run
/// serially), which beats sharing the memory-bound loops of one reduction at a time.
pub fn sym_eigvals_pair(a: &[f64], b: &[f64], n: usize) -> [Vec<f64>; 2] {
    let mut both = vec![0.0; 2 * n];
    let shared = Shared::new(&mut both);
    parallel::for_each(2, &|k| {
        let vals = sym_eigvals(if k == 0 { a } else { b }, n);
        // SAFETY: half k of `both` belongs to this chunk.
        unsafe { shared.part(k * n, n) }.copy_from_slice(&vals);
    });
    let second = both.split_off(n);
    [both, second]
}

/// Eigen-decomposition `A = V Λ Vᵀ` of the symmetric `n × n` row-major matrix `a`.
///
/// Returns the eigenvalues in ascending order and the `n × n` row-major matrix `V` whose
/// column `k` is the unit eigenvector of eigenvalue `k`. Householder tridiagonalisation
/// (GVL §8.3.1) with the reflectors accumulated into the orthogonal factor, followed by the
/// implicit QL iteration with Wilkinson shifts (GVL §8.3) whose rotations are applied to that
/// factor. `V` is orthogonal to working precision even for repeated eigenvalues. Input with a
/// non-finite entry gives NaN throughout.
pub fn sym_eig(a: &[f64], n: usize) -> (Vec<f64>, Vec<f64>) {
    assert!(a.len() == n * n, "sym_eig: a must hold n*n entries");
    if a.iter().any(|x| !x.is_finite()) {
        return (vec![f64::NAN; n], vec![f64::NAN; n * n]);
    }
    let (mut w, scale) = scaled_symmetric_part(a, n);
    let (mut d, mut e, tau) = tridiagonalize(&mut w, n);
    // Row k of `zt` is column k of the orthogonal factor, so every rotation acts on two
    // contiguous rows.
    let mut zt = accumulate_reflectors(&w, &tau, n);
    tridiagonal_ql(&mut d, &mut e, Some(&mut zt));

    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| d[i].total_cmp(&d[j]));
    let vals = order.iter().map(|&k| d[k] / scale).collect();
    let mut vecs = vec![0.0; n * n];
    for (col, &k) in order.iter().enumerate() {
        for (row, &z) in zt[k * n..(k + 1) * n].iter().enumerate() {
            vecs[row * n + col] = z;
        }
    }
    (vals, vecs)
}

/// Lower triangle of `(A + Aᵀ)/2 · 2ᵏ` (full `n × n` storage, upper triangle zero) and the
/// exact scale factor `2ᵏ`.
fn scaled_symmetric_part(a: &[f64], n: usize) -> (Vec<f64>, f64) {
    let scale = pow2_scale(max_abs(a));
    let mut w = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            w[i * n + j] = 0.5 * (a[i * n + j] * scale + a[j * n + i] * scale);
        }
    }
    (w, scale)
}

/// Householder reduction `T = Qᵀ A Q` of the symmetric matrix held in the lower triangle of `w`,
/// working upwards from the last row as in EISPACK `tred2`, blocked as in LAPACK `dsytrd`
/// (GVL §8.3.1).
///
/// The reflector for row `i ≥ 2` is `Hᵢ = I − τᵢ vᵢ vᵢᵀ` with `vᵢ` stored in `w[i][0..i]`
/// (`vᵢ[i − 1] = 1`), and `Q = H_{n−1} ⋯ H₂`. Returns the diagonal `d`, the off-diagonal `e`
/// (`e[i]` couples `i` and `i + 1`, `e[n − 1] = 0`) and `τ`.
///
/// Step `i` needs `p = τ B v` for the current leading block `B`, then sets
/// `q = p − (τ pᵀv/2) v` so that `H B H = B − v qᵀ − q vᵀ`. Within a panel of steps these
/// rank-two updates are kept aside and applied to `p` through the stored `(v, q)` pairs, and
/// the leading block is updated once per panel, so most steps only read it.
fn tridiagonalize(w: &mut [f64], n: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let mut d = vec![0.0; n];
    let mut e = vec![0.0; n];
    let mut tau = vec![0.0; n];
    let mut p = vec![0.0; n];
    let mut partial = vec![0.0; n.max(1) * ((n + SYMV_ROWS - 1) / SYMV_ROWS).max(1)];
    // Pairs (v, q) of the current panel, pair j at offset j·n.
    let mut vp = vec![0.0; PANEL * n];
    let mut qp = vec![0.0; PANEL * n];
    // Rows top.. are reduced; rows ..top are up to date except for the current panel.
    let mut top = n;
    while top > 2 {
        let width = PANEL.min(top - 2);
        for k in 0..width {
            let i = top - 1 - k;
            let (head, tail) = w.split_at_mut(i * n);
            let row = &mut tail[..=i];
            for j in 0..k {
                apply_pair(row, &vp[j * n..], &qp[j * n..], i);
            }
            d[i] = row[i];
            let (rest, last) = row[..i].split_at_mut(i - 1);
            let (beta, t) = householder(last[0], rest);
            last[0] = 1.0;
            e[i - 1] = beta;
            tau[i] = t;
            let v = &row[..i];
            vp[k * n..k * n + i].copy_from_slice(v);
            let q = &mut qp[k * n..k * n + i];
            if t == 0.0 {
                q.iter_mut().for_each(|x| *x = 0.0);
                continue;
            }

            // p = τ B v with B = B₀ − Σⱼ (vⱼ qⱼᵀ + qⱼ vⱼᵀ), B₀ read from the lower triangle:
            // each block of SYMV_ROWS rows adds into its own partial vector (over threads),
            // then the partials are summed in block order, so any split gives the same p.
            let p = &mut p[..i];
            let blocks = (i + SYMV_ROWS - 1) / SYMV_ROWS;
            let (ps, head) = (Shared::new(&mut partial), &*head);
            parallel::for_each_large(blocks, i * i / 2, &|c| {
                // Largest blocks (the lowest rows) first, so that the last chunks are small.
                let b = blocks - 1 - c;
                let (r0, r1) = (b * SYMV_ROWS, ((b + 1) * SYMV_ROWS).min(i));
                // SAFETY: partial vector b belongs to this chunk.
                let part = unsafe { ps.part(b * n, r1) };
                part.iter_mut().for_each(|x| *x = 0.0);
                // Rows in pairs: one pass over their common columns serves both.
                let mut r = r0;
                while r + 1 < r1 {
                    let (x0, x1) = (
                        &head[r * n..r * n + r + 1],
                        &head[(r + 1) * n..(r + 1) * n + r + 2],
                    );
                    let (p_below, p_rr) = part[..r + 2].split_at_mut(r);
                    let (d0, d1) =
                        two_dots_and_axpy([&x0[..r], &x1[..r]], v, [v[r], v[r + 1]], p_below);
                    p_rr[0] += d0 + x0[r] * v[r];
                    p_rr[0] += v[r + 1] * x1[r];
                    p_rr[1] += (d1 + x1[r] * v[r]) + x1[r + 1] * v[r + 1];
                    r += 2;
                }
                if r < r1 {
                    let (below_diag, diag) = head[r * n..r * n + r + 1].split_at(r);
                    let (p_below, p_r) = part[..=r].split_at_mut(r);
                    p_r[0] += dot_and_axpy(below_diag, v, p_below) + diag[0] * v[r];
                }
            });
            p.copy_from_slice(&partial[..i]);
            for b in 1..blocks {
                let len = ((b + 1) * SYMV_ROWS).min(i);
                p[..len]
                    .iter_mut()
                    .zip(&partial[b * n..b * n + len])
                    .for_each(|(x, y)| *x += y);
            }
            for j in 0..k {
                let (vj, qj) = (&vp[j * n..j * n + i], &qp[j * n..j * n + i]);
                let (qv, vv) = (dot(qj, v), dot(vj, v));
                axpy(-qv, vj, p);
                axpy(-vv, qj, p);
            }
            p.iter_mut().for_each(|x| *x *= t);
            let kappa = 0.5 * t * dot(p, v);
            let q = &mut qp[k * n..k * n + i];
            for ((qc, &pc), &vc) in q.iter_mut().zip(p.iter()).zip(v) {
                *qc = pc - kappa * vc;
            }
        }
        top -= width;
        // B ← B − Σⱼ (vⱼ qⱼᵀ + qⱼ vⱼᵀ) on the leading top × top block.
        rank_2k_update_lower(w, n, 0, top, &vp, &qp, n, width);
    }
    if n >= 2 {
        e[0] = w[n];
    }
    for (i, di) in d.iter_mut().enumerate().take(top) {
        *di = w[i * n + i];
    }
    (d, e, tau)
}

/// `B ← B − Σₗ (uₗ vₗᵀ + vₗ uₗᵀ)`, `l < k`, on the lower triangle of the `m × m` block of `w`
/// at row and column `s` (row stride `n`), where `uₗ[r] = u[l·ld + r]`, `vₗ[r] = v[l·ld + r]`, as
/// one product: row r of the coefficients (u₀[r], v₀[r], u₁[r], …) against row c of
/// (v₀[c], u₀[c], v₁[c], …). Row blocks are independent: shared out over threads, the largest
/// (lowest) first; each also overwrites the upper part of its diagonal block.
#[allow(clippy::too_many_arguments)] // the block, its stride and the two factor arrays
pub(super) fn rank_2k_update_lower(
    w: &mut [f64],
    n: usize,
    s: usize,
    m: usize,
    u: &[f64],
    v: &[f64],
    ld: usize,
    k: usize,
) {
    assert!((s + m) * n <= w.len() && s + m <= n);
    assert!(k == 0 || ((k - 1) * ld + m <= u.len() && (k - 1) * ld + m <= v.len()));
    let kk = 2 * k;
    let mut coef = vec![0.0; m * kk];
    let mut swapped = vec![0.0; m * kk];
    for r in 0..m {
        for l in 0..k {
            let (a, b) = (u[l * ld + r], v[l * ld + r]);
            coef[r * kk + 2 * l..r * kk + 2 * l + 2].copy_from_slice(&[a, b]);
            swapped[r * kk + 2 * l..r * kk + 2 * l + 2].copy_from_slice(&[b, a]);
        }
    }
    let blocks = (m + UPDATE_ROWS - 1) / UPDATE_ROWS;
    let (ws, coef, swapped) = (Shared::new(w), &coef, &swapped);
    parallel::for_each_large(blocks, m * m * k, &|c| {
        let b = blocks - 1 - c;
        let (r0, r1) = (b * UPDATE_ROWS, ((b + 1) * UPDATE_ROWS).min(m));
        // SAFETY: rows s+r0..s+r1 of w belong to this chunk; the product writes their columns
        // s..s+r1 ≤ n and reads the separate coefficient buffers.
        unsafe {
            let rows = ws.part((s + r0) * n, (r1 - r0) * n);
            gemm_abt_raw(
                -1.0,
                coef.as_ptr().add(r0 * kk),
                kk,
                swapped.as_ptr(),
                kk,
                r1 - r0,
                r1,
                kk,
                1.0,
                rows.as_mut_ptr().add(s),
                n,
            );
        }
    });
}

/// Returns `xᵀ y[..len]` and adds `y[len] · x` to `p`, where `len = x.len() = p.len()`: one
/// row's share of a symmetric matrix–vector product over the lower triangle, in one pass.
/// Not inlined, so that engines run it optimised from its second call ([`crate::kernels`]).
#[inline(never)]
fn dot_and_axpy(x: &[f64], y: &[f64], p: &mut [f64]) -> f64 {
    let len = x.len();
    let alpha = y[len];
    let y = &y[..len];
    let (mut s0, mut s1, mut s2, mut s3) = (0.0, 0.0, 0.0, 0.0);
    let mut xc = x.chunks_exact(4);
    let mut yc = y.chunks_exact(4);
    let mut pc = p.chunks_exact_mut(4);
    for ((a, b), c) in (&mut xc).zip(&mut yc).zip(&mut pc) {
        s0 += a[0] * b[0];
        s1 += a[1] * b[1];
        s2 += a[2] * b[2];
        s3 += a[3] * b[3];
        c[0] += alpha * a[0];
        c[1] += alpha * a[1];
        c[2] += alpha * a[2];
        c[3] += alpha * a[3];
    }
    let mut tail = 0.0;
    for ((a, b), c) in xc
        .remainder()
        .iter()
        .zip(yc.remainder())
        .zip(pc.into_remainder())
    {
        tail += a * b;
        *c += alpha * a;
    }
    (s0 + s1) + (s2 + s3) + tail
}

/// Returns `(x₀ᵀ y, x₁ᵀ y)` over `len = x₀.len() = x₁.len() = p.len()` and adds
/// `α₀ x₀ + α₁ x₁` to `p`: two rows' share of a symmetric matrix–vector product over the lower
/// triangle, in one pass that loads `y` and `p` once for both.
/// Not inlined, so that engines run it optimised from its second call ([`crate::kernels`]).
#[inline(never)]
fn two_dots_and_axpy(x: [&[f64]; 2], y: &[f64], alpha: [f64; 2], p: &mut [f64]) -> (f64, f64) {
    let len = p.len();
    let (x0, x1, y) = (&x[0][..len], &x[1][..len], &y[..len]);
    let (mut s, mut t) = ([0.0; 4], [0.0; 4]);
    let split = len / 4 * 4;
    for (((a, b), c), q) in x0[..split]
        .chunks_exact(4)
        .zip(x1[..split].chunks_exact(4))
        .zip(y[..split].chunks_exact(4))
        .zip(p[..split].chunks_exact_mut(4))
    {
        for l in 0..4 {
            s[l] += a[l] * c[l];
            t[l] += b[l] * c[l];
            q[l] += alpha[0] * a[l] + alpha[1] * b[l];
        }
    }
    let (mut s_tail, mut t_tail) = (0.0, 0.0);
    for c in split..len {
        s_tail += x0[c] * y[c];
        t_tail += x1[c] * y[c];
        p[c] += alpha[0] * x0[c] + alpha[1] * x1[c];
    }
    (
        (s[0] + s[1]) + (s[2] + s[3]) + s_tail,
        (t[0] + t[1]) + (t[2] + t[3]) + t_tail,
    )
}

/// Order from which [`sym_eigvals`] reduces through a band ([`super::sym_band`]). Measured in
/// the WebAssembly module on one thread: the one-stage reduction is faster while the matrix stays
/// in cache (n = 1000: 0.25 against 0.29 s), the two-stage one from n ≈ 2000 (n = 4000: 7.5–7.8
/// against 11.3–14.6 s).
const TWO_STAGE_FROM: usize = 1500;
/// Steps of the tridiagonalisation whose rank-two updates are applied together.
const PANEL: usize = 16;
/// Rows per parallel chunk of the matrix–vector product of the tridiagonalisation.
const SYMV_ROWS: usize = 128;
/// Rows per parallel chunk (one matrix product) of the trailing update.
const UPDATE_ROWS: usize = 64;

/// Row `r` of the lower triangle under `B ← B − v qᵀ − q vᵀ`: `row[c] −= v[r] q[c] + q[r] v[c]`
/// for `c ≤ r`.
/// Not inlined, so that engines run it optimised from its second call ([`crate::kernels`]).
#[inline(never)]
fn apply_pair(row: &mut [f64], v: &[f64], q: &[f64], r: usize) {
    let (vr, qr) = (v[r], q[r]);
    for ((b, &vc), &qc) in row.iter_mut().zip(v).zip(q) {
        *b -= vr * qc + qr * vc;
    }
}

/// `Qᵀ = H₂ H₃ ⋯ H_{n−1}` from the reflectors left in `w` by [`tridiagonalize`], formed from
/// the left so that step `k` only touches the leading `k × k` block.
fn accumulate_reflectors(w: &[f64], tau: &[f64], n: usize) -> Vec<f64> {
    let mut zt = vec![0.0; n * n];
    for i in 0..n {
        zt[i * n + i] = 1.0;
    }
    for k in 2..n {
        if tau[k] == 0.0 {
            continue;
        }
        let v = &w[k * n..k * n + k];
        for r in 0..k {
            let row = &mut zt[r * n..r * n + k];
            let t = tau[k] * dot(row, v);
            axpy(-t, v, row);
        }
    }
    zt
}

/// Implicit QL iteration with Wilkinson shifts on the symmetric tridiagonal matrix with
/// diagonal `d` and off-diagonal `e` (`e[i]` couples `i` and `i + 1`; `e[n − 1]` is ignored),
/// as in EISPACK `imtql2` (GVL §8.3). On return `d` holds the (unsorted) eigenvalues.
///
/// When `zt` is given (an `n × n` row-major matrix), each rotation `G` of the iteration is
/// applied as `zt ← Gᵀ zt`, so rows of `zt` become the eigenvectors in the order of `d`.
pub(super) fn tridiagonal_ql(d: &mut [f64], e: &mut [f64], mut zt: Option<&mut [f64]>) {
    let n = d.len();
    if n < 2 {
        return;
    }
    e[n - 1] = 0.0;
    for l in 0..n {
        let mut sweeps = 0;
        loop {
            // Smallest m ≥ l with a negligible coupling e[m] (m = n − 1 if none).
            let mut m = l;
            while m + 1 < n {
                let dd = d[m].abs() + d[m + 1].abs();
                if e[m].abs() <= f64::EPSILON * dd {
                    break;
                }
                m += 1;
            }
            if m == l {
                break;
            }
            if sweeps == MAX_SWEEPS_PER_EIGENVALUE {
                e[l] = 0.0;
                break;
            }
            sweeps += 1;

            // Wilkinson shift: the eigenvalue of the leading 2 × 2 block closer to d[l].
            let mut g = (d[l + 1] - d[l]) / (2.0 * e[l]);
            let mut r = g.hypot(1.0);
            g = d[m] - d[l] + e[l] / (g + r.copysign(g));
            let (mut s, mut c, mut p) = (1.0, 1.0, 0.0);
            let mut underflow = false;
            for i in (l..m).rev() {
                let f = s * e[i];
                let b = c * e[i];
                r = f.hypot(g);
                e[i + 1] = r;
                if r == 0.0 {
                    // The chase underflowed: deflate at i + 1 and start a new sweep.
                    d[i + 1] -= p;
                    e[m] = 0.0;
                    underflow = true;
                    break;
                }
                s = f / r;
                c = g / r;
                g = d[i + 1] - p;
                r = (d[i] - g) * s + 2.0 * c * b;
                p = s * r;
                d[i + 1] = g + p;
                g = c * r - b;
                if let Some(z) = zt.as_deref_mut() {
                    rotate_rows(z, n, i, c, s);
                }
            }
            if underflow {
                continue;
            }
            d[l] -= p;
            e[l] = g;
            e[m] = 0.0;
        }
    }
}

/// Rows `i` and `i + 1` of the row-major matrix `z` (row length `n`) become
/// `(c zᵢ − s zᵢ₊₁, s zᵢ + c zᵢ₊₁)`.
/// Not inlined, so that engines run it optimised from its second call ([`crate::kernels`]).
#[inline(never)]
fn rotate_rows(z: &mut [f64], n: usize, i: usize, c: f64, s: f64) {
    let (upper, lower) = z[i * n..(i + 2) * n].split_at_mut(n);
    for (zi, zj) in upper.iter_mut().zip(lower.iter_mut()) {
        let h = *zj;
        *zj = s * *zi + c * h;
        *zi = c * *zi - s * h;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::test_matrices::{random_orthogonal, with_spectrum};
    use crate::rng;
    use std::f64::consts::PI;

    const EPS: f64 = f64::EPSILON;

    fn random_symmetric(n: usize, seed: u64) -> Vec<f64> {
        let mut r = rng::seeded(seed);
        let mut a = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..=i {
                let x = rng::normal(&mut r);
                a[i * n + j] = x;
                a[j * n + i] = x;
            }
        }
        a
    }

    fn frobenius(a: &[f64]) -> f64 {
        a.iter().map(|x| x * x).sum::<f64>().sqrt()
    }

    fn sorted(mut x: Vec<f64>) -> Vec<f64> {
        x.sort_by(f64::total_cmp);
        x
    }

    /// max |(VᵀV − I)ᵢⱼ|.
    fn orthogonality_error(v: &[f64], n: usize) -> f64 {
        let mut worst = 0.0_f64;
        for i in 0..n {
            for j in 0..n {
                let g: f64 = (0..n).map(|k| v[k * n + i] * v[k * n + j]).sum();
                let target = if i == j { 1.0 } else { 0.0 };
                worst = worst.max((g - target).abs());
            }
        }
        worst
    }

    /// max |(A V − V Λ)ᵢⱼ|.
    fn residual(a: &[f64], vals: &[f64], v: &[f64], n: usize) -> f64 {
        let mut worst = 0.0_f64;
        for i in 0..n {
            for k in 0..n {
                let av: f64 = (0..n).map(|j| a[i * n + j] * v[j * n + k]).sum();
                worst = worst.max((av - vals[k] * v[i * n + k]).abs());
            }
        }
        worst
    }

    fn assert_close(got: &[f64], want: &[f64], tol: f64) {
        assert_eq!(got.len(), want.len());
        for (k, (g, w)) in got.iter().zip(want).enumerate() {
            assert!(
                (g - w).abs() <= tol,
                "eigenvalue {k}: got {g}, want {w} (tol {tol:e})"
            );
        }
    }

    /// Runs `sym_eig` and checks, for n ≥ 2: ascending eigenvalues identical to those of
    /// `sym_eigvals`, ‖VᵀV − I‖_max ≤ 4nε and ‖AV − VΛ‖_max ≤ 2nε‖A‖_F.
    fn check_decomposition(a: &[f64], n: usize) -> (Vec<f64>, Vec<f64>) {
        let (vals, v) = sym_eig(a, n);
        let norm = frobenius(a);
        let nf = n as f64;
        let orth = orthogonality_error(&v, n);
        assert!(orth <= 4.0 * nf * EPS, "‖VᵀV − I‖ = {orth:e}");
        let res = residual(a, &vals, &v, n);
        assert!(
            res <= 2.0 * nf * EPS * norm,
            "‖AV − VΛ‖ = {res:e}, ‖A‖_F = {norm:e}"
        );
        assert!(
            vals.windows(2).all(|w| w[0] <= w[1]),
            "not ascending: {vals:?}"
        );
        assert_eq!(sym_eigvals(a, n), vals);
        (vals, v)
    }

    #[test]
    fn empty_and_one_by_one() {
        assert!(sym_eigvals(&[], 0).is_empty());
        let (vals, vecs) = sym_eig(&[], 0);
        assert!(vals.is_empty() && vecs.is_empty());
        assert_eq!(sym_eigvals(&[-3.5], 1), vec![-3.5]);
        assert_eq!(sym_eig(&[-3.5], 1), (vec![-3.5], vec![1.0]));
    }

    #[test]
    fn zero_matrix() {
        let n = 7;
        let a = vec![0.0; n * n];
        assert_eq!(sym_eigvals(&a, n), vec![0.0; n]);
        let (vals, v) = sym_eig(&a, n);
        assert_eq!(vals, vec![0.0; n]);
        assert_eq!(orthogonality_error(&v, n), 0.0);
    }

    #[test]
    fn diagonal_matrix_is_exact() {
        let diag = [4.0, -1.0, 2.5, 1e-300, -7.0, 0.0, 3.0];
        let n = diag.len();
        let mut a = vec![0.0; n * n];
        for (i, &x) in diag.iter().enumerate() {
            a[i * n + i] = x;
        }
        let want = sorted(diag.to_vec());
        assert_eq!(sym_eigvals(&a, n), want);
        let (vals, v) = sym_eig(&a, n);
        assert_eq!(vals, want);
        // Each eigenvector is ± the matching unit vector.
        for (k, &lambda) in vals.iter().enumerate() {
            let i = diag.iter().position(|&x| x == lambda).unwrap();
            assert_eq!(v[i * n + k].abs(), 1.0);
        }
    }

    #[test]
    fn two_by_two_closed_form() {
        let (p, q, r): (f64, f64, f64) = (1.3, -0.7, 2.9);
        let a = [p, q, q, r];
        let mean = 0.5 * (p + r);
        let radius = (0.25 * (p - r) * (p - r) + q * q).sqrt();
        let want = [mean - radius, mean + radius];
        // |λ| ≤ 3.1 here; allow two ulps of the larger eigenvalue.
        assert_close(&sym_eigvals(&a, 2), &want, 2.0 * EPS * want[1]);
        check_decomposition(&a, 2);
    }

    #[test]
    fn tridiagonal_toeplitz_spectrum() {
        // Diagonal a, off-diagonals b: eigenvalues a + 2b cos(kπ/(n+1)), k = 1..n.
        let (diag, off) = (0.4, -1.7);
        let spectral_norm_bound = 0.4 + 2.0 * 1.7;
        for &n in &[2usize, 3, 10, 57] {
            let mut a = vec![0.0; n * n];
            for i in 0..n {
                a[i * n + i] = diag;
                if i + 1 < n {
                    a[i * n + i + 1] = off;
                    a[(i + 1) * n + i] = off;
                }
            }
            let want = sorted(
                (1..=n)
                    .map(|k| diag + 2.0 * off * (k as f64 * PI / (n as f64 + 1.0)).cos())
                    .collect(),
            );
            let (vals, _) = check_decomposition(&a, n);
            assert_close(&vals, &want, 2.0 * n as f64 * EPS * spectral_norm_bound);
        }
    }

    #[test]
    fn prescribed_spectrum_through_random_rotation() {
        let n = 40;
        let q = random_orthogonal(n, 11);
        let lambda: Vec<f64> = (0..n).map(|k| (k as f64 - 13.0) * 0.37).collect();
        let a = with_spectrum(&q, &lambda);
        let (vals, v) = check_decomposition(&a, n);
        assert_close(&vals, &lambda, n as f64 * EPS * 26.0 * 0.37);
        // Eigenvalue gaps are 0.37, so each eigenvector matches the column of Q up to sign,
        // to within ‖residual‖/gap.
        for k in 0..n {
            let overlap: f64 = (0..n).map(|i| v[i * n + k] * q[i * n + k]).sum();
            assert!((overlap.abs() - 1.0).abs() < 1e-13, "k = {k}: {overlap}");
        }
    }

    #[test]
    fn repeated_eigenvalues_keep_orthonormal_eigenvectors() {
        let n = 30;
        let q = random_orthogonal(n, 5);
        let lambda: Vec<f64> = (0..n)
            .map(|k| match k % 3 {
                0 => -2.0,
                1 => 0.0,
                _ => 5.0,
            })
            .collect();
        let a = with_spectrum(&q, &lambda);
        let (vals, _) = check_decomposition(&a, n);
        assert_close(&vals, &sorted(lambda), n as f64 * EPS * 5.0);
    }

    #[test]
    fn a_pair_gives_each_matrix_its_own_spectrum() {
        let n = 40;
        let (a, b) = (random_symmetric(n, 7), random_symmetric(n, 8));
        let [sa, sb] = sym_eigvals_pair(&a, &b, n);
        assert_eq!(sa, sym_eigvals(&a, n));
        assert_eq!(sb, sym_eigvals(&b, n));
        assert_ne!(sa, sb);
    }

    #[test]
    fn random_symmetric_matrices_of_several_sizes() {
        for (seed, &n) in [3usize, 4, 5, 16, 65].iter().enumerate() {
            let a = random_symmetric(n, 100 + seed as u64);
            let (vals, _) = check_decomposition(&a, n);
            // Trace and squared Frobenius norm are spectral invariants.
            let norm = frobenius(&a);
            let trace: f64 = (0..n).map(|i| a[i * n + i]).sum();
            let sum: f64 = vals.iter().sum();
            assert!((trace - sum).abs() <= 2.0 * n as f64 * EPS * norm);
            let sq: f64 = vals.iter().map(|x| x * x).sum();
            assert!((sq - norm * norm).abs() <= 2.0 * n as f64 * EPS * norm * norm);
        }
    }

    #[test]
    fn large_orders_go_through_the_band_and_agree_with_the_one_stage_reduction() {
        let n = TWO_STAGE_FROM;
        let a = random_symmetric(n, 5);
        let got = sym_eigvals(&a, n);
        let (mut w, scale) = scaled_symmetric_part(&a, n);
        let (mut d, mut e, _) = tridiagonalize(&mut w, n);
        tridiagonal_ql(&mut d, &mut e, None);
        let want = sorted(d.iter().map(|v| v / scale).collect());
        let norm = frobenius(&a);
        for (g, w) in got.iter().zip(&want) {
            assert!((g - w).abs() <= 4.0 * n as f64 * EPS * norm, "{g} vs {w}");
        }
    }

    #[test]
    fn only_the_symmetric_part_matters() {
        let n = 12;
        let s = random_symmetric(n, 9);
        let mut r = rng::seeded(10);
        let mut a = s.clone();
        for i in 0..n {
            for j in 0..i {
                let x = rng::normal(&mut r);
                a[i * n + j] += x;
                a[j * n + i] -= x;
            }
        }
        assert_close(&sym_eigvals(&a, n), &sym_eigvals(&s, n), 2e-14);
    }

    #[test]
    fn extreme_scales_neither_overflow_nor_underflow() {
        let n = 9;
        let base = random_symmetric(n, 21);
        let want = sym_eigvals(&base, n);
        for &f in &[1e-300, 1e300] {
            let a: Vec<f64> = base.iter().map(|x| x * f).collect();
            let got: Vec<f64> = sym_eigvals(&a, n).iter().map(|x| x / f).collect();
            assert_close(&got, &want, 1e-14);
            let (vals, v) = sym_eig(&a, n);
            assert!(orthogonality_error(&v, n) <= 4.0 * n as f64 * EPS);
            let got: Vec<f64> = vals.iter().map(|x| x / f).collect();
            assert_close(&got, &want, 1e-14);
        }
    }

    #[test]
    fn graded_matrix_with_tiny_couplings() {
        // Diagonal λₖ = 10^(−3k), k = 0..5, coupled by c = 1e-22. Second-order perturbation
        // moves λₖ by about c²/|λₖ − λₖ₋₁| ≤ 1e-17 λₖ, so the diagonal is the spectrum to
        // working precision relative to each eigenvalue, while the couplings are far above
        // ε λₖ and have to be iterated away.
        let n = 6;
        let mut a = vec![0.0; n * n];
        for i in 0..n {
            a[i * n + i] = 10f64.powi(-3 * i as i32);
            if i + 1 < n {
                a[i * n + i + 1] = 1e-22;
                a[(i + 1) * n + i] = 1e-22;
            }
        }
        let vals = sym_eigvals(&a, n);
        for (k, v) in vals.iter().rev().enumerate() {
            let want = 10f64.powi(-3 * k as i32);
            assert!((v - want).abs() <= 2.0 * EPS * want, "{k}: {v} vs {want}");
        }
        check_decomposition(&a, n);
    }

    #[test]
    fn non_finite_input_gives_nan() {
        let n = 5;
        for bad in [f64::NAN, f64::INFINITY] {
            let mut a = random_symmetric(n, 3);
            a[2 * n + 3] = bad;
            let vals = sym_eigvals(&a, n);
            assert!(vals.len() == n && vals.iter().all(|x| x.is_nan()));
            let (vals, vecs) = sym_eig(&a, n);
            assert!(vals.len() == n && vals.iter().all(|x| x.is_nan()));
            assert!(vecs.len() == n * n && vecs.iter().all(|x| x.is_nan()));
        }
    }
}
