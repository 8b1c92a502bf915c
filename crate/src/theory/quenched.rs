//! Equal-time covariances of a rate network with a *given* coupling matrix J, from its linear
//! equivalent: the network dx/dt = −x + Jφ(x) + ξ (white noise of intensity σ²) is replaced by the
//! linear network whose units emit φ = a x + r, with a = ⟨φ'⟩ the DMFT slope and r a residual of
//! autocorrelation C_r(τ) = [C_φ(τ) − C_φ(∞)] − a²[Δ(τ) − Δ∞], independent across units
//! (Clark 2026, arXiv 2604.23489; the form for a given J is derived below).
//!
//! In frequency space x̃ = S(Jφ̃ + ξ̃), S = 1/(1 + iω), so with G = (I − aSJ)⁻¹
//!
//!   C^x(ω) = |S|² G (c(ω) J Jᵀ + σ² I) G†,   C^φ(ω) = G (c(ω) + a²|S|²σ²) G†,
//!
//! c(ω) the spectrum of C_r. With J = V Λ V⁻¹, μ_k = 1 − aλ_k and W = V⁻¹V⁻†, the frequency
//! integrals reduce by partial fractions to the Laplace transform L(μ) = ∫₀^∞ C_r(τ) e^{−μτ} dτ at
//! the N eigenvalues:
//!
//!   ∫ dω/2π c |S|² g_k ḡ_l = M_kl = (L(μ_k) + L(μ̄_l)) / (μ_k + μ̄_l),   g_k = (1 + iω)/(μ_k + iω),
//!   C^x = V [(M_kl λ_k λ̄_l + σ²/(μ_k + μ̄_l)) ∘ W] V†,
//!   C^φ = V [(C_r(0) + aλ_k L(μ_k) + aλ̄_l L(μ̄_l) + a²λ_kλ̄_l M_kl + a²σ²/(μ_k + μ̄_l)) ∘ W] V†.
//!
//! For linear φ (a = 1, C_r ≡ 0) C^x is the solution of the Lyapunov equation
//! (J − I)C + C(J − I)ᵀ + σ²I = 0. The linear equivalent is stable when every Re μ_k > 0.
//!
//! Cost: the eigen-decomposition (≈ 25 n³ flops), the inverse of the real eigenvector basis P
//! (blocked LU, ≈ 2 n³) and real products of n × n matrices on the SIMD kernel: P R for R^x and
//! R^φ (2 n³ each) and three products known to be symmetric, of which only one triangle is
//! formed (the class weight X Xᵀ and the two (P R) Pᵀ, n³ each); memory about 12 n² f64. The error grows like ε κ(P)²: for ill-conditioned
//! eigenvectors [`super::quenched_lyapunov`] needs none.

use crate::kernels::{gemm_abt, gemm_abt_symmetric};
use crate::linalg::eigvec::EigenDecomposition;
use crate::linalg::inverse::inverse;
use crate::linalg::transpose;

/// A complex number (the few operations the predictor needs).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct C64 {
    pub re: f64,
    pub im: f64,
}

impl C64 {
    pub const fn new(re: f64, im: f64) -> Self {
        C64 { re, im }
    }
    fn add(self, o: C64) -> C64 {
        C64::new(self.re + o.re, self.im + o.im)
    }
    fn sub(self, o: C64) -> C64 {
        C64::new(self.re - o.re, self.im - o.im)
    }
    fn mul(self, o: C64) -> C64 {
        C64::new(
            self.re * o.re - self.im * o.im,
            self.re * o.im + self.im * o.re,
        )
    }
    fn scale(self, s: f64) -> C64 {
        C64::new(self.re * s, self.im * s)
    }
    fn div(self, o: C64) -> C64 {
        let d = o.re * o.re + o.im * o.im;
        C64::new(
            (self.re * o.re + self.im * o.im) / d,
            (self.im * o.re - self.re * o.im) / d,
        )
    }
    fn conj(self) -> C64 {
        C64::new(self.re, -self.im)
    }
    fn exp(self) -> C64 {
        let m = self.re.exp();
        C64::new(m * self.im.cos(), m * self.im.sin())
    }
}

/// (1 − e^{−z})/z and (1 − e^{−z}(1 + z))/z², by their series near z = 0.
fn interval_weights(z: C64) -> (C64, C64) {
    if z.re * z.re + z.im * z.im < 1e-4 {
        let z2 = z.mul(z);
        let z3 = z2.mul(z);
        let e1 = C64::new(1.0, 0.0)
            .sub(z.scale(0.5))
            .add(z2.scale(1.0 / 6.0))
            .sub(z3.scale(1.0 / 24.0));
        let e2 = C64::new(0.5, 0.0)
            .sub(z.scale(1.0 / 3.0))
            .add(z2.scale(1.0 / 8.0))
            .sub(z3.scale(1.0 / 30.0));
        return (e1, e2);
    }
    let e = z.scale(-1.0).exp();
    let one = C64::new(1.0, 0.0);
    let e1 = one.sub(e).div(z);
    let e2 = one.sub(e.mul(one.add(z))).div(z.mul(z));
    (e1, e2)
}

/// L(μ) = ∫₀^T C(τ) e^{−μτ} dτ for C sampled at τ = 0, dt, …, T and linear in between (exact for
/// that interpolant, for any complex μ).
pub fn laplace(c: &[f64], dt: f64, mu: C64) -> C64 {
    let z = mu.scale(dt);
    let (e1, e2) = interval_weights(z);
    let step = z.scale(-1.0).exp();
    let mut decay = C64::new(1.0, 0.0);
    let mut sum = C64::new(0.0, 0.0);
    for w in c.windows(2) {
        let term = e1.scale(w[0]).add(e2.scale(w[1] - w[0]));
        sum = sum.add(decay.mul(term));
        decay = decay.mul(step);
    }
    sum.scale(dt)
}

/// The real basis of the eigenvectors: J = P B P⁻¹ with P real, column k = Re v_k and, for a
/// conjugate pair (k, p) with v_p = v̄_k, column p = Im v_k. Then V = P U with U block diagonal:
/// 1 for a real eigenvalue, [[1, 1], [i, −i]] on rows and columns (k, p) for a pair.
struct RealBasis {
    /// P, n × n row-major.
    p: Vec<f64>,
    /// The blocks of U: `[k, k]` for a real eigenvalue, `[k, p]` for a pair.
    blocks: Vec<[usize; 2]>,
}

impl RealBasis {
    fn new(eig: &EigenDecomposition, n: usize) -> Self {
        let blocks = (0..n)
            .filter(|&k| eig.partner[k] >= k)
            .map(|k| [k, eig.partner[k]])
            .collect();
        RealBasis {
            p: transpose(&eig.basis_t, n),
            blocks,
        }
    }
}

/// Largest column sum of |a| (n × n, row-major).
fn norm1(a: &[f64], n: usize) -> f64 {
    let mut sums = vec![0.0; n];
    for row in a.chunks_exact(n) {
        sums.iter_mut().zip(row).for_each(|(s, v)| *s += v.abs());
    }
    sums.into_iter().fold(0.0, f64::max)
}

/// Block `b` of U (rows and columns `b`; size 1 when `b[0] == b[1]`).
fn u_block(b: [usize; 2]) -> [[C64; 2]; 2] {
    let (one, i) = (C64::new(1.0, 0.0), C64::new(0.0, 1.0));
    if b[0] == b[1] {
        [
            [one, C64::new(0.0, 0.0)],
            [C64::new(0.0, 0.0), C64::new(0.0, 0.0)],
        ]
    } else {
        [[one, one], [i, i.scale(-1.0)]]
    }
}

/// Block `b` of U⁻¹: 1, or ½[[1, −i], [1, i]].
fn u_inverse_block(b: [usize; 2]) -> [[C64; 2]; 2] {
    let (half, i) = (C64::new(0.5, 0.0), C64::new(0.0, 0.5));
    if b[0] == b[1] {
        [
            [C64::new(1.0, 0.0), C64::new(0.0, 0.0)],
            [C64::new(0.0, 0.0), C64::new(0.0, 0.0)],
        ]
    } else {
        [[half, i.scale(-1.0)], [half, i]]
    }
}

fn size(b: [usize; 2]) -> usize {
    if b[0] == b[1] {
        1
    } else {
        2
    }
}

/// X Y† for 2 × 2 blocks with `r` rows of X, `c` rows of Y and `m` columns of both.
fn times_adjoint(
    x: &[[C64; 2]; 2],
    y: &[[C64; 2]; 2],
    r: usize,
    c: usize,
    m: usize,
) -> [[C64; 2]; 2] {
    let mut out = [[C64::new(0.0, 0.0); 2]; 2];
    for (a, row) in out.iter_mut().enumerate().take(r) {
        for (b, v) in row.iter_mut().enumerate().take(c) {
            for q in 0..m {
                *v = v.add(x[a][q].mul(y[b][q].conj()));
            }
        }
    }
    out
}

/// X Y for 2 × 2 blocks with `r` rows of X, `m` columns of X and `c` columns of Y.
fn times(x: &[[C64; 2]; 2], y: &[[C64; 2]; 2], r: usize, m: usize, c: usize) -> [[C64; 2]; 2] {
    let mut out = [[C64::new(0.0, 0.0); 2]; 2];
    for (a, row) in out.iter_mut().enumerate().take(r) {
        for (b, v) in row.iter_mut().enumerate().take(c) {
            for (xq, yq) in x[a].iter().zip(y).take(m) {
                *v = v.add(xq.mul(yq[b]));
            }
        }
    }
    out
}

/// One gain class of the linear equivalent: the DMFT slope a_c = ⟨φ'⟩ of its units and their
/// residual autocorrelation C_r,c(τ) at τ = 0, dt, 2dt, … (decayed to ≈ 0 at the end).
pub struct GainClass<'a> {
    pub slope: f64,
    pub residual: &'a [f64],
}

/// Inputs of [`quenched_covariances`] besides the eigen-decomposition.
pub struct LinearEquivalent<'a> {
    /// The gain classes; one class holds every unit.
    pub classes: Vec<GainClass<'a>>,
    /// The class of each unit (empty with one class).
    pub class_of: &'a [u32],
    /// Noise intensity σ².
    pub noise_variance: f64,
    pub dt: f64,
}

impl<'a> LinearEquivalent<'a> {
    /// Every unit with slope a and residual C_r.
    pub fn uniform(slope: f64, noise_variance: f64, residual: &'a [f64], dt: f64) -> Self {
        LinearEquivalent {
            classes: vec![GainClass { slope, residual }],
            class_of: &[],
            noise_variance,
            dt,
        }
    }

    /// The class of a network with one gain class.
    pub fn uniform_class(&self) -> Result<&GainClass<'a>, String> {
        match self.classes.as_slice() {
            [c] => Ok(c),
            _ => Err("this method needs one gain class".into()),
        }
    }

    /// The units of class `c` (with per-unit classes).
    fn members(&self, c: usize) -> Vec<usize> {
        (0..self.class_of.len())
            .filter(|&i| self.class_of[i] as usize == c)
            .collect()
    }

    /// The slope a_i of each unit.
    fn unit_slopes(&self, n: usize) -> Vec<f64> {
        (0..n)
            .map(|i| match self.class_of.get(i) {
                Some(&c) => self.classes[c as usize].slope,
                None => self.classes[0].slope,
            })
            .collect()
    }
}

/// The eigen-basis quantities of the linear equivalent, shared by [`quenched_covariances`] and
/// [`quenched_spectral_pr`], for the eigen-decomposition of a matrix K scaled by `scale`: the
/// linear equivalent's effective couplings are M = scale·K = J diag(a_i) (K = J and scale = a
/// for one class; K = J diag(a_i) and scale = 1 for several).
pub struct Prepared {
    n: usize,
    /// λ_k, the eigenvalues of K.
    unscaled: Vec<C64>,
    /// ℓ_k = scale·λ_k, the eigenvalues of M.
    lambda: Vec<C64>,
    /// μ_k = 1 − ℓ_k.
    mu: Vec<C64>,
    basis: RealBasis,
    /// P⁻¹.
    p_inv: Vec<f64>,
    /// ‖P‖₁ ‖P⁻¹‖₁, the 1-norm condition number of the real eigenvector basis.
    pub condition: f64,
}

impl Prepared {
    pub fn new(eig: &EigenDecomposition, n: usize, scale: f64) -> Result<Self, String> {
        let unscaled: Vec<C64> = (0..n).map(|k| C64::new(eig.re[k], eig.im[k])).collect();
        let basis = RealBasis::new(eig, n);
        let p_inv = inverse(&basis.p, n)
            .ok_or("the eigenvectors of J are linearly dependent (J is not diagonalisable)")?;
        let condition = norm1(&basis.p, n) * norm1(&p_inv, n);
        let mut pre = Prepared {
            n,
            unscaled,
            lambda: Vec::new(),
            mu: Vec::new(),
            basis,
            p_inv,
            condition,
        };
        pre.set_scale(scale)?;
        Ok(pre)
    }

    /// M = scale·K: its eigenvalues ℓ_k and μ_k = 1 − ℓ_k (the basis does not change). Fails
    /// when the linear equivalent is unstable (some Re μ_k ≤ 0).
    pub fn set_scale(&mut self, scale: f64) -> Result<(), String> {
        self.lambda = self.unscaled.iter().map(|l| l.scale(scale)).collect();
        self.mu = self
            .lambda
            .iter()
            .map(|l| C64::new(1.0 - l.re, -l.im))
            .collect();
        match self.mu.iter().map(|m| m.re).reduce(f64::min) {
            Some(worst) if worst <= 0.0 => Err(format!(
                "the linear-equivalent network is unstable: max Re(⟨φ'⟩λ) over the eigenvalues λ of J is {} ≥ 1",
                1.0 - worst
            )),
            _ => Ok(()),
        }
    }

    /// P⁻¹P⁻ᵀ and PᵀP, for [`quenched_mean_variance`].
    pub fn grams(&self) -> (Vec<f64>, Vec<f64>) {
        let n = self.n;
        let mut w = vec![0.0; n * n];
        gemm_abt_symmetric(&self.p_inv, &self.p_inv, n, n, &mut w);
        let pt = transpose(&self.basis.p, n);
        let mut g = vec![0.0; n * n];
        gemm_abt_symmetric(&pt, &pt, n, n, &mut g);
        (w, g)
    }

    /// W_c = P⁻¹ A⁻¹E_cA⁻¹ P⁻ᵀ = X Xᵀ / a_c², X the columns of P⁻¹ of the units of class c.
    fn class_weight(&self, p: &LinearEquivalent, c: usize) -> Vec<f64> {
        let n = self.n;
        let scale = 1.0 / p.classes[c].slope;
        let mut w = vec![0.0; n * n];
        if p.class_of.is_empty() {
            // One class of all units: X = P⁻¹/a.
            gemm_abt_symmetric(&self.p_inv, &self.p_inv, n, n, &mut w);
            w.iter_mut().for_each(|v| *v *= scale * scale);
            return w;
        }
        let members = p.members(c);
        let m = members.len();
        let mut x = vec![0.0; n * m];
        for (row, out) in self.p_inv.chunks_exact(n).zip(x.chunks_exact_mut(m.max(1))) {
            for (o, &i) in out.iter_mut().zip(&members) {
                *o = scale * row[i];
            }
        }
        if m > 0 {
            gemm_abt_symmetric(&x, &x, n, m, &mut w);
        }
        w
    }

    /// For each pair of blocks (b_i, b_j): the blocks of U (Q^x ∘ W) U† and U (Q^φ ∘ W) U† for
    /// the kernels `q(k, l)` = (Q^x_kl, Q^φ_kl) and W = U⁻¹ `wr` U⁻†.
    fn for_each_block(
        &self,
        wr: &[f64],
        q: impl Fn(usize, usize) -> (C64, C64),
        mut visit: impl FnMut([usize; 2], [usize; 2], [[[C64; 2]; 2]; 2]),
    ) {
        let n = self.n;
        let zero = C64::new(0.0, 0.0);
        for &bi in &self.basis.blocks {
            let (si, ui, ui_inv) = (size(bi), u_block(bi), u_inverse_block(bi));
            for &bj in &self.basis.blocks {
                let (sj, uj, uj_inv) = (size(bj), u_block(bj), u_inverse_block(bj));
                let mut w = [[zero; 2]; 2];
                for (r, row) in w.iter_mut().enumerate().take(si) {
                    for (c, v) in row.iter_mut().enumerate().take(sj) {
                        *v = C64::new(wr[bi[r] * n + bj[c]], 0.0);
                    }
                }
                let w = times_adjoint(&times(&ui_inv, &w, si, si, sj), &uj_inv, si, sj, sj);
                let (mut kx, mut kp) = ([[zero; 2]; 2], [[zero; 2]; 2]);
                for (r, &k) in bi.iter().enumerate().take(si) {
                    for (c, &l) in bj.iter().enumerate().take(sj) {
                        let (qx, qp) = q(k, l);
                        kx[r][c] = qx.mul(w[r][c]);
                        kp[r][c] = qp.mul(w[r][c]);
                    }
                }
                let back =
                    |k: &[[C64; 2]; 2]| times_adjoint(&times(&ui, k, si, si, sj), &uj, si, sj, sj);
                visit(bi, bj, [back(&kx), back(&kp)]);
            }
        }
    }

    /// R += U (Q ∘ W) U† for the kernels `q(k, l)` = (Q^x_kl, Q^φ_kl) and W = U⁻¹ `wr` U⁻†,
    /// block by block; R^x and R^φ as (real, imaginary) parts, the imaginary ones only where
    /// their buffer is not empty.
    fn transform_into(
        &self,
        wr: &[f64],
        q: impl Fn(usize, usize) -> (C64, C64),
        out: &mut [(Vec<f64>, Vec<f64>); 2],
    ) {
        let n = self.n;
        self.for_each_block(wr, q, |bi, bj, ks| {
            for (k, (re, im)) in ks.iter().zip(out.iter_mut()) {
                for (r, &row) in bi.iter().enumerate().take(size(bi)) {
                    for (c, &col) in bj.iter().enumerate().take(size(bj)) {
                        re[row * n + col] += k[r][c].re;
                        if !im.is_empty() {
                            im[row * n + col] += k[r][c].im;
                        }
                    }
                }
            }
        });
    }

    /// Zero accumulators for [`Self::transform_into`], with imaginary parts or without.
    fn zeros(&self, imaginary: bool) -> [(Vec<f64>, Vec<f64>); 2] {
        let n2 = self.n * self.n;
        let im = if imaginary { n2 } else { 0 };
        [
            (vec![0.0; n2], vec![0.0; im]),
            (vec![0.0; n2], vec![0.0; im]),
        ]
    }
}

/// Equal-time covariances (C^x, C^φ), each n × n row-major, of the linear equivalent (see the
/// module doc), summed over the gain classes c with slope a_c and residual C_r,c: with
/// M = J A = V Λ V⁻¹ (A = diag(a_i)), ℓ_k the eigenvalues of M, μ_k = 1 − ℓ_k and
/// W_c = V⁻¹A⁻¹E_cA⁻¹V⁻† (E_c the projector on class c; σ² enters through W = Σ_c a_c² W_c),
///
///   C^x = V [Σ_c (M^c_kl ℓ_kℓ̄_l + a_c²σ²/(μ_k + μ̄_l)) ∘ W_c] V†,
///   C^φ = A V [Σ_c (C_r,c(0) + ℓ_k L_c(μ_k) + ℓ̄_l L_c(μ̄_l) + ℓ_kℓ̄_l M^c_kl + a_c²σ²/(μ_k + μ̄_l)) ∘ W_c] V† A,
///
/// from φ̃ = A x̃ + r̃ and x̃ = (I − SM)⁻¹S(J r̃ + ξ̃), so φ̃ = A(I − SM)⁻¹(A⁻¹r̃ + Sξ̃). One class
/// (A = aI) gives the formulas of the module doc.
///
/// Everything runs in the real basis P of the eigenvectors: W_c = U⁻¹ (P⁻¹A⁻¹E_cA⁻¹P⁻ᵀ) U⁻† and
/// V K V† = P (U K U†) Pᵀ, where U acts within the 1 × 1 and 2 × 2 blocks and U K U† is real
/// symmetric for Hermitian K, so the only O(n³) steps are P⁻¹, the class weights (together one
/// product) and four real products.
pub fn quenched_covariances(pre: &Prepared, p: &LinearEquivalent) -> (Vec<f64>, Vec<f64>) {
    let n = pre.n;
    let (lambda, mu) = (&pre.lambda, &pre.mu);
    let s2 = p.noise_variance;
    // U K U† is real for Hermitian K: no imaginary parts.
    let mut acc = pre.zeros(false);
    for (c, class) in p.classes.iter().enumerate() {
        let lap: Vec<C64> = mu
            .iter()
            .map(|&m| laplace(class.residual, p.dt, m))
            .collect();
        let cr0 = class.residual.first().copied().unwrap_or(0.0);
        let a2s2 = class.slope * class.slope * s2;
        let wr = pre.class_weight(p, c);
        pre.transform_into(
            &wr,
            |k, l| {
                let (m, ll, white) = pair_terms(lambda, mu, &lap, a2s2, k, l);
                let qx = m.mul(ll).add(white);
                let qp = C64::new(cr0, 0.0)
                    .add(lambda[k].mul(lap[k]))
                    .add(lambda[l].conj().mul(lap[l].conj()))
                    .add(ll.mul(m))
                    .add(white);
                (qx, qp)
            },
            &mut acc,
        );
    }
    let [(rx, _), (rp, _)] = acc;
    // P R Pᵀ with R symmetric: (P Rᵀ) Pᵀ on the A Bᵀ kernel.
    let sandwich = |r: &[f64]| -> Vec<f64> {
        let mut pr = vec![0.0; n * n];
        gemm_abt(&pre.basis.p, r, n, n, n, &mut pr);
        let mut out = vec![0.0; n * n];
        gemm_abt_symmetric(&pr, &pre.basis.p, n, n, &mut out);
        out
    };
    let a = p.unit_slopes(n);
    let mut cphi = sandwich(&rp);
    for (i, row) in cphi.chunks_exact_mut(n).enumerate() {
        row.iter_mut().zip(&a).for_each(|(v, aj)| *v *= a[i] * aj);
    }
    (sandwich(&rx), cphi)
}

/// The mean variance tr C^x / n of the linear equivalent with one gain class, from the grams
/// (P⁻¹P⁻ᵀ, PᵀP) of [`Prepared::grams`]: tr C^x = tr(R^x PᵀP) with R^x = U (Q^x ∘ W) U† and
/// W = P⁻¹P⁻ᵀ/a² (R^x is linear in W: the 1/a² is applied to the trace), so each call costs
/// O(n²) (and the n Laplace transforms), not a product.
pub fn quenched_mean_variance(
    pre: &Prepared,
    p: &LinearEquivalent,
    grams: &(Vec<f64>, Vec<f64>),
) -> Result<f64, String> {
    let n = pre.n;
    let class = p.uniform_class()?;
    let (lambda, mu) = (&pre.lambda, &pre.mu);
    let lap: Vec<C64> = mu
        .iter()
        .map(|&m| laplace(class.residual, p.dt, m))
        .collect();
    let a2s2 = class.slope * class.slope * p.noise_variance;
    let gram = &grams.1;
    let mut trace = 0.0;
    let zero = C64::new(0.0, 0.0);
    pre.for_each_block(
        &grams.0,
        |k, l| {
            let (m, ll, white) = pair_terms(lambda, mu, &lap, a2s2, k, l);
            (m.mul(ll).add(white), zero)
        },
        |bi, bj, [kx, _]| {
            for (r, &row) in bi.iter().enumerate().take(size(bi)) {
                for (c, &col) in bj.iter().enumerate().take(size(bj)) {
                    trace += kx[r][c].re * gram[row * n + col];
                }
            }
        },
    );
    Ok(trace / (n as f64 * class.slope * class.slope))
}

/// M_kl = (L(μ_k) + L(μ̄_l))/(μ_k + μ̄_l), ℓ_k ℓ̄_l and a²σ²/(μ_k + μ̄_l), from which the
/// kernels are built: Q^x_kl = M_kl ℓ_k ℓ̄_l + a²σ²/(μ_k + μ̄_l).
fn pair_terms(
    lambda: &[C64],
    mu: &[C64],
    lap: &[C64],
    a2s2: f64,
    k: usize,
    l: usize,
) -> (C64, C64, C64) {
    let den = mu[k].add(mu[l].conj());
    let m = lap[k].add(lap[l].conj()).div(den);
    (
        m,
        lambda[k].mul(lambda[l].conj()),
        C64::new(a2s2, 0.0).div(den),
    )
}

/// Frequency-resolved dimensions: the participation ratios PR(ω)/n = (tr C(ω))² / (n tr C(ω)²)
/// of the cross-spectral matrices of x and φ of the linear equivalent, at each ω of `omega`:
///
///   C^x(ω) = V [Σ_c ((c_c(ω) ℓ_kℓ̄_l + a_c²σ²) e_k ē_l) ∘ W_c] V†,
///   C^φ(ω) = A V [Σ_c ((c_c(ω) + a_c²σ²/(1+ω²)) g_k ḡ_l) ∘ W_c] V† A,
///
/// e_k = 1/(μ_k + iω), g_k = (1 + iω) e_k, c_c(ω) = 2 Re L_c(iω) the spectrum of C_r,c. With
/// R = U K U† = R_r + i R_i and N = PᵀP for x, PᵀA²P for φ, tr C = tr(R_r N) and
/// tr C² = tr((R_r N)²) − tr((R_i N)²): four real products of n × n matrices per frequency, and
/// with several classes their weights (one more product).
pub fn quenched_spectral_pr(
    pre: &Prepared,
    p: &LinearEquivalent,
    omega: &[f64],
) -> (Vec<f64>, Vec<f64>) {
    let n = pre.n;
    let (lambda, mu) = (&pre.lambda, &pre.mu);
    let s2 = p.noise_variance;
    if omega.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let mut pt = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            pt[j * n + i] = pre.basis.p[i * n + j];
        }
    }
    let mut metric_x = vec![0.0; n * n];
    gemm_abt_symmetric(&pt, &pt, n, n, &mut metric_x);
    let a = p.unit_slopes(n);
    let metric_phi = if p.classes.len() == 1 {
        let a2 = a[0] * a[0];
        metric_x.iter().map(|v| a2 * v).collect()
    } else {
        let mut pta = pt.clone();
        for row in pta.chunks_exact_mut(n) {
            row.iter_mut().zip(&a).for_each(|(v, ai)| *v *= ai);
        }
        let mut m = vec![0.0; n * n];
        gemm_abt_symmetric(&pta, &pta, n, n, &mut m);
        m
    };
    let mut product = vec![0.0; n * n];
    // (tr(R_r N), tr((R_r N)²) − tr((R_i N)²)).
    let mut traces = |re: &[f64], im: &[f64], metric: &[f64]| -> (f64, f64) {
        let t1: f64 = re.iter().zip(metric).map(|(x, y)| x * y).sum();
        let mut t2 = 0.0;
        for (part, sign) in [(re, 1.0), (im, -1.0)] {
            gemm_abt(part, metric, n, n, n, &mut product);
            for i in 0..n {
                for j in 0..n {
                    t2 += sign * product[i * n + j] * product[j * n + i];
                }
            }
        }
        (t1, t2)
    };
    let single = (p.classes.len() == 1).then(|| pre.class_weight(p, 0));
    let (mut prx, mut prp) = (Vec::new(), Vec::new());
    for &w in omega {
        let iw = C64::new(0.0, w);
        let e: Vec<C64> = mu
            .iter()
            .map(|&m| C64::new(1.0, 0.0).div(m.add(iw)))
            .collect();
        let g: Vec<C64> = e.iter().map(|&e| e.mul(C64::new(1.0, w))).collect();
        let mut acc = pre.zeros(true);
        for (c, class) in p.classes.iter().enumerate() {
            let spectrum = 2.0 * laplace(class.residual, p.dt, iw).re;
            let a2s2 = class.slope * class.slope * s2;
            let drive_phi = spectrum + a2s2 / (1.0 + w * w);
            let own;
            let wr = match &single {
                Some(wr) => wr,
                None => {
                    own = pre.class_weight(p, c);
                    &own
                }
            };
            pre.transform_into(
                wr,
                |k, l| {
                    let ll = lambda[k].mul(lambda[l].conj());
                    let qx = ll
                        .scale(spectrum)
                        .add(C64::new(a2s2, 0.0))
                        .mul(e[k].mul(e[l].conj()));
                    let qp = g[k].mul(g[l].conj()).scale(drive_phi);
                    (qx, qp)
                },
                &mut acc,
            );
        }
        let [(xr, xi), (pr, pi)] = &acc;
        for (re, im, metric, out) in [
            (xr, xi, &metric_x, &mut prx),
            (pr, pi, &metric_phi, &mut prp),
        ] {
            let (t1, t2) = traces(re, im, metric);
            out.push(t1 * t1 / (n as f64 * t2));
        }
    }
    (prx, prp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::eigvec::eigen_decomposition;
    use crate::linalg::lyapunov::{lyapunov_covariance, lyapunov_solve};
    use crate::linalg::test_matrices::{self, max_relative as max_rel};
    use crate::theory::quenched_lyapunov::shifted_real_form;

    fn gaussian(n: usize, g: f64, seed: u64) -> Vec<f64> {
        test_matrices::gaussian(n, g / (n as f64).sqrt(), seed)
    }

    /// C_r(τ) = A e^{−κτ} sampled at spacing dt up to τ = 60.
    fn exponential_residual(amp: f64, kappa: f64, dt: f64) -> Vec<f64> {
        (0..=(60.0 / dt) as usize)
            .map(|k| amp * (-kappa * k as f64 * dt).exp())
            .collect()
    }

    #[test]
    fn laplace_is_exact_for_piecewise_linear_and_converges_for_exponentials() {
        // C(τ) = 1 − τ on [0, 1]: ∫ (1 − τ) e^{−μτ} = 1/μ − (1 − e^{−μ})/μ².
        let c: Vec<f64> = (0..=10).map(|k| 1.0 - k as f64 / 10.0).collect();
        for mu in [
            C64::new(0.7, 0.0),
            C64::new(0.01, 3.0),
            C64::new(1e-3, 1e-3),
            C64::new(5.0, -2.0),
        ] {
            let one = C64::new(1.0, 0.0);
            let exact = one
                .div(mu)
                .sub(one.sub(mu.scale(-1.0).exp()).div(mu.mul(mu)));
            let got = laplace(&c, 0.1, mu);
            assert!(
                (got.re - exact.re).abs() < 1e-9 && (got.im - exact.im).abs() < 1e-9,
                "{mu:?}: {got:?} vs {exact:?}"
            );
        }
        // A smooth C: error O(dt²).
        let dt = 1e-3;
        let c: Vec<f64> = (0..60_000).map(|k| (-(k as f64) * dt).exp()).collect();
        let mu = C64::new(0.3, 1.2);
        let exact = C64::new(1.0, 0.0).div(mu.add(C64::new(1.0, 0.0)));
        let got = laplace(&c, dt, mu);
        assert!((got.re - exact.re).abs() < 1e-7 && (got.im - exact.im).abs() < 1e-7);
    }

    #[test]
    fn linear_networks_match_the_lyapunov_equation() {
        let n = 60;
        let sigma = 0.7;
        let iid = gaussian(n, 0.8, 1);
        // Low rank plus bulk, and a strongly non-normal (feed-forward chain) matrix.
        let u = gaussian(n, 1.0, 2);
        let mut low = gaussian(n, 0.3, 3);
        for i in 0..n {
            for k in 0..n {
                low[i * n + k] += 0.9 * u[i] * u[k] / n as f64;
            }
        }
        let mut chain = gaussian(n, 0.2, 4);
        for i in 0..n - 1 {
            chain[i * n + i + 1] += 0.6;
        }
        for j in [iid, low, chain] {
            let eig = eigen_decomposition(&j, n).unwrap();
            let p = LinearEquivalent::uniform(1.0, sigma * sigma, &[0.0, 0.0], 0.1);
            let (cx, cphi) = quenched_covariances(&Prepared::new(&eig, n, 1.0).unwrap(), &p);
            let a: Vec<f64> = (0..n * n)
                .map(|k| j[k] - if k % (n + 1) == 0 { 1.0 } else { 0.0 })
                .collect();
            let oracle = lyapunov_covariance(&a, n, sigma).unwrap().c;
            assert!(
                max_rel(&cx, &oracle) < 1e-8,
                "C^x vs Lyapunov: {}",
                max_rel(&cx, &oracle)
            );
            assert!(max_rel(&cphi, &oracle) < 1e-8);
        }
    }

    /// The frequency integrals of the module doc by quadrature (ω = tan θ, composite Simpson), for
    /// C_r(τ) = A e^{−κ|τ|}, against the eigen-basis formulas.
    #[test]
    fn eigen_formulas_equal_the_frequency_integrals() {
        let n = 6;
        let j = gaussian(n, 0.9, 7);
        let (amp, kappa, a, s2) = (0.4, 0.8, 0.7, 0.3);
        let dt = 2e-4;
        let residual = exponential_residual(amp, kappa, dt);
        let eig = eigen_decomposition(&j, n).unwrap();
        let (cx, cphi) = quenched_covariances(
            &Prepared::new(&eig, n, a).unwrap(),
            &LinearEquivalent::uniform(a, s2, &residual, dt),
        );
        let jjt: Vec<f64> = (0..n * n)
            .map(|k| {
                (0..n)
                    .map(|m| j[(k / n) * n + m] * j[(k % n) * n + m])
                    .sum()
            })
            .collect();
        let steps = 20_000;
        let h = std::f64::consts::PI / steps as f64;
        let (mut qx, mut qp) = (vec![0.0; n * n], vec![0.0; n * n]);
        for s in 1..steps {
            let theta = -std::f64::consts::FRAC_PI_2 + s as f64 * h;
            let w = if s % 2 == 1 { 4.0 } else { 2.0 } * h / 3.0 / theta.cos().powi(2);
            let omega = theta.tan();
            let c = amp * 2.0 * kappa / (kappa * kappa + omega * omega);
            let s_abs2 = 1.0 / (1.0 + omega * omega);
            // G = (I − aSJ)⁻¹ = (1 + iω)(I(1 + iω) − aJ)⁻¹, through the real 2n form.
            let m = 2 * n;
            let inv = inverse(&shifted_real_form(&j, n, a, omega), m).unwrap();
            let g = |r: usize, col: usize| {
                C64::new(inv[r * m + col], inv[(n + r) * m + col]).mul(C64::new(1.0, omega))
            };
            for r in 0..n {
                for col in 0..n {
                    let (mut x, mut p) = (C64::new(0.0, 0.0), C64::new(0.0, 0.0));
                    for k in 0..n {
                        for l in 0..n {
                            let gg = g(r, k).mul(g(col, l).conj());
                            let drive = c * jjt[k * n + l] + if k == l { s2 } else { 0.0 };
                            x = x.add(gg.scale(s_abs2 * drive));
                            if k == l {
                                p = p.add(gg.scale(c + a * a * s_abs2 * s2));
                            }
                        }
                    }
                    qx[r * n + col] += w * x.re / (2.0 * std::f64::consts::PI);
                    qp[r * n + col] += w * p.re / (2.0 * std::f64::consts::PI);
                }
            }
        }
        // Simpson's end points θ = ±π/2 (ω = ±∞, G = I): σ² I for C^x and (2Aκ + a²σ²) I for C^φ.
        for r in 0..n {
            qx[r * n + r] += 2.0 * h / 3.0 * s2 / (2.0 * std::f64::consts::PI);
            qp[r * n + r] +=
                2.0 * h / 3.0 * (2.0 * amp * kappa + a * a * s2) / (2.0 * std::f64::consts::PI);
        }
        assert!(max_rel(&cx, &qx) < 1e-8, "C^x: {}", max_rel(&cx, &qx));
        assert!(max_rel(&cphi, &qp) < 1e-8, "C^φ: {}", max_rel(&cphi, &qp));
    }

    /// PR(ω) of C^x(ω) = |S|² G (c JJᵀ + σ²) G† and C^φ(ω) = G (c + a²|S|²σ²) G† built directly
    /// from G = (I − aSJ)⁻¹, for C_r(τ) = A e^{−κ|τ|} (c = 2Aκ/(κ² + ω²)).
    /// PR(ω)/n = (tr C)²/(n tr C C†) of the directly built cross-spectra C^x, C^φ against the
    /// predictor's (PR^x, PR^φ) at ω = `w`, to 1e−9.
    fn assert_spectral_pr(w: f64, got: (f64, f64), cx: &[C64], cp: &[C64], n: usize) {
        let pr = |c: &[C64]| {
            let t1: f64 = (0..n).map(|i| c[i * n + i].re).sum();
            let t2: f64 = c.iter().map(|z| z.re * z.re + z.im * z.im).sum();
            t1 * t1 / (n as f64 * t2)
        };
        for (value, c) in [(got.0, cx), (got.1, cp)] {
            assert!(
                (value - pr(c)).abs() < 1e-9,
                "ω = {w}: {value} vs {}",
                pr(c)
            );
        }
    }

    #[test]
    fn spectral_dimensions_equal_the_direct_cross_spectra() {
        let n = 7;
        let j = gaussian(n, 0.9, 11);
        let (amp, kappa, a, s2) = (0.4, 0.8, 0.7, 0.3);
        let dt = 2e-4;
        let residual = exponential_residual(amp, kappa, dt);
        let eig = eigen_decomposition(&j, n).unwrap();
        let omega = [0.0, 0.3, 1.0, 4.0];
        let p = LinearEquivalent::uniform(a, s2, &residual, dt);
        let (prx, prp) = quenched_spectral_pr(&Prepared::new(&eig, n, a).unwrap(), &p, &omega);
        for (q, &w) in omega.iter().enumerate() {
            let c = amp * 2.0 * kappa / (kappa * kappa + w * w);
            let s_abs2 = 1.0 / (1.0 + w * w);
            let m = 2 * n;
            let inv = inverse(&shifted_real_form(&j, n, a, w), m).unwrap();
            let g = |r: usize, col: usize| {
                C64::new(inv[r * m + col], inv[(n + r) * m + col]).mul(C64::new(1.0, w))
            };
            let (mut cx, mut cp) = (
                vec![C64::new(0.0, 0.0); n * n],
                vec![C64::new(0.0, 0.0); n * n],
            );
            for r in 0..n {
                for col in 0..n {
                    for k in 0..n {
                        for l in 0..n {
                            let jj: f64 = (0..n).map(|t| j[k * n + t] * j[l * n + t]).sum();
                            let drive = c * jj + if k == l { s2 } else { 0.0 };
                            let gg = g(r, k).mul(g(col, l).conj());
                            cx[r * n + col] = cx[r * n + col].add(gg.scale(s_abs2 * drive));
                            if k == l {
                                cp[r * n + col] =
                                    cp[r * n + col].add(gg.scale(c + a * a * s_abs2 * s2));
                            }
                        }
                    }
                }
            }
            assert_spectral_pr(w, (prx[q], prp[q]), &cx, &cp, n);
        }
    }

    /// Three gain classes: slopes a_c and residuals C_r,c(τ) = v_c e^{−κ_c|τ|}.
    struct Classes {
        j: Vec<f64>,
        n: usize,
        slopes: [f64; 3],
        amps: [f64; 3],
        rates: [f64; 3],
        class_of: Vec<u32>,
        residuals: Vec<Vec<f64>>,
    }

    impl Classes {
        fn new(n: usize, dt: f64) -> Self {
            let (amps, rates) = ([0.3, 0.1, 0.5], [0.7, 1.0, 0.4]);
            Classes {
                j: gaussian(n, 0.8, 21),
                n,
                slopes: [0.5, 0.8, 1.1],
                amps,
                rates,
                class_of: (0..n as u32).map(|i| (i * 7 + 1) % 3).collect(),
                residuals: (0..3)
                    .map(|c| exponential_residual(amps[c], rates[c], dt))
                    .collect(),
            }
        }

        fn equivalent(&self, s2: f64, dt: f64) -> LinearEquivalent<'_> {
            LinearEquivalent {
                classes: (0..3)
                    .map(|c| GainClass {
                        slope: self.slopes[c],
                        residual: &self.residuals[c],
                    })
                    .collect(),
                class_of: &self.class_of,
                noise_variance: s2,
                dt,
            }
        }

        fn unit(&self, i: usize, of: [f64; 3]) -> f64 {
            of[self.class_of[i] as usize]
        }

        /// M = J diag(a_i).
        fn m(&self) -> Vec<f64> {
            let n = self.n;
            (0..n * n)
                .map(|k| self.j[k] * self.unit(k % n, self.slopes))
                .collect()
        }

        fn prepared(&self) -> Prepared {
            Prepared::new(
                &eigen_decomposition(&self.m(), self.n).unwrap(),
                self.n,
                1.0,
            )
            .unwrap()
        }
    }

    /// Several gain classes against an independent oracle: each residual r_i is an
    /// Ornstein–Uhlenbeck process (rate κ_c, variance v_c), so (x, r) is a linear system driven by
    /// white noise, dx = (−x + J(Ax + r))dt + σdW, dr = −Kr dt + √(2Kv) dW', whose stationary
    /// covariance solves a 2n × 2n Lyapunov equation; C^φ = A C^x A + A C^{xr} + C^{rx} A + C^{rr}.
    #[test]
    fn gain_classes_match_the_lyapunov_equation_of_the_ou_extended_system() {
        let (n, dt, s2) = (12, 2e-4, 0.3);
        let cl = Classes::new(n, dt);
        let (cx, cphi) = quenched_covariances(&cl.prepared(), &cl.equivalent(s2, dt));
        let m2 = 2 * n;
        let mut f = vec![0.0; m2 * m2];
        let mut q = vec![0.0; m2 * m2];
        let a: Vec<f64> = (0..n).map(|i| cl.unit(i, cl.slopes)).collect();
        for i in 0..n {
            for k in 0..n {
                f[i * m2 + k] = cl.j[i * n + k] * a[k];
                f[i * m2 + n + k] = cl.j[i * n + k];
            }
            f[i * m2 + i] -= 1.0;
            let kappa = cl.unit(i, cl.rates);
            f[(n + i) * m2 + n + i] = -kappa;
            q[i * m2 + i] = s2;
            q[(n + i) * m2 + n + i] = 2.0 * kappa * cl.unit(i, cl.amps);
        }
        let c = lyapunov_solve(&f, m2, &q).unwrap().c;
        let at = |r: usize, col: usize| c[r * m2 + col];
        let ox: Vec<f64> = (0..n * n).map(|k| at(k / n, k % n)).collect();
        let op: Vec<f64> = (0..n * n)
            .map(|k| {
                let (r, col) = (k / n, k % n);
                a[r] * a[col] * at(r, col)
                    + a[r] * at(r, n + col)
                    + at(n + r, col) * a[col]
                    + at(n + r, n + col)
            })
            .collect();
        assert!(max_rel(&cx, &ox) < 1e-8, "C^x: {}", max_rel(&cx, &ox));
        assert!(max_rel(&cphi, &op) < 1e-8, "C^φ: {}", max_rel(&cphi, &op));
    }

    /// PR(ω) with several gain classes against the cross-spectra built from G = (I − SJA)⁻¹:
    /// C^x(ω) = |S|² G (J R Jᵀ + σ²) G† and C^φ(ω) = A G (A⁻¹RA⁻¹ + |S|²σ²) G† A, R = diag(c_c(ω)).
    #[test]
    fn gain_classes_give_the_direct_frequency_resolved_dimensions() {
        let (n, dt, s2) = (9, 2e-4, 0.3);
        let cl = Classes::new(n, dt);
        let omega = [0.0, 0.5, 2.0];
        let (prx, prp) = quenched_spectral_pr(&cl.prepared(), &cl.equivalent(s2, dt), &omega);
        let a: Vec<f64> = (0..n).map(|i| cl.unit(i, cl.slopes)).collect();
        let m = cl.m();
        for (q, &w) in omega.iter().enumerate() {
            let r: Vec<f64> = (0..n)
                .map(|i| {
                    let (v, k) = (cl.unit(i, cl.amps), cl.unit(i, cl.rates));
                    2.0 * v * k / (k * k + w * w)
                })
                .collect();
            let s_abs2 = 1.0 / (1.0 + w * w);
            let inv = inverse(&shifted_real_form(&m, n, 1.0, w), 2 * n).unwrap();
            let g = |row: usize, col: usize| {
                C64::new(inv[row * 2 * n + col], inv[(n + row) * 2 * n + col]).mul(C64::new(1.0, w))
            };
            let zero = C64::new(0.0, 0.0);
            let (mut cx, mut cp) = (vec![zero; n * n], vec![zero; n * n]);
            for row in 0..n {
                for col in 0..n {
                    for k in 0..n {
                        for l in 0..n {
                            let jrj: f64 = (0..n)
                                .map(|t| cl.j[k * n + t] * r[t] * cl.j[l * n + t])
                                .sum();
                            let white = if k == l { s2 } else { 0.0 };
                            let gg = g(row, k).mul(g(col, l).conj());
                            cx[row * n + col] =
                                cx[row * n + col].add(gg.scale(s_abs2 * (jrj + white)));
                            if k == l {
                                let drive = r[k] / (a[k] * a[k]) + s_abs2 * s2;
                                cp[row * n + col] =
                                    cp[row * n + col].add(gg.scale(drive * a[row] * a[col]));
                            }
                        }
                    }
                }
            }
            assert_spectral_pr(w, (prx[q], prp[q]), &cx, &cp, n);
        }
    }

    /// One class through the class machinery (K = J diag(a), scale 1, every unit in class 0 of
    /// three) equals the one-class path (K = J, scale a).
    #[test]
    fn equal_classes_reduce_to_the_uniform_formulas() {
        let (n, dt, s2, a) = (15, 0.01, 0.4, 0.7);
        let j = gaussian(n, 1.0, 8);
        let residual = exponential_residual(0.3, 0.9, dt);
        let uniform = LinearEquivalent::uniform(a, s2, &residual, dt);
        let pre = Prepared::new(&eigen_decomposition(&j, n).unwrap(), n, a).unwrap();
        let (ux, up) = quenched_covariances(&pre, &uniform);
        let (usx, usp) = quenched_spectral_pr(&pre, &uniform, &[0.4]);
        let class_of: Vec<u32> = (0..n as u32).map(|i| i % 3).collect();
        let classes = LinearEquivalent {
            classes: (0..3)
                .map(|_| GainClass {
                    slope: a,
                    residual: &residual,
                })
                .collect(),
            class_of: &class_of,
            noise_variance: s2,
            dt,
        };
        let m: Vec<f64> = j.iter().map(|v| a * v).collect();
        let pre = Prepared::new(&eigen_decomposition(&m, n).unwrap(), n, 1.0).unwrap();
        let (cx, cp) = quenched_covariances(&pre, &classes);
        let (sx, sp) = quenched_spectral_pr(&pre, &classes, &[0.4]);
        assert!(max_rel(&cx, &ux) < 1e-10 && max_rel(&cp, &up) < 1e-10);
        assert!(max_rel(&sx, &usx) < 1e-10 && max_rel(&sp, &usp) < 1e-10);
    }

    #[test]
    fn an_unstable_linear_equivalent_is_an_error() {
        let n = 20;
        let j = gaussian(n, 3.0, 5);
        let eig = eigen_decomposition(&j, n).unwrap();
        let err = Prepared::new(&eig, n, 1.0).err().unwrap();
        assert!(err.contains("unstable"), "{err}");
    }

    #[test]
    #[ignore = "timing; run with --ignored --nocapture"]
    fn timing_n_1000() {
        let n = 1000;
        let j = gaussian(n, 0.9, 9);
        let start = std::time::Instant::now();
        let eig = eigen_decomposition(&j, n).unwrap();
        let t_eig = start.elapsed();
        let residual: Vec<f64> = (0..400).map(|k| (-0.05 * k as f64).exp()).collect();
        let p = LinearEquivalent::uniform(0.8, 1.0, &residual, 0.05);
        let start = std::time::Instant::now();
        let pre = Prepared::new(&eig, n, p.classes[0].slope).unwrap();
        quenched_covariances(&pre, &p);
        eprintln!(
            "n = {n}: eigen {t_eig:.2?}, covariances {:.2?}, condition {:.3e}",
            start.elapsed(),
            pre.condition
        );
    }
}
