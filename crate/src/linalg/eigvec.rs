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
use super::{norm2, transpose};
use crate::kernels::{gemm_abt_raw, gemm_abt_symmetric};
use crate::parallel::{self, Shared};
use crate::rng;

/// Most solves of the inverse iteration per eigenvalue.
const MAX_SOLVES: usize = 3;
/// The partial solution of a triangular system is rescaled when an entry exceeds this, so
/// that growth by up to `1/ε₃` per row cannot overflow.
const RESCALE_ABOVE: f64 = 1e150;
/// Eigenvectors per parallel chunk of the inverse iteration.
const CHUNK: usize = 8;
/// Systems that [`ShiftedHessenberg::solve`] eliminates side by side: each column of `H` is
/// read from memory once for all of them (a solve does 16 flops per entry of `H` it reads;
/// one system at a time, the inverse iteration took 1.3× as long at n = 4000).
const SIDE_BY_SIDE: usize = 4;

/// Eigen-decomposition `A = V Λ V⁻¹` of an `n × n` row-major real matrix, with `V` held as the
/// real matrix `Pᵀ` of the real basis `A = P B P⁻¹` (`B` block diagonal with 1 × 1 and 2 × 2
/// blocks).
#[derive(Clone, Debug)]
pub struct EigenDecomposition {
    /// Real parts of the eigenvalues `λ_k`, in the order of [`super::eig::eigenvalues`]
    /// (descending real part, conjugate pairs adjacent with the positive imaginary part first).
    pub re: Vec<f64>,
    /// Imaginary parts of the eigenvalues.
    pub im: Vec<f64>,
    /// `Pᵀ`, `n × n` row-major: row `k` is the eigenvector `v_k` of a real `λ_k`; for a conjugate
    /// pair `(k, p)`, `p = partner[k] > k`, rows `k` and `p` are `Re v_k` and `Im v_k`, and
    /// `v_p = v̄_k`. Each `v_k` has unit 2-norm with its largest-modulus component real and
    /// positive.
    pub basis_t: Vec<f64>,
    /// The other member of `k`'s conjugate pair, `k` itself for a real eigenvalue.
    pub partner: Vec<usize>,
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
    let mut partner: Vec<usize> = (0..n).collect();
    let mut items = Vec::new();
    for k in 0..n {
        if partner[k] != k {
            continue;
        }
        if im[k] != 0.0 {
            let p = (k + 1..n)
                .find(|&j| partner[j] == j && re[j] == re[k] && im[j] == -im[k])
                .ok_or("A: a complex eigenvalue has no exact conjugate partner")?;
            partner[k] = p;
            partner[p] = k;
        }
        items.push(k);
    }
    let mut z = vec![0.0; n * n];
    let ht = HessenbergTranspose::new(&r.h, n);
    // Each vector depends only on H, λ and its index, so the split over threads does not matter.
    let chunks = items.chunks(CHUNK).collect::<Vec<_>>();
    let zs = Shared::new(&mut z);
    parallel::for_each_large(chunks.len(), 8 * n * n * items.len(), &|c| {
        let mut solver = ShiftedHessenberg::new(&ht);
        let shifts: Vec<_> = chunks[c].iter().map(|&k| (re[k], im[k], k)).collect();
        for (&k, (yr, yi)) in chunks[c].iter().zip(solver.eigenvectors(&shifts)) {
            // SAFETY: rows k and partner[k] of z belong to this item alone.
            unsafe { zs.part(k * n, n) }.copy_from_slice(&yr);
            if partner[k] != k {
                unsafe { zs.part(partner[k] * n, n) }.copy_from_slice(&yi);
            }
        }
    });
    drop(ht);
    back_transform(&r, &mut z, n);
    let zs = Shared::new(&mut z);
    parallel::for_each_large(chunks.len(), 4 * n * items.len(), &|c| {
        for &k in chunks[c] {
            // SAFETY: as above.
            let re = unsafe { zs.part(k * n, n) };
            let im = (partner[k] != k).then(|| unsafe { zs.part(partner[k] * n, n) });
            normalise(re, im);
        }
    });
    let unscale = |x: Vec<f64>| -> Vec<f64> { x.into_iter().map(|v| v / r.scale).collect() };
    Ok(EigenDecomposition {
        re: unscale(re),
        im: unscale(im),
        basis_t: z,
        partner,
    })
}

/// An upper Hessenberg `H` stored as `Hᵀ` for the solves of [`ShiftedHessenberg`].
struct HessenbergTranspose {
    /// `Hᵀ`: row `j` holds column `j` of `H` in entries `0..=j+1` (the rest is not used).
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
        // Entries below the subdiagonal of H (the reduction's reflectors) are never read.
        HessenbergTranspose {
            ht: transpose(h, n),
            n,
            eps3,
        }
    }
}

/// Solves `(H − λ̃I) x = s b` for an upper Hessenberg `H` by Gaussian elimination on columns,
/// from the last row up, fused with column-oriented back substitution: eliminating the
/// subdiagonal entry of row `k` (pivoting between columns `k − 1` and `k`) finishes column `k`
/// of the triangular factor `T = (H − λ̃I)E`, which is used at once and discarded, so a solve
/// reads `H` once and stores no factor (`8n²` flops, `O(n)` memory besides `Hᵀ`). Up to
/// [`SIDE_BY_SIDE`] systems with different shifts are eliminated column by column together,
/// so that each column of `H` comes from memory once for all of them; each system's
/// arithmetic is the same as alone.
///
/// One per thread; `H` is shared.
struct ShiftedHessenberg<'a> {
    ht: &'a [f64],
    n: usize,
    eps3: f64,
    work: Vec<Elimination>,
}

/// The working storage of one system's elimination.
struct Elimination {
    /// The carried column (rows `0..=k` at row `k`).
    w: [Vec<f64>; 2],
    /// Multiplier of the elimination at row `k` and whether its two columns were exchanged.
    m: [Vec<f64>; 2],
    swapped: Vec<bool>,
}

/// One system `(H − λ̃I) x = s b` of a side-by-side solve.
struct Shifted<'x> {
    /// `λ̃ = wr + i wi`.
    wr: f64,
    wi: f64,
    /// `b` on entry, `x` on return.
    xr: &'x mut [f64],
    xi: &'x mut [f64],
    /// The scale `0 < s ≤ 1` applied to keep `x` from overflowing.
    s: f64,
}

impl Shifted<'_> {
    /// Scales `x` down when the entry just computed has modulus about `size` above
    /// [`RESCALE_ABOVE`].
    fn rescale(&mut self, size: f64) {
        if size > RESCALE_ABOVE {
            let f = 1.0 / size;
            self.xr
                .iter_mut()
                .chain(self.xi.iter_mut())
                .for_each(|x| *x *= f);
            self.s *= f;
        }
    }
}

impl<'a> ShiftedHessenberg<'a> {
    fn new(h: &'a HessenbergTranspose) -> Self {
        let n = h.n;
        let zeros = || [vec![0.0; n], vec![0.0; n]];
        ShiftedHessenberg {
            ht: &h.ht,
            n,
            eps3: h.eps3,
            work: (0..SIDE_BY_SIDE)
                .map(|_| Elimination {
                    w: zeros(),
                    m: zeros(),
                    swapped: vec![false; n],
                })
                .collect(),
        }
    }

    /// Unit vectors `y` with `(H − λI) y ≈ 0` by inverse iteration, for the eigenvalues
    /// `(wr, wi)` of `items`, each from the start vector of its index `k`.
    fn eigenvectors(&mut self, items: &[(f64, f64, usize)]) -> Vec<(Vec<f64>, Vec<f64>)> {
        let n = self.n;
        let mut xs: Vec<(Vec<f64>, Vec<f64>)> = items
            .iter()
            .map(|&(_, _, k)| {
                let mut xr = vec![0.0; n];
                rng::fill_normal(&mut rng::seeded(k as u64), 1.0, &mut xr);
                let norm = norm2(&xr);
                xr.iter_mut().for_each(|x| *x /= norm);
                (xr, vec![0.0; n])
            })
            .collect();
        let tol = 10.0 * (n as f64).sqrt() * self.eps3;
        let mut done = vec![false; items.len()];
        for _ in 0..MAX_SOLVES {
            let (index, mut systems): (Vec<usize>, Vec<Shifted>) = xs
                .iter_mut()
                .zip(items)
                .enumerate()
                .filter(|&(i, _)| !done[i])
                .map(|(i, ((xr, xi), &(wr, wi, _)))| {
                    let (wr, s) = (wr + self.eps3, 1.0);
                    (i, Shifted { wr, wi, xr, xi, s })
                })
                .unzip();
            if systems.is_empty() {
                break;
            }
            for group in systems.chunks_mut(SIDE_BY_SIDE) {
                self.solve(group);
            }
            // (H − λ̃I) x = s b with ‖b‖ = 1, so ‖(H − λ̃I) x̂‖ = s / ‖x‖.
            for (sys, i) in systems.into_iter().zip(index) {
                let norm = norm2(sys.xr).hypot(norm2(sys.xi));
                sys.xr
                    .iter_mut()
                    .chain(sys.xi.iter_mut())
                    .for_each(|x| *x /= norm);
                done[i] = sys.s <= tol * norm;
            }
        }
        xs
    }

    /// Overwrites each system's `b` with `x` and sets its scale `s` (at most
    /// [`SIDE_BY_SIDE`] systems). Pivots below `ε₃` become `ε₃`. Not inlined, so that engines
    /// run it optimised from its second call ([`crate::kernels`]).
    #[inline(never)]
    fn solve(&mut self, systems: &mut [Shifted]) {
        let (n, eps3) = (self.n, self.eps3);
        if n == 0 {
            return;
        }
        let work = &mut self.work[..systems.len()];
        for (e, sys) in work.iter_mut().zip(systems.iter_mut()) {
            let [wre, wim] = &mut e.w;
            wre.copy_from_slice(&self.ht[(n - 1) * n..n * n]);
            wim.iter_mut().for_each(|x| *x = 0.0);
            wre[n - 1] -= sys.wr;
            wim[n - 1] = -sys.wi;
            sys.s = 1.0;
        }
        for k in (1..n).rev() {
            let c = &self.ht[(k - 1) * n..(k - 1) * n + k + 1];
            for (e, sys) in work.iter_mut().zip(systems.iter_mut()) {
                e.eliminate(c, k, eps3, sys);
            }
        }
        for (e, sys) in work.iter_mut().zip(systems.iter_mut()) {
            e.finish(eps3, sys);
        }
    }
}

impl Elimination {
    /// Eliminates row `k` of one system given column `k − 1` of `H`, `c` (rows `0..=k`): the
    /// carried column w (rows 0..=k) and column k − 1 of H − λ̃I (c, real, except
    /// c[k−1] = h − λ̃). The pivot of row k is c[k] (swap) or w[k]; the other column minus m
    /// times the pivot column becomes the next carried column, in place in w either way.
    fn eliminate(&mut self, c: &[f64], k: usize, eps3: f64, sys: &mut Shifted) {
        let [wre, wim] = &mut self.w;
        let (xr, xi) = (&mut *sys.xr, &mut *sys.xi);
        let (cdr, cdi) = (c[k - 1] - sys.wr, -sys.wi);
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
        sys.rescale(yr.abs() + yi.abs());
    }

    /// The last pivot, then `x = E y` with `E = E_{n−1} ⋯ E₁`, `E_k = S_k (I − m_k e_k e_{k−1}ᵀ)`.
    fn finish(&mut self, eps3: f64, sys: &mut Shifted) {
        let [wre, wim] = &mut self.w;
        if wre[0].abs() + wim[0].abs() < eps3 {
            (wre[0], wim[0]) = (eps3, 0.0);
        }
        let (yr, yi) = cdiv(sys.xr[0], sys.xi[0], wre[0], wim[0]);
        sys.xr[0] = yr;
        sys.xi[0] = yi;
        sys.rescale(yr.abs() + yi.abs());
        let (xr, xi) = (&mut *sys.xr, &mut *sys.xi);
        for k in 1..xr.len() {
            let (mr, mi) = (self.m[0][k], self.m[1][k]);
            let (ar, ai) = (xr[k - 1], xi[k - 1]);
            xr[k] -= mr * ar - mi * ai;
            xi[k] -= mr * ai + mi * ar;
            if self.swapped[k] {
                xr.swap(k - 1, k);
                xi.swap(k - 1, k);
            }
        }
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

/// Reflectors per block of [`back_transform`]: each block reads and writes all of `Z` once in
/// its second product (at 32 the back-transformation took 1.4–1.5× as long at n = 4000).
const REFLECTOR_BLOCK: usize = 64;

/// `Y ← D Q Y` given `Z = Yᵀ` (`n × n`, row-major, one vector per row), with
/// `Q = H₀ H₁ ⋯ H_{n−3}`: blocks of [`REFLECTOR_BLOCK`] consecutive reflectors in compact WY
/// form `I − V T Vᵀ` (LAPACK `dlarft`), the last block first, each applied as
/// `Z ← Z − (Z V) Tᵀ Vᵀ` by two matrix products (`2n³` flops in all).
fn back_transform(r: &Reduction, z: &mut [f64], n: usize) {
    let count = n.saturating_sub(2);
    let mut vt = Vec::new();
    let mut gram = Vec::new();
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
        // With the Gram matrix G = VᵀV.
        gram.clear();
        gram.resize(nb * nb, 0.0);
        gemm_abt_symmetric(&vt, &vt, nb, m, &mut gram);
        let mut t = vec![0.0; nb * nb];
        for j in 0..nb {
            let tau = r.tau[k0 + j];
            for q in 0..j {
                t[q * nb + j] = -tau
                    * (q..j)
                        .map(|l| t[q * nb + l] * gram[l * nb + j])
                        .sum::<f64>();
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

/// Scales the complex vector `re + i im` (`im` absent: zero) to unit 2-norm with its
/// largest-modulus component (the first, on ties) real and positive.
fn normalise(re: &mut [f64], im: Option<&mut [f64]>) {
    let im = match im {
        Some(im) => im,
        None => {
            let (j, largest) = re.iter().enumerate().fold((0, 0.0), |(j, m), (i, x)| {
                if x.abs() > m {
                    (i, x.abs())
                } else {
                    (j, m)
                }
            });
            let norm = norm2(re);
            let c = (re[j] / largest) / norm;
            re.iter_mut().for_each(|x| *x *= c);
            re[j] = largest / norm;
            return;
        }
    };
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
    for (x, y) in re.iter_mut().zip(im.iter_mut()) {
        (*x, *y) = (*x * cr - *y * ci, *x * ci + *y * cr);
    }
    re[j] = largest / norm;
    im[j] = 0.0;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::dot;
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
    /// `(Re v_k, Im v_k)`: rows `first` (Re) and `second` (Im) of `Pᵀ` for a pair; the second
    /// member is the conjugate.
    fn column(d: &EigenDecomposition, k: usize) -> (Vec<f64>, Vec<f64>) {
        let (n, p) = (d.re.len(), d.partner[k]);
        let (first, second) = (k.min(p), k.max(p));
        let re = d.basis_t[first * n..(first + 1) * n].to_vec();
        if p == k {
            return (re, vec![0.0; n]);
        }
        let sign = if k == first { 1.0 } else { -1.0 };
        let im = d.basis_t[second * n..(second + 1) * n]
            .iter()
            .map(|x| sign * x)
            .collect();
        (re, im)
    }

    /// `V` as `(Re V, Im V)`, `n × n` row-major, column `k` the eigenvector of `λ_k`.
    fn complex_vectors(d: &EigenDecomposition) -> (Vec<f64>, Vec<f64>) {
        let n = d.re.len();
        let (mut v_re, mut v_im) = (vec![0.0; n * n], vec![0.0; n * n]);
        for k in 0..n {
            let (re, im) = column(d, k);
            for i in 0..n {
                v_re[i * n + k] = re[i];
                v_im[i * n + k] = im[i];
            }
        }
        (v_re, v_im)
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
        let (v_re, v_im) = complex_vectors(d);
        let (mut mr, mut mi) = (transpose(&v_re, n), transpose(&v_im, n));
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
    fn conjugate_pairs_are_adjacent_partners_and_real_eigenvalues_their_own() {
        let n = 50;
        let a = gaussian(n, 1.0, 11);
        let d = eigen_decomposition(&a, n).unwrap();
        let pairs = d.im.iter().filter(|x| **x > 0.0).count();
        assert!(pairs > 5 && 2 * pairs < n, "{pairs} pairs");
        for k in 0..n {
            let p = d.partner[k];
            assert_eq!(d.partner[p], k);
            if d.im[k] == 0.0 {
                assert_eq!(p, k);
            } else {
                assert_eq!(p, if d.im[k] > 0.0 { k + 1 } else { k - 1 });
                assert_eq!((d.re[p], d.im[p]), (d.re[k], -d.im[k]));
            }
        }
        assert!(worst_residual(&a, &d) < 1e-12);
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
        assert!(d.basis_t.iter().all(|x| x.is_finite()));
        let res = worst_residual(&a, &d);
        assert!(res < 1e-10, "{res:e}");
        for k in 0..n {
            assert!((d.basis_t[k * n] - 1.0).abs() < 1e-14, "vector {k}");
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
        assert!(d.re.is_empty() && d.basis_t.is_empty());
        let d = eigen_decomposition(&[-2.5], 1).unwrap();
        assert_eq!(
            (d.re, d.im, d.basis_t, d.partner),
            (vec![-2.5], vec![0.0], vec![1.0], vec![0])
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
