//! The linear-equivalent slopes and residuals of the gain classes of a network with row gains
//! J → diag(h)J (Clark 2026, arXiv 2604.23489, applied per unit; derived here): a unit of class c
//! has its own autocorrelation Δ_c(τ) (h_c² Δ̄(τ) without noise, Δ̄ from [`super::dmft`] with row
//! gains; from [`super::row_gain_dmft`] with noise), hence its own slope a_c = ⟨φ'⟩ at variance
//! Δ_c(0) and residual autocorrelation
//!
//!   C_r,c(τ) = [C_φ(Δ_c(τ); Δ_c(0)) − a_c² Δ_c(τ)] − (the same at the last lag),
//!
//! the connected part of φ − a_c x, as for one class.

use super::gaussian_kernel::GaussianKernel;
use super::nonlinearity::Nonlinearity;

/// Slope a_c and residual C_r,c(τ) on the lags of each class's Δ_c (τ = 0, dt, …).
pub fn gain_class_residuals<'a>(
    nl: &Nonlinearity,
    deltas: impl IntoIterator<Item = &'a [f64]>,
) -> Vec<(f64, Vec<f64>)> {
    deltas
        .into_iter()
        .map(|delta| {
            let d0 = delta.first().copied().unwrap_or(0.0);
            let kernel = GaussianKernel::new(nl, d0);
            let a = kernel.mean_slope;
            let raw: Vec<f64> = delta
                .iter()
                .map(|&d| {
                    let c = d.clamp(-d0, d0);
                    kernel.c_phi(c) - a * a * c
                })
                .collect();
            let tail = raw.last().copied().unwrap_or(0.0);
            (a, raw.iter().map(|v| v - tail).collect())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamics::phi::{Phi, PhiKind};
    use crate::theory::dmft::{solve, DmftSpec};

    fn tanh() -> Nonlinearity {
        Nonlinearity {
            phi: Phi {
                kind: PhiKind::Tanh,
                gain: 1.0,
            },
            bias: 0.0,
        }
    }

    /// One class with h² = 1 is the uniform DMFT's slope and residual C_φ − a²Δ.
    #[test]
    fn unit_gain_is_the_uniform_residual() {
        let spec = DmftSpec {
            nl: tanh(),
            g: 2.0,
            noise: 0.0,
            dt: 0.02,
            tau_max: None,
            gains: None,
        };
        let s = solve(&spec).unwrap();
        let out = gain_class_residuals(&spec.nl, [s.delta.as_slice()]);
        let (a, r) = &out[0];
        assert!((a - s.mean_slope).abs() < 1e-12, "{a} vs {}", s.mean_slope);
        let last = s.delta.len() - 1;
        let tail = s.cphi[last] - a * a * s.delta[last];
        for (k, ((&got, &cphi), &delta)) in r.iter().zip(&s.cphi).zip(&s.delta).enumerate() {
            let want = cphi - a * a * delta - tail;
            assert!((got - want).abs() < 1e-10, "lag {k}: {got} vs {want}");
        }
    }

    /// The residual is the non-linear part: zero for linear φ; for tanh positive at τ = 0, where
    /// C_r,c(0) = E[φ²] − a_c²Δ_c(0) grows with the gain, and decaying to 0.
    #[test]
    fn residuals_vanish_for_linear_phi_and_grow_with_the_gain() {
        let scaled = |h2: f64| -> Vec<f64> {
            (0..200)
                .map(|k| h2 * 2.0 * (-0.05 * k as f64).exp())
                .collect()
        };
        let deltas = |h2: &[f64]| h2.iter().map(|&h| scaled(h)).collect::<Vec<_>>();
        let linear = Nonlinearity {
            phi: Phi {
                kind: PhiKind::Linear,
                gain: 1.0,
            },
            bias: 0.0,
        };
        for (a, r) in
            gain_class_residuals(&linear, deltas(&[0.5, 2.0]).iter().map(|d| d.as_slice()))
        {
            assert!((a - 1.0).abs() < 1e-12);
            assert!(r.iter().all(|v| v.abs() < 1e-12));
        }
        let out = gain_class_residuals(
            &tanh(),
            deltas(&[0.25, 1.0, 4.0]).iter().map(|d| d.as_slice()),
        );
        assert!(
            out[0].0 > out[1].0 && out[1].0 > out[2].0,
            "slopes fall with the variance"
        );
        assert!(out[0].1[0] < out[1].1[0] && out[1].1[0] < out[2].1[0]);
        assert!(out.iter().all(|(_, r)| r.last() == Some(&0.0)));
    }
}
