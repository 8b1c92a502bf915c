//! Discrete-time networks: the δ-map x_{t+1} = (1 − δ) x_t + δ J φ(x_t) + σ√δ ξ_t (forward Euler
//! of the rate network with step δ; δ = 1 is the map x_{t+1} = J φ(x_t) + σ ξ_t), for iid
//! J_ij ~ N(0, g²/N) and odd φ without bias. The mean-field theory and the dimension are derived
//! here (the continuous-time results they reduce to as δ → 0 are PRL 131, 118401 and PRX 15,
//! 041019, Eq. 38).
//!
//! Mean field: the single site is x_{t+1} = q x_t + δ η_t + σ√δ ξ_t, q = 1 − δ, with η Gaussian of
//! autocorrelation g² C_φ(Δ(τ); Δ0). Writing y_t = x_{t+1} − q x_t,
//!
//!   (1 + q²) Δ(τ) − q [Δ(τ + 1) + Δ(τ − 1)] = δ² g² C_φ(Δ(τ); Δ0) + δσ² [τ = 0],
//!
//! a second-order recurrence in the integer lag. Its τ = 0 row gives Δ(1) from Δ0, and Δ0 is
//! fixed by shooting: the one Δ0 whose recurrence decays monotonically to Δ∞ = 0 (too small a
//! Δ0 and Δ turns back up; too large and it overshoots below 0). The tail follows the decaying
//! root r of q r² − (1 + q² − δ²ν) r + q = 0, ν = (g⟨φ'⟩)² < 1. At δ = 1 the recurrence is
//! algebraic: Δ0 = g²⟨φ²⟩ + σ² and Δ(τ ≥ 1) = 0 (for ν < 1), x is white.
//!
//! Dimension: the two-site cavity argument behind the continuous-time Ψ (Eq. 38 and our Eq. 16)
//! uses the dynamics only through the linear response S(ω) = ⟨φ'⟩ h(ω) of φ to its input; for
//! the map h(ω) = δ/(e^{iω} − q) (discrete-time transform, ω ∈ (−π, π]). With X = X₁X₂,
//! X_j = 1/h(ω_j) = (e^{iω_j} − q)/δ and γ = N/PR^D of random-mode couplings,
//!
//!   Ψ^φ(ω₁, ω₂) = (|X|² + γν²)/|X − ν|² C^φ(ω₁) C^φ(ω₂),
//!   Ψ^x(ω₁, ω₂) = ((2 + γ)|X|² − ν²)/|X − ν|² C^x(ω₁) C^x(ω₂)   (noiseless or linear φ),
//!
//! and PR^a/N = C^a(0)² / Ψ^a(τ₁ = 0, τ₂ = 0). At δ = 1 without noise C^φ and C^x are flat and
//! ∫ dθ/2π |e^{iθ} − ν|⁻² = 1/(1 − ν²) gives the closed forms PR^φ/N = (1 − ν²)/(1 + γν²) and
//! PR^x/N = (1 − ν²)/(2 + γ − ν²); with r = ν² = (g⟨φ'⟩)⁴ and γ = 0 these are 1 − r and
//! (1 − r)/(2 − r).

use super::gaussian_kernel::GaussianKernel;
use super::nonlinearity::Nonlinearity;

/// Relative distance to Δ∞ = 0 at which the geometric tail takes over.
const SWITCH: f64 = 1e-6;
/// Relative size of Δ at which the lag grid ends.
const END: f64 = 1e-14;
/// Most lags of a solution.
pub const MAX_MAP_LAGS: usize = 1 << 20;

/// A δ-map mean-field problem (odd φ without bias).
#[derive(Clone, Debug)]
pub struct MapSpec {
    pub nl: Nonlinearity,
    pub g: f64,
    /// Step δ ∈ (0, 1].
    pub delta: f64,
    /// Noise amplitude σ.
    pub noise: f64,
}

/// The stationary solution on the integer lags τ = 0, 1, ….
#[derive(Clone, Debug)]
pub struct MapSolution {
    pub delta0: f64,
    /// ⟨φ'⟩ and ⟨φ'²⟩ at variance Δ0, and ν = (g⟨φ'⟩)².
    pub mean_slope: f64,
    pub mean_slope2: f64,
    pub nu: f64,
    /// Δ(τ) and C_φ(τ).
    pub lags: Vec<f64>,
    pub cphi: Vec<f64>,
}

/// Solves the δ-map mean field of the module doc.
pub fn solve_map(spec: &MapSpec) -> Result<MapSolution, String> {
    let (g2, d, s2) = (spec.g * spec.g, spec.delta, spec.noise * spec.noise);
    let q = 1.0 - d;
    if !spec.nl.is_odd() {
        return Err("phi: the δ-map theory needs an odd φ without bias".into());
    }
    let finish = |d0: f64, lags: Vec<f64>| -> Result<MapSolution, String> {
        let k = GaussianKernel::new(&spec.nl, d0);
        let nu = g2 * k.mean_slope * k.mean_slope;
        if nu >= 1.0 {
            return Err(format!(
                "g: ν = (g⟨φ'⟩)² = {nu} ≥ 1: the lagged correlations of the map do not decay"
            ));
        }
        let cphi = lags.iter().map(|&x| k.c_phi(x)).collect();
        Ok(MapSolution {
            delta0: d0,
            mean_slope: k.mean_slope,
            mean_slope2: k.mean_slope2,
            nu,
            lags,
            cphi,
        })
    };
    // Without noise, x ≡ 0 is the only state when g φ'(0) ≤ 1 (|φ(x)| ≤ φ'(0)|x| for tanh, erf).
    if s2 == 0.0 && g2 * spec.nl.slope(0.0).powi(2) <= 1.0 {
        return Err("g: the map is quiescent (g φ'(0) ≤ 1 without noise)".into());
    }
    // Largest variance scanned.
    let top = 1e6 * (1.0 + g2) * (1.0 + s2);
    if q == 0.0 {
        // Δ0 = g²⟨φ²⟩(Δ0) + σ²: f(Δ0) = g²⟨φ²⟩ + σ² − Δ0 changes sign once above 0.
        let f = |x: f64| g2 * GaussianKernel::moments(&spec.nl, x).mean_phi2 + s2 - x;
        let root = bisect_scan(f, top).ok_or("g: the map is quiescent (no fluctuating state)")?;
        return finish(root, vec![root, 0.0]);
    }
    let shoot = |d0: f64| -> (i8, Vec<f64>) { march(&spec.nl, g2, d, s2, d0) };
    let outcome = |d0: f64| shoot(d0).0;
    // Scan up from a small variance for the first change of outcome.
    let mut lo = 1e-8 * (1.0 + s2) * (1.0 + g2);
    let first = outcome(lo);
    let mut hi = lo;
    while outcome(hi) == first {
        lo = hi;
        hi *= 1.5;
        if hi > top {
            return Err("g: the map is quiescent (no fluctuating state)".into());
        }
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if outcome(mid) == first {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let d0 = 0.5 * (lo + hi);
    let (_, mut lags) = shoot(d0);
    // Geometric tail from the last reliable lag.
    let k = GaussianKernel::moments(&spec.nl, d0);
    let b = 1.0 + q * q - d * d * g2 * k.mean_slope * k.mean_slope;
    if b <= 2.0 * q {
        return Err("g: ν ≥ 1: the lagged correlations of the map do not decay".into());
    }
    let r = (b - (b * b - 4.0 * q * q).sqrt()) / (2.0 * q);
    let mut last = *lags.last().unwrap_or(&d0);
    while last > END * d0 && lags.len() < MAX_MAP_LAGS {
        last *= r;
        lags.push(last);
    }
    finish(d0, lags)
}

/// Marches the recurrence from Δ0 until Δ turns up (+1), drops below 0 (−1) or reaches the
/// tail switch (0, with the path so far).
fn march(nl: &Nonlinearity, g2: f64, d: f64, s2: f64, d0: f64) -> (i8, Vec<f64>) {
    let q = 1.0 - d;
    let k = GaussianKernel::new(nl, d0);
    let c = d * d * g2;
    let d1 = ((1.0 + q * q) * d0 - c * k.c_phi(d0) - d * s2) / (2.0 * q);
    let mut path = vec![d0, d1];
    if d1 > d0 {
        return (1, path);
    }
    if d1 < 0.0 {
        return (-1, path);
    }
    while path.len() < MAX_MAP_LAGS {
        let (a, b) = (path[path.len() - 2], path[path.len() - 1]);
        if b < SWITCH * d0 {
            return (0, path);
        }
        let next = ((1.0 + q * q) * b - q * a - c * k.c_phi(b)) / q;
        if next > b {
            return (1, path);
        }
        if next < 0.0 {
            return (-1, path);
        }
        path.push(next);
    }
    (0, path)
}

/// The root of `f` (positive below it, negative above) found by a geometric scan and bisection.
fn bisect_scan(f: impl Fn(f64) -> f64, top: f64) -> Option<f64> {
    let mut lo = 1e-12;
    if f(lo) <= 0.0 {
        return None;
    }
    let mut hi = lo;
    while f(hi) > 0.0 {
        lo = hi;
        hi *= 2.0;
        if hi > top {
            return None;
        }
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if f(mid) > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(0.5 * (lo + hi))
}

/// Largest frequency grid of [`map_dimension`] (its cost is M²).
const MAX_GRID: usize = 1 << 14;

/// (PR^x/N, PR^φ/N) of the δ-map from the lag functions of `sol` (module doc), on a grid of M
/// frequencies: a power of two ≥ 4 × the number of lags, ≥ 256, and large enough that the
/// aliasing of the pole at |X| = ν, of relative size ν^M, is below 1e−14 (up to 2^14).
pub fn map_dimension(sol: &MapSolution, delta: f64, gamma: f64) -> (f64, f64) {
    let q = 1.0 - delta;
    let lags = sol.lags.len();
    let alias = (-14.0 * std::f64::consts::LN_10 / sol.nu.ln()).ceil();
    let alias = if alias.is_finite() { alias as usize } else { 0 };
    let m = (4 * lags)
        .max(256)
        .max(alias)
        .next_power_of_two()
        .min(MAX_GRID);
    let spectrum = |c: &[f64]| -> Vec<f64> {
        (0..m)
            .map(|k| {
                let w = 2.0 * std::f64::consts::PI * k as f64 / m as f64;
                c[0] + 2.0
                    * c[1..]
                        .iter()
                        .enumerate()
                        .map(|(t, v)| v * (w * (t + 1) as f64).cos())
                        .sum::<f64>()
            })
            .collect()
    };
    let (cx, cp) = (spectrum(&sol.lags), spectrum(&sol.cphi));
    // X_k = (e^{iω_k} − q)/δ.
    let x: Vec<(f64, f64)> = (0..m)
        .map(|k| {
            let w = 2.0 * std::f64::consts::PI * k as f64 / m as f64;
            ((w.cos() - q) / delta, w.sin() / delta)
        })
        .collect();
    let nu = sol.nu;
    let (mut psi_x, mut psi_p) = (0.0, 0.0);
    for (k, &(ar, ai)) in x.iter().enumerate() {
        let (mut sx, mut sp) = (0.0, 0.0);
        for (l, &(br, bi)) in x.iter().enumerate() {
            let (pr, pi) = (ar * br - ai * bi, ar * bi + ai * br);
            let mod2 = pr * pr + pi * pi;
            let den = (pr - nu) * (pr - nu) + pi * pi;
            sx += ((2.0 + gamma) * mod2 - nu * nu) / den * cx[l];
            sp += (mod2 + gamma * nu * nu) / den * cp[l];
        }
        psi_x += sx * cx[k];
        psi_p += sp * cp[k];
    }
    let norm = (m * m) as f64;
    let (px, pp) = (psi_x / norm, psi_p / norm);
    (
        sol.lags[0] * sol.lags[0] / px,
        sol.cphi[0] * sol.cphi[0] / pp,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamics::phi::{Phi, PhiKind};
    use crate::theory::dimension::{dimension, DimensionInput};
    use crate::theory::dmft::{solve, DmftSpec};

    fn nl(kind: PhiKind) -> Nonlinearity {
        Nonlinearity::unbiased(Phi { kind, gain: 1.0 })
    }

    #[test]
    fn delta_one_gives_the_closed_forms() {
        for (kind, g, gamma) in [
            (PhiKind::Tanh, 1.5, 0.0),
            (PhiKind::Tanh, 2.0, 0.0),
            (PhiKind::Erf, 3.0, 0.0),
            (PhiKind::Tanh, 2.0, 3.9),
        ] {
            let spec = MapSpec {
                nl: nl(kind),
                g,
                delta: 1.0,
                noise: 0.0,
            };
            let s = solve_map(&spec).unwrap();
            let k = GaussianKernel::moments(&spec.nl, s.delta0);
            assert!((s.delta0 - g * g * k.mean_phi2).abs() < 1e-12 * s.delta0);
            let (px, pp) = map_dimension(&s, 1.0, gamma);
            let r = s.nu * s.nu;
            if gamma == 0.0 {
                assert!((pp - (1.0 - r)).abs() < 1e-10, "{pp} vs {}", 1.0 - r);
                assert!((px - (1.0 - r) / (2.0 - r)).abs() < 1e-10);
            }
            assert!((pp - (1.0 - r) / (1.0 + gamma * s.nu * s.nu)).abs() < 1e-10);
            assert!((px - (1.0 - r) / (2.0 + gamma - r)).abs() < 1e-10);
        }
    }

    #[test]
    fn linear_units_match_the_closed_form_variance() {
        // Δ(ω) = δσ² / (|e^{iω} − q|² − δ²g²): Δ0 = δσ² / √((1 + q² − δ²g²)² − 4q²).
        for (g, d, sigma) in [(0.6, 0.5, 1.0), (0.8, 0.2, 0.7), (0.5, 1.0, 1.0)] {
            let s = solve_map(&MapSpec {
                nl: nl(PhiKind::Linear),
                g,
                delta: d,
                noise: sigma,
            })
            .unwrap();
            let q = 1.0 - d;
            let b = 1.0 + q * q - d * d * g * g;
            let exact = d * sigma * sigma / (b * b - 4.0 * q * q).sqrt();
            assert!(
                (s.delta0 / exact - 1.0).abs() < 1e-9,
                "{} vs {exact}",
                s.delta0
            );
        }
    }

    #[test]
    fn small_steps_approach_the_continuous_theory() {
        let cont = solve(&DmftSpec {
            nl: nl(PhiKind::Tanh),
            g: 2.0,
            noise: 0.0,
            dt: 0.01,
            tau_max: None,
            gains: None,
        })
        .unwrap();
        let mut errors = Vec::new();
        for d in [0.04, 0.02] {
            let s = solve_map(&MapSpec {
                nl: nl(PhiKind::Tanh),
                g: 2.0,
                delta: d,
                noise: 0.0,
            })
            .unwrap();
            errors.push((s.delta0 / cont.delta0 - 1.0).abs());
            // Δ at τ = 2 (in units of the neuronal time constant).
            let t = (2.0 / d).round() as usize;
            assert!((s.lags[t] / cont.delta[200] - 1.0).abs() < 0.1);
        }
        // Convergence in δ (measured: the variance converges as δ²).
        assert!(
            errors[1] < 0.6 * errors[0] && errors[1] < 0.05,
            "{errors:?}"
        );
        // The dimension too, for iid and random-mode couplings.
        let continuous = dimension(&DimensionInput {
            dt: cont.dt,
            cx: &cont.delta,
            cphi: &cont.cphi,
            nu: cont.nu,
        })
        .unwrap();
        let mut dev = Vec::new();
        for d in [0.08, 0.04] {
            let spec = MapSpec {
                nl: nl(PhiKind::Tanh),
                g: 2.0,
                delta: d,
                noise: 0.0,
            };
            let s = solve_map(&spec).unwrap();
            for gamma in [0.0, 3.9] {
                let (px, pp) = map_dimension(&s, d, gamma);
                dev.push((px / continuous.pr_x(gamma) - 1.0).abs());
                dev.push((pp / continuous.pr_phi(gamma) - 1.0).abs());
            }
        }
        assert!(dev[4..].iter().all(|&e| e < 0.1), "{dev:?}");
        assert!(
            dev[4..].iter().sum::<f64>() < 0.7 * dev[..4].iter().sum::<f64>(),
            "{dev:?}"
        );
    }
}
