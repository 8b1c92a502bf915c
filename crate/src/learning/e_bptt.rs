//! Efficient BPTT, E-BPTT (truncated backpropagation through time in non-overlapping windows of
//! T steps, BPTT(T; T) of Williams & Peng 1990; Marschall et al. 2020, §3.7). Each step is stored;
//! when T steps are stored, the window's credit assignment is run backwards from its last step
//! t_1 to its first t_0 and the whole window's gradient is emitted at once:
//!
//! ```text
//! store each step s: â(s−1), φ'(h(s)), c(s) = e(s)ᵀ W_out
//! at t_1 (T stored):  c̃(t_1) = c(t_1),   c̃(s−1) = c(s−1) + c̃(s) J(s)           (s = t_1 … t_0+1)
//!                     g = Σ_{s=t_0}^{t_1} (c̃(s) ⊙ α φ'(h(s))) ⊗ â(s−1),   then clear the store
//! otherwise           g = 0
//! ```
//!
//! J(s) = (1−α) I + α D(s) W_rec is rebuilt from the stored φ'(h(s)) with the weights current at
//! t_1. With W held fixed, g is the exact gradient of the window's losses Σ_{s∈window} L(s) with
//! the window's start state a(t_0 − 1) held fixed: credit from later windows and influence from
//! earlier ones are dropped. T ≥ L (the trajectory length) gives BPTT. [`Learner::flush`] emits
//! the partial window still stored. With [`Legacy::rtrl_without_alpha`](super::rnn::Legacy) the
//! immediate influence omits α (J keeps it), as in the paper-era code, so g is (1/α) × the true
//! window gradient. The reference code's optional credit-norm clipping is not provided.
//!
//! Axes: future-facing; exact within the window; deterministic; closed-form. Memory (2n + m)·T;
//! compute per step O(n + m) to store, plus a burst of O(T·(n² + n·m)) every T steps, i.e.
//! O(n² + n·m) amortised.

use super::learner::Learner;
use super::rnn::{Rnn, Step};
use super::window::{readout_credit, BackJacobian, StepWindow};

/// E-BPTT with window length T.
#[derive(Clone, Debug)]
pub struct EBptt {
    n: usize,
    m: usize,
    window: StepWindow,
    back: BackJacobian,
    /// Scratch: the credit being propagated and its product with J.
    c: Vec<f64>,
    cj: Vec<f64>,
}

impl EBptt {
    /// E-BPTT with window length `t_trunc` ≥ 1 for `rnn`'s shape.
    pub fn new(rnn: &Rnn, t_trunc: usize) -> EBptt {
        assert!(t_trunc > 0, "EBptt: the window length must be positive");
        let (n, m) = (rnn.n(), rnn.m());
        EBptt {
            n,
            m,
            window: StepWindow::new(t_trunc, n, m),
            back: BackJacobian::new(n),
            c: vec![0.0; n],
            cj: vec![0.0; n],
        }
    }

    /// The window length T.
    pub fn truncation(&self) -> usize {
        self.window.capacity()
    }

    /// Number of steps stored in the current window.
    pub fn stored(&self) -> usize {
        self.window.len()
    }

    /// Backpropagates through the stored steps into `g` (overwritten) and clears the store.
    fn emit_window(&mut self, rnn: &Rnn, g: &mut [f64]) {
        let len = self.window.len();
        debug_assert!(len > 0);
        g.iter_mut().for_each(|v| *v = 0.0);
        self.back.load(rnn);
        let scale = rnn.influence_scale();
        self.c.copy_from_slice(self.window.credit(len - 1));
        for i in (0..len).rev() {
            self.window.add_outer(i, &self.c, scale, g);
            if i > 0 {
                self.back.apply(&self.c, self.window.dphi(i), &mut self.cj);
                for ((c, cj), q) in self
                    .c
                    .iter_mut()
                    .zip(&self.cj)
                    .zip(self.window.credit(i - 1))
                {
                    *c = q + cj;
                }
            }
        }
        self.window.clear();
    }
}

impl Learner for EBptt {
    /// Forgets the stored window.
    fn reset(&mut self) {
        self.window.clear();
    }

    /// Stores the step; emits the window's gradient when T steps are stored, else zero.
    fn observe(&mut self, rnn: &Rnn, step: &Step, g: &mut [f64]) {
        assert!(
            rnn.n() == self.n && rnn.m() == self.m && g.len() == self.n * self.m,
            "EBptt::observe: network shape changed"
        );
        readout_credit(rnn, &step.e, &mut self.c);
        self.window.push(step, &self.c);
        if self.window.len() == self.window.capacity() {
            self.emit_window(rnn, g);
        } else {
            g.iter_mut().for_each(|v| *v = 0.0);
        }
    }

    /// Emits the gradient of the partial window still stored, if any.
    fn flush(&mut self, rnn: &Rnn, g: &mut [f64]) -> bool {
        if self.window.len() == 0 {
            return false;
        }
        self.emit_window(rnn, g);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::bptt::{bptt, forward};
    use crate::learning::learner::online_gradient;
    use crate::learning::online::{rel_err, test_problem};
    use crate::learning::rnn::{unit_fixture, Loss};

    /// vanilla-rtrl's unit vector: n = n_in = n_out = 2, W_rec = W_in = W_out = I, φ = identity,
    /// α = 1, T = 2; two stored items with â = [1,1,2,2,1], h = [1,1] and credit (W_out = I, so
    /// c = e) q = [−0.5,−0.5] (older) then [1,1] (newer): nothing after the first, then
    /// g = ([1,1] + [−0.5,−0.5]·I) ⊗ â + [1,1] ⊗ â = rows [1.5, 1.5, 3, 3, 1.5].
    #[test]
    fn reference_unit_vector() {
        let net = unit_fixture(Loss::SoftmaxCrossEntropy);
        let mut s = net.step(&[1.0, 1.0], &[2.0, 2.0], &[0.5, 0.5]);
        s.h = vec![1.0, 1.0];
        let mut alg = EBptt::new(&net, 2);
        let mut g = vec![7.0; 10];
        s.e = vec![-0.5, -0.5];
        alg.observe(&net, &s, &mut g);
        assert_eq!(g, vec![0.0; 10]);
        assert_eq!(alg.stored(), 1);
        s.e = vec![1.0, 1.0];
        alg.observe(&net, &s, &mut g);
        let row = [1.5, 1.5, 3.0, 3.0, 1.5];
        assert_eq!(g, [row, row].concat());
        assert_eq!(alg.stored(), 0);
        assert!(!alg.flush(&net, &mut g));
    }

    #[test]
    fn window_as_long_as_the_trajectory_is_bptt() {
        for (alpha, loss, t_len, t_trunc, seed) in [
            (1.0, Loss::SoftmaxCrossEntropy, 30, 30, 1),
            (0.4, Loss::MeanSquaredError, 30, 30, 2),
            // T > L: nothing is emitted online, the flush carries the whole gradient.
            (0.7, Loss::SoftmaxCrossEntropy, 25, 40, 3),
        ] {
            let (net, a0, x, y) = test_problem(6, 3, 2, t_len, alpha, loss, seed);
            let (lb, gb) = bptt(&net, &a0, &x, &y);
            let (l, g) = online_gradient(&mut EBptt::new(&net, t_trunc), &net, &a0, &x, &y);
            assert_eq!(l, lb);
            let e = rel_err(&g.w, &gb.w);
            assert!(e < 1e-12, "α={alpha} T={t_trunc}: {e:e}");
            // Same readout terms, summed forwards vs backwards in time.
            assert!(rel_err(&g.w_out, &gb.w_out) < 1e-13);
        }
    }

    /// T < L: the sum of the emitted gradients (with the last, partial window flushed) equals the
    /// sum over windows of BPTT run on each window's sub-trajectory from its start state a(t_0−1)
    /// (taken from the full forward pass and held fixed).
    #[test]
    fn short_windows_are_bptt_per_window_from_fixed_start_states() {
        for (alpha, loss, t_len, t_trunc, seed) in [
            (1.0, Loss::SoftmaxCrossEntropy, 23, 5, 4),
            (0.5, Loss::MeanSquaredError, 24, 6, 5),
            (0.3, Loss::MeanSquaredError, 20, 1, 6),
        ] {
            let (net, a0, x, y) = test_problem(5, 3, 2, t_len, alpha, loss, seed);
            let (n, n_in, n_out) = (net.n(), net.n_in(), net.n_out());
            let steps = forward(&net, &a0, &x, &y);
            let mut want = vec![0.0; n * net.m()];
            let mut t0 = 0;
            while t0 < t_len {
                let t1 = (t0 + t_trunc).min(t_len);
                let start = &steps[t0].a_hat[..n];
                let (_, gw) = bptt(
                    &net,
                    start,
                    &x[t0 * n_in..t1 * n_in],
                    &y[t0 * n_out..t1 * n_out],
                );
                want.iter_mut().zip(&gw.w).for_each(|(a, b)| *a += b);
                t0 = t1;
            }
            let (_, g) = online_gradient(&mut EBptt::new(&net, t_trunc), &net, &a0, &x, &y);
            let e = rel_err(&g.w, &want);
            assert!(e < 1e-12, "α={alpha} T={t_trunc}: {e:e}");
            // Truncation matters on this problem.
            let (_, full) = bptt(&net, &a0, &x, &y);
            assert!(rel_err(&g.w, &full.w) > 1e-3);
        }
    }

    /// Each window's gradient is emitted exactly at its last step, zero elsewhere.
    #[test]
    fn emits_only_at_window_ends_and_reset_forgets() {
        let (net, a0, x, y) = test_problem(4, 2, 2, 12, 0.6, Loss::MeanSquaredError, 7);
        let steps = forward(&net, &a0, &x, &y);
        let mut alg = EBptt::new(&net, 4);
        let mut g = vec![0.0; net.n() * net.m()];
        for (t, s) in steps.iter().enumerate() {
            alg.observe(&net, s, &mut g);
            let nonzero = g.iter().any(|&v| v != 0.0);
            assert_eq!(nonzero, (t + 1) % 4 == 0, "t={t}");
        }
        alg.observe(&net, &steps[0], &mut g);
        alg.reset();
        assert_eq!(alg.stored(), 0);
        assert!(!alg.flush(&net, &mut g));
    }

    #[test]
    fn legacy_without_alpha_is_exact_gradient_over_alpha() {
        let (mut net, a0, x, y) = test_problem(5, 2, 2, 18, 0.5, Loss::MeanSquaredError, 8);
        let (_, exact) = bptt(&net, &a0, &x, &y);
        net.legacy.rtrl_without_alpha = true;
        let (_, legacy) = online_gradient(&mut EBptt::new(&net, 18), &net, &a0, &x, &y);
        let scaled: Vec<f64> = exact.w.iter().map(|v| v / net.alpha).collect();
        assert!(rel_err(&legacy.w, &scaled) < 1e-12);
    }
}
