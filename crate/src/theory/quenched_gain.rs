//! The self-consistent gain of the linear equivalent of a given J (ours).
//!
//! [`super::quenched`] takes the slope a = ⟨φ'⟩ and the residual C_r from the DMFT at one gain g,
//! which fixes the single-unit variance at the DMFT's Δ0(g). A sampled J at finite N has
//! eigenvalues near the edge aλ = 1 whose modes the linear equivalent amplifies, so its own mean
//! variance v(g) = tr C^x / N can exceed Δ0(g) several-fold, while in the nonlinear network a
//! larger variance lowers ⟨φ'⟩ and holds those modes back. The self-consistent gain g* is the
//! gain whose DMFT statistics reproduce themselves in the network: v(g*) = Δ0(g*). (A larger g
//! raises Δ0 and, for saturating φ, lowers a and with it v; g* sits near the matrix's gain,
//! e.g. 2.03 for an iid J of gain 2 at N = 1000 with a·max Re λ = 0.99.)
//!
//! The search brackets the root of f(g) = v(g) − Δ0(g) (f = +∞ where the linear equivalent is
//! unstable) by steps of 1 %, 2 %, 4 %, … from the starting gain, then bisects it to a relative
//! width of 1e−9. The eigen-decomposition and the grams P⁻¹P⁻ᵀ, PᵀP are formed once; each
//! evaluation is one DMFT solution and O(N²) ([`quenched_mean_variance`]).

use super::dmft::{solve, DmftSpec, Regime, Stationary};
use super::quenched::{quenched_mean_variance, LinearEquivalent, Prepared};
use crate::linalg::eigvec::EigenDecomposition;

/// Relative width of the final bracket.
const TOLERANCE: f64 = 1e-9;
/// Bracketing steps (the last one multiplies or divides g by 1 + 0.01·2^(STEPS−1)).
const STEPS: usize = 9;

/// Result of [`self_consistent_gain`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SelfConsistentGain {
    /// g* and the mean variance there (= Δ0(g*) to the tolerance).
    pub g: f64,
    pub variance: f64,
    /// DMFT solutions evaluated.
    pub evaluations: usize,
    /// ‖P‖₁ ‖P⁻¹‖₁ of the real eigenvector basis (the variances carry an error ≈ ε times its square).
    pub condition: f64,
}

/// The residual C_r = C_φ − a²Δ, shifted to zero at the last lag (connected parts).
pub fn residual_of(s: &Stationary) -> Vec<f64> {
    let a = s.mean_slope;
    let last = s.delta.len() - 1;
    let tail = s.cphi[last] - a * a * s.delta[last];
    s.delta
        .iter()
        .zip(&s.cphi)
        .map(|(d, c)| c - a * a * d - tail)
        .collect()
}

/// g* with v(g*) = Δ0(g*) for the eigen-decomposition `eig` of J (n × n), starting from the
/// gain of `spec` (its other settings: φ, noise, lag step).
pub fn self_consistent_gain(
    eig: &EigenDecomposition,
    n: usize,
    spec: &DmftSpec,
) -> Result<SelfConsistentGain, String> {
    let mut pre = Prepared::new(eig, n, 0.0)?;
    let condition = pre.condition;
    let grams = pre.grams();
    let noise_variance = spec.noise * spec.noise;
    let mut evaluations = 0;
    // f(g) = v(g) − Δ0(g) and v(g); +∞ where the linear equivalent is unstable.
    let mut f = |g: f64| -> Result<(f64, f64), String> {
        evaluations += 1;
        let s = solve(&DmftSpec { g, ..spec.clone() }).map_err(|e| e.message)?;
        if matches!(s.regime, Regime::Quiescent | Regime::FixedPoint) {
            return Err(format!(
                "at g = {g} the mean-field state has no temporal fluctuations: no self-consistent gain"
            ));
        }
        if pre.set_scale(s.mean_slope).is_err() {
            return Ok((f64::INFINITY, f64::INFINITY));
        }
        let residual = residual_of(&s);
        let p = LinearEquivalent::uniform(s.mean_slope, noise_variance, &residual, s.dt);
        let v = quenched_mean_variance(&pre, &p, &grams)?;
        Ok((v - s.delta0, v))
    };
    let g0 = spec.g;
    let (f0, _) = f(g0)?;
    let up = f0 > 0.0;
    let (mut lo, mut hi) = (g0, g0);
    let mut found = false;
    for k in 0..STEPS {
        let step = 1.0 + 0.01 * (1u32 << k) as f64;
        let g = if up { g0 * step } else { g0 / step };
        let (fg, _) = f(g)?;
        if up {
            (lo, hi) = (hi, g);
        } else {
            (hi, lo) = (lo, g);
        }
        if (fg > 0.0) != up {
            found = true;
            break;
        }
    }
    if !found {
        return Err(format!(
            "no self-consistent gain within a factor {:.2} of g = {g0}",
            1.0 + 0.01 * (1u32 << (STEPS - 1)) as f64
        ));
    }
    // Invariant: f(lo) > 0 ≥ f(hi) (v falls relative to Δ0 as g grows).
    while hi - lo > TOLERANCE * hi {
        let mid = 0.5 * (lo + hi);
        if f(mid)?.0 > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let (_, variance) = f(hi)?;
    Ok(SelfConsistentGain {
        g: hi,
        variance,
        evaluations,
        condition,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamics::phi::{Phi, PhiKind};
    use crate::linalg::eigvec::eigen_decomposition;
    use crate::linalg::test_matrices;
    use crate::theory::nonlinearity::Nonlinearity;
    use crate::theory::quenched::quenched_covariances;

    fn spec(g: f64, noise: f64) -> DmftSpec {
        DmftSpec {
            nl: Nonlinearity::unbiased(Phi {
                kind: PhiKind::Tanh,
                gain: 1.0,
            }),
            g,
            noise,
            dt: 0.05,
            tau_max: None,
            gains: None,
        }
    }

    fn iid(n: usize, g: f64, seed: u64) -> Vec<f64> {
        test_matrices::gaussian(n, g / (n as f64).sqrt(), seed)
    }

    #[test]
    fn the_mean_variance_is_the_trace_of_the_full_covariance() {
        let n = 70;
        let j = iid(n, 1.6, 3);
        let eig = eigen_decomposition(&j, n).unwrap();
        let s = solve(&spec(1.6, 0.4)).unwrap();
        let residual = residual_of(&s);
        let p = LinearEquivalent::uniform(s.mean_slope, 0.16, &residual, s.dt);
        let pre = Prepared::new(&eig, n, s.mean_slope).unwrap();
        let (cx, _) = quenched_covariances(&pre, &p);
        let trace = (0..n).map(|i| cx[i * n + i]).sum::<f64>() / n as f64;
        let v = quenched_mean_variance(&pre, &p, &pre.grams()).unwrap();
        assert!((v / trace - 1.0).abs() < 1e-12, "{v} vs {trace}");
    }

    #[test]
    fn at_the_self_consistent_gain_the_network_reproduces_the_dmft_variance() {
        // Without noise at g = 2 (an edge eigenvalue amplified) and with noise at g = 1.2.
        for (n, g, noise, seed) in [(120, 2.0, 0.0, 5), (120, 1.2, 0.5, 6)] {
            let j = iid(n, g, seed);
            let eig = eigen_decomposition(&j, n).unwrap();
            let r = self_consistent_gain(&eig, n, &spec(g, noise)).unwrap();
            let s = solve(&spec(r.g, noise)).unwrap();
            assert!(
                (r.variance / s.delta0 - 1.0).abs() < 1e-6,
                "{r:?} vs Δ0 {}",
                s.delta0
            );
            // The full predictor at g* has the same mean variance.
            let residual = residual_of(&s);
            let p = LinearEquivalent::uniform(s.mean_slope, noise * noise, &residual, s.dt);
            let (cx, _) = quenched_covariances(&Prepared::new(&eig, n, s.mean_slope).unwrap(), &p);
            let trace = (0..n).map(|i| cx[i * n + i]).sum::<f64>() / n as f64;
            assert!(
                (trace / r.variance - 1.0).abs() < 1e-9,
                "{trace} vs {}",
                r.variance
            );
            // Slightly off g* the mismatch changes sign.
            let off = |f: f64| {
                let s = solve(&spec(r.g * f, noise)).unwrap();
                let residual = residual_of(&s);
                let p = LinearEquivalent::uniform(s.mean_slope, noise * noise, &residual, s.dt);
                let pre = Prepared::new(&eig, n, s.mean_slope);
                pre.map(|pre| quenched_mean_variance(&pre, &p, &pre.grams()).unwrap() - s.delta0)
                    .unwrap_or(f64::INFINITY)
            };
            assert!(off(0.999) > 0.0 && off(1.001) < 0.0, "{r:?}");
            assert!((r.g / g - 1.0).abs() < 0.3 && r.evaluations < 80, "{r:?}");
        }
    }

    #[test]
    fn a_gain_without_fluctuations_is_an_error() {
        // g = 0.5 without noise: the DMFT state is quiescent.
        let n = 30;
        let eig = eigen_decomposition(&iid(n, 0.5, 1), n).unwrap();
        assert!(self_consistent_gain(&eig, n, &spec(0.5, 0.0)).is_err());
    }
}
