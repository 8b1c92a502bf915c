//! Random-feedback local online learning, RFLO (Murray 2019, eLife 8:e43299; Marschall et al.
//! 2020, §3.4). It is RTRL with the Jacobian J(t) replaced by its leak (1−α) I and only the
//! diagonal k = i of the influence M_kij kept, M_kij ≈ δ_ki B_ij:
//!
//! ```text
//! B(0) = 0,   B(t) = (1−α) B(t−1) + α φ'(h(t)) â(t−1)ᵀ        (eligibility trace, n × m)
//!             B(t) = Σ_{s≤t} α (1−α)^{t−s} φ'(h(s)) â(s−1)ᵀ    (closed form)
//! g(t)_ij = c_i(t) B_ij(t),   c(t) = e(t)ᵀ W_out  or  e(t)ᵀ B_fb (fixed random feedback)
//! ```
//!
//! With α = 1 (and on the first step from B = 0 for any α) δ_ki B_ij(t) = M̄_kij(t), so g(t) is
//! the exact gradient of L(t) with a(t−1) held fixed (one-step truncated BPTT).
//!
//! Axes: past-facing; structure δ_ki B_ij; deterministic; closed-form. Memory n·m, compute
//! O(n·m) per step (no n² term beyond the forward pass).
//!
//! Credit: Murray's rule uses a fixed random feedback matrix; the paper's runs used the readout
//! c = e W_out (no feedback matrix was passed), which is the default here.

use super::online::OnlineAlgorithm;
use super::rnn::{Rnn, Step};
use crate::rng;

/// Where the learning signal c(t) comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Feedback {
    /// c = eᵀ W_out (symmetric feedback, the paper's runs).
    Readout,
    /// c = eᵀ B_fb with a fixed B_fb, row-major n_out × n (Murray's random feedback).
    Fixed(Vec<f64>),
}

impl Feedback {
    /// A fixed random feedback matrix B_fb ~ N(0, 1/n) i.i.d. (the scale of the W_out
    /// initialisation; our choice), drawn from `seed`.
    pub fn random(rnn: &Rnn, seed: u64) -> Feedback {
        let mut r = rng::seeded(seed);
        let mut bfb = vec![0.0; rnn.n_out() * rnn.n()];
        rng::fill_normal(&mut r, (1.0 / rnn.n() as f64).sqrt(), &mut bfb);
        Feedback::Fixed(bfb)
    }

    /// Panics (naming `who`) if a fixed B_fb is not n_out × n.
    pub(crate) fn check(&self, rnn: &Rnn, who: &str) {
        if let Feedback::Fixed(bfb) = self {
            assert_eq!(
                bfb.len(),
                rnn.n_out() * rnn.n(),
                "{who}: feedback matrix must be n_out×n"
            );
        }
    }

    /// c = eᵀ W_out or eᵀ B_fb, length n.
    pub fn credit(&self, rnn: &Rnn, e: &[f64]) -> Vec<f64> {
        match self {
            Feedback::Readout => rnn.credit(e),
            Feedback::Fixed(bfb) => {
                let n = rnn.n();
                let mut c = vec![0.0; n];
                for (k, ek) in e.iter().enumerate() {
                    for (cl, bl) in c.iter_mut().zip(&bfb[k * n..(k + 1) * n]) {
                        *cl += ek * bl;
                    }
                }
                c
            }
        }
    }
}

/// g_ij = c_i B_ij for a diagonal-structure trace B (row-major, rows of length m) into `out`.
pub(crate) fn contract_diagonal(c: &[f64], b: &[f64], m: usize, out: &mut [f64]) {
    assert_eq!(out.len(), b.len(), "gradient: out must be n×m");
    assert_eq!(c.len() * m, b.len(), "gradient: c must have n entries");
    for ((orow, brow), ci) in out.chunks_exact_mut(m).zip(b.chunks_exact(m)).zip(c) {
        for (o, bv) in orow.iter_mut().zip(brow) {
            *o = ci * bv;
        }
    }
}

/// The RFLO eligibility trace for a network of fixed shape.
#[derive(Clone, Debug)]
pub struct Rflo {
    n: usize,
    m: usize,
    /// B, row-major n × m.
    b: Vec<f64>,
    feedback: Feedback,
}

impl Rflo {
    /// A zero trace with readout credit c = eᵀ W_out.
    pub fn new(rnn: &Rnn) -> Rflo {
        Rflo {
            n: rnn.n(),
            m: rnn.m(),
            b: vec![0.0; rnn.n() * rnn.m()],
            feedback: Feedback::Readout,
        }
    }

    /// A zero trace with the given credit source. Panics if a fixed B_fb is not n_out × n.
    pub fn with_feedback(rnn: &Rnn, feedback: Feedback) -> Rflo {
        feedback.check(rnn, "Rflo");
        Rflo {
            feedback,
            ..Rflo::new(rnn)
        }
    }

    /// A zero trace with a random feedback matrix B_fb ~ N(0, 1/n) i.i.d. (the scale of the
    /// W_out initialisation; our choice), drawn from `seed`.
    pub fn with_random_feedback(rnn: &Rnn, seed: u64) -> Rflo {
        Rflo::with_feedback(rnn, Feedback::random(rnn, seed))
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

impl OnlineAlgorithm for Rflo {
    /// B ← 0.
    fn reset(&mut self) {
        self.b.iter_mut().for_each(|v| *v = 0.0);
    }

    /// B ← (1−α) B + α φ'(h(t)) â(t−1)ᵀ.
    fn update(&mut self, rnn: &Rnn, step: &Step) {
        let (n, m) = (self.n, self.m);
        assert!(
            rnn.n() == n && rnn.m() == m,
            "Rflo::update: network shape changed"
        );
        let alpha = rnn.alpha;
        for (i, row) in self.b.chunks_exact_mut(m).enumerate() {
            let s = alpha * step.dphi[i];
            for (bij, aj) in row.iter_mut().zip(&step.a_hat) {
                *bij = (1.0 - alpha) * *bij + s * aj;
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
    use crate::learning::learner::online_gradient;
    use crate::learning::online::{rel_err, test_problem};
    use crate::learning::rnn::{unit_fixture, Loss};

    /// vanilla-rtrl's unit vectors: n = n_in = n_out = 2, identities, φ = identity, â = [1,1,2,2,1].
    #[test]
    fn reference_unit_vectors() {
        let mut net = unit_fixture(Loss::MeanSquaredError);
        net.alpha = 0.5;
        let s = net.step(&[1.0, 1.0], &[2.0, 2.0], &[0.0, 0.0]);
        let mut alg = Rflo::new(&net);
        alg.b = vec![1.0; 10];
        alg.update(&net, &s);
        let row = [1.0, 1.0, 1.5, 1.5, 1.0];
        assert_eq!(alg.trace(), &[row, row].concat()[..]);
        alg.b = vec![1.0; 10];
        let mut g = vec![0.0; 10];
        alg.gradient(&[1.0, 2.0], &mut g);
        assert_eq!(g, [[1.0; 5], [2.0; 5]].concat());
        // c with W_FB = [[0, −1], [−1, 0]] and e = [0.5, 0.5].
        let fb = Rflo::with_feedback(&net, Feedback::Fixed(vec![0.0, -1.0, -1.0, 0.0]));
        assert_eq!(fb.credit(&net, &[0.5, 0.5]), vec![-0.5, -0.5]);
    }

    #[test]
    fn one_step_trajectory_is_the_exact_gradient() {
        for (alpha, loss, seed) in [
            (1.0, Loss::SoftmaxCrossEntropy, 1),
            (1.0, Loss::MeanSquaredError, 2),
            (0.3, Loss::MeanSquaredError, 3),
        ] {
            let (net, a0, x, y) = test_problem(6, 3, 2, 1, alpha, loss, seed);
            let (lb, gb) = bptt(&net, &a0, &x, &y);
            let (l, g) = online_gradient(&mut Rflo::new(&net), &net, &a0, &x, &y);
            assert_eq!(l, lb);
            let e = rel_err(&g.w, &gb.w);
            assert!(e < 1e-14, "α={alpha}: {e:e}");
            assert_eq!(g.w_out, gb.w_out);
        }
    }

    /// With α = 1 every step's g(t) is the exact gradient of L(t) with a(t−1) held fixed, i.e.
    /// BPTT over the one-step trajectory that starts from a(t−1).
    #[test]
    fn alpha_one_is_one_step_truncated_bptt() {
        let (net, a0, x, y) = test_problem(7, 3, 2, 25, 1.0, Loss::SoftmaxCrossEntropy, 4);
        let (n_in, n_out) = (net.n_in(), net.n_out());
        let steps = forward(&net, &a0, &x, &y);
        let mut want = vec![0.0; net.n() * net.m()];
        for (t, s) in steps.iter().enumerate() {
            let a_prev = &s.a_hat[..net.n()];
            let (_, g1) = bptt(
                &net,
                a_prev,
                &x[t * n_in..(t + 1) * n_in],
                &y[t * n_out..(t + 1) * n_out],
            );
            for (w, v) in want.iter_mut().zip(&g1.w) {
                *w += v;
            }
        }
        let (_, g) = online_gradient(&mut Rflo::new(&net), &net, &a0, &x, &y);
        let e = rel_err(&g.w, &want);
        assert!(e < 1e-13, "{e:e}");
        // And it is not the full gradient (the recurrence matters on this problem).
        let (_, full) = bptt(&net, &a0, &x, &y);
        assert!(rel_err(&g.w, &full.w) > 1e-2);
    }

    #[test]
    fn trace_recursion_equals_direct_sum() {
        let alpha = 0.3;
        let t_len = 20;
        let (net, a0, x, y) = test_problem(5, 2, 2, t_len, alpha, Loss::MeanSquaredError, 5);
        let (n, m) = (net.n(), net.m());
        let steps = forward(&net, &a0, &x, &y);
        let mut alg = Rflo::new(&net);
        for s in &steps {
            alg.update(&net, s);
        }
        let mut direct = vec![0.0; n * m];
        for (idx, s) in steps.iter().enumerate() {
            let w = alpha * (1.0 - alpha).powi((t_len - 1 - idx) as i32);
            for i in 0..n {
                for j in 0..m {
                    direct[i * m + j] += w * s.dphi[i] * s.a_hat[j];
                }
            }
        }
        let e = rel_err(alg.trace(), &direct);
        assert!(e < 1e-13, "{e:e}");
        alg.reset();
        assert!(alg.trace().iter().all(|&v| v == 0.0));
    }

    #[test]
    fn random_feedback_is_seeded_and_used() {
        let (net, a0, x, y) = test_problem(6, 2, 3, 15, 0.5, Loss::MeanSquaredError, 6);
        let g = |seed| {
            online_gradient(
                &mut Rflo::with_random_feedback(&net, seed),
                &net,
                &a0,
                &x,
                &y,
            )
            .1
        };
        assert_eq!(g(1), g(1));
        assert_ne!(g(1).w, g(2).w);
        // Feedback equal to W_out reproduces readout credit exactly.
        let mut same = Rflo::with_feedback(&net, Feedback::Fixed(net.w_out.clone()));
        let a = online_gradient(&mut same, &net, &a0, &x, &y).1;
        let b = online_gradient(&mut Rflo::new(&net), &net, &a0, &x, &y).1;
        assert_eq!(a, b);
    }
}
