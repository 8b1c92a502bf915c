//! Two-site-cavity theory of the dimension (participation ratio) of activity, continuous time.
//!
//! At large N, PR^a/N = C^a(0)² / (C^a(0)² + ψ^a(0,0)) for a ∈ {x, φ}, with
//! ψ^a(0,0) = ∫∫ dω₁dω₂/(2π)² ψ^a(ω₁,ω₂). With X = (1+iω₁)(1+iω₂) and ν = (g⟨φ'⟩)²:
//!
//! * iid couplings, X/ν form (Clark, Abbott & Litwin-Kumar, PRL 131, 118401 (2023), Eqs. 3, 4, 25):
//!   ψ^φ = [|X|²/|X−ν|² − 1] C^φC^φ,  ψ^x = [(2|X|² − ν²)/|X−ν|² − 1] C^xC^x;
//! * iid couplings, U/M form (same paper): ψ^φ = (M − 1) C^φC^φ, M = 1/|1 − g²S^φS^φ|²,
//!   ψ^x = |U|² C^φC^φ + 2 Re U C^{xφ}C^{xφ}, U = g²S^xS^x/(1 − g²S^φS^φ), S^x = 1/(1+iω),
//!   S^φ = ⟨φ'⟩S^x, C^{xφ} = ⟨φ'⟩C^x; equal to the X/ν form when C^x = g²C^φ/(1+ω²);
//! * random-mode couplings without overlaps, γ = N/PR^D (our derivation, not a published result):
//!   ψ^φ gains γν²/|X−ν|² C^φC^φ and ψ^x gains γ|X|²/|X−ν|² C^xC^x, so that
//!   N/PR^a = N/PR^a_iid + κ^a γ with κ^φ = ∫∫ ν²/|X−ν|² C^φC^φ / C^φ(0)² and
//!   κ^x = ∫∫ |X|²/|X−ν|² C^xC^x / C^x(0)².
//!
//! Every bracket is a combination of K₁ = Re X/|X−ν|², K₂ = 1/|X−ν|² and the constant 1, whose
//! integral against C C is exactly C(0)² (so it is taken from the lag data, not the grid).
//! The double integral uses a product grid ω = a sinh(u) with uniform steps in u on both axes:
//! the integrand is analytic, even under (ω₁,ω₂) → (−ω₁,−ω₂) (used to halve the work), and
//! |X − ν| is smallest, (1−ν), at the origin, with a ridge of width ≈ 1 − ν/(1+ω₁²) along
//! ω₂ ≈ −νω₁/(1+ω₁²), so a ≈ (1−ν)/2 concentrates nodes there. The step is halved until the
//! estimate on the nested grid of twice the step agrees to a relative tolerance.

use super::lag_spectrum::LagSpectrum;
use std::f64::consts::PI;

/// Largest frequency kept by the grid; the discarded tail of the integrand decays at least as
/// |ω|⁻³ (for kinked lag functions), so it contributes below ~1e−12 relative.
const OMEGA_MAX: f64 = 1e6;
/// Relative agreement required between the grid and its nested half-resolution grid.
const TOLERANCE: f64 = 1e-10;
/// Initial step in u, and the number of allowed halvings.
const STEP0: f64 = 0.2;
const MAX_HALVINGS: usize = 6;

/// Input of [`dimension`]: DMFT lag functions on τ_j = j·dt.
#[derive(Clone, Copy, Debug)]
pub struct DimensionInput<'a> {
    /// Lag step.
    pub dt: f64,
    /// C^x(τ_j), even, decayed at the end.
    pub cx: &'a [f64],
    /// C^φ(τ_j), even, decayed at the end.
    pub cphi: &'a [f64],
    /// ν = (g⟨φ'⟩)² ∈ [0, 1).
    pub nu: f64,
}

/// Integration diagnostics.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Diagnostics {
    /// Grid nodes on the half axis ω ≥ 0 (the full axis has 2·nodes − 1).
    pub nodes: usize,
    /// Kernel evaluations of the final pass.
    pub evaluations: usize,
    /// Step in u of the sinh map ω = a sinh(u).
    pub step: f64,
    /// Scale a of the sinh map.
    pub scale: f64,
    /// Largest frequency on the grid.
    pub omega_max: f64,
    /// Largest relative difference (over N/PR^x, N/PR^φ, κ^x, κ^φ) from the nested grid of twice
    /// the step: an upper estimate of the integration error.
    pub error_estimate: f64,
    /// Number of step halvings performed.
    pub halvings: usize,
}

/// Result of [`dimension`] (iid values and the random-mode slopes κ).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dimension {
    /// C^x(0), C^φ(0).
    pub cx0: f64,
    pub cphi0: f64,
    /// ψ^x(0,0), ψ^φ(0,0) for iid couplings.
    pub psi_x: f64,
    pub psi_phi: f64,
    /// κ^x, κ^φ of N/PR^a = N/PR^a_iid + κ^a γ.
    pub kappa_x: f64,
    pub kappa_phi: f64,
    pub diagnostics: Diagnostics,
}

impl Dimension {
    /// PR^x/N at γ = N/PR^D (γ = 0: iid).
    pub fn pr_x(&self, gamma: f64) -> f64 {
        1.0 / (1.0 + self.psi_x / (self.cx0 * self.cx0) + self.kappa_x * gamma)
    }

    /// PR^φ/N at γ = N/PR^D (γ = 0: iid).
    pub fn pr_phi(&self, gamma: f64) -> f64 {
        1.0 / (1.0 + self.psi_phi / (self.cphi0 * self.cphi0) + self.kappa_phi * gamma)
    }
}

/// The sinh-mapped half-axis grid: nodes ω_k = a sinh(k h), trapezoid weights a h cosh(k h).
struct Grid {
    omega: Vec<f64>,
    weight: Vec<f64>,
    scale: f64,
    step: f64,
}

impl Grid {
    fn new(nu: f64, step: f64) -> Grid {
        let scale = (0.5 * (1.0 - nu)).max(1e-8);
        let umax = (OMEGA_MAX / scale).asinh();
        let k = (umax / step).ceil() as usize;
        // Even k so that the nested grid of step 2h ends on the same node.
        let k = k + k % 2;
        let omega = (0..=k).map(|j| scale * (j as f64 * step).sinh()).collect();
        let weight = (0..=k)
            .map(|j| scale * step * (j as f64 * step).cosh())
            .collect();
        Grid {
            omega,
            weight,
            scale,
            step,
        }
    }
}

/// Sums Σ_{k,l} w_k w_l K(ω_k, ω_l) F_k F_l / (2π)² over the full plane for the kernels
/// K₁ = Re X/|X−ν|², K₂ = 1/|X−ν|² and two spectra, on the grid and on its nested coarse grid.
/// Returns ([K₁ f, K₂ f, K₁ g, K₂ g] fine, same coarse, evaluations).
fn kernel_sums(grid: &Grid, nu: f64, f: &[f64], g: &[f64]) -> ([f64; 4], [f64; 4], usize) {
    let n = grid.omega.len();
    let wf: Vec<f64> = (0..n).map(|k| grid.weight[k] * f[k]).collect();
    let wg: Vec<f64> = (0..n).map(|k| grid.weight[k] * g[k]).collect();
    let mut fine = [0.0; 4];
    let mut coarse = [0.0; 4];
    let mut evaluations = 0;
    // Symmetry (ω₁,ω₂) → (−ω₁,−ω₂): rows ω₁ > 0 count twice, the row ω₁ = 0 once, and within
    // it ω₂ ↔ −ω₂ is a symmetry too.
    for k in 0..n {
        let w1 = grid.omega[k];
        let row_factor = if k == 0 { 1.0 } else { 2.0 };
        let mut row = [0.0; 4];
        let mut row_coarse = [0.0; 4];
        for sign in [1.0, -1.0] {
            if k == 0 && sign < 0.0 {
                continue;
            }
            for l in 0..n {
                if sign < 0.0 && l == 0 {
                    continue;
                }
                let w2 = sign * grid.omega[l];
                let re = 1.0 - w1 * w2;
                let s = w1 + w2;
                let k2 = 1.0 / ((re - nu) * (re - nu) + s * s);
                let k1 = re * k2;
                let mult = if k == 0 && l > 0 { 2.0 } else { 1.0 };
                let pf = mult * wf[l];
                let pg = mult * wg[l];
                let t = [k1 * pf, k2 * pf, k1 * pg, k2 * pg];
                for q in 0..4 {
                    row[q] += t[q];
                }
                if l % 2 == 0 {
                    for q in 0..4 {
                        row_coarse[q] += t[q];
                    }
                }
            }
            evaluations += n;
        }
        for q in 0..4 {
            let outer = if q < 2 { wf[k] } else { wg[k] };
            fine[q] += row_factor * outer * row[q];
            if k % 2 == 0 {
                // Coarse weights are twice the fine ones on each axis.
                coarse[q] += 4.0 * row_factor * outer * row_coarse[q];
            }
        }
    }
    let norm = 1.0 / (4.0 * PI * PI);
    for q in 0..4 {
        fine[q] *= norm;
        coarse[q] *= norm;
    }
    (fine, coarse, evaluations)
}

fn check_nu(nu: f64) -> Result<(), String> {
    if nu.is_finite() && (0.0..1.0).contains(&nu) {
        Ok(())
    } else {
        Err(format!("nu: must be in [0, 1), got {nu}"))
    }
}

/// (ψ^x_iid, κ^x C^x(0)², ψ^φ_iid, κ^φ C^φ(0)²) from the kernel sums.
fn combine(s: &[f64; 4], nu: f64, cx0: f64) -> [f64; 4] {
    let [ix1, ix2, ip1, ip2] = *s;
    [
        cx0 * cx0 + 4.0 * nu * ix1 - 3.0 * nu * nu * ix2,
        cx0 * cx0 + 2.0 * nu * ix1 - nu * nu * ix2,
        2.0 * nu * ip1 - nu * nu * ip2,
        nu * nu * ip2,
    ]
}

/// ψ^a(0,0), κ^a by the X/ν form, with adaptive step halving (see the module doc).
pub fn dimension(input: &DimensionInput) -> Result<Dimension, String> {
    check_nu(input.nu)?;
    let sx = LagSpectrum::new("cx", input.dt, input.cx)?;
    let sp = LagSpectrum::new("cphi", input.dt, input.cphi)?;
    let nu = input.nu;
    let (cx0, cp0) = (sx.c0(), sp.c0());
    let mut step = STEP0;
    let mut halvings = 0;
    loop {
        let grid = Grid::new(nu, step);
        let fx = sx.at_sorted(&grid.omega);
        let fp = sp.at_sorted(&grid.omega);
        let (fine, coarse, evaluations) = kernel_sums(&grid, nu, &fx, &fp);
        let a = combine(&fine, nu, cx0);
        let b = combine(&coarse, nu, cx0);
        // Compare the quantities that enter PR: N/PR = 1 + ψ/C(0)² and κ.
        let scales = [cx0 * cx0, cx0 * cx0, cp0 * cp0, cp0 * cp0];
        let mut err: f64 = 0.0;
        for q in 0..4 {
            let base = if q % 2 == 0 {
                1.0 + a[q] / scales[q]
            } else {
                a[q] / scales[q]
            };
            err = err.max(((a[q] - b[q]) / scales[q]).abs() / base.abs().max(1e-300));
        }
        if err <= TOLERANCE || halvings == MAX_HALVINGS {
            return Ok(Dimension {
                cx0,
                cphi0: cp0,
                psi_x: a[0],
                psi_phi: a[2],
                kappa_x: a[1] / scales[1],
                kappa_phi: a[3] / scales[3],
                diagnostics: Diagnostics {
                    nodes: grid.omega.len(),
                    evaluations,
                    step: grid.step,
                    scale: grid.scale,
                    omega_max: *grid.omega.last().unwrap_or(&0.0),
                    error_estimate: err,
                    halvings,
                },
            });
        }
        step *= 0.5;
        halvings += 1;
    }
}

/// ψ^x(0,0), ψ^φ(0,0) for iid couplings by the U/M form (11)–(12), as an independent check of
/// the X/ν form: complex arithmetic with g², ⟨φ'⟩ and C^{xφ} = ⟨φ'⟩C^x, on the grid `step`
/// (take it from a [`dimension`] result). Requires g⟨φ'⟩ < 1.
pub fn psi_um(
    dt: f64,
    cx: &[f64],
    cphi: &[f64],
    g: f64,
    mean_gain: f64,
    step: f64,
) -> Result<(f64, f64), String> {
    let sx = LagSpectrum::new("cx", dt, cx)?;
    let sp = LagSpectrum::new("cphi", dt, cphi)?;
    let nu = (g * mean_gain).powi(2);
    check_nu(nu)?;
    let grid = Grid::new(nu, step);
    let n = grid.omega.len();
    // Full axis: −ω_K..ω_K.
    let mut om = Vec::with_capacity(2 * n - 1);
    let mut w = Vec::with_capacity(2 * n - 1);
    for k in (1..n).rev() {
        om.push(-grid.omega[k]);
        w.push(grid.weight[k]);
    }
    om.extend_from_slice(&grid.omega);
    w.extend_from_slice(&grid.weight);
    let half_x = sx.at_sorted(&grid.omega);
    let half_p = sp.at_sorted(&grid.omega);
    let fx: Vec<f64> = (0..om.len())
        .map(|i| half_x[(i as isize - (n as isize - 1)).unsigned_abs()])
        .collect();
    let fp: Vec<f64> = (0..om.len())
        .map(|i| half_p[(i as isize - (n as isize - 1)).unsigned_abs()])
        .collect();
    let g2 = g * g;
    let (mut px, mut pp) = (0.0, 0.0);
    for i in 0..om.len() {
        // S^x(ω) = 1/(1 + iω) = (1 − iω)/(1 + ω²).
        let d1 = 1.0 + om[i] * om[i];
        let (s1r, s1i) = (1.0 / d1, -om[i] / d1);
        for j in 0..om.len() {
            let d2 = 1.0 + om[j] * om[j];
            let (s2r, s2i) = (1.0 / d2, -om[j] / d2);
            // P = S^x(ω₁) S^x(ω₂).
            let pr = s1r * s2r - s1i * s2i;
            let pi = s1r * s2i + s1i * s2r;
            // D = 1 − g² S^φ S^φ = 1 − g²⟨φ'⟩² P.
            let (dr, di) = (1.0 - nu * pr, -nu * pi);
            let dd = dr * dr + di * di;
            let m = 1.0 / dd;
            // U = g² P / D.
            let ur = g2 * (pr * dr + pi * di) / dd;
            let ui = g2 * (pi * dr - pr * di) / dd;
            let ww = w[i] * w[j];
            let cpp = fp[i] * fp[j];
            let cxp = mean_gain * mean_gain * fx[i] * fx[j];
            pp += ww * (m - 1.0) * cpp;
            px += ww * ((ur * ur + ui * ui) * cpp + 2.0 * ur * cxp);
        }
    }
    let norm = 1.0 / (4.0 * PI * PI);
    Ok((px * norm, pp * norm))
}

/// Frequency-resolved dimension (our derivation): the participation ratio of the cross-spectral
/// matrix at one frequency ω, with X = 1 + ω²,
/// PR^φ(ω)/N = (X − ν)²/(X² + γν²),  PR^x(ω)/N = (X − ν)²/((2+γ)X² − ν²).
/// Returns (PR^x(ω)/N, PR^φ(ω)/N).
pub fn frequency_dimension(nu: f64, gamma: f64, omega: f64) -> (f64, f64) {
    let x = 1.0 + omega * omega;
    let num = (x - nu) * (x - nu);
    (
        num / ((2.0 + gamma) * x * x - nu * nu),
        num / (x * x + gamma * nu * nu),
    )
}

#[cfg(test)]
mod tests {
    use super::super::gauss_kronrod::line;
    use super::*;

    /// Lag samples of a·e^{−λ|τ|}.
    fn exp_lags(a: f64, lambda: f64, dt: f64, n: usize) -> Vec<f64> {
        (0..n)
            .map(|j| a * (-lambda * j as f64 * dt).exp())
            .collect()
    }

    /// Reference ψ^φ_RMM(0,0) for the linear network: nested adaptive quadrature on the
    /// analytic spectrum C(ω) = σ²/(ω² + λ²) and the bracket of the X/ν form.
    fn reference_psi_phi(g: f64, sigma: f64, gamma: f64) -> f64 {
        let nu = g * g;
        let lam2 = 1.0 - nu;
        let c = |w: f64| sigma * sigma / (w * w + lam2);
        let mut outer = |w1: f64| {
            let mut inner = |w2: f64| {
                let re = 1.0 - w1 * w2;
                let s = w1 + w2;
                let den = (re - nu).powi(2) + s * s;
                ((2.0 * nu * re - nu * nu + gamma * nu * nu) / den) * c(w2)
            };
            c(w1) * line(&mut inner, 1e-13)
        };
        line(&mut outer, 1e-12) / (4.0 * PI * PI)
    }

    #[test]
    fn linear_network_pipeline_matches_nested_gauss_kronrod() {
        // dx = (−x + Jx)dt + σ dW: C(τ) = σ²/(2λ) e^{−λ|τ|}, λ = √(1 − g²), ν = g², ⟨φ'⟩ = 1.
        for &(g, dt) in &[(0.6, 0.05), (0.9, 0.02)] {
            let sigma: f64 = 1.0;
            let lam = (1.0_f64 - g * g).sqrt();
            let n = (26.0 / (lam * dt)).ceil() as usize;
            let c = exp_lags(sigma * sigma / (2.0 * lam), lam, dt, n);
            let input = DimensionInput {
                dt,
                cx: &c,
                cphi: &c,
                nu: g * g,
            };
            let d = dimension(&input).unwrap();
            assert!(d.diagnostics.error_estimate < 1e-10, "{:?}", d.diagnostics);
            let c0 = c[0];
            for &gamma in &[0.0, 1.0, 3.9] {
                let reference = 1.0 / (1.0 + reference_psi_phi(g, sigma, gamma) / (c0 * c0));
                let got = d.pr_phi(gamma);
                assert!(
                    (got - reference).abs() < 1e-8,
                    "g={g} γ={gamma}: {got} vs {reference}"
                );
            }
        }
    }

    /// A consistent pair C^x = g² C^φ/(1+ω²) with closed-form lags:
    /// C^x = a(e^{−λ₁|τ|} − (λ₁/λ₂)e^{−λ₂|τ|}) (no kink), C^φ = (1 − ∂²)C^x / g².
    fn consistent_pair(g: f64, dt: f64, n: usize) -> (Vec<f64>, Vec<f64>) {
        let (a, l1, l2) = (2.0, 0.3, 1.7);
        let cx = (0..n)
            .map(|j| {
                let t = j as f64 * dt;
                a * ((-l1 * t).exp() - l1 / l2 * (-l2 * t).exp())
            })
            .collect();
        let cp = (0..n)
            .map(|j| {
                let t = j as f64 * dt;
                a / (g * g)
                    * ((1.0 - l1 * l1) * (-l1 * t).exp()
                        - l1 / l2 * (1.0 - l2 * l2) * (-l2 * t).exp())
            })
            .collect();
        (cx, cp)
    }

    #[test]
    fn x_nu_form_equals_u_m_form_on_a_consistent_pair() {
        let (g, mean_gain, dt) = (2.0, 0.45, 0.025);
        let (cx, cp) = consistent_pair(g, dt, 4000);
        let input = DimensionInput {
            dt,
            cx: &cx,
            cphi: &cp,
            nu: (g * mean_gain).powi(2),
        };
        let d = dimension(&input).unwrap();
        let (px, pp) = psi_um(dt, &cx, &cp, g, mean_gain, d.diagnostics.step).unwrap();
        assert!(
            (px - d.psi_x).abs() < 1e-10 * d.psi_x,
            "{px} vs {}",
            d.psi_x
        );
        assert!(
            (pp - d.psi_phi).abs() < 1e-10 * d.psi_phi,
            "{pp} vs {}",
            d.psi_phi
        );
    }

    #[test]
    fn frequency_dimension_limits() {
        let nu = 0.947_982;
        // ω = 0, γ = 0: (1−ν)² for φ and (1−ν)²/(2−ν²) for x.
        let (x0, p0) = frequency_dimension(nu, 0.0, 0.0);
        assert!((p0 - (1.0 - nu).powi(2)).abs() < 1e-15);
        assert!((x0 - (1.0 - nu).powi(2) / (2.0 - nu * nu)).abs() < 1e-15);
        // ω → ∞: 1 for φ, 1/(2+γ) for x.
        for &gamma in &[0.0, 1.0, 4.0] {
            let (x, p) = frequency_dimension(nu, gamma, 1e7);
            assert!((p - 1.0).abs() < 1e-12 && (x - 1.0 / (2.0 + gamma)).abs() < 1e-12);
        }
        // It is the bracket of the double integral on the anti-diagonal ω₂ = −ω₁:
        // N/PR(ω) = 1 + ψ(ω,−ω)/C(ω)².
        for &w in &[0.0, 0.5, 1.0, 3.0] {
            for &gamma in &[0.0, 1.0] {
                let x: f64 = 1.0 + w * w;
                let bp = (x * x + gamma * nu * nu) / (x - nu).powi(2) - 1.0;
                let bx = ((2.0 + gamma) * x * x - nu * nu) / (x - nu).powi(2) - 1.0;
                let (px, pp) = frequency_dimension(nu, gamma, w);
                assert!((pp - 1.0 / (1.0 + bp)).abs() < 1e-14);
                assert!((px - 1.0 / (1.0 + bx)).abs() < 1e-14);
            }
        }
        // Published values of the note at g = 2 (γ = 0 → 1), ω = 0.5: 0.0584→0.0371 (φ).
        let (_, a) = frequency_dimension(nu, 0.0, 0.5);
        let (_, b) = frequency_dimension(nu, 1.0, 0.5);
        assert!(
            (a - 0.0584).abs() < 1e-4 && (b - 0.0371).abs() < 1e-4,
            "{a} {b}"
        );
    }

    #[test]
    fn rejects_bad_nu() {
        let c = exp_lags(1.0, 1.0, 0.05, 1000);
        let input = DimensionInput {
            dt: 0.05,
            cx: &c,
            cphi: &c,
            nu: 1.0,
        };
        assert!(dimension(&input).is_err());
    }
}

#[cfg(test)]
mod oracle {
    use super::*;
    use crate::connectivity::iid::iid_gaussian;
    use crate::connectivity::random_mode::{random_mode, Modes};
    use crate::connectivity::spectrum::{effective_rank, normalise, shape_values, Shape};
    use crate::linalg::lyapunov::{lyapunov_covariance, lyapunov_residual};
    use crate::rng;
    use crate::stats::participation::participation_ratio;

    /// Exact PR/N of the linear network dx = (J − I)x dt + dW against the theory with the
    /// linear spectrum C(ω) = 1/(ω² + 1 − g²), ⟨φ'⟩ = 1, ν = g² and γ of the realised spectrum.
    #[test]
    fn lyapunov_oracle_matches_theory_at_n1500() {
        let (n, g) = (1500, 0.6);
        let lam = (1.0_f64 - g * g).sqrt();
        let dt = 0.05;
        let lags: Vec<f64> = (0..700)
            .map(|j| (-lam * j as f64 * dt).exp() / (2.0 * lam))
            .collect();
        let theory = dimension(&DimensionInput {
            dt,
            cx: &lags,
            cphi: &lags,
            nu: g * g,
        })
        .unwrap();
        let mut cases: Vec<(Vec<f64>, f64)> =
            vec![(iid_gaussian(n, g, false, &mut rng::seeded(1)), 0.0)];
        for (k, shape) in [Shape::Flat, Shape::Exponential { beta: 3.9 }]
            .into_iter()
            .enumerate()
        {
            let mut d = shape_values(shape, n);
            normalise(&mut d, n, g);
            let gamma = n as f64 / effective_rank(&d);
            let net = random_mode(
                n,
                &d,
                Modes::Gaussian,
                None,
                None,
                &mut rng::seeded(2 + k as u64),
            );
            cases.push((net.j, gamma));
        }
        for (mut a, gamma) in cases {
            for i in 0..n {
                a[i * n + i] -= 1.0;
            }
            let t = std::time::Instant::now();
            let sol = lyapunov_covariance(&a, n, 1.0).unwrap();
            let elapsed = t.elapsed();
            let res = lyapunov_residual(&a, &sol.c, n, 1.0);
            let exact = participation_ratio(&sol.c, n) / n as f64;
            let predicted = theory.pr_phi(gamma);
            println!("γ={gamma:.3}: exact {exact:.4} theory {predicted:.4} residual {res:.1e} doublings {} in {elapsed:?}", sol.doublings);
            assert!(res < 1e-12);
            assert!(
                (exact - predicted).abs() < 0.01 * predicted,
                "γ={gamma}: {exact} vs {predicted}"
            );
        }
    }
}

#[cfg(test)]
mod erf_reference {
    use super::*;

    /// Lag functions of the iid network with φ(x) = erf(√π x/2), as a test fixture: the
    /// closed-form kernel C_φ(Δ; Δ0) = (2/π) asin(Δ/(Δ0 + 2/π)), Δ0 from the energy condition
    /// Δ0²/2 = g²[Φ(Δ0) − Φ(0)] (bisection), Δ'' = Δ − g² C_φ(Δ) integrated by RK4 from
    /// (Δ0, 0) down to Δ = 1e−4 Δ0 and continued by the exact linear tail A e^{−λ₁τ}.
    /// Returns (C^x, C^φ, ν).
    fn erf_lags(g: f64, dt: f64) -> (Vec<f64>, Vec<f64>, f64) {
        let two_pi = 2.0 / PI;
        let phi_int = |d: f64, d0: f64| {
            let a = (d0 + two_pi).powi(2);
            let r = (a - d * d).sqrt();
            two_pi * (r + d * (d / r).atan())
        };
        let energy = |d0: f64| 0.5 * d0 * d0 - g * g * (phi_int(d0, d0) - phi_int(0.0, d0));
        let (mut lo, mut hi) = (1e-6, 10.0 * g * g);
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if energy(mid) < 0.0 {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let d0 = 0.5 * (lo + hi);
        let cphi = |d: f64| two_pi * (d / (d0 + two_pi)).asin();
        let gain2 = two_pi / (d0 + two_pi);
        let nu = g * g * gain2;
        let lambda = (1.0 - nu).sqrt();
        let force = |d: f64| d - g * g * cphi(d);
        let sub = 50;
        let h = dt / sub as f64;
        let (mut x, mut v) = (d0, 0.0);
        let mut cx = vec![d0];
        while x > 1e-4 * d0 {
            for _ in 0..sub {
                let (k1x, k1v) = (v, force(x));
                let (k2x, k2v) = (v + 0.5 * h * k1v, force(x + 0.5 * h * k1x));
                let (k3x, k3v) = (v + 0.5 * h * k2v, force(x + 0.5 * h * k2x));
                let (k4x, k4v) = (v + h * k3v, force(x + h * k3x));
                x += h / 6.0 * (k1x + 2.0 * k2x + 2.0 * k3x + k4x);
                v += h / 6.0 * (k1v + 2.0 * k2v + 2.0 * k3v + k4v);
            }
            cx.push(x);
        }
        let decay = (-lambda * dt).exp();
        while *cx.last().unwrap() > 1e-13 * d0 {
            let next = cx.last().unwrap() * decay;
            cx.push(next);
        }
        let cp = cx.iter().map(|&d| cphi(d)).collect();
        (cx, cp, nu)
    }

    #[test]
    fn erf_network_matches_reference_values() {
        // (g, PR^x/N, PR^φ/N) of the note's erf table (independent solver, 6 decimals).
        // Also Δ0 of the same table, which checks the fixture.
        for &(g, d0, px, pp) in &[
            (1.5, 0.838753, 0.006584, 0.007404),
            (2.0, 2.064080, 0.018199, 0.023014),
            (3.0, 5.637432, 0.034200, 0.049742),
        ] {
            let dt = 0.02;
            let (cx, cp, nu) = erf_lags(g, dt);
            assert!((cx[0] - d0).abs() < 1e-6, "g={g}: Δ0 = {}", cx[0]);
            let d = dimension(&DimensionInput {
                dt,
                cx: &cx,
                cphi: &cp,
                nu,
            })
            .unwrap();
            let mean_gain = nu.sqrt() / g;
            let (ux, up) = psi_um(dt, &cx, &cp, g, mean_gain, d.diagnostics.step).unwrap();
            // The noise-free DMFT pair is consistent, so the U/M form agrees (measured ≤ 1.3e−13).
            assert!((ux - d.psi_x).abs() < 1e-10 * d.psi_x, "g={g}");
            assert!((up - d.psi_phi).abs() < 1e-10 * d.psi_phi, "g={g}");
            assert!((d.pr_x(0.0) - px).abs() < 1e-6, "g={g}");
            assert!((d.pr_phi(0.0) - pp).abs() < 1e-6, "g={g}");
        }
    }
}
