//! e-prop / SnAp-1 for the leaky rate network (Bellec et al. 2020; Menick et al. 2021;
//! Marschall et al. 2020, §3.6 of the framework): keep only the k = i entries of the influence
//! matrix, M_kij ≈ δ_ki B_ij, as RFLO does, but propagate them with the exact diagonal of the
//! Jacobian instead of its leak alone:
//!
//! ```text
//! J_ii(t) = (1−α) + α φ'(h_i(t)) W_rec,ii
//! B(0) = 0,   B(t) = J_ii(t) ⊙_rows B(t−1) + α φ'(h(t)) â(t−1)ᵀ        (eligibility trace, n × m)
//! g(t)_ij = c_i(t) B_ij(t),   c(t) = e(t)ᵀ W_out  or  e(t)ᵀ B_fb (fixed random feedback)
//! ```
//!
//! B_ij(t) is exactly the diagonal M_iij(t) of RTRL's influence when the off-diagonal of W_rec
//! vanishes (then J(t) is diagonal, M_kij = 0 for k ≠ i and nothing is dropped), so on a network
//! with diagonal W_rec Σ_t g(t) is the exact gradient. With W_rec,ii = 0 it is RFLO. It is the
//! rate-network analogue of e-prop's eligibility trace with the hidden state a, and SnAp-1 for a
//! vanilla RNN.
//!
//! Axes: past-facing; structure δ_ki B_ij with exact diagonal decay; deterministic; closed-form.
//! Memory n·m, compute O(n·m) per step (as RFLO).

use super::online::OnlineAlgorithm;
use super::rflo::{contract_diagonal, Feedback};
use super::rnn::{Rnn, Step};

/// The e-prop / SnAp-1 eligibility trace for a network of fixed shape.
#[derive(Clone, Debug)]
pub struct Eprop {
    n: usize,
    m: usize,
    /// B, row-major n × m.
    b: Vec<f64>,
    feedback: Feedback,
}

impl Eprop {
    /// A zero trace with readout credit c = eᵀ W_out.
    pub fn new(rnn: &Rnn) -> Eprop {
        Eprop {
            n: rnn.n(),
            m: rnn.m(),
            b: vec![0.0; rnn.n() * rnn.m()],
            feedback: Feedback::Readout,
        }
    }

    /// A zero trace with the given credit source. Panics if a fixed B_fb is not n_out × n.
    pub fn with_feedback(rnn: &Rnn, feedback: Feedback) -> Eprop {
        feedback.check(rnn, "Eprop");
        Eprop {
            feedback,
            ..Eprop::new(rnn)
        }
    }

    /// A zero trace with a random feedback matrix B_fb ~ N(0, 1/n) i.i.d. drawn from `seed`
    /// (the same draw as [`Rflo::with_random_feedback`](super::rflo::Rflo::with_random_feedback)).
    pub fn with_random_feedback(rnn: &Rnn, seed: u64) -> Eprop {
        Eprop::with_feedback(rnn, Feedback::random(rnn, seed))
    }

    /// The trace B, row-major n × m.
    pub fn trace(&self) -> &[f64] {
        &self.b
    }

    /// The credit source.
    pub fn feedback(&self) -> &Feedback {
        &self.feedback
    }
}

impl OnlineAlgorithm for Eprop {
    /// B ← 0.
    fn reset(&mut self) {
        self.b.iter_mut().for_each(|v| *v = 0.0);
    }

    /// B ← J_ii(t) ⊙_rows B + α φ'(h(t)) â(t−1)ᵀ.
    fn update(&mut self, rnn: &Rnn, step: &Step) {
        let (n, m) = (self.n, self.m);
        assert!(
            rnn.n() == n && rnn.m() == m,
            "Eprop::update: network shape changed"
        );
        let alpha = rnn.alpha;
        for (i, row) in self.b.chunks_exact_mut(m).enumerate() {
            let jii = (1.0 - alpha) + alpha * step.dphi[i] * rnn.w[i * m + i];
            let s = alpha * step.dphi[i];
            for (bij, aj) in row.iter_mut().zip(&step.a_hat) {
                *bij = jii * *bij + s * aj;
            }
        }
    }

    /// c = eᵀ W_out or eᵀ B_fb.
    fn credit(&self, rnn: &Rnn, e: &[f64]) -> Vec<f64> {
        self.feedback.credit(rnn, e)
    }

    /// g_ij = c_i B_ij.
    fn gradient(&self, c: &[f64], out: &mut [f64]) {
        contract_diagonal(c, &self.b, self.m, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::bptt::{bptt, forward};
    use crate::learning::learner::{online_gradient, Learner};
    use crate::learning::online::{rel_err, test_problem};
    use crate::learning::rflo::Rflo;
    use crate::learning::rnn::{unit_fixture, Loss};
    use crate::learning::rtrl::{rtrl_gradient, Rtrl};

    /// The shared random problem with the diagonal of W_rec set to zero or its off-diagonal
    /// removed.
    fn problem(
        alpha: f64,
        loss: Loss,
        seed: u64,
        keep_diagonal_only: bool,
    ) -> (Rnn, Vec<f64>, Vec<f64>, Vec<f64>) {
        let (mut net, a0, x, y) = test_problem(6, 3, 2, 40, alpha, loss, seed);
        let (n, m) = (net.n(), net.m());
        for i in 0..n {
            for l in 0..n {
                if (l == i) != keep_diagonal_only {
                    net.w[i * m + l] = 0.0;
                }
            }
            if keep_diagonal_only {
                // A spread of self-couplings, some negative, some beyond 1 in magnitude.
                net.w[i * m + i] = -1.2 + 0.5 * i as f64;
            }
        }
        (net, a0, x, y)
    }

    /// With α = 0.5 and the unit fixture (φ = identity, W_rec = I): J_ii = 0.5 + 0.5 = 1, so from
    /// B = ones the trace becomes ones + ½ â = rows [1.5, 1.5, 2, 2, 1.5] (RFLO would give
    /// [1, 1, 1.5, 1.5, 1]); g_ij = c_i B_ij.
    #[test]
    fn hand_computed_step() {
        let mut net = unit_fixture(Loss::MeanSquaredError);
        net.alpha = 0.5;
        let s = net.step(&[1.0, 1.0], &[2.0, 2.0], &[0.0, 0.0]);
        let mut alg = Eprop::new(&net);
        alg.b = vec![1.0; 10];
        alg.update(&net, &s);
        let row = [1.5, 1.5, 2.0, 2.0, 1.5];
        assert_eq!(alg.trace(), &[row, row].concat()[..]);
        let mut g = vec![0.0; 10];
        alg.gradient(&[1.0, 2.0], &mut g);
        assert_eq!(g, [row, [3.0, 3.0, 4.0, 4.0, 3.0]].concat());
    }

    /// W_rec,ii = 0 makes J_ii = 1 − α: every step's gradient is RFLO's, bit for bit.
    #[test]
    fn zero_self_coupling_is_rflo() {
        for (alpha, loss, seed) in [
            (1.0, Loss::SoftmaxCrossEntropy, 1),
            (0.3, Loss::MeanSquaredError, 2),
        ] {
            let (net, a0, x, y) = problem(alpha, loss, seed, false);
            let (mut ep, mut rf) = (Eprop::new(&net), Rflo::new(&net));
            let (mut ge, mut gr) = (vec![0.0; 6 * net.m()], vec![0.0; 6 * net.m()]);
            for s in &forward(&net, &a0, &x, &y) {
                Learner::observe(&mut ep, &net, s, &mut ge);
                Learner::observe(&mut rf, &net, s, &mut gr);
                assert_eq!(ge, gr);
            }
            assert_eq!(ep.trace(), rf.trace());
        }
    }

    /// Diagonal W_rec: the trace is RTRL's influence M_iij exactly, the off-diagonal M_kij
    /// (k ≠ i) vanish, and Σ_t g(t) is the BPTT gradient.
    #[test]
    fn diagonal_recurrence_is_exact() {
        for (alpha, loss, seed) in [
            (1.0, Loss::SoftmaxCrossEntropy, 3),
            (0.5, Loss::MeanSquaredError, 4),
            (0.2, Loss::SoftmaxCrossEntropy, 5),
        ] {
            let (net, a0, x, y) = problem(alpha, loss, seed, true);
            let (n, m) = (net.n(), net.m());
            let (lb, gb) = bptt(&net, &a0, &x, &y);
            let (l, g) = online_gradient(&mut Eprop::new(&net), &net, &a0, &x, &y);
            assert_eq!(l, lb);
            let e = rel_err(&g.w, &gb.w);
            assert!(e < 1e-12, "α={alpha}: e-prop vs BPTT {e:e}");
            assert!(rel_err(&g.w, &rtrl_gradient(&net, &a0, &x, &y).1.w) < 1e-12);
            // The traces themselves: Mᵀ[(i·m + j)·n + k] = δ_ki B_ij.
            let (mut ep, mut rtrl) = (Eprop::new(&net), Rtrl::new(&net));
            for s in &forward(&net, &a0, &x, &y) {
                ep.update(&net, s);
                rtrl.update(&net, s);
            }
            let mt = rtrl.influence_transposed();
            let mut want = vec![0.0; n * m * n];
            for i in 0..n {
                for j in 0..m {
                    want[(i * m + j) * n + i] = ep.trace()[i * m + j];
                }
            }
            assert!(rel_err(&want, mt) < 1e-12);
        }
        // With the full (non-diagonal) recurrence it is only an approximation.
        let (net, a0, x, y) = test_problem(6, 3, 2, 40, 0.5, Loss::MeanSquaredError, 4);
        let (_, gb) = bptt(&net, &a0, &x, &y);
        let (_, g) = online_gradient(&mut Eprop::new(&net), &net, &a0, &x, &y);
        assert!(rel_err(&g.w, &gb.w) > 1e-2);
    }

    #[test]
    fn random_feedback_is_seeded_and_used() {
        let (net, a0, x, y) = test_problem(6, 2, 3, 15, 0.5, Loss::MeanSquaredError, 6);
        let g = |seed| {
            online_gradient(
                &mut Eprop::with_random_feedback(&net, seed),
                &net,
                &a0,
                &x,
                &y,
            )
            .1
        };
        assert_eq!(g(1), g(1));
        assert_ne!(g(1).w, g(2).w);
        // The same feedback matrix as RFLO's for the same seed.
        assert_eq!(
            Eprop::with_random_feedback(&net, 7).feedback(),
            Rflo::with_random_feedback(&net, 7).feedback()
        );
        // Feedback equal to W_out reproduces readout credit exactly.
        let mut same = Eprop::with_feedback(&net, Feedback::Fixed(net.w_out.clone()));
        let a = online_gradient(&mut same, &net, &a0, &x, &y).1;
        let b = online_gradient(&mut Eprop::new(&net), &net, &a0, &x, &y).1;
        assert_eq!(a, b);
        // c = eᵀ B_fb with W_FB = [[0, −1], [−1, 0]] and e = [0.5, 0.5].
        let fix = unit_fixture(Loss::MeanSquaredError);
        let fb = Eprop::with_feedback(&fix, Feedback::Fixed(vec![0.0, -1.0, -1.0, 0.0]));
        assert_eq!(fb.credit(&fix, &[0.5, 0.5]), vec![-0.5, -0.5]);
    }
}
