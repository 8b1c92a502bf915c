//! Stationary DMFT of a noisy network with row gains J → diag(h)J (odd φ, no bias; derived here):
//! a unit of gain class c (squared gain h_c², population weight w_c) receives the field
//! η_c with ⟨η_c η_c⟩ = h_c² g² C̄_φ and white noise σ²δ, so
//!
//!   (1 − ∂_τ²) Δ_c(τ) = h_c² g² C̄_φ(τ) + σ² δ(τ),   C̄_φ = Σ_c w_c C_φ(Δ_c(τ); Δ_c(0)),
//!
//! that is Δ_c = σ²/2 e^{−|τ|} + h_c² g² (k ∗ C̄_φ) with the Green's function k(τ) = e^{−|τ|}/2.
//! Noise breaks the scaling Δ_c = h_c²Δ̄ that the noiseless solver ([`super::dmft`]) uses, so the
//! classes are solved together, by damped fixed-point iteration on C̄_φ (the noise keeps the
//! state away from the marginal noiseless chaos, where the iteration would slow down).

use super::gaussian_kernel::GaussianKernel;
use super::nonlinearity::Nonlinearity;

/// Largest number of iterations.
const MAX_ITERATIONS: usize = 20_000;
/// Damping of the update of C̄_φ.
const DAMPING: f64 = 0.5;
/// Convergence: largest change of C̄_φ relative to C̄_φ(0).
const TOLERANCE: f64 = 1e-12;

/// (k ∗ f)(τ) = ∫ e^{−|τ−s|}/2 f(s) ds at τ = j·dt for an even f sampled on τ = 0, dt, … and
/// zero beyond the last lag; exact for the piecewise-linear interpolant of f.
pub fn green_convolution(f: &[f64], dt: f64) -> Vec<f64> {
    let len = f.len();
    let decay = (-dt).exp();
    // ∫₀^h e^{−u} du and ∫₀^h u e^{−u} du.
    let e0 = -(-dt).exp_m1();
    let e1 = 1.0 - decay * (1.0 + dt);
    // B(τ) = ∫_τ^∞ e^{−(s−τ)} f(s) ds backwards, A(τ) = ∫_{−∞}^τ e^{−(τ−s)} f(s) ds forwards.
    let mut b = vec![0.0; len];
    for j in (0..len.saturating_sub(1)).rev() {
        let (f0, f1) = (f[j], f[j + 1]);
        b[j] = decay * b[j + 1] + f0 * e0 + (f1 - f0) / dt * e1;
    }
    let mut a = b[0];
    let mut out = vec![0.0; len];
    out[0] = b[0];
    for j in 1..len {
        let (f0, f1) = (f[j - 1], f[j]);
        a = decay * a + f1 * e0 - (f1 - f0) / dt * e1;
        out[j] = 0.5 * (a + b[j]);
    }
    out
}

/// Δ_c(τ) of each class (`classes` = (w_c, h_c²), weights summing to one) on `len` lags of
/// spacing `dt`, for coupling gain `g` and noise amplitude σ = `noise` > 0.
pub fn solve_row_gain_classes(
    nl: &Nonlinearity,
    g: f64,
    noise: f64,
    classes: &[(f64, f64)],
    dt: f64,
    len: usize,
) -> Result<Vec<Vec<f64>>, String> {
    if noise.is_nan() || noise <= 0.0 || !nl.is_odd() {
        return Err("needs noise > 0 and an odd φ without bias".into());
    }
    let white: Vec<f64> = (0..len)
        .map(|j| 0.5 * noise * noise * (-(j as f64) * dt).exp())
        .collect();
    let g2 = g * g;
    let mut cbar = vec![0.0; len];
    let mut deltas = vec![white.clone(); classes.len()];
    for _ in 0..MAX_ITERATIONS {
        let field = green_convolution(&cbar, dt);
        let mut next = vec![0.0; len];
        for (delta, &(w, h2)) in deltas.iter_mut().zip(classes) {
            for ((d, &n), &k) in delta.iter_mut().zip(&white).zip(&field) {
                *d = n + h2 * g2 * k;
            }
            let d0 = delta[0];
            let kernel = GaussianKernel::new(nl, d0);
            for (c, &d) in next.iter_mut().zip(delta.iter()) {
                *c += w * kernel.c_phi(d.clamp(-d0, d0));
            }
        }
        let scale = next[0].abs().max(f64::MIN_POSITIVE);
        let change = next
            .iter()
            .zip(&cbar)
            .fold(0.0_f64, |m, (a, b)| m.max((a - b).abs()))
            / scale;
        if !change.is_finite() {
            return Err("the iteration diverged".into());
        }
        if change < TOLERANCE {
            return Ok(deltas);
        }
        for (c, n) in cbar.iter_mut().zip(&next) {
            *c += DAMPING * (n - *c);
        }
    }
    Err(format!(
        "the row-gain DMFT did not converge in {MAX_ITERATIONS} iterations"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamics::phi::{Phi, PhiKind};
    use crate::theory::dmft::{solve, DmftSpec};

    fn phi(kind: PhiKind) -> Nonlinearity {
        Nonlinearity::unbiased(Phi { kind, gain: 1.0 })
    }

    /// k ∗ e^{−κ|s|} = (e^{−κτ} − κe^{−τ})/(1 − κ²), to the O((κ dt)²) error of linear interpolation.
    #[test]
    fn the_convolution_matches_its_closed_form() {
        let dt = 1e-3;
        for kappa in [0.5, 2.0] {
            let f: Vec<f64> = (0..60_000)
                .map(|j| (-kappa * j as f64 * dt).exp())
                .collect();
            let y = green_convolution(&f, dt);
            for j in [0, 500, 3000, 10_000] {
                let t = j as f64 * dt;
                let exact = ((-kappa * t).exp() - kappa * (-t).exp()) / (1.0 - kappa * kappa);
                assert!(
                    (y[j] - exact).abs() < (kappa * dt).powi(2) * exact.abs(),
                    "κ = {kappa}, τ = {t}: {} vs {exact}",
                    y[j]
                );
            }
        }
    }

    /// One class with h² = 1 is the uniform DMFT with noise, solved by shooting (to the O(dt²)
    /// error of the piecewise-linear convolution).
    #[test]
    fn one_class_is_the_noisy_uniform_dmft() {
        for (kind, g, noise) in [(PhiKind::Tanh, 1.5, 0.5), (PhiKind::Erf, 0.8, 1.0)] {
            let spec = DmftSpec {
                nl: phi(kind),
                g,
                noise,
                dt: 0.005,
                tau_max: Some(80.0),
                gains: None,
            };
            let s = solve(&spec).unwrap();
            let d = solve_row_gain_classes(&spec.nl, g, noise, &[(1.0, 1.0)], 0.005, s.delta.len())
                .unwrap();
            let worst = d[0]
                .iter()
                .zip(&s.delta)
                .fold(0.0_f64, |m, (a, b)| m.max((a - b).abs()));
            assert!(worst < 1e-6 * s.delta0, "{kind:?}: {worst}");
        }
    }

    /// Two classes with equal gains are one class; unequal gains order the variances, and the
    /// lag-0 identity Δ_c(0) = σ²/2 + h_c² g² (k ∗ C̄_φ)(0) makes Δ_c(0) − σ²/2 proportional to h_c².
    #[test]
    fn classes_split_the_field_by_their_gains() {
        let nl = phi(PhiKind::Tanh);
        let (g, noise, dt, len) = (1.2, 0.7, 0.02, 4000);
        let one = solve_row_gain_classes(&nl, g, noise, &[(1.0, 1.0)], dt, len).unwrap();
        let two =
            solve_row_gain_classes(&nl, g, noise, &[(0.3, 1.0), (0.7, 1.0)], dt, len).unwrap();
        assert!((two[0][0] - one[0][0]).abs() < 1e-10 && (two[1][100] - one[0][100]).abs() < 1e-10);
        let d = solve_row_gain_classes(&nl, g, noise, &[(0.5, 0.4), (0.5, 1.6)], dt, len).unwrap();
        let base = 0.5 * noise * noise;
        let ratio = (d[1][0] - base) / (d[0][0] - base);
        assert!((ratio - 4.0).abs() < 1e-9, "{ratio}");
        assert!(d[1][0] > one[0][0] && one[0][0] > d[0][0]);
    }
}
