//! Right eigenvectors of a general real square matrix by inverse iteration on its Hessenberg
//! form (Golub & Van Loan, *Matrix Computations*, 4th ed., §7.6.1; LAPACK `dhsein`/`dlaein`).
//!
//! The matrix is scaled by a power of two `s`, balanced by a diagonal `D` and reduced to
//! Hessenberg form `H = Qᵀ D⁻¹ (sA) D Q`, and its eigenvalues are found, all as in
//! [`super::eig`]. For each eigenvalue `λ` (one member of each complex-conjugate pair) the
//! Hessenberg system `(H − λ̃I) y = b` is solved by complex Gaussian elimination with partial
//! pivoting (on columns, from the last row up, fused with the back substitution), where
//! `λ̃ = λ + ε₃`, `ε₃ = ε‖H‖∞`, keeps the system from being exactly singular; pivots smaller
//! than `ε₃` are replaced by `ε₃` (as `dlaein` does for zero pivots), a perturbation of `H`
//! of that size. The start vector `b` is a fixed pseudo-random unit vector that depends on the
//! eigenvalue's index, so that the members of a repeated eigenvalue get independent vectors.
//! Up to three solves, each started from the normalised previous solution, stop as soon as
//! `‖(H − λ̃I) ŷ‖ ≤ 10 √n ε₃` (enough growth, as in `dlaein`). Finally `v = D Q y`.

use super::eig::{hessenberg_eigenvalues, reduce, Reduction};
use super::{dot, norm2};
use crate::kernels::gemm_abt_raw;
use crate::parallel::{self, Shared};
use crate::rng;

/// Most solves of the inverse iteration per eigenvalue.
const MAX_SOLVES: usize = 3;
/// The partial solution of a triangular system is rescaled when an entry exceeds this, so
/// that growth by up to `1/ε₃` per row cannot overflow.
const RESCALE_ABOVE: f64 = 1e150;
/// Eigenvectors per parallel chunk of the inverse iteration.
const CHUNK: usize = 8;

/// Eigen-decomposition `A = V Λ V⁻¹` of an `n × n` row-major real matrix.
#[derive(Clone, Debug)]
pub struct EigenDecomposition {
    /// Real parts of the eigenvalues `λ_k`, in the order of [`super::eig::eigenvalues`]
    /// (descending real part, conjugate pairs adjacent with the positive imaginary part first).
    pub re: Vec<f64>,
    /// Imaginary parts of the eigenvalues.
    pub im: Vec<f64>,
    /// Real part of `V`, `n × n` complex, row-major: column `k` is the eigenvector of `λ_k`,
    /// normalised to unit 2-norm with its largest-modulus component real and positive.
    pub v_re: Vec<f64>,
    /// Imaginary part of `V` (exactly zero in the columns of real eigenvalues; the columns of
    /// a conjugate pair are exact conjugates).
    pub v_im: Vec<f64>,
}

/// Eigenvalues and right eigenvectors of the `n × n` row-major matrix `a`.
///
/// Cost `O(n³)`: about `10n³` flops for the eigenvalues, `8n²` to `16n²` per inverse iteration
/// (one per real eigenvalue or conjugate pair) and `2n³` to transform the vectors back. The
/// residual `‖A v − λ v‖` is of order `√n ε ‖A‖` for a well-balanced `A`; the vectors of
/// ill-conditioned eigenvalues are correspondingly inaccurate, and a defective eigenvalue gets
/// (numerically) repeated vectors.
///
/// Errors (messages start with the parameter name `A`): `a.len() != n²`, a non-finite entry,
/// or a QR iteration that does not converge.
pub fn eigen_decomposition(a: &[f64], n: usize) -> Result<EigenDecomposition, String> {
    if a.len() != n * n {
        return Err(format!("A: expected {} entries, got {}", n * n, a.len()));
    }
    if a.iter().any(|x| !x.is_finite()) {
        return Err("A: entries must be finite".into());
    }
    let r = reduce(a, n);
    let (re, im) = hessenberg_eigenvalues(&r.h, n);
    if re.iter().chain(&im).any(|x| x.is_nan()) {
        return Err("A: the QR iteration for the eigenvalues did not converge".into());
    }
    // Inverse iteration. Row k of Z = Yᵀ holds the real vector of a real eigenvalue and, for a
    // conjugate pair (k, p), Re y in row k and Im y in row p.
    let mut partner: Vec<Option<usize>> = vec![None; n];
    let mut done = vec![false; n];
    let mut items = Vec::new();
    for k in 0..n {
        if done[k] {
            continue;
        }
        if im[k] != 0.0 {
            let p = (k + 1..n)
                .find(|&j| !done[j] && re[j] == re[k] && im[j] == -im[k])
                .ok_or("A: a complex eigenvalue has no exact conjugate partner")?;
            partner[k] = Some(p);
            done[p] = true;
        }
        items.push(k);
    }
    drop(done);
    let mut z = vec![0.0; n * n];
    let ht = HessenbergTranspose::new(&r.h, n);
    // Each vector depends only on H, λ and its index, so the split over threads does not matter.
    let chunks = items.chunks(CHUNK).collect::<Vec<_>>();
    let zs = Shared::new(&mut z);
    parallel::for_each_large(chunks.len(), 8 * n * n * items.len(), &|c| {
        let mut solver = ShiftedHessenberg::new(&ht);
        for &k in chunks[c] {
            let (yr, yi) = solver.eigenvector(re[k], im[k], k);
            // SAFETY: rows k and partner[k] of z belong to this item alone.
            unsafe { zs.part(k * n, n) }.copy_from_slice(&yr);
            if let Some(p) = partner[k] {
                unsafe { zs.part(p * n, n) }.copy_from_slice(&yi);
            }
        }
    });
    drop(ht);
    back_transform(&r, &mut z, n);
    // Unpack, normalise and fix the phase; conjugate for the second member of a pair.
    let mut v_re = vec![0.0; n * n];
    let mut v_im = vec![0.0; n * n];
    let mut col_re = vec![0.0; n];
    let mut col_im = vec![0.0; n];
    for k in 0..n {
        if im[k] != 0.0 && partner[k].is_none() {
            continue;
        }
        col_re.copy_from_slice(&z[k * n..(k + 1) * n]);
        match partner[k] {
            Some(p) => col_im.copy_from_slice(&z[p * n..(p + 1) * n]),
            None => col_im.iter_mut().for_each(|x| *x = 0.0),
        }
        normalise(&mut col_re, &mut col_im, partner[k].is_none());
        for i in 0..n {
            v_re[i * n + k] = col_re[i];
            v_im[i * n + k] = col_im[i];
            if let Some(p) = partner[k] {
                v_re[i * n + p] = col_re[i];
                v_im[i * n + p] = -col_im[i];
            }
        }
    }
    let unscale = |x: Vec<f64>| -> Vec<f64> { x.into_iter().map(|v| v / r.scale).collect() };
    Ok(EigenDecomposition {
        re: unscale(re),
        im: unscale(im),
        v_re,
        v_im,
    })
}

/// An upper Hessenberg `H` stored as `Hᵀ` for the solves of [`ShiftedHessenberg`].
struct HessenbergTranspose {
    /// `Hᵀ`: row `j` holds column `j` of `H` (entries `0..=j+1`).
    ht: Vec<f64>,
    n: usize,
    /// `ε₃ = ε‖H‖∞` (or `ε` when `H = 0`): shift perturbation and smallest pivot.
    eps3: f64,
}

impl HessenbergTranspose {
    fn new(h: &[f64], n: usize) -> Self {
        let hnorm = (0..n)
            .map(|i| {
                h[i * n + i.saturating_sub(1)..(i + 1) * n]
                    .iter()
                    .map(|x| x.abs())
                    .sum()
            })
            .fold(0.0_f64, f64::max);
        let eps3 = f64::EPSILON * if hnorm > 0.0 { hnorm } else { 1.0 };
        let mut ht = vec![0.0; n * n];
        for j in 0..n {
            for i in 0..(j + 2).min(n) {
                ht[j * n + i] = h[i * n + j];
            }
        }
        HessenbergTranspose { ht, n, eps3 }
    }
}

/// Solves `(H − λ̃I) x = s b` for an upper Hessenberg `H` by Gaussian elimination on columns,
/// from the last row up, fused with column-oriented back substitution: eliminating the
/// subdiagonal entry of row `k` (pivoting between columns `k − 1` and `k`) finishes column `k`
/// of the triangular factor `T = (H − λ̃I)E`, which is used at once and discarded, so a solve
/// reads `H` once and stores no factor (`8n²` flops, `O(n)` memory besides `Hᵀ`).
///
/// One per thread; `H` is shared.
struct ShiftedHessenberg<'a> {
    ht: &'a [f64],
    n: usize,
    eps3: f64,
    /// The carried column (rows `0..=k` at row `k`).
    w: [Vec<f64>; 2],
    /// Multiplier of the elimination at row `k` and whether its two columns were exchanged.
    m: [Vec<f64>; 2],
    swapped: Vec<bool>,
}

impl<'a> ShiftedHessenberg<'a> {
    fn new(h: &'a HessenbergTranspose) -> Self {
        let n = h.n;
        let zeros = || [vec![0.0; n], vec![0.0; n]];
        ShiftedHessenberg {
            ht: &h.ht,
            n,
            eps3: h.eps3,
            w: zeros(),
            m: zeros(),
            swapped: vec![false; n],
        }
    }

    /// Unit vector `y` with `(H − λI) y ≈ 0` by inverse iteration from the start vector of
    /// index `k`.
    fn eigenvector(&mut self, wr: f64, wi: f64, k: usize) -> (Vec<f64>, Vec<f64>) {
        let n = self.n;
        let mut xr = vec![0.0; n];
        let mut xi = vec![0.0; n];
        rng::fill_normal(&mut rng::seeded(k as u64), 1.0, &mut xr);
        let norm = norm2(&xr);
        xr.iter_mut().for_each(|x| *x /= norm);
        let tol = 10.0 * (n as f64).sqrt() * self.eps3;
        for _ in 0..MAX_SOLVES {
            // (H − λ̃I) x = s b with ‖b‖ = 1, so ‖(H − λ̃I) x̂‖ = s / ‖x‖.
            let s = self.solve(wr + self.eps3, wi, &mut xr, &mut xi);
            let norm = norm2(&xr).hypot(norm2(&xi));
            xr.iter_mut().chain(xi.iter_mut()).for_each(|x| *x /= norm);
            if s <= tol * norm {
                break;
            }
        }
        (xr, xi)
    }

    /// Overwrites `b` with `x` solving `(H − (wr + i wi)I) x = s b` and returns the scale
    /// `0 < s ≤ 1` applied to keep `x` from overflowing. Pivots below `ε₃` become `ε₃`.
    /// Not inlined, so that engines run it optimised from its second call ([`crate::kernels`]).
    #[inline(never)]
    fn solve(&mut self, wr: f64, wi: f64, xr: &mut [f64], xi: &mut [f64]) -> f64 {
        let (n, eps3) = (self.n, self.eps3);
        let mut s = 1.0;
        if n == 0 {
            return s;
        }
        let mut rescale = |xr: &mut [f64], xi: &mut [f64], size: f64| {
            if size > RESCALE_ABOVE {
                let f = 1.0 / size;
                xr.iter_mut().chain(xi.iter_mut()).for_each(|x| *x *= f);
                s *= f;
            }
        };
        let [wre, wim] = &mut self.w;
        wre.copy_from_slice(&self.ht[(n - 1) * n..n * n]);
        wim.iter_mut().for_each(|x| *x = 0.0);
        wre[n - 1] -= wr;
        wim[n - 1] = -wi;
        for k in (1..n).rev() {
            // The carried column w (rows 0..=k) and column k − 1 of H − λ̃I, c: real, read
            // from Hᵀ, except c[k−1] = h − λ̃. The pivot of row k is c[k] (swap) or w[k]; the
            // other column minus m times the pivot column becomes the next carried column,
            // in place in w either way.
            let c = &self.ht[(k - 1) * n..(k - 1) * n + k + 1];
            let (cdr, cdi) = (c[k - 1] - wr, -wi);
            let swap = c[k].abs() > wre[k].abs() + wim[k].abs();
            self.swapped[k] = swap;
            let (mut pr, mut pi) = if swap { (c[k], 0.0) } else { (wre[k], wim[k]) };
            if pr.abs() + pi.abs() < eps3 {
                (pr, pi) = (eps3, 0.0);
            }
            let (or, oi) = if swap { (wre[k], wim[k]) } else { (c[k], 0.0) };
            let (mr, mi) = cdiv(or, oi, pr, pi);
            self.m[0][k] = mr;
            self.m[1][k] = mi;
            let (yr, yi) = cdiv(xr[k], xi[k], pr, pi);
            xr[k] = yr;
            xi[k] = yi;
            // Rows below k − 1, where c is real; iterators without bounds checks vectorise.
            let x = xr[..k - 1].iter_mut().zip(xi[..k - 1].iter_mut());
            let w = wre[..k - 1].iter_mut().zip(wim[..k - 1].iter_mut());
            if swap {
                // x −= y c, w −= m c.
                for ((xr, xi), ((w_re, w_im), &h)) in x.zip(w.zip(&c[..k - 1])) {
                    *xr -= yr * h;
                    *xi -= yi * h;
                    *w_re -= mr * h;
                    *w_im -= mi * h;
                }
            } else {
                // x −= y w, w ← c − m w.
                for ((xr, xi), ((w_re, w_im), &h)) in x.zip(w.zip(&c[..k - 1])) {
                    let (a, b) = (*w_re, *w_im);
                    *xr -= yr * a - yi * b;
                    *xi -= yr * b + yi * a;
                    *w_re = h - (mr * a - mi * b);
                    *w_im = -(mr * b + mi * a);
                }
            }
            // Row k − 1, where c carries the shift.
            let j = k - 1;
            let (a, b) = if swap { (cdr, cdi) } else { (wre[j], wim[j]) };
            xr[j] -= yr * a - yi * b;
            xi[j] -= yr * b + yi * a;
            let (or, oi) = if swap { (wre[j], wim[j]) } else { (cdr, cdi) };
            wre[j] = or - (mr * a - mi * b);
            wim[j] = oi - (mr * b + mi * a);
            rescale(xr, xi, yr.abs() + yi.abs());
        }
        if wre[0].abs() + wim[0].abs() < eps3 {
            (wre[0], wim[0]) = (eps3, 0.0);
        }
        let (yr, yi) = cdiv(xr[0], xi[0], wre[0], wim[0]);
        xr[0] = yr;
        xi[0] = yi;
        rescale(xr, xi, yr.abs() + yi.abs());
        // x = E y with E = E_{n−1} ⋯ E₁, E_k = S_k (I − m_k e_k e_{k−1}ᵀ).
        for k in 1..n {
            let (mr, mi) = (self.m[0][k], self.m[1][k]);
            let (ar, ai) = (xr[k - 1], xi[k - 1]);
            xr[k] -= mr * ar - mi * ai;
            xi[k] -= mr * ai + mi * ar;
            if self.swapped[k] {
                xr.swap(k - 1, k);
                xi.swap(k - 1, k);
            }
        }
        s
    }
}

/// `(ar + i ai) / (br + i bi)` by Smith's algorithm, which avoids forming `|b|²`.
fn cdiv(ar: f64, ai: f64, br: f64, bi: f64) -> (f64, f64) {
    if br.abs() >= bi.abs() {
        let r = bi / br;
        let d = br + bi * r;
        ((ar + ai * r) / d, (ai - ar * r) / d)
    } else {
        let r = br / bi;
        let d = bi + br * r;
        ((ar * r + ai) / d, (ai * r - ar) / d)
    }
}

/// Reflectors per block of [`back_transform`].
const REFLECTOR_BLOCK: usize = 32;

/// `Y ← D Q Y` given `Z = Yᵀ` (`n × n`, row-major, one vector per row), with
/// `Q = H₀ H₁ ⋯ H_{n−3}`: blocks of [`REFLECTOR_BLOCK`] consecutive reflectors in compact WY
/// form `I − V T Vᵀ` (LAPACK `dlarft`), the last block first, each applied as
/// `Z ← Z − (Z V) Tᵀ Vᵀ` by two matrix products (`2n³` flops in all).
fn back_transform(r: &Reduction, z: &mut [f64], n: usize) {
    let count = n.saturating_sub(2);
    let mut vt = Vec::new();
    let mut zv = Vec::new();
    let mut zvt = Vec::new();
    let mut v = Vec::new();
    for k0 in (0..count).step_by(REFLECTOR_BLOCK).rev() {
        let k1 = (k0 + REFLECTOR_BLOCK).min(count);
        let (nb, m) = (k1 - k0, n - k0 - 1);
        // Vᵀ (nb × m), on rows k0+1..n: reflector k0+j is 1 at row k0+j+1, its stored tail
        // below, zero above.
        vt.clear();
        vt.resize(nb * m, 0.0);
        for j in 0..nb {
            let k = k0 + j;
            vt[j * m + j] = 1.0;
            for i in k + 2..n {
                vt[j * m + i - k0 - 1] = r.h[i * n + k];
            }
        }
        // T (nb × nb, upper): T_jj = τ_j, T[..j, j] = −τ_j T[..j, ..j] V[:, ..j]ᵀ v_j.
        let mut t = vec![0.0; nb * nb];
        for j in 0..nb {
            let tau = r.tau[k0 + j];
            let g: Vec<f64> = (0..j)
                .map(|q| dot(&vt[q * m..(q + 1) * m], &vt[j * m..(j + 1) * m]))
                .collect();
            for q in 0..j {
                t[q * nb + j] = -tau * (q..j).map(|l| t[q * nb + l] * g[l]).sum::<f64>();
            }
            t[j * nb + j] = tau;
        }
        // ZV (n × nb), then (ZV) Tᵀ, then Z ← Z − (ZV Tᵀ) Vᵀ with V packed as m × nb.
        zv.clear();
        zv.resize(n * nb, 0.0);
        // SAFETY: Z's rows from column k0+1 hold m entries; vt holds nb rows of m; zv is n × nb.
        unsafe {
            gemm_abt_raw(
                1.0,
                z.as_ptr().add(k0 + 1),
                n,
                vt.as_ptr(),
                m,
                n,
                nb,
                m,
                0.0,
                zv.as_mut_ptr(),
                nb,
            )
        };
        zvt.clear();
        zvt.resize(n * nb, 0.0);
        for (row, out) in zv.chunks_exact(nb).zip(zvt.chunks_exact_mut(nb)) {
            for (j, o) in out.iter_mut().enumerate() {
                *o = (j..nb).map(|q| row[q] * t[j * nb + q]).sum();
            }
        }
        v.clear();
        v.resize(m * nb, 0.0);
        for j in 0..nb {
            for i in 0..m {
                v[i * nb + j] = vt[j * m + i];
            }
        }
        // SAFETY: zvt (n × nb) and v (m × nb) are separate buffers; Z's rows from column k0+1
        // hold m entries.
        unsafe {
            gemm_abt_raw(
                -1.0,
                zvt.as_ptr(),
                nb,
                v.as_ptr(),
                nb,
                n,
                m,
                nb,
                1.0,
                z.as_mut_ptr().add(k0 + 1),
                n,
            )
        };
    }
    for row in z.chunks_mut(n.max(1)) {
        row.iter_mut().zip(&r.d).for_each(|(x, d)| *x *= d);
    }
}

/// Scales the complex vector `re + i im` to unit 2-norm with its largest-modulus component
/// (the first, on ties) real and positive. A `real` vector keeps `im` untouched (zero).
fn normalise(re: &mut [f64], im: &mut [f64], real: bool) {
    let mut j = 0;
    let mut largest = 0.0;
    for (i, (x, y)) in re.iter().zip(im.iter()).enumerate() {
        let m = x.hypot(*y);
        if m > largest {
            j = i;
            largest = m;
        }
    }
    let norm = norm2(re).hypot(norm2(im));
    let (cr, ci) = ((re[j] / largest) / norm, (-im[j] / largest) / norm);
    if real {
        re.iter_mut().for_each(|x| *x *= cr);
    } else {
        for (x, y) in re.iter_mut().zip(im.iter_mut()) {
            (*x, *y) = (*x * cr - *y * ci, *x * ci + *y * cr);
        }
    }
    re[j] = largest / norm;
    im[j] = 0.0;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::eig::eigenvalues;
    use crate::linalg::inverse::inverse;
    use crate::linalg::qr::orthonormal_columns;
    use crate::linalg::test_matrices::{
        gaussian, matmul, monic_coefficients, rotation_block_matrix, transpose, COMPANION_ROOTS,
        ROTATION_BLOCKS,
    };

    fn random_orthogonal(n: usize, seed: u64) -> Vec<f64> {
        let mut q = gaussian(n, 1.0, seed);
        orthonormal_columns(&mut q, n, n);
        q
    }

    /// `S B S⁻¹`.
    fn similar(s: &[f64], b: &[f64], n: usize) -> Vec<f64> {
        matmul(&matmul(s, b, n), &inverse(s, n).unwrap(), n)
    }

    fn diagonal(d: &[f64]) -> Vec<f64> {
        let n = d.len();
        let mut a = vec![0.0; n * n];
        for (i, x) in d.iter().enumerate() {
            a[i * n + i] = *x;
        }
        a
    }

    /// Column `k` of V as (re, im).
    fn column(d: &EigenDecomposition, k: usize) -> (Vec<f64>, Vec<f64>) {
        let n = d.re.len();
        (
            (0..n).map(|i| d.v_re[i * n + k]).collect(),
            (0..n).map(|i| d.v_im[i * n + k]).collect(),
        )
    }

    /// `max_k ‖A v_k − λ_k v_k‖ / (‖A‖_F ‖v_k‖)`.
    fn worst_residual(a: &[f64], d: &EigenDecomposition) -> f64 {
        let n = d.re.len();
        let a_norm = norm2(a);
        (0..n)
            .map(|k| {
                let (vr, vi) = column(d, k);
                let (lr, li) = (d.re[k], d.im[k]);
                let mut r2 = 0.0;
                for i in 0..n {
                    let row = &a[i * n..(i + 1) * n];
                    let rr = dot(row, &vr) - (lr * vr[i] - li * vi[i]);
                    let ri = dot(row, &vi) - (lr * vi[i] + li * vr[i]);
                    r2 += rr * rr + ri * ri;
                }
                r2.sqrt() / (a_norm * norm2(&vr).hypot(norm2(&vi)))
            })
            .fold(0.0, f64::max)
    }

    /// Sine of the angle between the complex vectors `v` and `w`: `‖v − c w‖ / ‖v‖` with
    /// `c = wᴴv / wᴴw`.
    fn sin_angle(v: &(Vec<f64>, Vec<f64>), w: &(Vec<f64>, Vec<f64>)) -> f64 {
        let ((vr, vi), (wr, wi)) = (v, w);
        let ww = dot(wr, wr) + dot(wi, wi);
        let cr = (dot(wr, vr) + dot(wi, vi)) / ww;
        let ci = (dot(wr, vi) - dot(wi, vr)) / ww;
        let er: Vec<f64> = (0..vr.len())
            .map(|i| vr[i] - (cr * wr[i] - ci * wi[i]))
            .collect();
        let ei: Vec<f64> = (0..vr.len())
            .map(|i| vi[i] - (cr * wi[i] + ci * wr[i]))
            .collect();
        norm2(&er).hypot(norm2(&ei)) / norm2(vr).hypot(norm2(vi))
    }

    /// Index of the eigenvalue in `(re, im)` nearest to `(zr, zi)`.
    fn nearest(re: &[f64], im: &[f64], zr: f64, zi: f64) -> usize {
        (0..re.len())
            .min_by(|&x, &y| {
                let dx = (re[x] - zr).hypot(im[x] - zi);
                let dy = (re[y] - zr).hypot(im[y] - zi);
                dx.total_cmp(&dy)
            })
            .unwrap()
    }

    /// `‖V Λ V⁻¹ − A‖_F / ‖A‖_F`, with `X = V Λ V⁻¹` from `Vᵀ Xᵀ = (V Λ)ᵀ` by complex Gaussian
    /// elimination with partial pivoting (the imaginary part of `X` counts as error too).
    fn reconstruction_error(a: &[f64], d: &EigenDecomposition) -> f64 {
        let n = d.re.len();
        let (mut mr, mut mi) = (transpose(&d.v_re, n), transpose(&d.v_im, n));
        // Row k of (VΛ)ᵀ is λ_k times column k of V.
        let mut rr = vec![0.0; n * n];
        let mut ri = vec![0.0; n * n];
        for k in 0..n {
            for j in 0..n {
                let (vr, vi) = (mr[k * n + j], mi[k * n + j]);
                rr[k * n + j] = d.re[k] * vr - d.im[k] * vi;
                ri[k * n + j] = d.re[k] * vi + d.im[k] * vr;
            }
        }
        for k in 0..n {
            let p = (k..n)
                .max_by(|&x, &y| {
                    let mx = mr[x * n + k].hypot(mi[x * n + k]);
                    mx.total_cmp(&mr[y * n + k].hypot(mi[y * n + k]))
                })
                .unwrap();
            for m in [&mut mr, &mut mi, &mut rr, &mut ri] {
                for j in 0..n {
                    m.swap(k * n + j, p * n + j);
                }
            }
            for i in k + 1..n {
                let (fr, fi) = cdiv(mr[i * n + k], mi[i * n + k], mr[k * n + k], mi[k * n + k]);
                for j in 0..n {
                    let (ar, ai) = (mr[k * n + j], mi[k * n + j]);
                    mr[i * n + j] -= fr * ar - fi * ai;
                    mi[i * n + j] -= fr * ai + fi * ar;
                    let (br, bi) = (rr[k * n + j], ri[k * n + j]);
                    rr[i * n + j] -= fr * br - fi * bi;
                    ri[i * n + j] -= fr * bi + fi * br;
                }
            }
        }
        for i in (0..n).rev() {
            for j in 0..n {
                let (mut sr, mut si) = (rr[i * n + j], ri[i * n + j]);
                for l in i + 1..n {
                    let (ar, ai) = (mr[i * n + l], mi[i * n + l]);
                    let (zr, zi) = (rr[l * n + j], ri[l * n + j]);
                    sr -= ar * zr - ai * zi;
                    si -= ar * zi + ai * zr;
                }
                let (zr, zi) = cdiv(sr, si, mr[i * n + i], mi[i * n + i]);
                rr[i * n + j] = zr;
                ri[i * n + j] = zi;
            }
        }
        // rr + i ri now holds Xᵀ.
        let x_re = transpose(&rr, n);
        let err: Vec<f64> = x_re.iter().zip(a).map(|(x, y)| x - y).chain(ri).collect();
        norm2(&err) / norm2(a)
    }

    #[test]
    fn random_gaussian_matrices_have_small_residuals_and_normalised_vectors() {
        for (n, seed) in [(5, 1), (50, 2), (300, 3)] {
            let a = gaussian(n, 1.0, seed);
            let d = eigen_decomposition(&a, n).unwrap();
            assert_eq!((d.re.clone(), d.im.clone()), eigenvalues(&a, n));
            let res = worst_residual(&a, &d);
            eprintln!("random n = {n}: worst residual {res:.2e}");
            assert!(res < 1e-10, "n = {n}: {res:e}");
            for k in 0..n {
                let (vr, vi) = column(&d, k);
                assert!((norm2(&vr).hypot(norm2(&vi)) - 1.0).abs() < 1e-14);
                let largest = (0..n).map(|i| vr[i].hypot(vi[i])).fold(0.0, f64::max);
                assert!(
                    (0..n).any(|i| vi[i] == 0.0 && vr[i] == largest),
                    "n = {n}, k = {k}: largest component not real positive"
                );
            }
        }
    }

    #[test]
    fn rotation_blocks_give_complex_conjugate_pairs() {
        // Blocks r [cos θ −sin θ; sin θ cos θ] with eigenvalues r e^{±iθ}, and two real ones,
        // under a random orthogonal similarity.
        let blocks = ROTATION_BLOCKS;
        let (b, n) = rotation_block_matrix();
        let q = random_orthogonal(n, 5);
        let a = matmul(&matmul(&q, &b, n), &transpose(&q, n), n);
        let d = eigen_decomposition(&a, n).unwrap();
        assert_eq!(d.im.iter().filter(|x| **x != 0.0).count(), 2 * blocks.len());
        let res = worst_residual(&a, &d);
        eprintln!("rotation blocks: worst residual {res:.2e}");
        assert!(res < 1e-10, "{res:e}");
        // The eigenvector of r e^{iθ} in block k is Q (e_{2k} − i e_{2k+1}) / √2.
        for (k, &(r, t)) in blocks.iter().enumerate() {
            let j = nearest(&d.re, &d.im, r * t.cos(), r * t.sin());
            let w = (
                (0..n).map(|i| q[i * n + 2 * k]).collect(),
                (0..n).map(|i| -q[i * n + 2 * k + 1]).collect(),
            );
            let s = sin_angle(&column(&d, j), &w);
            assert!(s < 1e-13, "block {k}: {s:e}");
        }
    }

    #[test]
    fn non_normal_triangular_matrices_match_the_exact_eigenvectors() {
        let n = 16;
        let mut t = gaussian(n, 2.0, 6);
        for i in 0..n {
            t[i * n + i] = 0.5 * i as f64 - 3.0;
            for j in 0..i {
                t[i * n + j] = 0.0;
            }
        }
        // Exact eigenvector of t_kk: zero below row k, 1 at row k, back substitution above.
        let exact = |k: usize| -> Vec<f64> {
            let mut w = vec![0.0; n];
            w[k] = 1.0;
            for i in (0..k).rev() {
                let s: f64 = (i + 1..=k).map(|j| t[i * n + j] * w[j]).sum();
                w[i] = -s / (t[i * n + i] - t[k * n + k]);
            }
            w
        };
        let q = random_orthogonal(n, 7);
        // T itself (already in Schur form) and the dense Q T Qᵀ with eigenvectors Q w.
        for (name, a, basis) in [
            ("T", t.clone(), diagonal(&vec![1.0; n])),
            (
                "Q T Qᵀ",
                matmul(&matmul(&q, &t, n), &transpose(&q, n), n),
                q.clone(),
            ),
        ] {
            let d = eigen_decomposition(&a, n).unwrap();
            let res = worst_residual(&a, &d);
            let mut worst_angle = 0.0_f64;
            for k in 0..n {
                let j = nearest(&d.re, &d.im, t[k * n + k], 0.0);
                assert!((d.re[j] - t[k * n + k]).abs() < 1e-10 && d.im[j] == 0.0);
                let w = exact(k);
                let qw: Vec<f64> = (0..n)
                    .map(|i| dot(&basis[i * n..(i + 1) * n], &w))
                    .collect();
                worst_angle = worst_angle.max(sin_angle(&column(&d, j), &(qw, vec![0.0; n])));
            }
            eprintln!(
                "triangular {name}: worst residual {res:.2e}, worst sin angle {worst_angle:.2e}"
            );
            assert!(res < 1e-10, "{name}: {res:e}");
            assert!(worst_angle < 1e-10, "{name}: {worst_angle:e}");
        }
    }

    #[test]
    fn repeated_eigenvalues_of_diagonalisable_matrices() {
        // diag(1, 1, 2) and a spectrum with a triple and a double eigenvalue, each under a
        // random invertible similarity: small residuals, and V stays invertible.
        let cases: [(&[f64], u64); 2] = [
            (&[1.0, 1.0, 2.0], 8),
            (&[1.0, 1.0, 1.0, 2.0, 2.0, -1.0, 3.0, 0.5], 9),
        ];
        for (spectrum, seed) in cases {
            let n = spectrum.len();
            let mut s = gaussian(n, 0.5, seed);
            for i in 0..n {
                s[i * n + i] += 1.0;
            }
            let a = similar(&s, &diagonal(spectrum), n);
            let d = eigen_decomposition(&a, n).unwrap();
            let res = worst_residual(&a, &d);
            let rec = reconstruction_error(&a, &d);
            eprintln!("repeated, n = {n}: worst residual {res:.2e}, reconstruction {rec:.2e}");
            assert!(res < 1e-10, "n = {n}: {res:e}");
            assert!(rec < 1e-8, "n = {n}: {rec:e}");
        }
    }

    #[test]
    fn companion_matrix_gives_the_roots_and_vandermonde_vectors() {
        // p(z) = Π (z − zₖ); the companion matrix with ones on the superdiagonal and last row
        // −cₙ … −c₁ has eigenvalues zₖ and eigenvectors (1, zₖ, zₖ², …).
        let roots = COMPANION_ROOTS;
        let n = roots.len();
        let coef = monic_coefficients(&roots);
        let mut a = vec![0.0; n * n];
        for i in 0..n - 1 {
            a[i * n + i + 1] = 1.0;
        }
        for j in 0..n {
            a[(n - 1) * n + j] = -coef[n - j].0;
        }
        let d = eigen_decomposition(&a, n).unwrap();
        let res = worst_residual(&a, &d);
        let (mut worst_root, mut worst_angle) = (0.0_f64, 0.0_f64);
        let mut used = vec![false; n];
        for &(zr, zi) in &roots {
            let j = nearest(&d.re, &d.im, zr, zi);
            assert!(!used[j]);
            used[j] = true;
            worst_root = worst_root.max((d.re[j] - zr).hypot(d.im[j] - zi));
            let (mut pr, mut pi) = (1.0, 0.0);
            let (mut wr, mut wi) = (vec![0.0; n], vec![0.0; n]);
            for i in 0..n {
                (wr[i], wi[i]) = (pr, pi);
                (pr, pi) = (pr * zr - pi * zi, pr * zi + pi * zr);
            }
            worst_angle = worst_angle.max(sin_angle(&column(&d, j), &(wr, wi)));
        }
        eprintln!(
            "companion: worst residual {res:.2e}, root error {worst_root:.2e}, \
             sin angle {worst_angle:.2e}"
        );
        assert!(res < 1e-10, "{res:e}");
        assert!(worst_root < 1e-10, "{worst_root:e}");
        assert!(worst_angle < 1e-10, "{worst_angle:e}");
    }

    #[test]
    fn v_lambda_v_inverse_reconstructs_a_random_matrix() {
        let n = 50;
        let a = gaussian(n, 1.0, 10);
        let d = eigen_decomposition(&a, n).unwrap();
        let rec = reconstruction_error(&a, &d);
        eprintln!("reconstruction n = {n}: {rec:.2e}");
        assert!(rec < 1e-9, "{rec:e}");
    }

    #[test]
    fn conjugate_pairs_give_exactly_conjugate_vectors_and_real_eigenvalues_real_ones() {
        let n = 50;
        let a = gaussian(n, 1.0, 11);
        let d = eigen_decomposition(&a, n).unwrap();
        let pairs = d.im.iter().filter(|x| **x > 0.0).count();
        assert!(pairs > 5 && 2 * pairs < n, "{pairs} pairs");
        let mut k = 0;
        while k < n {
            if d.im[k] == 0.0 {
                assert!(
                    (0..n).all(|i| d.v_im[i * n + k].to_bits() == 0),
                    "column {k}"
                );
                k += 1;
                continue;
            }
            assert_eq!((d.re[k + 1], d.im[k + 1]), (d.re[k], -d.im[k]));
            for i in 0..n {
                let (x, y) = (i * n + k, i * n + k + 1);
                assert_eq!(d.v_re[x].to_bits(), d.v_re[y].to_bits(), "({i}, {k})");
                assert_eq!((-d.v_im[x]).to_bits(), d.v_im[y].to_bits(), "({i}, {k})");
            }
            k += 2;
        }
    }

    #[test]
    fn defective_and_zero_matrices_give_finite_vectors() {
        // A 30 × 30 Jordan block: the triangular solves grow by 1/ε₃ per row and must be
        // rescaled; every computed vector is (numerically) e₁.
        let n = 30;
        let mut a = diagonal(&vec![2.0; n]);
        for i in 0..n - 1 {
            a[i * n + i + 1] = 1.0;
        }
        let d = eigen_decomposition(&a, n).unwrap();
        assert!(d.v_re.iter().chain(&d.v_im).all(|x| x.is_finite()));
        let res = worst_residual(&a, &d);
        assert!(res < 1e-10, "{res:e}");
        for k in 0..n {
            assert!((d.v_re[k] - 1.0).abs() < 1e-14, "column {k}");
        }
        // The zero matrix: any unit vector will do.
        let d = eigen_decomposition(&[0.0; 16], 4).unwrap();
        assert_eq!((&d.re, &d.im), (&vec![0.0; 4], &vec![0.0; 4]));
        for k in 0..4 {
            let (vr, vi) = column(&d, k);
            assert!((norm2(&vr).hypot(norm2(&vi)) - 1.0).abs() < 1e-15);
        }
    }

    #[test]
    fn bad_input_is_an_error_naming_a() {
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let err = eigen_decomposition(&[1.0, bad, 0.0, 1.0], 2).unwrap_err();
            assert!(err.starts_with("A:"), "{err}");
        }
        let err = eigen_decomposition(&[1.0, 2.0, 3.0], 2).unwrap_err();
        assert!(err.starts_with("A:"), "{err}");
        let d = eigen_decomposition(&[], 0).unwrap();
        assert!(d.re.is_empty() && d.v_re.is_empty());
        let d = eigen_decomposition(&[-2.5], 1).unwrap();
        assert_eq!(
            (d.re, d.im, d.v_re, d.v_im),
            (vec![-2.5], vec![0.0], vec![1.0], vec![0.0])
        );
    }

    #[test]
    #[ignore = "timing; run with --ignored --nocapture"]
    fn timing_n_1000() {
        let n = 1000;
        let a = gaussian(n, 1.0 / (n as f64).sqrt(), 12);
        let start = std::time::Instant::now();
        let e = eigenvalues(&a, n);
        let t_eig = start.elapsed();
        let start = std::time::Instant::now();
        let d = eigen_decomposition(&a, n).unwrap();
        let t_vec = start.elapsed();
        assert_eq!((d.re.clone(), d.im.clone()), e);
        let res = worst_residual(&a, &d);
        eprintln!(
            "n = {n}: eigenvalues {t_eig:.2?}, eigen_decomposition {t_vec:.2?}, worst residual \
             {res:.2e}"
        );
    }
}
