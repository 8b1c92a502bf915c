//! Single-neuron nonlinearities φ, applied as φ(a·x) with a neuronal gain a.

/// The nonlinearity family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhiKind {
    /// tanh x.
    Tanh,
    /// erf(√π x / 2): slope 1 at the origin, close to tanh, Gaussian averages in closed form.
    Erf,
    /// max(0, x).
    Relu,
    /// x.
    Linear,
}

impl PhiKind {
    /// The kind for its integer code at the C boundary (0 tanh, 1 erf, 2 relu, 3 linear).
    pub fn from_code(code: u32) -> Option<PhiKind> {
        match code {
            0 => Some(PhiKind::Tanh),
            1 => Some(PhiKind::Erf),
            2 => Some(PhiKind::Relu),
            3 => Some(PhiKind::Linear),
            _ => None,
        }
    }
}

/// φ(x) = kind(gain · x).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Phi {
    pub kind: PhiKind,
    pub gain: f64,
}

const HALF_SQRT_PI: f64 = 0.886_226_925_452_758;

impl Phi {
    /// φ at one point.
    #[inline]
    pub fn eval(&self, x: f64) -> f64 {
        let u = self.gain * x;
        match self.kind {
            PhiKind::Tanh => u.tanh(),
            PhiKind::Erf => libm::erf(HALF_SQRT_PI * u),
            PhiKind::Relu => u.max(0.0),
            PhiKind::Linear => u,
        }
    }

    /// out_i = φ(x_i).
    pub fn apply(&self, x: &[f64], out: &mut [f64]) {
        for (o, &v) in out.iter_mut().zip(x) {
            *o = self.eval(v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slopes_at_origin_and_values() {
        for kind in [PhiKind::Tanh, PhiKind::Erf, PhiKind::Linear] {
            let phi = Phi { kind, gain: 1.3 };
            let h = 1e-6;
            let slope = (phi.eval(h) - phi.eval(-h)) / (2.0 * h);
            assert!((slope - 1.3).abs() < 1e-9, "{kind:?}");
        }
        let relu = Phi {
            kind: PhiKind::Relu,
            gain: 2.0,
        };
        assert_eq!(relu.eval(-1.0), 0.0);
        assert_eq!(relu.eval(1.5), 3.0);
        let erf = Phi {
            kind: PhiKind::Erf,
            gain: 1.0,
        };
        assert!((erf.eval(30.0) - 1.0).abs() < 1e-15);
        assert!((erf.eval(1.0) - 0.789_908_594_556_062_7).abs() < 1e-13);
    }
}
