//! Critical coupling gain: where the static state x_i = b + Σ_j J_ij φ(x_j) loses stability.
//!
//! The static mean-field variance solves Δ = g² E[φ²(b + √Δ z)], and the fixed point is stable
//! while the spectral radius of J diag(φ'), g √E[φ'²], is below one. g_c solves
//! g² E[φ'²(b + √Δ(g) z)] = 1; for odd φ without bias Δ = 0 and g_c = 1/φ'(0).

use super::dmft::{static_variance, StaticFailure, MAX_KERNEL_WIDTH};
use super::gaussian_kernel::GaussianKernel;
use super::nonlinearity::Nonlinearity;
use super::roots::brent;

/// g_c, or None if no gain destabilises the static state while its variance stays within the
/// range of the kernels ([`MAX_KERNEL_WIDTH`]) and g ≤ 1e6.
pub fn critical_gain(nl: &Nonlinearity) -> Option<f64> {
    if nl.is_odd() {
        return Some(1.0 / nl.slope(0.0));
    }
    let width = MAX_KERNEL_WIDTH * nl.analytic_half_width();
    let limit = width * width;
    // None: the static variance leaves the kernels' range before the state destabilises.
    let excess = |g: f64| -> Option<f64> {
        let g2 = g * g;
        match static_variance(nl, g2, limit) {
            Ok(d) => Some(g2 * GaussianKernel::moments(nl, d).mean_slope2 - 1.0),
            Err(StaticFailure::Unbounded) => Some(1.0),
            Err(StaticFailure::OutOfRange) => None,
        }
    };
    let mut hi = 0.5;
    while excess(hi)? < 0.0 {
        hi *= 2.0;
        if hi > 1e6 {
            return None;
        }
    }
    // Below hi the static variance is smaller, hence within range.
    brent(|g| excess(g).unwrap_or(1.0), 0.0, hi, 1e-13 * hi)
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
