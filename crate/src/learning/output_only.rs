//! The control "output weights only" (Marschall et al. 2020, §3.1; `Only_Output_Weights` in the
//! reference code): no credit is assigned to the recurrent weights, g(t) = 0 for every step, so
//! only W_out and b_out learn, by their exact local gradients e(t) a(t)ᵀ and e(t) (handled by the
//! caller, as for every algorithm). This is the reservoir / echo-state baseline of every
//! experiment.
//!
//! Axes: none (no recurrent learning). Memory 0, compute O(n·m) per step (writing the zero
//! gradient).

use super::learner::Learner;
use super::rnn::{Rnn, Step};

/// The learner that leaves the recurrent weights alone.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OutputOnly;

impl OutputOnly {
    /// The (stateless) control learner.
    pub fn new() -> OutputOnly {
        OutputOnly
    }
}

impl Learner for OutputOnly {
    /// Nothing to clear.
    fn reset(&mut self) {}

    /// g(t) = 0.
    fn observe(&mut self, rnn: &Rnn, _step: &Step, g: &mut [f64]) {
        assert_eq!(
            g.len(),
            rnn.n() * rnn.m(),
            "OutputOnly::observe: g must be n×m"
        );
        g.iter_mut().for_each(|v| *v = 0.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::bptt::{bptt, forward};
    use crate::learning::learner::online_gradient;
    use crate::learning::online::{rel_err, test_problem};
    use crate::learning::rnn::Loss;

    #[test]
    fn zero_recurrent_gradient_and_exact_readout_gradient() {
        for (alpha, loss, seed) in [
            (1.0, Loss::SoftmaxCrossEntropy, 1),
            (0.4, Loss::MeanSquaredError, 2),
        ] {
            let (net, a0, x, y) = test_problem(6, 3, 2, 30, alpha, loss, seed);
            let (lb, gb) = bptt(&net, &a0, &x, &y);
            // Overwrite a non-zero buffer: every step must emit exactly zero.
            let mut alg = OutputOnly::new();
            let (l, g) = online_gradient(&mut alg, &net, &a0, &x, &y);
            assert_eq!(l, lb);
            assert!(g.w.iter().all(|&v| v == 0.0));
            assert!(gb.w.iter().any(|&v| v != 0.0));
            // The readout gradient is the exact one (summed in the other time order by BPTT).
            assert!(rel_err(&g.w_out, &gb.w_out) < 1e-13);
            assert!(rel_err(&g.b_out, &gb.b_out) < 1e-13);
            let mut buf = vec![1.0; net.n() * net.m()];
            let s = &forward(&net, &a0, &x, &y)[0];
            alg.observe(&net, s, &mut buf);
            assert!(buf.iter().all(|&v| v == 0.0));
        }
    }
}
