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
//! Cost: the eigen-decomposition (≈ 25 n³ flops), V⁻¹ by Gauss–Jordan on the real 2n × 2n form of
//! V (≈ 16 n³), and five complex products of n × n matrices on the SIMD kernel (20 real products of
//! 2 n³ flops each); memory about 12 n² f64.

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

/// A complex n × n matrix, row-major, as real and imaginary parts.
struct CMatrix {
    re: Vec<f64>,
    im: Vec<f64>,
}

/// A Bᵀ (no conjugation) on the real SIMD kernel: four real products.
fn product_abt(a: &CMatrix, b: &CMatrix, n: usize) -> CMatrix {
    let mut rr = vec![0.0; n * n];
    let mut ii = vec![0.0; n * n];
    let mut ri = vec![0.0; n * n];
    let mut ir = vec![0.0; n * n];
    gemm_abt(&a.re, &b.re, n, n, n, &mut rr);
    gemm_abt(&a.im, &b.im, n, n, n, &mut ii);
    gemm_abt(&a.re, &b.im, n, n, n, &mut ri);
    gemm_abt(&a.im, &b.re, n, n, n, &mut ir);
    for (r, i) in rr.iter_mut().zip(&ii) {
        *r -= i;
    }
    for (x, y) in ri.iter_mut().zip(&ir) {
        *x += y;
    }
    CMatrix { re: rr, im: ri }
}

fn conjugate(a: &CMatrix) -> CMatrix {
    CMatrix {
        re: a.re.clone(),
        im: a.im.iter().map(|v| -v).collect(),
    }
}

/// V⁻¹ from the real form [[Re V, −Im V], [Im V, Re V]] of V.
fn complex_inverse(v: &CMatrix, n: usize) -> Option<CMatrix> {
    let m = 2 * n;
    let mut real = vec![0.0; m * m];
    for i in 0..n {
        for j in 0..n {
            let (r, im) = (v.re[i * n + j], v.im[i * n + j]);
            real[i * m + j] = r;
            real[i * m + n + j] = -im;
            real[(n + i) * m + j] = im;
            real[(n + i) * m + n + j] = r;
        }
    }
    let inv = inverse(&real, m)?;
    let mut out = CMatrix {
        re: vec![0.0; n * n],
        im: vec![0.0; n * n],
    };
    for i in 0..n {
        for j in 0..n {
            out.re[i * n + j] = inv[i * m + j];
            out.im[i * n + j] = inv[(n + i) * m + j];
        }
    }
    Some(out)
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

/// Equal-time covariances (C^x, C^φ), each n × n row-major, of the linear equivalent of the
/// network with couplings of eigen-decomposition `eig` (see the module doc).
pub fn quenched_covariances(
    eig: &EigenDecomposition,
    n: usize,
    p: &LinearEquivalent,
) -> Result<(Vec<f64>, Vec<f64>), String> {
    let lambda: Vec<C64> = (0..n).map(|k| C64::new(eig.re[k], eig.im[k])).collect();
    let mu: Vec<C64> = lambda
        .iter()
        .map(|l| C64::new(1.0 - p.slope * l.re, -p.slope * l.im))
        .collect();
    if let Some(worst) = mu.iter().map(|m| m.re).reduce(f64::min) {
        if worst <= 0.0 {
            return Err(format!(
                "the linear-equivalent network is unstable: max Re(⟨φ'⟩λ) over the eigenvalues λ of J is {} ≥ 1",
                1.0 - worst
            ));
        }
    }
    let lap: Vec<C64> = mu.iter().map(|&m| laplace(p.residual, p.dt, m)).collect();
    let v = CMatrix {
        re: eig.v_re.clone(),
        im: eig.v_im.clone(),
    };
    let vinv = complex_inverse(&v, n)
        .ok_or("the eigenvectors of J are linearly dependent (J is not diagonalisable)")?;
    // W = V⁻¹ V⁻† = V⁻¹ (conj V⁻¹)ᵀ.
    let w = product_abt(&vinv, &conjugate(&vinv), n);
    let a = p.slope;
    let s2 = p.noise_variance;
    let cr0 = p.residual.first().copied().unwrap_or(0.0);
    let mut kx = CMatrix {
        re: vec![0.0; n * n],
        im: vec![0.0; n * n],
    };
    let mut kp = CMatrix {
        re: vec![0.0; n * n],
        im: vec![0.0; n * n],
    };
    for k in 0..n {
        for l in 0..n {
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
            let wkl = C64::new(w.re[k * n + l], w.im[k * n + l]);
            let (x, y) = (qx.mul(wkl), qp.mul(wkl));
            kx.re[k * n + l] = x.re;
            kx.im[k * n + l] = x.im;
            kp.re[k * n + l] = y.re;
            kp.im[k * n + l] = y.im;
        }
    }
    // V K V† = (V (Kᵀ)ᵀ) (conj V)ᵀ; K is Hermitian, so Kᵀ = conj K.
    let vc = conjugate(&v);
    let sandwich = |k: &CMatrix| -> Vec<f64> {
        let vk = product_abt(&v, &conjugate(k), n);
        let full = product_abt(&vk, &vc, n);
        // Symmetrise away round-off; the imaginary part is round-off too.
        let mut out = full.re;
        for i in 0..n {
            for j in 0..i {
                let s = 0.5 * (out[i * n + j] + out[j * n + i]);
                out[i * n + j] = s;
                out[j * n + i] = s;
            }
        }
        out
    };
    Ok((sandwich(&kx), sandwich(&kp)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::eigvec::eigen_decomposition;
    use crate::linalg::lyapunov::lyapunov_covariance;
    use crate::rng::{fill_normal, seeded};

    fn gaussian(n: usize, g: f64, seed: u64) -> Vec<f64> {
        let mut j = vec![0.0; n * n];
        fill_normal(&mut seeded(seed), g / (n as f64).sqrt(), &mut j);
        j
    }

    fn max_rel(a: &[f64], b: &[f64]) -> f64 {
        let scale = b.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        a.iter()
            .zip(b)
            .fold(0.0f64, |m, (x, y)| m.max((x - y).abs()))
            / scale
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
            let (cx, cphi) = quenched_covariances(&eig, n, &p).unwrap();
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
        let residual: Vec<f64> = (0..=(60.0 / dt) as usize)
            .map(|k| amp * (-kappa * k as f64 * dt).exp())
            .collect();
        let eig = eigen_decomposition(&j, n).unwrap();
        let (cx, cphi) = quenched_covariances(
            &eig,
            n,
            &LinearEquivalent {
                slope: a,
                noise_variance: s2,
                residual: &residual,
                dt,
            },
        )
        .unwrap();
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
            let mut real = vec![0.0; m * m];
            for r in 0..n {
                for col in 0..n {
                    let re = if r == col { 1.0 } else { 0.0 } - a * j[r * n + col];
                    let im = if r == col { omega } else { 0.0 };
                    real[r * m + col] = re;
                    real[r * m + n + col] = -im;
                    real[(n + r) * m + col] = im;
                    real[(n + r) * m + n + col] = re;
                }
            }
            let inv = inverse(&real, m).unwrap();
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

    #[test]
    fn an_unstable_linear_equivalent_is_an_error() {
        let n = 20;
        let j = gaussian(n, 3.0, 5);
        let eig = eigen_decomposition(&j, n).unwrap();
        let err = quenched_covariances(
            &eig,
            n,
            &LinearEquivalent {
                slope: 1.0,
                noise_variance: 1.0,
                residual: &[0.0],
                dt: 0.1,
            },
        )
        .unwrap_err();
        assert!(err.contains("unstable"), "{err}");
    }
}
