//! Parameter updates for online training: SGD and Adam (Kingma & Ba 2015), after optional
//! clipping of the global gradient norm ‖g‖ = (‖g_W‖² + ‖g_Wout‖² + ‖g_bout‖²)^{1/2} to
//! `max_norm` (g ← g·max_norm/‖g‖ when ‖g‖ > max_norm), as in the fixed reference code.
//!
//! ```text
//! SGD:   θ ← θ − η g
//! Adam:  m ← β₁ m + (1−β₁) g,  v ← β₂ v + (1−β₂) g²,
//!        θ ← θ − η m̂/(√v̂ + ε),  m̂ = m/(1−β₁ᵗ),  v̂ = v/(1−β₂ᵗ)
//! ```

use super::bptt::Gradients;
use super::rnn::Rnn;
use crate::kernels::dot;

/// The update rule.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Rule {
    /// Plain stochastic gradient descent with learning rate η.
    Sgd { lr: f64 },
    /// Adam with learning rate η, decay rates β₁, β₂ and ε.
    Adam {
        lr: f64,
        beta1: f64,
        beta2: f64,
        eps: f64,
    },
}

impl Rule {
    /// Adam with the usual β₁ = 0.9, β₂ = 0.999, ε = 1e−8.
    pub fn adam(lr: f64) -> Rule {
        Rule::Adam {
            lr,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
        }
    }
}

/// An optimizer with its state (Adam's moments, in the layout W, W_out, b_out).
#[derive(Clone, Debug, PartialEq)]
pub struct Optimizer {
    rule: Rule,
    /// Clip the global gradient norm to this value (None: no clipping).
    pub max_norm: Option<f64>,
    /// The paper-era reference code computed the clipped gradient and discarded it; true
    /// reproduces that (no clipping is ever applied).
    pub discard_clipping: bool,
    t: u64,
    moments: Vec<f64>,
}

impl Optimizer {
    /// A fresh optimizer for parameters of `len` entries in total.
    pub fn new(rule: Rule, max_norm: Option<f64>, len: usize) -> Optimizer {
        let moments = match rule {
            Rule::Sgd { .. } => Vec::new(),
            Rule::Adam { .. } => vec![0.0; 2 * len],
        };
        Optimizer {
            rule,
            max_norm,
            discard_clipping: false,
            t: 0,
            moments,
        }
    }

    /// The rule.
    pub fn rule(&self) -> Rule {
        self.rule
    }

    /// Updates taken so far.
    pub fn updates(&self) -> u64 {
        self.t
    }

    /// Adam's first and second moments, m then v, each in the order W, W_out, b_out (empty for
    /// SGD).
    pub fn moments(&self) -> &[f64] {
        &self.moments
    }

    /// Restores the state saved by [`Optimizer::updates`] and [`Optimizer::moments`]. Panics if
    /// `moments` does not have the length of this optimizer's.
    pub fn restore(&mut self, updates: u64, moments: &[f64]) {
        assert_eq!(
            moments.len(),
            self.moments.len(),
            "Optimizer: moments have the wrong length"
        );
        self.t = updates;
        self.moments.copy_from_slice(moments);
    }

    /// Applies one update to `rnn` from `grads` (clipped in place if needed) and returns the
    /// global gradient norm before clipping.
    pub fn apply(&mut self, rnn: &mut Rnn, grads: &mut Gradients) -> f64 {
        let sq = |v: &[f64]| dot(v, v);
        let norm = (sq(&grads.w) + sq(&grads.w_out) + sq(&grads.b_out)).sqrt();
        if let Some(max) = self.max_norm {
            if norm > max && !self.discard_clipping {
                let s = max / norm;
                for v in grads
                    .w
                    .iter_mut()
                    .chain(grads.w_out.iter_mut())
                    .chain(grads.b_out.iter_mut())
                {
                    *v *= s;
                }
            }
        }
        self.t += 1;
        let rule = self.rule;
        let t = self.t as f64;
        let mut offset = 0;
        for (p, g) in [
            (&mut rnn.w, &grads.w),
            (&mut rnn.w_out, &grads.w_out),
            (&mut rnn.b_out, &grads.b_out),
        ] {
            let len = p.len();
            match rule {
                Rule::Sgd { lr } => p.iter_mut().zip(g).for_each(|(pi, gi)| *pi -= lr * gi),
                Rule::Adam {
                    lr,
                    beta1,
                    beta2,
                    eps,
                } => {
                    let half = self.moments.len() / 2;
                    let (m, v) = self.moments.split_at_mut(half);
                    let (m, v) = (&mut m[offset..offset + len], &mut v[offset..offset + len]);
                    let c1 = 1.0 - beta1.powf(t);
                    let c2 = 1.0 - beta2.powf(t);
                    for (((pi, gi), mi), vi) in p.iter_mut().zip(g).zip(m).zip(v) {
                        *mi = beta1 * *mi + (1.0 - beta1) * gi;
                        *vi = beta2 * *vi + (1.0 - beta2) * gi * gi;
                        *pi -= lr * (*mi / c1) / ((*vi / c2).sqrt() + eps);
                    }
                }
            }
            offset += len;
        }
        norm
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::rnn::{unit_fixture, Loss};

    fn grads_of(rnn: &Rnn, value: f64) -> Gradients {
        let mut g = Gradients::zeros(rnn);
        g.w.iter_mut().for_each(|v| *v = value);
        g.w_out.iter_mut().for_each(|v| *v = value);
        g.b_out.iter_mut().for_each(|v| *v = value);
        g
    }

    fn len(rnn: &Rnn) -> usize {
        rnn.w.len() + rnn.w_out.len() + rnn.b_out.len()
    }

    #[test]
    fn sgd_steps_against_the_gradient() {
        let mut net = unit_fixture(Loss::MeanSquaredError);
        let before = net.clone();
        let shape = net.clone();
        let mut opt = Optimizer::new(Rule::Sgd { lr: 0.1 }, None, len(&net));
        let norm = opt.apply(&mut net, &mut grads_of(&shape, 2.0));
        assert!((norm - 2.0 * (len(&net) as f64).sqrt()).abs() < 1e-12);
        for (a, b) in net.w.iter().zip(&before.w) {
            assert!((a - (b - 0.2)).abs() < 1e-15);
        }
        assert!((net.b_out[1] - (before.b_out[1] - 0.2)).abs() < 1e-15);
    }

    #[test]
    fn clipping_rescales_to_the_bound_and_legacy_discards_it() {
        let net0 = unit_fixture(Loss::MeanSquaredError);
        let k = len(&net0) as f64;
        for (discard, expected_step) in [(false, 1.0 / k.sqrt()), (true, 3.0)] {
            let mut net = net0.clone();
            let shape = net0.clone();
            let mut opt = Optimizer::new(Rule::Sgd { lr: 1.0 }, Some(1.0), len(&net));
            opt.discard_clipping = discard;
            let norm = opt.apply(&mut net, &mut grads_of(&shape, 3.0));
            assert!((norm - 3.0 * k.sqrt()).abs() < 1e-12);
            let step = net0.w[1] - net.w[1];
            assert!((step - expected_step).abs() < 1e-14, "{step}");
        }
    }

    /// Adam's first update is −η·sign(g) (m̂ = g, v̂ = g²), and on a constant gradient every
    /// update is the same.
    #[test]
    fn adam_bias_correction() {
        let mut net = unit_fixture(Loss::MeanSquaredError);
        let w0 = net.w[0];
        let shape = net.clone();
        let mut opt = Optimizer::new(Rule::adam(0.01), None, len(&net));
        opt.apply(&mut net, &mut grads_of(&shape, -0.3));
        assert!((net.w[0] - (w0 + 0.01)).abs() < 1e-9);
        opt.apply(&mut net, &mut grads_of(&shape, -0.3));
        assert!((net.w[0] - (w0 + 0.02)).abs() < 1e-9);
        assert_eq!(opt.updates(), 2);
    }

    /// Adam on a quadratic bowl ½‖θ − θ*‖² reaches θ*.
    #[test]
    fn adam_minimises_a_quadratic() {
        let mut net = unit_fixture(Loss::MeanSquaredError);
        let mut opt = Optimizer::new(Rule::adam(0.05), None, len(&net));
        for _ in 0..3000 {
            let mut g = Gradients::zeros(&net);
            g.w.iter_mut()
                .zip(&net.w)
                .enumerate()
                .for_each(|(i, (gi, p))| *gi = p - i as f64 * 0.1);
            opt.apply(&mut net, &mut g);
        }
        for (i, p) in net.w.iter().enumerate() {
            assert!((p - i as f64 * 0.1).abs() < 1e-3, "{i}: {p}");
        }
    }
}
