//! Critical coupling gain: where the static state x_i = b + Σ_j J_ij φ(x_j) loses stability.
//!
//! The static mean-field variance solves Δ = g² E[φ²(b + √Δ z)], and the fixed point is stable
//! while the spectral radius of J diag(φ'), g √E[φ'²], is below one. g_c solves
//! g² E[φ'²(b + √Δ(g) z)] = 1; for odd φ without bias Δ = 0 and g_c = 1/φ'(0).

use super::dmft::static_variance;
use super::gaussian_kernel::GaussianKernel;
use super::nonlinearity::Nonlinearity;
use super::roots::brent;

/// g_c, or None if no finite gain destabilises the static state.
pub fn critical_gain(nl: &Nonlinearity) -> Option<f64> {
    if nl.is_odd() {
        return Some(1.0 / nl.slope(0.0));
    }
    let excess = |g: f64| -> f64 {
        let g2 = g * g;
        match static_variance(nl, g2) {
            Some(d) => g2 * GaussianKernel::moments(nl, d).mean_slope2 - 1.0,
            None => 1.0,
        }
    };
    let mut hi = 0.5;
    while excess(hi) < 0.0 {
        hi *= 2.0;
        if hi > 1e6 {
            return None;
        }
    }
    brent(excess, 0.0, hi, 1e-13 * hi)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamics::phi::{Phi, PhiKind};
    use crate::theory::dmft::{solve, DmftSpec, Regime};

    fn nl(bias: f64) -> Nonlinearity {
        Nonlinearity {
            phi: Phi {
                kind: PhiKind::Tanh,
                gain: 1.0,
            },
            bias,
        }
    }

    #[test]
    fn odd_phi_gives_inverse_slope_and_bias_raises_it() {
        assert!((critical_gain(&nl(0.0)).unwrap() - 1.0).abs() < 1e-15);
        let gc = critical_gain(&nl(0.5)).unwrap();
        assert!(gc > 1.05, "{gc}");
        // The DMFT switches from the static fixed point to chaos across g_c.
        let at = |g: f64| {
            solve(&DmftSpec {
                nl: nl(0.5),
                g,
                noise: 0.0,
                dt: 0.05,
                tau_max: None,
                gains: None,
            })
            .unwrap()
            .regime
        };
        assert_eq!(at(gc * 0.97), Regime::FixedPoint);
        assert_eq!(at(gc * 1.05), Regime::Chaotic);
    }
}
