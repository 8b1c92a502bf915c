//! Real-time recurrent learning (Williams & Zipser 1989; Marschall et al. 2020, exact past-facing
//! case): the influence matrix M(t) = ∂a(t)/∂W ∈ R^{n × nm}, W = [W_rec | W_in | b_rec], is
//! carried forward and contracted with the immediate credit c(t) = e(t)ᵀ W_out each step:
//!
//! ```text
//! M(0) = 0,   M(t) = J(t) M(t−1) + M̄(t),   J(t) = (1−α) I + α D(t) W_rec,
//! M̄(t)_{k,ij} = α δ_ki φ'(h_i(t)) â_j(t−1),
//! g(t) = c(t) M(t) = ∂L(t)/∂W,              Σ_t g(t) = ∂L/∂W while W is held fixed.
//! ```
//!
//! Storage: Mᵀ is kept row-major as an (n·m) × n array, row p = i·m + j holding ∂a(t)/∂W_ij
//! (our layout, not the reference code's column-major one). The dominant product is then
//! (J M)ᵀ = (1−α) Mᵀ + α (Mᵀ W_recᵀ) D, one [`gemm_abt`] of cost n³m, and g = Mᵀ c is one
//! [`gemv`]. With [`Legacy::rtrl_without_alpha`](super::rnn::Legacy) M̄ omits α, as in the
//! paper-era code.

use super::bptt::{forward, Gradients};
use super::rnn::{Rnn, Step};
use crate::kernels::{gemm_abt, gemv};

/// The RTRL trace for a network of fixed shape.
#[derive(Clone, Debug)]
pub struct Rtrl {
    n: usize,
    m: usize,
    /// Mᵀ, row-major (n·m) × n.
    mt: Vec<f64>,
    /// Scratch for Mᵀ W_recᵀ.
    prod: Vec<f64>,
    /// Contiguous copy of W_rec.
    w_rec: Vec<f64>,
}

impl Rtrl {
    /// A zero trace (M = 0) for `rnn`'s shape.
    pub fn new(rnn: &Rnn) -> Rtrl {
        let (n, m) = (rnn.n(), rnn.m());
        Rtrl {
            n,
            m,
            mt: vec![0.0; n * m * n],
            prod: vec![0.0; n * m * n],
            w_rec: vec![0.0; n * n],
        }
    }

    /// M ← 0.
    pub fn reset(&mut self) {
        self.mt.iter_mut().for_each(|v| *v = 0.0);
    }

    /// Mᵀ, row-major (n·m) × n: entry [(i·m + j)·n + k] = ∂a_k(t)/∂W_ij.
    pub fn influence_transposed(&self) -> &[f64] {
        &self.mt
    }

    /// M ← J(t) M + M̄(t), with J(t) from the current W_rec and the step's φ'(h(t)).
    pub fn update(&mut self, rnn: &Rnn, step: &Step) {
        let (n, m) = (self.n, self.m);
        assert!(
            rnn.n() == n && rnn.m() == m,
            "Rtrl::update: network shape changed"
        );
        for i in 0..n {
            self.w_rec[i * n..(i + 1) * n].copy_from_slice(&rnn.w[i * m..i * m + n]);
        }
        let p_len = n * m;
        gemm_abt(&self.mt, &self.w_rec, p_len, n, n, &mut self.prod);
        let alpha = rnn.alpha;
        let ad: Vec<f64> = step.dphi.iter().map(|d| alpha * d).collect();
        let leak = 1.0 - alpha;
        for (row, prow) in self.mt.chunks_exact_mut(n).zip(self.prod.chunks_exact(n)) {
            for k in 0..n {
                row[k] = leak * row[k] + ad[k] * prow[k];
            }
        }
        let bar = rnn.influence_scale();
        for i in 0..n {
            let s = bar * step.dphi[i];
            for j in 0..m {
                self.mt[(i * m + j) * n + i] += s * step.a_hat[j];
            }
        }
    }

    /// g = c M (the gradient of L(t) with respect to W when c = c(t)), written row-major n × m
    /// into `out`.
    pub fn gradient(&self, c: &[f64], out: &mut [f64]) {
        gemv(&self.mt, self.n * self.m, self.n, c, out);
    }
}

/// Total loss and the gradient accumulated online by RTRL over a trajectory with W held fixed:
/// Σ_t c(t) M(t) for W and the exact local readout gradients. Equals [`bptt`](super::bptt::bptt)
/// up to rounding (exactly (1/α) times it for W under `rtrl_without_alpha`).
pub fn rtrl_gradient(rnn: &Rnn, a0: &[f64], inputs: &[f64], labels: &[f64]) -> (f64, Gradients) {
    let mut trace = Rtrl::new(rnn);
    let mut grads = Gradients::zeros(rnn);
    let mut g = vec![0.0; rnn.n() * rnn.m()];
    let steps = forward(rnn, a0, inputs, labels);
    for s in &steps {
        trace.update(rnn, s);
        trace.gradient(&rnn.credit(&s.e), &mut g);
        for (acc, v) in grads.w.iter_mut().zip(&g) {
            *acc += v;
        }
        grads.add_readout(s);
    }
    (steps.iter().map(|s| s.loss).sum(), grads)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::bptt::bptt;
    use crate::learning::online::{rel_err, test_problem};
    use crate::learning::rnn::Loss;

    #[test]
    fn rtrl_accumulated_gradient_equals_bptt() {
        for (n, alpha, loss, seed) in [
            (4, 1.0, Loss::SoftmaxCrossEntropy, 1),
            (6, 0.5, Loss::SoftmaxCrossEntropy, 2),
            (7, 1.0, Loss::MeanSquaredError, 3),
            (8, 0.3, Loss::MeanSquaredError, 4),
        ] {
            let (net, a0, x, y) = test_problem(n, 3, 2, 40, alpha, loss, seed);
            let (lb, gb) = bptt(&net, &a0, &x, &y);
            let (lr, gr) = rtrl_gradient(&net, &a0, &x, &y);
            assert_eq!(lb, lr);
            let e = rel_err(&gr.w, &gb.w);
            assert!(
                e < 1e-10,
                "n={n} α={alpha}: RTRL vs BPTT relative error {e:e}"
            );
            // Same terms, summed forwards vs backwards in time.
            assert!(rel_err(&gr.w_out, &gb.w_out) < 1e-13);
            assert!(rel_err(&gr.b_out, &gb.b_out) < 1e-13);
        }
    }

    #[test]
    fn legacy_rtrl_without_alpha_is_exact_gradient_over_alpha() {
        let (mut net, a0, x, y) = test_problem(5, 2, 2, 25, 0.5, Loss::MeanSquaredError, 9);
        let (_, exact) = bptt(&net, &a0, &x, &y);
        net.legacy.rtrl_without_alpha = true;
        let (_, legacy) = rtrl_gradient(&net, &a0, &x, &y);
        let scaled: Vec<f64> = exact.w.iter().map(|v| v / net.alpha).collect();
        assert!(rel_err(&legacy.w, &scaled) < 1e-10);
    }
}
