//! Population-level correlation ψ^a(τ₁,τ₂) = N⟨C^a_ij(τ₁) C^a_ij(τ₂)⟩_{i≠j} of the two-site
//! cavity theory, on the diagonal ψ(τ,τ) and the edge ψ(τ,0), as the inverse 2-D transform
//!
//!   ψ(τ₁,τ₂) = ∫∫ dω₁dω₂/(2π)² e^{i(ω₁τ₁ + ω₂τ₂)} ψ(ω₁,ω₂)
//!
//! of the brackets of the X/ν form (Clark, Abbott & Litwin-Kumar, PRL 131, 118401 (2023)) with
//! the random-mode term γ (our derivation; γ = 0 is iid), X = (1+iω₁)(1+iω₂), ν = (g⟨φ'⟩)²:
//!
//!   ψ^φ(ω₁,ω₂) = (2ν Re X − ν² + γν²)/|X−ν|² C^φC^φ,
//!   ψ^x(ω₁,ω₂) = (1+γ) C^xC^x + [(2+γ)(2ν Re X − ν²) − ν²]/|X−ν|² C^xC^x.
//!
//! The separable part (1+γ)C^xC^x transforms exactly to (1+γ)C^x(τ₁)C^x(τ₂) (lag data). The rest
//! is summed on a uniform frequency grid ω_k = kδω, |k| ≤ K (periodic trapezoid rule, exponentially
//! accurate for τ well inside the period 2π/δω): ψ(τ,τ) needs only the anti-diagonal sums
//! A_m = Σ_{k+l=m} ψ_kl and ψ(τ,0) the row sums, followed by 1-D cosine sums.
//!
//! Slowest decay of ψ(τ,τ) (our derivation): the zero of X − ν at ω₁ = ω₂ = s/2 nearest the real
//! axis, s = 2i(1 − √ν), gives the rate 2(1 − √ν) (≈ 1 − ν near onset), much slower than the
//! single-unit rate √(1 − ν). Since the singularity is a pinch of two poles, a τ^{−1/2} prefactor
//! is expected, so finite-window fits lie somewhat above 2(1 − √ν).

use super::dimension::{dimension, DimensionInput};
use super::lag_spectrum::{cosine_sum, LagSpectrum};
use std::f64::consts::PI;

/// Which activity: currents x or rates φ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activity {
    Currents,
    Rates,
}

/// Result of [`population_correlation`].
#[derive(Clone, Debug, PartialEq)]
pub struct PopulationCorrelation {
    /// ψ(τ_j,τ_j)/ψ(0,0) at τ_j = j·dt.
    pub diagonal: Vec<f64>,
    /// ψ(τ_j,0)/ψ(0,0).
    pub edge: Vec<f64>,
    /// ψ(0,0) (from the accurate sinh-grid integration of [`dimension`]).
    pub psi0: f64,
    /// Decay rate of ψ(τ,τ): −slope of a least-squares line through ln ψ(τ,τ) on the fit window
    /// (NaN when fewer than two output lags with ψ(τ,τ) > 0 fall in the window).
    pub rate: f64,
    /// Pole estimate 2(1 − √ν).
    pub pole_rate: f64,
    /// Frequency step δω and cut-off Kδω of the uniform grid.
    pub d_omega: f64,
    pub omega_max: f64,
    /// |ψ_grid(0,0) − ψ(0,0)|/ψ(0,0): the accuracy of the uniform grid.
    pub grid_error: f64,
}

/// Largest K of the uniform grid (the grid has (2K+1)² nodes).
const MAX_K: usize = 2000;

/// ψ(τ,τ)/ψ(0,0) and ψ(τ,0)/ψ(0,0) at τ_j = j·dt for j < `count` (≤ the number of lag samples),
/// and the decay rate fitted on τ ∈ [`fit_start`, `fit_end`].
pub fn population_correlation(
    dt: f64,
    c: &[f64],
    nu: f64,
    gamma: f64,
    activity: Activity,
    count: usize,
    fit: (f64, f64),
) -> Result<PopulationCorrelation, String> {
    let spec = LagSpectrum::new("c", dt, c)?;
    if !(gamma.is_finite() && gamma >= 0.0) {
        return Err(format!("gamma: must be a finite number ≥ 0, got {gamma}"));
    }
    if count == 0 || count > c.len() {
        return Err(format!("count: must be in [1, {}], got {count}", c.len()));
    }
    let d = dimension(&DimensionInput {
        dt,
        cx: c,
        cphi: c,
        nu,
    })?;
    let (psi0, base) = match activity {
        Activity::Currents => (d.psi_x + gamma * d.kappa_x * d.cx0 * d.cx0, 1.0 + gamma),
        Activity::Rates => (d.psi_phi + gamma * d.kappa_phi * d.cphi0 * d.cphi0, 0.0),
    };
    let d_omega = ((1.0 - nu) / 8.0).min(0.02);
    let tau_max = (count - 1) as f64 * dt;
    if tau_max > 0.25 * 2.0 * PI / d_omega {
        return Err(format!(
            "count: τ_max = {tau_max} exceeds a quarter of the grid period 2π/δω = {:.1}",
            2.0 * PI / d_omega
        ));
    }
    let omega_max = spec.nyquist().min(20.0).min(MAX_K as f64 * d_omega);
    let k_max = (omega_max / d_omega).floor() as usize;
    let nodes: Vec<f64> = (0..=k_max).map(|k| k as f64 * d_omega).collect();
    let spectrum = spec.at_sorted(&nodes);
    // Remainder bracket (α Re X + β)/|X−ν|².
    let (alpha, beta) = match activity {
        Activity::Currents => ((2.0 + gamma) * 2.0 * nu, -(2.0 + gamma) * nu * nu - nu * nu),
        Activity::Rates => (2.0 * nu, -nu * nu + gamma * nu * nu),
    };
    let kk = k_max as isize;
    // anti[m + 2K] = Σ_{k+l=m} ψ_kl; rows[k] = Σ_l ψ_kl (k ≥ 0). Rows k > 0 stand for −k too.
    let mut anti = vec![0.0; 4 * k_max + 1];
    let mut rows = vec![0.0; k_max + 1];
    for k in 0..=kk {
        let w1 = k as f64 * d_omega;
        let c1 = spectrum[k as usize];
        let mut row = 0.0;
        for l in -kk..=kk {
            let w2 = l as f64 * d_omega;
            let re = 1.0 - w1 * w2;
            let s = w1 + w2;
            let v = (alpha * re + beta) / ((re - nu) * (re - nu) + s * s)
                * c1
                * spectrum[l.unsigned_abs()];
            row += v;
            anti[(k + l + 2 * kk) as usize] += v;
            if k > 0 {
                anti[(-k - l + 2 * kk) as usize] += v;
            }
        }
        rows[k as usize] = row;
    }
    let norm = (d_omega / (2.0 * PI)).powi(2);
    let c0 = spec.c0();
    let grid0: f64 = norm * anti.iter().sum::<f64>() + base * c0 * c0;
    let mut diagonal = Vec::with_capacity(count);
    let mut edge = Vec::with_capacity(count);
    for (j, &cj) in c[..count].iter().enumerate() {
        let tau = j as f64 * dt;
        // anti and rows are even in their index: cosine series about the centre.
        let theta = d_omega * tau;
        let diag = cosine_sum(&anti[2 * k_max..], theta);
        let ed = cosine_sum(&rows, theta);
        diagonal.push((norm * diag + base * cj * cj) / grid0);
        edge.push((norm * ed + base * cj * c0) / grid0);
    }
    let pts: Vec<(f64, f64)> = diagonal
        .iter()
        .enumerate()
        .map(|(j, &v)| (j as f64 * dt, v))
        .filter(|&(t, v)| t >= fit.0 && t <= fit.1 && v > 0.0)
        .map(|(t, v)| (t, v.ln()))
        .collect();
    let rate = if pts.len() >= 2 {
        let m = pts.len() as f64;
        let (st, sy) = pts.iter().fold((0.0, 0.0), |a, p| (a.0 + p.0, a.1 + p.1));
        let (mt, my) = (st / m, sy / m);
        let (sxy, sxx) = pts.iter().fold((0.0, 0.0), |a, p| {
            (a.0 + (p.0 - mt) * (p.1 - my), a.1 + (p.0 - mt).powi(2))
        });
        -sxy / sxx
    } else {
        f64::NAN
    };
    Ok(PopulationCorrelation {
        diagonal,
        edge,
        psi0,
        rate,
        pole_rate: 2.0 * (1.0 - nu.sqrt()),
        d_omega,
        omega_max: k_max as f64 * d_omega,
        grid_error: (grid0 - psi0).abs() / psi0,
    })
}

#[cfg(test)]
mod tests {
    use super::super::gauss_kronrod::{gk15, line};
    use super::*;

    /// ψ^φ(τ,τ) and ψ^φ(τ,0) of the linear network (C(ω) = 1/(ω² + 1 − ν)) by independent
    /// quadrature on the analytic spectrum: in the variables s = ω₁ + ω₂, d = (ω₁ − ω₂)/2 (for
    /// the diagonal) or ω₁, ω₂ (for the edge), an adaptive Gauss–Kronrod inner integral over the
    /// non-oscillating variable, and 15-point Kronrod panels of width 0.1 for the oscillating
    /// outer one on |s| ≤ 100 (the discarded tail is O(100⁻³/τ)).
    /// For currents the bracket is taken without its separable part (1+γ), whose transform is
    /// (1+γ)C(τ₁)C(τ₂) and is added by the caller.
    fn reference(nu: f64, gamma: f64, tau: f64, diagonal: bool, activity: Activity) -> f64 {
        let c = |w: f64| 1.0 / (w * w + 1.0 - nu);
        let psi = |w1: f64, w2: f64| bracket(nu, gamma, activity, w1, w2) * c(w1) * c(w2);
        let mut outer = |s: f64| {
            let mut inner = |d: f64| {
                if diagonal {
                    psi(d + 0.5 * s, -d + 0.5 * s)
                } else {
                    psi(s, d)
                }
            };
            line(&mut inner, 1e-13) * (s * tau).cos()
        };
        let panels = 2000;
        let width = 200.0 / panels as f64;
        (0..panels)
            .map(|p| {
                let a = -100.0 + p as f64 * width;
                gk15(&mut outer, a, a + width, f64::INFINITY, 0)
            })
            .sum::<f64>()
            / (4.0 * PI * PI)
    }

    /// The bracket of (11)/(15) (rates) or (12)/(16) (currents) minus its separable constant.
    fn bracket(nu: f64, gamma: f64, activity: Activity, w1: f64, w2: f64) -> f64 {
        let re = 1.0 - w1 * w2;
        let s = w1 + w2;
        let den = (re - nu).powi(2) + s * s;
        let x2 = (1.0 + w1 * w1) * (1.0 + w2 * w2);
        match activity {
            Activity::Rates => (x2 + gamma * nu * nu) / den - 1.0,
            Activity::Currents => ((2.0 + gamma) * x2 - nu * nu) / den - 2.0 - gamma,
        }
    }

    /// ψ(0,0) by nested adaptive quadrature (no oscillation).
    fn d_psi0(nu: f64, gamma: f64, activity: Activity) -> f64 {
        let c = |w: f64| 1.0 / (w * w + 1.0 - nu);
        let mut outer = |w1: f64| {
            let mut inner = |w2: f64| bracket(nu, gamma, activity, w1, w2) * c(w2);
            c(w1) * line(&mut inner, 1e-13)
        };
        let c0 = 0.5 / (1.0 - nu).sqrt();
        let separable = match activity {
            Activity::Rates => 0.0,
            Activity::Currents => (1.0 + gamma) * c0 * c0,
        };
        line(&mut outer, 1e-12) / (4.0 * PI * PI) + separable
    }

    #[test]
    fn linear_network_correlation_matches_nested_quadrature() {
        let (g, dt) = (0.9_f64, 0.05);
        let nu = g * g;
        let lam = (1.0 - nu).sqrt();
        let c: Vec<f64> = (0..1200)
            .map(|j| (-lam * j as f64 * dt).exp() / (2.0 * lam))
            .collect();
        let gamma = 2.0;
        for activity in [Activity::Rates, Activity::Currents] {
            let p = population_correlation(dt, &c, nu, gamma, activity, 401, (10.0, 20.0)).unwrap();
            let psi0 = d_psi0(nu, gamma, activity);
            assert!((p.psi0 - psi0).abs() < 1e-8 * psi0, "{} {psi0}", p.psi0);
            assert!(p.grid_error < 1e-4, "{}", p.grid_error);
            let sep = if activity == Activity::Currents {
                1.0 + gamma
            } else {
                0.0
            };
            for &j in &[40, 100, 200] {
                let tau = j as f64 * dt;
                let d = (reference(nu, gamma, tau, true, activity) + sep * c[j] * c[j]) / psi0;
                let e = (reference(nu, gamma, tau, false, activity) + sep * c[j] * c[0]) / psi0;
                assert!(
                    (p.diagonal[j] - d).abs() < 2e-4 * d.abs().max(1e-3),
                    "{activity:?} τ={tau}: {} vs {d}",
                    p.diagonal[j]
                );
                assert!(
                    (p.edge[j] - e).abs() < 2e-4,
                    "{activity:?} τ={tau}: {} vs {e}",
                    p.edge[j]
                );
            }
            // Decay: the pole rate 2(1 − √ν) = 0.2 plus at most the 1/(2τ) of a τ^{−1/2} prefactor
            // on the window τ ∈ [10, 20] (measured for rates: 0.2194).
            assert!(
                p.rate > p.pole_rate && p.rate < p.pole_rate + 0.05,
                "{activity:?} {}",
                p.rate
            );
        }
    }
}
