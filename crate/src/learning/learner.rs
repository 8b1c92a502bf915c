//! The interface shared by every online learning algorithm, past- or future-facing (Marschall
//! et al. 2020, §3): it observes each forward step in order and emits the recurrent-weight
//! gradient estimate g(t) ∈ R^{n×m} available at that step. Past-facing algorithms emit
//! g(t) = c(t) M̃(t) at once; future-facing ones emit ∂L/∂W^(s) for earlier steps s once enough
//! future is known (or zero). The readout is always trained by its exact local gradient.

use super::bptt::{forward, Gradients};
use super::online::OnlineAlgorithm;
use super::rnn::{Rnn, Step};

/// An online learning algorithm for the recurrent weights W = [W_rec | W_in | b_rec].
pub trait Learner {
    /// Clears the credit-assignment state (start of a new trajectory).
    fn reset(&mut self);
    /// Observes forward step t, computed with the current weights of `rnn`, and overwrites `g`
    /// (row-major n × m) with the gradient estimate emitted at this step (zero if none).
    fn observe(&mut self, rnn: &Rnn, step: &Step, g: &mut [f64]);
    /// At the end of a trajectory, overwrites `g` with the sum of the gradients still owed for
    /// past steps and returns true; returns false (leaving `g` alone) if nothing is pending.
    fn flush(&mut self, _rnn: &Rnn, _g: &mut [f64]) -> bool {
        false
    }
    /// How many steps the emitted gradient lags behind: the g emitted at step t is about the
    /// weights' use at step t − lag (0 for past-facing algorithms).
    fn lag(&self) -> usize {
        0
    }
}

impl<A: OnlineAlgorithm + ?Sized> Learner for A {
    fn reset(&mut self) {
        OnlineAlgorithm::reset(self)
    }
    fn observe(&mut self, rnn: &Rnn, step: &Step, g: &mut [f64]) {
        self.update(rnn, step);
        let c = self.credit(rnn, &step.e);
        self.gradient(&c, g);
    }
}

/// Total loss and the gradient accumulated by `alg` over a trajectory with W held fixed:
/// Σ_t g(t) plus what [`Learner::flush`] still owes, and the exact local readout gradients.
/// `alg` is used from its current state (call [`Learner::reset`] first for a fresh start).
pub fn online_gradient<L: Learner + ?Sized>(
    alg: &mut L,
    rnn: &Rnn,
    a0: &[f64],
    inputs: &[f64],
    labels: &[f64],
) -> (f64, Gradients) {
    let mut grads = Gradients::zeros(rnn);
    let mut g = vec![0.0; rnn.n() * rnn.m()];
    let steps = forward(rnn, a0, inputs, labels);
    for s in &steps {
        alg.observe(rnn, s, &mut g);
        grads.w.iter_mut().zip(&g).for_each(|(acc, v)| *acc += v);
        grads.add_readout(s);
    }
    if alg.flush(rnn, &mut g) {
        grads.w.iter_mut().zip(&g).for_each(|(acc, v)| *acc += v);
    }
    (steps.iter().map(|s| s.loss).sum(), grads)
}
