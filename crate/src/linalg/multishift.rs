//! Eigenvalues of an upper Hessenberg matrix by the small-bulge multishift QR algorithm with
//! aggressive early deflation (Braman, Byers & Mathias, SIAM J. Matrix Anal. Appl. 23 (2002)
//! 929–947 and 948–973; Golub & Van Loan, *Matrix Computations*, 4th ed., §7.5.7; LAPACK
//! `dlaqr0`, `dlaqr3`, `dlaqr5`), eigenvalues only.
//!
//! Each iteration on the active block `l..=i` first tries *aggressive early deflation* (AED):
//! the trailing `w × w` window is brought to real Schur form `T = Zᵀ H_w Z` by the double-shift
//! iteration of [`super::eig`], which turns the single subdiagonal entry `s` left of the window
//! into the spike `s Z[0, :]`; trailing eigenvalues of `T` whose spike entries are negligible
//! (`|s z| ≤ ε |T_jj|`) deflate at once, often many more than the subdiagonal test would find.
//! The rest of the spike is reflected back and the window re-reduced to Hessenberg form. The
//! eigenvalues of the window that did not deflate are the shifts of the next sweep: a chain of
//! `ns/2` double-shift bulges, three rows apart, chased down together. The chain moves through
//! windows of the matrix: inside a window every reflector is applied directly and accumulated
//! in an orthogonal `U`, and the parts of the active block to the right of and above the window
//! are updated once per window by `Uᵀ B` and `B U` on the matrix-product kernel. Blocks smaller
//! than [`MIN_SIZE`] go to the double-shift iteration.
//!
//! Reordering of the Schur form inside AED (LAPACK `dtrexc`) is not done: the deflation check
//! stops at the first eigenvalue from the bottom that does not deflate.

use super::eig::{
    bulge_reflector, francis_shifts, hessenberg_qr, not_found, split_point, sweep_budget,
};
use super::householder;
use crate::kernels::gemm_abt_raw;

/// Blocks of this size or larger use the multishift iteration (LAPACK's `NMIN`).
pub(super) const MIN_SIZE: usize = 75;
/// Sweeps without deflation after which exceptional shifts are used (LAPACK's `KEXSH`).
const EXCEPTIONAL_EVERY: usize = 6;
/// AED that deflates more than this percentage of its window skips the sweep (LAPACK's
/// `NIBBLE`).
const NIBBLE: usize = 14;

/// Number of shifts (even) and AED window for an active block of size `m`: half the shifts of
/// LAPACK `iparmq` and a window of three times as many rows, which measured fastest here (the
/// window updates cost about twice the flops of direct ones, so fewer bulges pay; a larger
/// window deflates more per AED).
fn parameters(m: usize) -> (usize, usize) {
    let ns = if m < 590 {
        let log2 = (m as f64).log2().round() as usize;
        (m / log2 / 2).max(10)
    } else if m < 3000 {
        32
    } else {
        64
    };
    let ns = ns - ns % 2;
    (ns, (3 * ns).min(m))
}

/// Eigenvalues of the upper Hessenberg `h` (`n × n`, `n ≥ MIN_SIZE`; entries below the
/// subdiagonal must be zero), written to `re`, `im` in the order of the diagonal positions
/// they deflate at; NaN for those not found within the sweep budget. Overwrites `h`.
pub(super) fn multishift_qr(h: &mut [f64], n: usize, re: &mut [f64], im: &mut [f64]) {
    let ulp = f64::EPSILON;
    let smlnum = f64::MIN_POSITIVE * (n as f64 / ulp);
    let mut budget = sweep_budget(n);
    let mut since_deflation = 0;
    let mut i = n - 1;
    loop {
        let l = split_point(h, n, i, ulp, smlnum);
        if l > 0 {
            h[l * n + l - 1] = 0.0;
        }
        let m = i - l + 1;
        if m < MIN_SIZE {
            small_block(h, n, l, i, re, im);
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
        let (ns, nw) = parameters(m);
        let aed = match early_deflation(h, n, l, i, nw, re, im) {
            Some(aed) => aed,
            None => {
                // The window's Schur form did not converge: finish the block by double shifts.
                small_block(h, n, l, i, re, im);
                if l == 0 {
                    return;
                }
                i = l - 1;
                continue;
            }
        };
        if aed.deflated > 0 {
            since_deflation = 0;
            if aed.deflated > i - l {
                if l == 0 {
                    return;
                }
                i = l - 1;
                continue;
            }
            i -= aed.deflated;
            if 100 * aed.deflated > NIBBLE * nw || i + 1 - l < MIN_SIZE {
                continue;
            }
        } else {
            since_deflation += 1;
        }
        let pairs = if since_deflation > 0 && since_deflation % EXCEPTIONAL_EVERY == 0 {
            let at = |r: usize, c: usize| h[r * n + c];
            let s = at(i, i - 1).abs() + at(i - 1, i - 2).abs();
            let pair = francis_shifts(0.75 * s + at(i, i), -0.4375 * s, s, 0.75 * s + at(i, i));
            vec![pair; ns / 2]
        } else {
            shift_pairs(&aed.shifts, ns)
        };
        if pairs.is_empty() {
            continue;
        }
        multishift_sweep(h, n, l, i, &pairs);
    }
}

/// Eigenvalues of the block `l..=i` by the double-shift iteration on a copy.
fn small_block(h: &[f64], n: usize, l: usize, i: usize, re: &mut [f64], im: &mut [f64]) {
    let m = i - l + 1;
    let mut b = vec![0.0; m * m];
    for (r, row) in b.chunks_exact_mut(m).enumerate() {
        let from = r.saturating_sub(1);
        row[from..].copy_from_slice(&h[(l + r) * n + l + from..(l + r) * n + l + m]);
    }
    hessenberg_qr(
        &mut b,
        m,
        &mut re[l..=i],
        &mut im[l..=i],
        sweep_budget(m),
        None,
    );
}

/// What one aggressive early deflation found.
struct Deflation {
    /// Eigenvalues deflated at the bottom of the active block (their values are written).
    deflated: usize,
    /// The window's eigenvalues that did not deflate, top to bottom (shift candidates).
    shifts: Vec<(f64, f64)>,
}

/// Aggressive early deflation on the trailing `nw × nw` window of the active block `l..=i`;
/// `None` when the window's Schur form does not converge (then `h` is unchanged).
/// Not inlined, so that engines run it optimised from its second call ([`crate::kernels`]).
#[inline(never)]
fn early_deflation(
    h: &mut [f64],
    n: usize,
    l: usize,
    i: usize,
    nw: usize,
    re: &mut [f64],
    im: &mut [f64],
) -> Option<Deflation> {
    let ulp = f64::EPSILON;
    let smlnum = f64::MIN_POSITIVE * (n as f64 / ulp);
    let top = i + 1 - nw;
    let spike = if top > l { h[top * n + top - 1] } else { 0.0 };
    let mut t = vec![0.0; nw * nw];
    for (r, row) in t.chunks_exact_mut(nw).enumerate() {
        let from = r.saturating_sub(1);
        row[from..].copy_from_slice(&h[(top + r) * n + top + from..(top + r) * n + top + nw]);
    }
    let mut z = vec![0.0; nw * nw];
    (0..nw).for_each(|r| z[r * nw + r] = 1.0);
    let (mut wr, mut wi) = (vec![0.0; nw], vec![0.0; nw]);
    hessenberg_qr(&mut t, nw, &mut wr, &mut wi, sweep_budget(nw), Some(&mut z));
    if wr.iter().chain(&wi).any(|x| x.is_nan()) {
        return None;
    }
    // Deflation check from the bottom (LAPACK dlaqr3, without reordering).
    let mut kept = nw;
    while kept > 0 {
        let j = kept - 1;
        let two = j > 0 && t[j * nw + j - 1] != 0.0;
        let (size, mut magnitude, spike_part) = if two {
            let norm = t[j * nw + j].abs()
                + t[j * nw + j - 1].abs().sqrt() * t[(j - 1) * nw + j].abs().sqrt();
            (2, norm, (spike * z[j]).abs().max((spike * z[j - 1]).abs()))
        } else {
            (1, t[j * nw + j].abs(), (spike * z[j]).abs())
        };
        if magnitude == 0.0 {
            magnitude = spike.abs();
        }
        if spike_part > smlnum.max(ulp * magnitude) {
            break;
        }
        kept -= size;
    }
    let deflated = nw - kept;
    re[top + kept..=i].copy_from_slice(&wr[kept..]);
    im[top + kept..=i].copy_from_slice(&wi[kept..]);
    let shifts: Vec<(f64, f64)> = (0..kept).map(|j| (wr[j], wi[j])).collect();
    if deflated == 0 {
        return Some(Deflation { deflated, shifts });
    }
    if kept > 0 {
        // The spike of the part kept: s Z[0, ..kept], reflected onto its first entry, then
        // the kept block re-reduced to Hessenberg form; both accumulated into Z.
        if kept > 1 && spike != 0.0 {
            let mut v: Vec<f64> = (0..kept).map(|j| spike * z[j]).collect();
            let (beta, tau) = {
                let (first, rest) = v.split_at_mut(1);
                householder(first[0], rest)
            };
            v[0] = 1.0;
            reflect_both_sides(&mut t, nw, 0, kept, &v, tau, &mut z);
            h[top * n + top - 1] = beta;
            reduce_to_hessenberg(&mut t, nw, kept, &mut z);
        } else if spike != 0.0 {
            h[top * n + top - 1] = spike * z[0];
        }
        for r in 1..kept {
            h[(top + r) * n + top - 1] = 0.0;
        }
        h[(top + kept) * n + top + kept - 1] = 0.0;
        for r in 0..kept {
            let from = r.saturating_sub(1);
            h[(top + r) * n + top + from..(top + r) * n + top + kept]
                .copy_from_slice(&t[r * nw + from..r * nw + kept]);
            for c in 0..from {
                h[(top + r) * n + top + c] = 0.0;
            }
        }
        // Rows l..top above the window: H[:, top..top+kept] = H[:, top..=i] Z[:, ..kept].
        let mut zt = vec![0.0; kept * nw];
        for (q, row) in z.chunks_exact(nw).enumerate() {
            for (c, &x) in row[..kept].iter().enumerate() {
                zt[c * nw + q] = x;
            }
        }
        right_product(h, n, (l, top), (top, nw), &zt, kept);
    }
    Some(Deflation { deflated, shifts })
}

/// `T ← P T P` and `Z ← Z P` for the reflector `P = I − τ v vᵀ` acting on indices
/// `from..from + v.len()` of the `nw × nw` matrices; `T` is updated on its leading
/// `from + v.len()` rows and columns.
fn reflect_both_sides(
    t: &mut [f64],
    nw: usize,
    from: usize,
    len: usize,
    v: &[f64],
    tau: f64,
    z: &mut [f64],
) {
    if tau == 0.0 {
        return;
    }
    let end = from + len;
    // Left: rows from..end, columns 0..end.
    let mut w = vec![0.0; end];
    for (q, &vq) in v.iter().enumerate() {
        let row = &t[(from + q) * nw..(from + q) * nw + end];
        w.iter_mut().zip(row).for_each(|(a, &b)| *a += vq * b);
    }
    for (q, &vq) in v.iter().enumerate() {
        let row = &mut t[(from + q) * nw..(from + q) * nw + end];
        row.iter_mut()
            .zip(&w)
            .for_each(|(a, &b)| *a -= tau * vq * b);
    }
    // Right: rows 0..end of T and all rows of Z, columns from..end.
    for row in t[..end * nw]
        .chunks_exact_mut(nw)
        .chain(z.chunks_exact_mut(nw))
    {
        let x = &mut row[from..end];
        let d: f64 = x.iter().zip(v).map(|(a, b)| a * b).sum();
        x.iter_mut().zip(v).for_each(|(a, &b)| *a -= tau * d * b);
    }
}

/// Reduces the leading `kept × kept` block of `t` (`nw × nw`) to Hessenberg form by Householder
/// reflectors (GVL Algorithm 7.4.2), accumulated into `z`.
fn reduce_to_hessenberg(t: &mut [f64], nw: usize, kept: usize, z: &mut [f64]) {
    for c in 0..kept.saturating_sub(2) {
        let len = kept - c - 1;
        let mut v: Vec<f64> = (0..len).map(|r| t[(c + 1 + r) * nw + c]).collect();
        let (beta, tau) = {
            let (first, rest) = v.split_at_mut(1);
            householder(first[0], rest)
        };
        v[0] = 1.0;
        reflect_both_sides(t, nw, c + 1, len, &v, tau, z);
        t[(c + 1) * nw + c] = beta;
        for r in c + 2..kept {
            t[r * nw + c] = 0.0;
        }
    }
}

/// Up to `ns / 2` double-shift pairs `(σ₁ re, σ₁ im, σ₂ re, σ₂ im)` from the bottom of the
/// candidates: a complex-conjugate pair makes one bulge, consecutive real shifts are paired.
fn shift_pairs(candidates: &[(f64, f64)], ns: usize) -> Vec<(f64, f64, f64, f64)> {
    let mut pairs = Vec::new();
    let mut real: Option<f64> = None;
    let mut j = candidates.len();
    while j > 0 && pairs.len() < ns / 2 {
        j -= 1;
        let (r, i) = candidates[j];
        if i != 0.0 {
            // The two members of a pair are adjacent.
            if j > 0 {
                j -= 1;
            }
            pairs.push((r, i.abs(), r, -i.abs()));
        } else if let Some(first) = real.take() {
            pairs.push((first, 0.0, r, 0.0));
        } else {
            real = Some(r);
        }
    }
    if let Some(r) = real {
        if pairs.len() < ns / 2 {
            pairs.push((r, 0.0, r, 0.0));
        }
    }
    pairs
}

/// The scaled first column of `(H − σ₁)(H − σ₂)` at row `l`, rows `l..l+3` (LAPACK `dlaqr1`).
fn first_column(h: &[f64], n: usize, l: usize, (r1, i1, r2, i2): (f64, f64, f64, f64)) -> [f64; 3] {
    let at = |r: usize, c: usize| h[r * n + c];
    let s = (at(l, l) - r2).abs() + i2.abs() + at(l + 1, l).abs();
    if s == 0.0 {
        return [0.0; 3];
    }
    let h21s = at(l + 1, l) / s;
    let v = [
        h21s * at(l, l + 1) + (at(l, l) - r1) * ((at(l, l) - r2) / s) - i1 * (i2 / s),
        h21s * (at(l, l) + at(l + 1, l + 1) - r1 - r2),
        h21s * at(l + 2, l + 1),
    ];
    let norm = v[0].abs() + v[1].abs() + v[2].abs();
    if norm == 0.0 {
        return v;
    }
    v.map(|x| x / norm)
}

/// One multishift sweep on the active block `l..=i`: bulge `j` (one per shift pair, `j = 0`
/// first) enters at row `l` at step `3j` and sits at row `l + t − 3j` at step `t`. Steps are
/// taken in windows; see the module doc.
fn multishift_sweep(h: &mut [f64], n: usize, l: usize, i: usize, pairs: &[(f64, f64, f64, f64)]) {
    let nb = pairs.len();
    let last = i - 1;
    let total = (last - l) + 3 * (nb - 1) + 1;
    let steps = (3 * nb).max(12);
    let mut t0 = 0;
    while t0 < total {
        let t1 = (t0 + steps).min(total);
        // Rows of the window: from the trailing bulge's column at t0 to the leading bulge's
        // reach at t1 − 1.
        let trailing = (nb - 1).min((t1 - 1) / 3);
        let wtop = if 3 * trailing >= t0 {
            l
        } else {
            (l + t0 - 3 * trailing).saturating_sub(1).max(l)
        };
        let wbot = (last.min(l + t1 - 1) + 3).min(i);
        let w = wbot - wtop + 1;
        let mut window = Window {
            top: wtop,
            bottom: wbot,
            u: vec![0.0; w * w],
            size: w,
            support: (0..w).map(|r| (r, r)).collect(),
            scratch: vec![0.0; w],
        };
        (0..w).for_each(|r| window.u[r * w + r] = 1.0);
        for t in t0..t1 {
            for (j, &pair) in pairs.iter().enumerate() {
                if t < 3 * j {
                    break;
                }
                let k = l + t - 3 * j;
                if k > last {
                    continue;
                }
                chase_step(h, n, (l, i), k, pair, &mut window);
            }
        }
        apply_window(h, n, l, i, wtop, wbot, &window.u);
        t0 = t1;
    }
}

/// The rows `top..=bottom` a multishift sweep works in directly, with the orthogonal `u`
/// (`size × size`) accumulating its reflectors, the range of rows where each column of `u` can
/// be nonzero (a reflector on columns c..c+3 joins their ranges), and a scratch row.
struct Window {
    top: usize,
    bottom: usize,
    u: Vec<f64>,
    size: usize,
    support: Vec<(usize, usize)>,
    scratch: Vec<f64>,
}

/// One reflector of a bulge at row `k` of the active block `l..=i` (introduced from its shifts
/// when `k = l`), applied inside the window and accumulated into its `u`.
/// Not inlined, so that engines run it optimised from its second call ([`crate::kernels`]).
#[inline(never)]
fn chase_step(
    h: &mut [f64],
    n: usize,
    (l, i): (usize, usize),
    k: usize,
    pair: (f64, f64, f64, f64),
    window: &mut Window,
) {
    let (wtop, wbot, w) = (window.top, window.bottom, window.size);
    let nr = 3.min(i - k + 1);
    let (v, tau) = if k == l {
        let mut v = first_column(h, n, l, pair);
        let (first, rest) = v[..nr].split_at_mut(1);
        let tau = householder(first[0], rest).1;
        (v, tau)
    } else {
        bulge_reflector(h, n, k, nr)
    };
    if tau == 0.0 {
        return;
    }
    let vs = [1.0, v[1], if nr == 3 { v[2] } else { 0.0 }];
    // Left: rows k..k+nr, columns k..=wbot.
    let dots = &mut window.scratch[..wbot + 1 - k];
    dots.iter_mut().for_each(|d| *d = 0.0);
    for (q, &vq) in vs[..nr].iter().enumerate() {
        let row = &h[(k + q) * n + k..(k + q) * n + wbot + 1];
        dots.iter_mut().zip(row).for_each(|(d, &x)| *d += vq * x);
    }
    for (q, &vq) in vs[..nr].iter().enumerate() {
        let row = &mut h[(k + q) * n + k..(k + q) * n + wbot + 1];
        let f = tau * vq;
        row.iter_mut()
            .zip(dots.iter())
            .for_each(|(x, &d)| *x -= f * d);
    }
    // Right: rows wtop..=min(k+3, i), columns k..k+nr; and the columns of U.
    let bottom = (k + 3).min(i);
    let apply = |x: &mut [f64]| {
        let d: f64 = x.iter().zip(&vs).map(|(a, b)| a * b).sum();
        x.iter_mut().zip(&vs).for_each(|(a, &b)| *a -= tau * d * b);
    };
    for row in h[wtop * n..(bottom + 1) * n].chunks_exact_mut(n) {
        apply(&mut row[k..k + nr]);
    }
    let c = k - wtop;
    let joined = window.support[c..c + nr]
        .iter()
        .fold((usize::MAX, 0), |(lo, hi), &(a, b)| (lo.min(a), hi.max(b)));
    window.support[c..c + nr]
        .iter_mut()
        .for_each(|r| *r = joined);
    for row in window.u[joined.0 * w..(joined.1 + 1) * w].chunks_exact_mut(w) {
        apply(&mut row[c..c + nr]);
    }
}

/// The deferred updates of a window: `H[wtop..=wbot, wbot+1..=i] ← Uᵀ (·)` and
/// `H[l..wtop, wtop..=wbot] ← (·) U`.
fn apply_window(h: &mut [f64], n: usize, l: usize, i: usize, wtop: usize, wbot: usize, u: &[f64]) {
    let w = wbot - wtop + 1;
    let mut ut = vec![0.0; w * w];
    for (r, row) in u.chunks_exact(w).enumerate() {
        for (c, &x) in row.iter().enumerate() {
            ut[c * w + r] = x;
        }
    }
    let right = i - wbot;
    if right > 0 {
        // Uᵀ B = Uᵀ (Bᵀ)ᵀ: B transposed into bt (right × w).
        let mut bt = vec![0.0; right * w];
        for r in 0..w {
            let row = &h[(wtop + r) * n + wbot + 1..(wtop + r) * n + i + 1];
            for (c, &x) in row.iter().enumerate() {
                bt[c * w + r] = x;
            }
        }
        let mut out = vec![0.0; w * right];
        // SAFETY: ut (w × w), bt (right × w) and out (w × right) are separate buffers.
        unsafe {
            gemm_abt_raw(
                1.0,
                ut.as_ptr(),
                w,
                bt.as_ptr(),
                w,
                w,
                right,
                w,
                0.0,
                out.as_mut_ptr(),
                right,
            )
        };
        for (r, row) in out.chunks_exact(right).enumerate() {
            h[(wtop + r) * n + wbot + 1..(wtop + r) * n + i + 1].copy_from_slice(row);
        }
    }
    right_product(h, n, (l, wtop), (wtop, w), &ut, w);
}

/// `H[r0..r1, c0..c0 + k] ← H[r0..r1, c0..c0 + w] Bᵀ` for `B` (`k × w`, row-major, `k ≤ w`), on
/// the matrix-product kernel.
fn right_product(
    h: &mut [f64],
    n: usize,
    (r0, r1): (usize, usize),
    (c0, w): (usize, usize),
    b: &[f64],
    k: usize,
) {
    let rows = r1 - r0;
    if rows == 0 || k == 0 {
        return;
    }
    let mut out = vec![0.0; rows * k];
    // SAFETY: rows r0..r1, columns c0..c0+w of h (stride n), b (k × w) and out (rows × k) are
    // in bounds; out is a separate buffer.
    unsafe {
        gemm_abt_raw(
            1.0,
            h.as_ptr().add(r0 * n + c0),
            n,
            b.as_ptr(),
            w,
            rows,
            k,
            w,
            0.0,
            out.as_mut_ptr(),
            k,
        )
    };
    for (r, row) in out.chunks_exact(k).enumerate() {
        h[(r0 + r) * n + c0..(r0 + r) * n + c0 + k].copy_from_slice(row);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::eig::reduce;
    use crate::linalg::qr::orthonormal_columns;
    use crate::linalg::test_matrices::{gaussian, matmul, transpose};

    /// Eigenvalues of `a` (unscaled) by the multishift iteration and by the double-shift one.
    type Spectrum = Vec<(f64, f64)>;

    fn both(a: &[f64], n: usize) -> (Spectrum, Spectrum) {
        let r = reduce(a, n);
        let mut h = r.h.clone();
        for i in 2..n {
            h[i * n..i * n + i - 1].iter_mut().for_each(|x| *x = 0.0);
        }
        let run = |multi: bool| -> Spectrum {
            let (mut re, mut im) = (vec![0.0; n], vec![0.0; n]);
            let mut h = h.clone();
            if multi {
                multishift_qr(&mut h, n, &mut re, &mut im);
            } else {
                hessenberg_qr(&mut h, n, &mut re, &mut im, sweep_budget(n), None);
            }
            re.iter()
                .zip(&im)
                .map(|(x, y)| (x / r.scale, y / r.scale))
                .collect()
        };
        (run(true), run(false))
    }

    /// The largest distance from a member of `a` to its partner in `b` under greedy nearest
    /// matching (each member of `b` used once).
    fn distance(a: &[(f64, f64)], b: &[(f64, f64)]) -> f64 {
        assert_eq!(a.len(), b.len());
        let mut used = vec![false; b.len()];
        let mut worst = 0.0_f64;
        for &(x, y) in a {
            let (j, d) = b
                .iter()
                .enumerate()
                .filter(|(j, _)| !used[*j])
                .map(|(j, &(u, v))| (j, (x - u).hypot(y - v)))
                .fold(
                    (usize::MAX, f64::INFINITY),
                    |m, c| if c.1 < m.1 { c } else { m },
                );
            used[j] = true;
            worst = worst.max(d);
        }
        worst
    }

    /// Q B Qᵀ for a random orthogonal Q.
    fn orthogonal_similarity(b: &[f64], n: usize, seed: u64) -> Vec<f64> {
        let mut q = gaussian(n, 1.0, seed);
        orthonormal_columns(&mut q, n, n);
        matmul(&matmul(&q, b, n), &transpose(&q, n), n)
    }

    #[test]
    fn agrees_with_the_double_shift_iteration_on_random_matrices() {
        for (n, seed) in [(75, 1), (130, 2), (320, 3), (700, 4)] {
            let a = gaussian(n, 1.0 / (n as f64).sqrt(), seed);
            let (multi, double) = both(&a, n);
            assert!(multi.iter().all(|(x, y)| x.is_finite() && y.is_finite()));
            // Both are backward stable; random eigenvalues are well conditioned.
            assert!(distance(&multi, &double) < 1e-10, "n = {n}");
            let trace: f64 = (0..n).map(|i| a[i * n + i]).sum();
            let sum: f64 = multi.iter().map(|e| e.0).sum();
            assert!((sum - trace).abs() < 1e-10 * n as f64);
        }
    }

    #[test]
    fn finds_the_known_spectrum_of_a_normal_matrix_with_double_eigenvalues() {
        // B block diagonal: 2 × 2 rotation–scaling blocks (a ± ib) and reals that each appear
        // twice; then a random orthogonal similarity (a normal matrix, so every eigenvalue,
        // double ones included, is well conditioned).
        let n = 240;
        let mut b = vec![0.0; n * n];
        let mut expected = Vec::new();
        let mut k = 0;
        while k < n {
            if k % 4 == 0 {
                let (a, w) = (0.5 - k as f64 / n as f64, 0.2 + (k % 7) as f64 * 0.1);
                b[k * n + k] = a;
                b[k * n + k + 1] = w;
                b[(k + 1) * n + k] = -w;
                b[(k + 1) * n + k + 1] = a;
                expected.extend([(a, w), (a, -w)]);
                k += 2;
            } else {
                // k ≡ 2, 3 (mod 4): the real (k / 4) · 0.37 mod 1.8 − 0.9, twice.
                let v = ((k / 4) as f64 * 0.37) % 1.8 - 0.9;
                b[k * n + k] = v;
                expected.push((v, 0.0));
                k += 1;
            }
        }
        let a = orthogonal_similarity(&b, n, 6);
        let (multi, double) = both(&a, n);
        for found in [&multi, &double] {
            assert!(distance(found, &expected) < 1e-12);
        }
    }

    #[test]
    fn triangular_and_block_diagonal_matrices_deflate_exactly() {
        let n = 200;
        // Upper triangular: the eigenvalues are the diagonal, found exactly.
        let mut t = gaussian(n, 1.0, 7);
        for i in 0..n {
            t[i * n..i * n + i].iter_mut().for_each(|x| *x = 0.0);
        }
        let (mut re, mut im) = (vec![0.0; n], vec![0.0; n]);
        multishift_qr(&mut t.clone(), n, &mut re, &mut im);
        for i in 0..n {
            assert_eq!((re[i], im[i]), (t[i * n + i], 0.0));
        }
        // Two unreduced Hessenberg blocks of 100 split by an exact zero.
        let a = gaussian(n, 0.1, 8);
        let mut h = a;
        for i in 0..n {
            for j in 0..n {
                if j + 1 < i || (i == 100 && j == 99) {
                    h[i * n + j] = 0.0;
                }
            }
        }
        let (mut re, mut im) = (vec![0.0; n], vec![0.0; n]);
        multishift_qr(&mut h.clone(), n, &mut re, &mut im);
        let top: Vec<f64> = (0..100)
            .flat_map(|i| h[i * n..i * n + 100].to_vec())
            .collect();
        let (tr, ti) = crate::linalg::eig::eigenvalues(&top, 100);
        let found: Vec<(f64, f64)> = re[..100]
            .iter()
            .copied()
            .zip(im[..100].iter().copied())
            .collect();
        let known: Vec<(f64, f64)> = tr.into_iter().zip(ti).collect();
        assert!(distance(&found, &known) < 1e-12);
    }
}
