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
//! (Gauss–Jordan, ≈ 2 n³) and five real products of n × n matrices on the SIMD kernel (2 n³
//! each); memory about 12 n² f64. The error grows like ε κ(P)²: for ill-conditioned
//! eigenvectors [`super::quenched_lyapunov`] needs none.

use crate::kernels::gemm_abt;
use crate::linalg::eigvec::EigenDecomposition;
use crate::linalg::inverse::inverse;

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
    fn new(eig: &EigenDecomposition, n: usize) -> Result<Self, String> {
        let mut p = vec![0.0; n * n];
        let mut blocks = Vec::new();
        let mut done = vec![false; n];
        for k in 0..n {
            if done[k] {
                continue;
            }
            let partner = if eig.im[k] == 0.0 {
                k
            } else {
                (k + 1..n)
                    .find(|&j| !done[j] && eig.re[j] == eig.re[k] && eig.im[j] == -eig.im[k])
                    .ok_or("J: a complex eigenvalue has no conjugate partner")?
            };
            done[partner] = true;
            for i in 0..n {
                p[i * n + k] = eig.v_re[i * n + k];
                if partner != k {
                    p[i * n + partner] = eig.v_im[i * n + k];
                }
            }
            blocks.push([k, partner]);
        }
        Ok(RealBasis { p, blocks })
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

/// Inputs of [`quenched_covariances`] besides the eigen-decomposition of J.
pub struct LinearEquivalent<'a> {
    /// DMFT slope a = ⟨φ'⟩.
    pub slope: f64,
    /// Noise intensity σ².
    pub noise_variance: f64,
    /// C_r(τ) at τ = 0, dt, 2dt, … (decayed to ≈ 0 at the end).
    pub residual: &'a [f64],
    pub dt: f64,
}

/// The eigen-basis quantities of the linear equivalent at slope a, shared by
/// [`quenched_covariances`] and [`quenched_spectral_pr`].
pub struct Prepared {
    n: usize,
    lambda: Vec<C64>,
    /// μ_k = 1 − aλ_k.
    mu: Vec<C64>,
    basis: RealBasis,
    /// P⁻¹P⁻ᵀ.
    wr: Vec<f64>,
    /// ‖P‖₁ ‖P⁻¹‖₁, the 1-norm condition number of the real eigenvector basis.
    pub condition: f64,
}

impl Prepared {
    pub fn new(eig: &EigenDecomposition, n: usize, slope: f64) -> Result<Self, String> {
        let lambda: Vec<C64> = (0..n).map(|k| C64::new(eig.re[k], eig.im[k])).collect();
        let mu: Vec<C64> = lambda
            .iter()
            .map(|l| C64::new(1.0 - slope * l.re, -slope * l.im))
            .collect();
        if let Some(worst) = mu.iter().map(|m| m.re).reduce(f64::min) {
            if worst <= 0.0 {
                return Err(format!(
                    "the linear-equivalent network is unstable: max Re(⟨φ'⟩λ) over the eigenvalues λ of J is {} ≥ 1",
                    1.0 - worst
                ));
            }
        }
        let basis = RealBasis::new(eig, n)?;
        let p_inv = inverse(&basis.p, n)
            .ok_or("the eigenvectors of J are linearly dependent (J is not diagonalisable)")?;
        let mut wr = vec![0.0; n * n];
        gemm_abt(&p_inv, &p_inv, n, n, n, &mut wr);
        let condition = norm1(&basis.p, n) * norm1(&p_inv, n);
        Ok(Prepared {
            n,
            lambda,
            mu,
            basis,
            wr,
            condition,
        })
    }

    /// R = U (Q ∘ W) U† for the kernels `q(k, l)` = (Q^x_kl, Q^φ_kl), W = U⁻¹ (P⁻¹P⁻ᵀ) U⁻†,
    /// block by block; returns (R^x, R^φ) as (real, imaginary) parts.
    fn transformed(&self, q: impl Fn(usize, usize) -> (C64, C64)) -> [(Vec<f64>, Vec<f64>); 2] {
        let n = self.n;
        let zero = C64::new(0.0, 0.0);
        let mut out = [
            (vec![0.0; n * n], vec![0.0; n * n]),
            (vec![0.0; n * n], vec![0.0; n * n]),
        ];
        for &bi in &self.basis.blocks {
            let (si, ui, ui_inv) = (size(bi), u_block(bi), u_inverse_block(bi));
            for &bj in &self.basis.blocks {
                let (sj, uj, uj_inv) = (size(bj), u_block(bj), u_inverse_block(bj));
                let mut w = [[zero; 2]; 2];
                for (r, row) in w.iter_mut().enumerate().take(si) {
                    for (c, v) in row.iter_mut().enumerate().take(sj) {
                        *v = C64::new(self.wr[bi[r] * n + bj[c]], 0.0);
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
                for (k, (re, im)) in [kx, kp].iter().zip(out.iter_mut()) {
                    let k = times_adjoint(&times(&ui, k, si, si, sj), &uj, si, sj, sj);
                    for (r, &row) in bi.iter().enumerate().take(si) {
                        for (c, &col) in bj.iter().enumerate().take(sj) {
                            re[row * n + col] = k[r][c].re;
                            im[row * n + col] = k[r][c].im;
                        }
                    }
                }
            }
        }
        out
    }
}

/// Equal-time covariances (C^x, C^φ), each n × n row-major, of the linear equivalent of the
/// network with couplings of eigen-decomposition `eig` (see the module doc).
///
/// Everything runs in the real basis P of the eigenvectors: W = U⁻¹ (P⁻¹P⁻ᵀ) U⁻† and
/// V K V† = P (U K U†) Pᵀ, where U acts within the 1 × 1 and 2 × 2 blocks and U K U† is real
/// symmetric for Hermitian K, so the only O(n³) steps are P⁻¹ and five real products.
pub fn quenched_covariances(pre: &Prepared, p: &LinearEquivalent) -> (Vec<f64>, Vec<f64>) {
    let n = pre.n;
    let (lambda, mu) = (&pre.lambda, &pre.mu);
    let lap: Vec<C64> = mu.iter().map(|&m| laplace(p.residual, p.dt, m)).collect();
    let (a, s2) = (p.slope, p.noise_variance);
    let cr0 = p.residual.first().copied().unwrap_or(0.0);
    let [(rx, _), (rp, _)] = pre.transformed(|k, l| {
        let den = mu[k].add(mu[l].conj());
        let m = lap[k].add(lap[l].conj()).div(den);
        let ll = lambda[k].mul(lambda[l].conj());
        let white = C64::new(s2, 0.0).div(den);
        let qx = m.mul(ll).add(white);
        let qp = C64::new(cr0, 0.0)
            .add(lambda[k].mul(lap[k]).scale(a))
            .add(lambda[l].conj().mul(lap[l].conj()).scale(a))
            .add(ll.mul(m).scale(a * a))
            .add(white.scale(a * a));
        (qx, qp)
    });
    // P R Pᵀ with R symmetric: (P Rᵀ) Pᵀ on the A Bᵀ kernel.
    let sandwich = |r: &[f64]| -> Vec<f64> {
        let mut pr = vec![0.0; n * n];
        gemm_abt(&pre.basis.p, r, n, n, n, &mut pr);
        let mut out = vec![0.0; n * n];
        gemm_abt(&pr, &pre.basis.p, n, n, n, &mut out);
        // Symmetrise away round-off.
        for i in 0..n {
            for j in 0..i {
                let s = 0.5 * (out[i * n + j] + out[j * n + i]);
                out[i * n + j] = s;
                out[j * n + i] = s;
            }
        }
        out
    };
    (sandwich(&rx), sandwich(&rp))
}

/// Frequency-resolved dimensions: the participation ratios PR(ω)/n = (tr C(ω))² / (n tr C(ω)²)
/// of the cross-spectral matrices of x and φ of the linear equivalent, at each ω of `omega`:
///
///   C^x(ω) = V [((c(ω) λ_kλ̄_l + σ²) e_k ē_l) ∘ W] V†,   C^φ(ω) = V [((c(ω) + a²σ²/(1+ω²)) g_k ḡ_l) ∘ W] V†,
///
/// e_k = 1/(μ_k + iω), g_k = (1 + iω) e_k, c(ω) = 2 Re L(iω) the spectrum of C_r. With
/// R = U K U† = R_r + i R_i and M = PᵀP, tr C = tr(R_r M) and tr C² = tr((R_r M)²) − tr((R_i M)²):
/// four real products of n × n matrices per frequency.
pub fn quenched_spectral_pr(
    pre: &Prepared,
    p: &LinearEquivalent,
    omega: &[f64],
) -> (Vec<f64>, Vec<f64>) {
    let n = pre.n;
    let (lambda, mu) = (&pre.lambda, &pre.mu);
    let (a, s2) = (p.slope, p.noise_variance);
    let mut pt = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            pt[j * n + i] = pre.basis.p[i * n + j];
        }
    }
    let mut m = vec![0.0; n * n];
    gemm_abt(&pt, &pt, n, n, n, &mut m);
    let mut product = vec![0.0; n * n];
    // (tr(R_r M), tr((R_r M)²) − tr((R_i M)²)).
    let mut traces = |re: &[f64], im: &[f64]| -> (f64, f64) {
        let t1: f64 = re.iter().zip(&m).map(|(x, y)| x * y).sum();
        let mut t2 = 0.0;
        for (part, sign) in [(re, 1.0), (im, -1.0)] {
            gemm_abt(part, &m, n, n, n, &mut product);
            for i in 0..n {
                for j in 0..n {
                    t2 += sign * product[i * n + j] * product[j * n + i];
                }
            }
        }
        (t1, t2)
    };
    let (mut prx, mut prp) = (Vec::new(), Vec::new());
    for &w in omega {
        let iw = C64::new(0.0, w);
        let c = 2.0 * laplace(p.residual, p.dt, iw).re;
        let e: Vec<C64> = mu
            .iter()
            .map(|&m| C64::new(1.0, 0.0).div(m.add(iw)))
            .collect();
        let g: Vec<C64> = e.iter().map(|&e| e.mul(C64::new(1.0, w))).collect();
        let drive_phi = c + a * a * s2 / (1.0 + w * w);
        let [(xr, xi), (pr, pi)] = pre.transformed(|k, l| {
            let ll = lambda[k].mul(lambda[l].conj());
            let qx = ll
                .scale(c)
                .add(C64::new(s2, 0.0))
                .mul(e[k].mul(e[l].conj()));
            let qp = g[k].mul(g[l].conj()).scale(drive_phi);
            (qx, qp)
        });
        for ((re, im), out) in
            [(&xr, &xi, &mut prx), (&pr, &pi, &mut prp)].map(|(a, b, c)| ((a, b), c))
        {
            let (t1, t2) = traces(re, im);
            out.push(t1 * t1 / (n as f64 * t2));
        }
    }
    (prx, prp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::eigvec::eigen_decomposition;
    use crate::linalg::lyapunov::lyapunov_covariance;
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
            let p = LinearEquivalent {
                slope: 1.0,
                noise_variance: sigma * sigma,
                residual: &[0.0, 0.0],
                dt: 0.1,
            };
            let (cx, cphi) = quenched_covariances(&Prepared::new(&eig, n, p.slope).unwrap(), &p);
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
            &LinearEquivalent {
                slope: a,
                noise_variance: s2,
                residual: &residual,
                dt,
            },
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
    #[test]
    fn spectral_dimensions_equal_the_direct_cross_spectra() {
        let n = 7;
        let j = gaussian(n, 0.9, 11);
        let (amp, kappa, a, s2) = (0.4, 0.8, 0.7, 0.3);
        let dt = 2e-4;
        let residual = exponential_residual(amp, kappa, dt);
        let eig = eigen_decomposition(&j, n).unwrap();
        let omega = [0.0, 0.3, 1.0, 4.0];
        let p = LinearEquivalent {
            slope: a,
            noise_variance: s2,
            residual: &residual,
            dt,
        };
        let (prx, prp) = quenched_spectral_pr(&Prepared::new(&eig, n, a).unwrap(), &p, &omega);
        let pr = |c: &[C64]| {
            let t1: f64 = (0..n).map(|i| c[i * n + i].re).sum();
            let t2: f64 = c.iter().map(|z| z.re * z.re + z.im * z.im).sum();
            t1 * t1 / (n as f64 * t2)
        };
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
            assert!(
                (prx[q] - pr(&cx)).abs() < 1e-9,
                "ω = {w}: {} vs {}",
                prx[q],
                pr(&cx)
            );
            assert!(
                (prp[q] - pr(&cp)).abs() < 1e-9,
                "ω = {w}: {} vs {}",
                prp[q],
                pr(&cp)
            );
        }
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
        let p = LinearEquivalent {
            slope: 0.8,
            noise_variance: 1.0,
            residual: &residual,
            dt: 0.05,
        };
        let start = std::time::Instant::now();
        let pre = Prepared::new(&eig, n, p.slope).unwrap();
        quenched_covariances(&pre, &p);
        eprintln!(
            "n = {n}: eigen {t_eig:.2?}, covariances {:.2?}, condition {:.3e}",
            start.elapsed(),
            pre.condition
        );
    }
}
