//! Future BPTT, F-BPTT (Marschall et al. 2020, §3.7): each step's future-facing gradient
//! ∂L/∂W^(s) = c̄(s)·M̄(s), with the credit assignment c̄(s) truncated to the T steps s … s+T−1,
//! emitted with a delay of T−1 steps. Every new immediate credit c(t) is propagated back through
//! the stored steps and added to their running credit:
//!
//! ```text
//! store each step t: â(t−1), φ'(h(t)), c̃(t) ← c(t) = e(t)ᵀ W_out
//! q ← c(t);  for s = t−1, t−2, …, (oldest stored):  q ← q J(s+1),  c̃(s) += q
//! when T steps are stored: pop the oldest s = t−T+1 and emit
//!     g = (c̃(s) ⊙ α φ'(h(s))) ⊗ â(s−1),   c̃(s) = Σ_{r=s}^{s+T−1} c(r) J(r) J(r−1) ⋯ J(s+1)
//! otherwise emit 0
//! ```
//!
//! J(s+1) = (1−α) I + α D(s+1) W_rec is rebuilt from the stored φ'(h(s+1)) with the weights
//! current at step t. With W held fixed, Σ_t g(t) plus [`Learner::flush`] (which emits every
//! stored step with the credit it has so far) equals BPTT when T ≥ L, the trajectory length; for
//! T < L each step's credit misses the losses more than T−1 steps ahead. With
//! [`Legacy::rtrl_without_alpha`](super::rnn::Legacy) the immediate influence omits α (J keeps
//! it), as in the paper-era code, so g is (1/α) × the true gradient.
//!
//! The store is a preallocated ring buffer of T steps; nothing is allocated per step.
//!
//! Axes: future-facing; exact, truncated at T future steps; deterministic; closed-form.
//! Memory (2n + m)·T; compute O(T·n² + n·m) per step (T−1 row-vector × Jacobian products and
//! one outer product).

use super::learner::Learner;
use super::rnn::{Rnn, Step};
use super::window::{readout_credit, BackJacobian, StepWindow};

/// F-BPTT with truncation horizon T.
#[derive(Clone, Debug)]
pub struct FBptt {
    n: usize,
    m: usize,
    window: StepWindow,
    back: BackJacobian,
    /// Scratch: the credit being propagated and its product with J.
    q: Vec<f64>,
    qj: Vec<f64>,
}

impl FBptt {
    /// F-BPTT with truncation horizon `t_trunc` ≥ 1 for `rnn`'s shape (T = 1: only the immediate
    /// credit, the gradient of L(t) with a(t−1) held fixed).
    pub fn new(rnn: &Rnn, t_trunc: usize) -> FBptt {
        assert!(
            t_trunc > 0,
            "FBptt: the truncation horizon must be positive"
        );
        let (n, m) = (rnn.n(), rnn.m());
        FBptt {
            n,
            m,
            window: StepWindow::new(t_trunc, n, m),
            back: BackJacobian::new(n),
            q: vec![0.0; n],
            qj: vec![0.0; n],
        }
    }

    /// The truncation horizon T.
    pub fn truncation(&self) -> usize {
        self.window.capacity()
    }

    /// Number of steps whose gradient is still owed.
    pub fn stored(&self) -> usize {
        self.window.len()
    }

    /// The running credit c̃ of the i-th oldest stored step.
    pub fn credit(&self, i: usize) -> &[f64] {
        assert!(i < self.window.len(), "FBptt::credit: index out of range");
        self.window.credit(i)
    }

    /// Stores the step and propagates its immediate credit back through the stored steps.
    fn push(&mut self, rnn: &Rnn, step: &Step) {
        readout_credit(rnn, &step.e, &mut self.q);
        self.window.push(step, &self.q);
        self.back.load(rnn);
        let len = self.window.len();
        for i in (0..len - 1).rev() {
            self.back
                .apply(&self.q, self.window.dphi(i + 1), &mut self.qj);
            std::mem::swap(&mut self.q, &mut self.qj);
            for (c, q) in self.window.credit_mut(i).iter_mut().zip(&self.q) {
                *c += q;
            }
        }
    }

    /// g += (c̃ ⊙ α φ') ⊗ â of the oldest stored step, which is then dropped.
    fn pop_oldest_into(&mut self, rnn: &Rnn, g: &mut [f64]) {
        let scale = rnn.influence_scale();
        let c = self.window.credit(0);
        self.window.add_outer(0, c, scale, g);
        self.window.pop_oldest();
    }
}

impl Learner for FBptt {
    /// Forgets every stored step.
    fn reset(&mut self) {
        self.window.clear();
    }

    /// Stores the step; once T steps are stored, emits the oldest one's gradient, else zero.
    fn observe(&mut self, rnn: &Rnn, step: &Step, g: &mut [f64]) {
        assert!(
            rnn.n() == self.n && rnn.m() == self.m && g.len() == self.n * self.m,
            "FBptt::observe: network shape changed"
        );
        self.push(rnn, step);
        g.iter_mut().for_each(|v| *v = 0.0);
        if self.window.len() == self.window.capacity() {
            self.pop_oldest_into(rnn, g);
        }
    }

    /// The gradient emitted at step t is about step t − (T − 1).
    fn lag(&self) -> usize {
        self.window.capacity() - 1
    }

    /// Emits the sum of the gradients of every stored step (with the credit gathered so far).
    fn flush(&mut self, rnn: &Rnn, g: &mut [f64]) -> bool {
        if self.window.len() == 0 {
            return false;
        }
        g.iter_mut().for_each(|v| *v = 0.0);
        while self.window.len() > 0 {
            self.pop_oldest_into(rnn, g);
        }
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

    /// vanilla-rtrl's unit vectors: n = n_in = n_out = 2, W_in = W_out = I, φ = identity, α = 1,
    /// â = [1,1,2,2,1], e = [0.5,0.5] (so c = e).
    ///
    /// Update: T = 2; a first step with h = [1,1], then a second with h = [0.5,0.5] and
    /// J = −4·I (mocked in the reference; here W_rec = −4·I, which is J at α = 1, φ = identity):
    /// the stored credits become [0.5,0.5] (new) and [0.5,0.5] + [0.5,0.5]·(−4 I) = [−1.5,−1.5].
    ///
    /// Gradient: stored credits [1,1] (new) and [−0.5,−0.5] (old): the oldest is popped and
    /// emitted, g = −0.5 â per row = rows [−0.5, −0.5, −1, −1, −0.5].
    #[test]
    fn reference_unit_vectors() {
        let mut net = unit_fixture(Loss::SoftmaxCrossEntropy);
        let mut s = net.step(&[1.0, 1.0], &[2.0, 2.0], &[0.5, 0.5]);
        s.e = vec![0.5, 0.5];
        // T = 3 so that nothing is emitted yet and the stored state can be read.
        let mut alg = FBptt::new(&net, 3);
        let mut g = vec![7.0; 10];
        s.h = vec![1.0, 1.0];
        alg.observe(&net, &s, &mut g);
        assert_eq!(g, vec![0.0; 10]);
        net.w[0] = -4.0;
        net.w[5 + 1] = -4.0;
        s.h = vec![0.5, 0.5];
        alg.observe(&net, &s, &mut g);
        assert_eq!(g, vec![0.0; 10]);
        assert_eq!(alg.stored(), 2);
        assert_eq!(alg.credit(1), &[0.5, 0.5]);
        assert_eq!(alg.credit(0), &[-1.5, -1.5]);

        // The gradient vector with the stored state set exactly as in the reference test.
        let net = unit_fixture(Loss::SoftmaxCrossEntropy);
        let mut alg = FBptt::new(&net, 2);
        s.h = vec![1.0, 1.0];
        alg.window.push(&s, &[-0.5, -0.5]);
        alg.window.push(&s, &[1.0, 1.0]);
        let mut g = vec![0.0; 10];
        alg.pop_oldest_into(&net, &mut g);
        let row = [-0.5, -0.5, -1.0, -1.0, -0.5];
        assert_eq!(g, [row, row].concat());
        assert_eq!(alg.stored(), 1);
        // Through the interface: credits [−1.5,−1.5] then [1,1] with J = I give the same stored
        // state ([−1.5,−1.5] + [1,1] = [−0.5,−0.5] oldest), and the oldest is emitted.
        let mut alg = FBptt::new(&net, 2);
        s.e = vec![-1.5, -1.5];
        alg.observe(&net, &s, &mut g);
        s.e = vec![1.0, 1.0];
        alg.observe(&net, &s, &mut g);
        assert_eq!(g, [row, row].concat());
        assert_eq!(alg.credit(0), &[1.0, 1.0]);
    }

    #[test]
    fn horizon_at_least_the_trajectory_with_flush_is_bptt() {
        for (alpha, loss, t_len, t_trunc, seed) in [
            (1.0, Loss::SoftmaxCrossEntropy, 30, 30, 1),
            (0.4, Loss::MeanSquaredError, 30, 30, 2),
            (0.7, Loss::SoftmaxCrossEntropy, 25, 40, 3),
        ] {
            let (net, a0, x, y) = test_problem(6, 3, 2, t_len, alpha, loss, seed);
            let (lb, gb) = bptt(&net, &a0, &x, &y);
            let (l, g) = online_gradient(&mut FBptt::new(&net, t_trunc), &net, &a0, &x, &y);
            assert_eq!(l, lb);
            let e = rel_err(&g.w, &gb.w);
            assert!(e < 1e-12, "α={alpha} T={t_trunc}: {e:e}");
            assert!(rel_err(&g.w_out, &gb.w_out) < 1e-13);
        }
    }

    /// The gradient emitted at step t (t ≥ T) is the future-facing term of step s = t−T+1 with
    /// its credit truncated to s … t: the BPTT credit c̄(s) of the sub-trajectory s … t started
    /// from the full run's a(s−1), contracted with M̄(s). That sub-trajectory's BPTT gradient
    /// minus that of the sub-trajectory s+1 … t (same later states) isolates exactly that term.
    #[test]
    fn each_emitted_gradient_is_the_truncated_future_term() {
        let (t_len, t_trunc) = (16, 5);
        let (net, a0, x, y) = test_problem(5, 3, 2, t_len, 0.6, Loss::MeanSquaredError, 4);
        let (n, n_in, n_out) = (net.n(), net.n_in(), net.n_out());
        let steps = forward(&net, &a0, &x, &y);
        let mut alg = FBptt::new(&net, t_trunc);
        let mut g = vec![0.0; n * net.m()];
        for (t, st) in steps.iter().enumerate() {
            alg.observe(&net, st, &mut g);
            if t + 1 < t_trunc {
                assert!(g.iter().all(|&v| v == 0.0));
                continue;
            }
            let s = t + 1 - t_trunc;
            let sub = |from: usize| {
                bptt(
                    &net,
                    &steps[from].a_hat[..n],
                    &x[from * n_in..(t + 1) * n_in],
                    &y[from * n_out..(t + 1) * n_out],
                )
                .1
                .w
            };
            let (with_s, without_s) = (sub(s), sub(s + 1));
            let want: Vec<f64> = with_s.iter().zip(&without_s).map(|(a, b)| a - b).collect();
            let e = rel_err(&g, &want);
            assert!(e < 1e-11, "t={t}: {e:e}");
        }
        assert_eq!(alg.stored(), t_trunc - 1);
    }

    #[test]
    fn legacy_without_alpha_is_exact_gradient_over_alpha() {
        let (mut net, a0, x, y) = test_problem(5, 2, 2, 18, 0.5, Loss::MeanSquaredError, 8);
        let (_, exact) = bptt(&net, &a0, &x, &y);
        net.legacy.rtrl_without_alpha = true;
        let (_, legacy) = online_gradient(&mut FBptt::new(&net, 20), &net, &a0, &x, &y);
        let scaled: Vec<f64> = exact.w.iter().map(|v| v / net.alpha).collect();
        assert!(rel_err(&legacy.w, &scaled) < 1e-12);
    }

    #[test]
    fn reset_forgets_the_store() {
        let (net, a0, x, y) = test_problem(4, 2, 2, 6, 0.6, Loss::MeanSquaredError, 9);
        let mut alg = FBptt::new(&net, 4);
        let first = online_gradient(&mut alg, &net, &a0, &x, &y).1;
        let steps = forward(&net, &a0, &x, &y);
        let mut g = vec![0.0; net.n() * net.m()];
        alg.observe(&net, &steps[0], &mut g);
        alg.reset();
        assert_eq!(alg.stored(), 0);
        assert_eq!(online_gradient(&mut alg, &net, &a0, &x, &y).1, first);
    }
}
