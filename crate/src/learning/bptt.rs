//! Exact offline backpropagation through time over a stored trajectory (the oracle of the
//! learning algorithms; Marschall et al. 2020, future-facing exact case).
//!
//! For the total loss L = Σ_{t=1..T} L(t), with c(t) = e(t)ᵀ W_out and J(t) = (1−α) I + α D(t) W_rec:
//!
//! ```text
//! c̄(T) = c(T),   c̄(t) = c(t) + c̄(t+1) J(t+1)                  (credit assignment, backwards)
//! ∂L/∂W_ij  = Σ_t c̄_i(t) α φ'(h_i(t)) â_j(t−1)                 (W = [W_rec | W_in | b_rec])
//! ∂L/∂W_out = Σ_t e(t) a(t)ᵀ,   ∂L/∂b_out = Σ_t e(t)
//! ```
//!
//! The initial state a(0) is held fixed (it is not a parameter).

use super::rnn::{Rnn, Step};

/// Gradients of a loss with respect to the five parameter arrays.
#[derive(Clone, Debug, PartialEq)]
pub struct Gradients {
    /// ∂L/∂W for W = [W_rec | W_in | b_rec], row-major n × m.
    pub w: Vec<f64>,
    /// ∂L/∂W_out, row-major n_out × n.
    pub w_out: Vec<f64>,
    /// ∂L/∂b_out, length n_out.
    pub b_out: Vec<f64>,
}

impl Gradients {
    /// All-zero gradients shaped for `rnn`.
    pub fn zeros(rnn: &Rnn) -> Gradients {
        Gradients {
            w: vec![0.0; rnn.n() * rnn.m()],
            w_out: vec![0.0; rnn.n_out() * rnn.n()],
            b_out: vec![0.0; rnn.n_out()],
        }
    }

    /// Adds the exact local readout gradient of one step: e(t) a(t)ᵀ and e(t).
    pub fn add_readout(&mut self, step: &Step) {
        let n = step.a.len();
        for (k, ek) in step.e.iter().enumerate() {
            for (g, al) in self.w_out[k * n..(k + 1) * n].iter_mut().zip(&step.a) {
                *g += ek * al;
            }
            self.b_out[k] += ek;
        }
    }
}

/// Runs the network from `a0` over `inputs` (row-major T × n_in) with `labels` (T × n_out) and
/// returns every step.
pub fn forward(rnn: &Rnn, a0: &[f64], inputs: &[f64], labels: &[f64]) -> Vec<Step> {
    let (n_in, n_out) = (rnn.n_in(), rnn.n_out());
    assert!(
        n_out > 0 && labels.len() % n_out == 0,
        "forward: labels must be T × n_out"
    );
    let t_len = labels.len() / n_out;
    assert_eq!(
        inputs.len(),
        t_len * n_in,
        "forward: inputs must be T × n_in"
    );
    let mut steps: Vec<Step> = Vec::with_capacity(t_len);
    for t in 0..t_len {
        let a_prev = steps.last().map_or(a0, |s| &s.a[..]);
        let s = rnn.step(
            a_prev,
            &inputs[t * n_in..(t + 1) * n_in],
            &labels[t * n_out..(t + 1) * n_out],
        );
        steps.push(s);
    }
    steps
}

/// Total loss Σ_t L(t) and its exact gradient by backpropagation through time.
pub fn bptt(rnn: &Rnn, a0: &[f64], inputs: &[f64], labels: &[f64]) -> (f64, Gradients) {
    let steps = forward(rnn, a0, inputs, labels);
    let (n, m) = (rnn.n(), rnn.m());
    let mut grads = Gradients::zeros(rnn);
    let mut cbar = vec![0.0; n];
    for (t, s) in steps.iter().enumerate().rev() {
        // c̄(t) = c(t) + c̄(t+1) J(t+1); at t = T the second term is absent (cbar = 0 there).
        let c = rnn.credit(&s.e);
        let carried = if t + 1 < steps.len() {
            rnn.vec_jacobian(&cbar, &steps[t + 1].dphi)
        } else {
            vec![0.0; n]
        };
        for ((cb, ci), ri) in cbar.iter_mut().zip(&c).zip(&carried) {
            *cb = ci + ri;
        }
        for (i, (cb, dp)) in cbar.iter().zip(&s.dphi).enumerate() {
            let s_i = cb * rnn.alpha * dp;
            for (g, aj) in grads.w[i * m..(i + 1) * m].iter_mut().zip(&s.a_hat) {
                *g += s_i * aj;
            }
        }
        grads.add_readout(s);
    }
    let loss = steps.iter().map(|s| s.loss).sum();
    (loss, grads)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::online::test_problem;
    use crate::learning::rnn::Loss;
    use crate::rng;

    /// The shared random problem with a random readout bias as well.
    fn problem(
        n: usize,
        n_in: usize,
        n_out: usize,
        t_len: usize,
        alpha: f64,
        loss: Loss,
        seed: u64,
    ) -> (Rnn, Vec<f64>, Vec<f64>, Vec<f64>) {
        let (mut net, a0, inputs, labels) = test_problem(n, n_in, n_out, t_len, alpha, loss, seed);
        rng::fill_normal(&mut rng::seeded(seed + 3000), 0.2, &mut net.b_out);
        (net, a0, inputs, labels)
    }

    fn total_loss(net: &Rnn, a0: &[f64], x: &[f64], y: &[f64]) -> f64 {
        forward(net, a0, x, y).iter().map(|s| s.loss).sum()
    }

    fn max_rel_err(a: &[f64], b: &[f64]) -> f64 {
        let scale = b.iter().fold(0.0f64, |s, v| s.max(v.abs()));
        a.iter()
            .zip(b)
            .fold(0.0f64, |s, (x, y)| s.max((x - y).abs() / scale))
    }

    /// Central finite differences of the total loss with respect to every parameter; the error
    /// of a central difference with ε = 1e-5 is O(ε²·L''') ≈ 1e-10 relative, far below 1e-7.
    #[test]
    fn bptt_matches_central_finite_differences() {
        for (loss, alpha, seed) in [
            (Loss::SoftmaxCrossEntropy, 1.0, 1),
            (Loss::SoftmaxCrossEntropy, 0.4, 2),
            (Loss::MeanSquaredError, 1.0, 3),
            (Loss::MeanSquaredError, 0.6, 4),
        ] {
            let (net, a0, x, y) = problem(5, 3, 3, 25, alpha, loss, seed);
            let (l, g) = bptt(&net, &a0, &x, &y);
            assert!((l - total_loss(&net, &a0, &x, &y)).abs() < 1e-12 * l.abs().max(1.0));
            let eps = 1e-5;
            let fd = |perturb: &dyn Fn(&mut Rnn, f64)| {
                let mut p = net.clone();
                perturb(&mut p, eps);
                let mut q = net.clone();
                perturb(&mut q, -eps);
                (total_loss(&p, &a0, &x, &y) - total_loss(&q, &a0, &x, &y)) / (2.0 * eps)
            };
            let fd_w: Vec<f64> = (0..g.w.len())
                .map(|k| fd(&|r: &mut Rnn, d| r.w[k] += d))
                .collect();
            let fd_wo: Vec<f64> = (0..g.w_out.len())
                .map(|k| fd(&|r: &mut Rnn, d| r.w_out[k] += d))
                .collect();
            let fd_bo: Vec<f64> = (0..g.b_out.len())
                .map(|k| fd(&|r: &mut Rnn, d| r.b_out[k] += d))
                .collect();
            let errs = [
                max_rel_err(&g.w, &fd_w),
                max_rel_err(&g.w_out, &fd_wo),
                max_rel_err(&g.b_out, &fd_bo),
            ];
            for e in errs {
                assert!(e < 1e-7, "{loss:?} α={alpha}: relative error {e:e}");
            }
        }
    }
}
