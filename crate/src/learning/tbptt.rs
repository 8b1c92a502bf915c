//! Rolling truncated BPTT, TBPTT(k) (past-facing; not in Marschall et al. 2020, listed in its
//! §3.7 note as the common baseline): at every step the current loss L(t) alone is
//! backpropagated through the last k steps, re-run with the current weights, and its truncated
//! gradient is emitted at once, with the same update cadence as RTRL:
//!
//! ```text
//! keep the last k steps s: â(s−1), φ'(h(s))                                  (ring buffer)
//! c̃(t) = c(t) = e(t)ᵀ W_out,   c̃(s−1) = c̃(s) J(s)                           (s = t … t−k+2)
//! g(t) = Σ_{s=t−k+1}^{t} (c̃(s) ⊙ α φ'(h(s))) ⊗ â(s−1)
//!      = Σ_{s=t−k+1}^{t} ∂L(t)/∂W^(s)          (row t of the loss–parameter triangle, k terms)
//! ```
//!
//! J(s) = (1−α) I + α D(s) W_rec uses the stored φ'(h(s)) and the current W_rec. For k ≥ t the
//! sum is complete and g(t) = ∂L(t)/∂W = c(t) M(t), RTRL's gradient, at every step. For k = 1,
//! g(t) = c(t) M̄(t) (one-step truncation), which is RFLO's gradient when α = 1. The immediate
//! influence always carries α (TBPTT is not one of the paper-era algorithms that dropped it).
//!
//! Axes: past-facing; exact M truncated to the last k steps (M(t) ≈ Σ_{s>t−k} J(t)⋯J(s+1) M̄(s));
//! deterministic; closed-form. Memory (2n + m)·k; compute O(k·(n² + n·m)) per step (k−1
//! row-vector × Jacobian products and k outer products).

use super::learner::Learner;
use super::rnn::{Rnn, Step};
use super::window::{readout_credit, BackJacobian, StepWindow};

/// Rolling TBPTT(k).
#[derive(Clone, Debug)]
pub struct Tbptt {
    n: usize,
    m: usize,
    window: StepWindow,
    back: BackJacobian,
    /// Scratch: the credit being propagated and its product with J.
    c: Vec<f64>,
    cj: Vec<f64>,
}

impl Tbptt {
    /// TBPTT with truncation `k` ≥ 1 for `rnn`'s shape.
    pub fn new(rnn: &Rnn, k: usize) -> Tbptt {
        assert!(k > 0, "Tbptt: the truncation must be positive");
        let (n, m) = (rnn.n(), rnn.m());
        Tbptt {
            n,
            m,
            window: StepWindow::new(k, n, m),
            back: BackJacobian::new(n),
            c: vec![0.0; n],
            cj: vec![0.0; n],
        }
    }

    /// The truncation k.
    pub fn truncation(&self) -> usize {
        self.window.capacity()
    }
}

impl Learner for Tbptt {
    /// Forgets the stored steps.
    fn reset(&mut self) {
        self.window.clear();
    }

    /// Stores the step (dropping the oldest beyond k) and emits ∂L(t)/∂W truncated to k steps.
    fn observe(&mut self, rnn: &Rnn, step: &Step, g: &mut [f64]) {
        assert!(
            rnn.n() == self.n && rnn.m() == self.m && g.len() == self.n * self.m,
            "Tbptt::observe: network shape changed"
        );
        if self.window.len() == self.window.capacity() {
            self.window.pop_oldest();
        }
        readout_credit(rnn, &step.e, &mut self.c);
        self.window.push(step, &self.c);
        self.back.load(rnn);
        g.iter_mut().for_each(|v| *v = 0.0);
        let len = self.window.len();
        for i in (0..len).rev() {
            self.window.add_outer(i, &self.c, rnn.alpha, g);
            if i > 0 {
                self.back.apply(&self.c, self.window.dphi(i), &mut self.cj);
                std::mem::swap(&mut self.c, &mut self.cj);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::bptt::{bptt, forward};
    use crate::learning::learner::online_gradient;
    use crate::learning::online::{rel_err, test_problem};
    use crate::learning::rflo::Rflo;
    use crate::learning::rnn::Loss;
    use crate::learning::rtrl::Rtrl;

    /// Runs two learners side by side on one trajectory and returns the worst per-step relative
    /// error of the first against the second (steps where the second is zero must match exactly).
    fn worst_step_error(
        a: &mut dyn Learner,
        b: &mut dyn Learner,
        net: &Rnn,
        steps: &[Step],
    ) -> f64 {
        let len = net.n() * net.m();
        let (mut ga, mut gb) = (vec![0.0; len], vec![0.0; len]);
        let mut worst: f64 = 0.0;
        for s in steps {
            a.observe(net, s, &mut ga);
            b.observe(net, s, &mut gb);
            if gb.iter().all(|&v| v == 0.0) {
                assert_eq!(ga, gb);
            } else {
                worst = worst.max(rel_err(&ga, &gb));
            }
        }
        worst
    }

    #[test]
    fn long_truncation_is_rtrl_at_every_step() {
        for (alpha, loss, t_len, k, seed) in [
            (1.0, Loss::SoftmaxCrossEntropy, 25, 25, 1),
            (0.4, Loss::MeanSquaredError, 25, 25, 2),
            (0.7, Loss::MeanSquaredError, 20, 40, 3),
        ] {
            let (net, a0, x, y) = test_problem(5, 3, 2, t_len, alpha, loss, seed);
            let steps = forward(&net, &a0, &x, &y);
            let e = worst_step_error(&mut Tbptt::new(&net, k), &mut Rtrl::new(&net), &net, &steps);
            assert!(e < 1e-11, "α={alpha} k={k}: worst per-step error {e:e}");
        }
    }

    /// Once t > k the truncation shows: per-step gradients differ from RTRL's.
    #[test]
    fn short_truncation_differs_from_rtrl_and_sums_rows_of_the_triangle() {
        let (k, t_len) = (4, 20);
        let (net, a0, x, y) = test_problem(5, 3, 2, t_len, 0.6, Loss::MeanSquaredError, 4);
        let (n, n_in, n_out) = (net.n(), net.n_in(), net.n_out());
        let steps = forward(&net, &a0, &x, &y);
        let mut alg = Tbptt::new(&net, k);
        let mut g = vec![0.0; n * net.m()];
        for (t, st) in steps.iter().enumerate() {
            alg.observe(&net, st, &mut g);
            // Oracle: BPTT of the sub-trajectory t−k+1 … t from the full run's a(t−k), with the
            // MSE labels of all but the last step set to the outputs z of the same (identical)
            // states, so that only L(t) has a nonzero error.
            let from = (t + 1).saturating_sub(k);
            let mut sub_y = y[from * n_out..(t + 1) * n_out].to_vec();
            for (r, s) in steps[from..t].iter().enumerate() {
                sub_y[r * n_out..(r + 1) * n_out].copy_from_slice(&s.z);
            }
            let (_, sub) = bptt(
                &net,
                &steps[from].a_hat[..n],
                &x[from * n_in..(t + 1) * n_in],
                &sub_y,
            );
            let e = rel_err(&g, &sub.w);
            assert!(e < 1e-12, "t={t}: {e:e}");
        }
        let mut rtrl = Rtrl::new(&net);
        let e = worst_step_error(&mut Tbptt::new(&net, k), &mut rtrl, &net, &steps);
        assert!(e > 1e-3, "{e:e}");
    }

    #[test]
    fn truncation_one_at_alpha_one_is_rflo() {
        for (loss, seed) in [(Loss::SoftmaxCrossEntropy, 5), (Loss::MeanSquaredError, 6)] {
            let (net, a0, x, y) = test_problem(6, 3, 2, 30, 1.0, loss, seed);
            let steps = forward(&net, &a0, &x, &y);
            let e = worst_step_error(&mut Tbptt::new(&net, 1), &mut Rflo::new(&net), &net, &steps);
            assert!(e < 1e-15, "{loss:?}: {e:e}");
        }
    }

    #[test]
    fn accumulated_long_truncation_is_bptt_and_reset_restarts() {
        let (net, a0, x, y) = test_problem(6, 2, 3, 30, 0.5, Loss::SoftmaxCrossEntropy, 7);
        let (_, gb) = bptt(&net, &a0, &x, &y);
        let mut alg = Tbptt::new(&net, 30);
        let first = online_gradient(&mut alg, &net, &a0, &x, &y).1;
        assert!(rel_err(&first.w, &gb.w) < 1e-11);
        alg.reset();
        assert_eq!(online_gradient(&mut alg, &net, &a0, &x, &y).1, first);
    }
}
