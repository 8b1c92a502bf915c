//! The single-neuron nonlinearity as the theory sees it: φ(x) = f(a·(x + b)) for a kind f
//! (tanh, erf(√π u/2), ReLU, linear), a neuronal gain a > 0 and a constant input b, with its
//! derivative φ' and an antiderivative Φ (Φ' = φ) used by the DMFT potential.

use crate::dynamics::phi::{Phi, PhiKind};

const HALF_SQRT_PI: f64 = 0.886_226_925_452_758;
const LN_2: f64 = std::f64::consts::LN_2;

/// φ with its derivative and antiderivative, evaluated at the fluctuation δx = x − b.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Nonlinearity {
    pub phi: Phi,
    /// Constant input b: the network receives I = b, so x = b + δx with δx centred.
    pub bias: f64,
}

impl Nonlinearity {
    /// φ without a constant input (b = 0).
    pub fn unbiased(phi: Phi) -> Nonlinearity {
        Nonlinearity { phi, bias: 0.0 }
    }

    /// φ(b + d).
    #[inline]
    pub fn value(&self, d: f64) -> f64 {
        self.phi.eval(d + self.bias)
    }

    /// φ'(b + d).
    #[inline]
    pub fn slope(&self, d: f64) -> f64 {
        let a = self.phi.gain;
        let u = a * (d + self.bias);
        match self.phi.kind {
            PhiKind::Tanh => {
                let t = u.tanh();
                a * (1.0 - t * t)
            }
            PhiKind::Erf => a * (-std::f64::consts::FRAC_PI_4 * u * u).exp(),
            PhiKind::Relu => {
                if u > 0.0 {
                    a
                } else {
                    0.0
                }
            }
            PhiKind::Linear => a,
        }
    }

    /// Φ(b + d) with Φ' = φ (any constant of integration cancels in the DMFT).
    #[inline]
    pub fn antiderivative(&self, d: f64) -> f64 {
        let a = self.phi.gain;
        let u = a * (d + self.bias);
        let big = match self.phi.kind {
            // log cosh u, written to avoid overflow.
            PhiKind::Tanh => u.abs() + (-2.0 * u.abs()).exp().ln_1p() - LN_2,
            // ∫₀ᵘ erf(k s) ds = u erf(k u) + (e^{−k²u²} − 1)/(k√π), k = √π/2.
            PhiKind::Erf => {
                u * libm::erf(HALF_SQRT_PI * u)
                    + ((-std::f64::consts::FRAC_PI_4 * u * u).exp() - 1.0)
                        / std::f64::consts::FRAC_PI_2
            }
            PhiKind::Relu => 0.5 * u.max(0.0).powi(2),
            PhiKind::Linear => 0.5 * u * u,
        };
        big / a
    }

    /// Half-width, in units of x, of the strip around the real axis where φ is analytic and
    /// moderate (tanh has poles at a·x = ±iπ/2); sets quadrature steps. Infinite for polynomials.
    pub fn analytic_half_width(&self) -> f64 {
        let a = self.phi.gain;
        match self.phi.kind {
            PhiKind::Tanh => std::f64::consts::FRAC_PI_2 / a,
            // erf(k a x) is entire but grows like e^{k²a²y²}: treat a strip of width ~1/a as moderate.
            PhiKind::Erf => 1.2 / a,
            PhiKind::Relu | PhiKind::Linear => f64::INFINITY,
        }
    }

    /// Whether φ is odd about the origin with b = 0 (then Δ(∞) = 0 and x = 0 is a fixed point).
    pub fn is_odd(&self) -> bool {
        self.bias == 0.0
            && matches!(
                self.phi.kind,
                PhiKind::Tanh | PhiKind::Erf | PhiKind::Linear
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slope_and_antiderivative_are_consistent_with_phi() {
        for kind in [PhiKind::Tanh, PhiKind::Erf, PhiKind::Relu, PhiKind::Linear] {
            let nl = Nonlinearity {
                phi: Phi { kind, gain: 1.7 },
                bias: 0.3,
            };
            for &d in &[-2.1, -0.4, 0.05, 0.8, 3.3] {
                let h = 1e-5;
                let fd_slope = (nl.value(d + h) - nl.value(d - h)) / (2.0 * h);
                let fd_value = (nl.antiderivative(d + h) - nl.antiderivative(d - h)) / (2.0 * h);
                assert!((fd_slope - nl.slope(d)).abs() < 1e-8, "{kind:?} φ' at {d}");
                assert!((fd_value - nl.value(d)).abs() < 1e-8, "{kind:?} Φ' at {d}");
            }
        }
    }
}
