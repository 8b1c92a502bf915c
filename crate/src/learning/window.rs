//! The stored window of past forward steps that the truncated backpropagation algorithms
//! (E-BPTT, F-BPTT, rolling TBPTT) work on, and the products they need over it, all without
//! per-step heap allocation:
//!
//! ```text
//! slot s:  â(s−1) ∈ R^m,  φ'(h(s)) ∈ R^n,  a credit vector ∈ R^n      (ring buffer, fixed capacity)
//! v J(s) = (1−α) v + α W_recᵀ (v ⊙ φ'(h(s)))                          (row vector × Jacobian)
//! g += (c ⊙ s·φ'(h(s))) ⊗ â(s−1)                                      (one column of the BPTT sum)
//! ```
//!
//! J(s) is rebuilt from the stored φ'(h(s)) and the W_rec loaded last ([`BackJacobian::load`]),
//! i.e. with the current weights. The product is one [`gemv`] with a transposed copy of W_rec.

use super::rnn::{Rnn, Step};
use crate::kernels::gemv;

/// c = eᵀ W_out written into `out` (length n), as [`Rnn::credit`] without allocating.
pub(crate) fn readout_credit(rnn: &Rnn, e: &[f64], out: &mut [f64]) {
    assert_eq!(
        e.len(),
        rnn.n_out(),
        "readout_credit: e must have n_out entries"
    );
    credit_through(&rnn.w_out, e, out);
}

/// c = eᵀ B for a row-major B of shape len(e) × len(out), written into `out`.
pub(crate) fn credit_through(b: &[f64], e: &[f64], out: &mut [f64]) {
    let n = out.len();
    assert_eq!(b.len(), e.len() * n, "credit_through: shapes do not match");
    out.iter_mut().for_each(|v| *v = 0.0);
    for (ek, brow) in e.iter().zip(b.chunks_exact(n)) {
        for (cl, bl) in out.iter_mut().zip(brow) {
            *cl += ek * bl;
        }
    }
}

/// A ring buffer of the last `capacity` steps: â(s−1), φ'(h(s)) and a credit vector per step.
#[derive(Clone, Debug)]
pub(crate) struct StepWindow {
    n: usize,
    m: usize,
    capacity: usize,
    /// Physical slot of the oldest stored step.
    start: usize,
    len: usize,
    a_hat: Vec<f64>,
    dphi: Vec<f64>,
    credit: Vec<f64>,
}

impl StepWindow {
    /// An empty window for `capacity` steps of a network with n units and m = n + n_in + 1.
    pub(crate) fn new(capacity: usize, n: usize, m: usize) -> StepWindow {
        assert!(capacity > 0, "StepWindow: capacity must be positive");
        StepWindow {
            n,
            m,
            capacity,
            start: 0,
            len: 0,
            a_hat: vec![0.0; capacity * m],
            dphi: vec![0.0; capacity * n],
            credit: vec![0.0; capacity * n],
        }
    }

    /// Number of stored steps.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The maximum number of stored steps.
    pub(crate) fn capacity(&self) -> usize {
        self.capacity
    }

    /// Forgets every stored step.
    pub(crate) fn clear(&mut self) {
        self.start = 0;
        self.len = 0;
    }

    fn slot(&self, i: usize) -> usize {
        debug_assert!(i < self.len);
        (self.start + i) % self.capacity
    }

    /// Appends `step` (as the newest entry) with credit vector `c`. Panics if the window is full.
    pub(crate) fn push(&mut self, step: &Step, c: &[f64]) {
        let (n, m) = (self.n, self.m);
        assert!(self.len < self.capacity, "StepWindow::push: window is full");
        assert!(
            step.a_hat.len() == m && step.dphi.len() == n && c.len() == n,
            "StepWindow::push: network shape changed"
        );
        let p = (self.start + self.len) % self.capacity;
        self.len += 1;
        self.a_hat[p * m..(p + 1) * m].copy_from_slice(&step.a_hat);
        self.dphi[p * n..(p + 1) * n].copy_from_slice(&step.dphi);
        self.credit[p * n..(p + 1) * n].copy_from_slice(c);
    }

    /// Drops the oldest stored step. Panics if the window is empty.
    pub(crate) fn pop_oldest(&mut self) {
        assert!(self.len > 0, "StepWindow::pop_oldest: window is empty");
        self.start = (self.start + 1) % self.capacity;
        self.len -= 1;
    }

    /// â(s−1) of the i-th oldest stored step.
    pub(crate) fn a_hat(&self, i: usize) -> &[f64] {
        let p = self.slot(i);
        &self.a_hat[p * self.m..(p + 1) * self.m]
    }

    /// φ'(h(s)) of the i-th oldest stored step.
    pub(crate) fn dphi(&self, i: usize) -> &[f64] {
        let p = self.slot(i);
        &self.dphi[p * self.n..(p + 1) * self.n]
    }

    /// The credit vector of the i-th oldest stored step.
    pub(crate) fn credit(&self, i: usize) -> &[f64] {
        let p = self.slot(i);
        &self.credit[p * self.n..(p + 1) * self.n]
    }

    /// The credit vector of the i-th oldest stored step, mutable.
    pub(crate) fn credit_mut(&mut self, i: usize) -> &mut [f64] {
        let p = self.slot(i);
        &mut self.credit[p * self.n..(p + 1) * self.n]
    }

    /// g += (c ⊙ scale·φ'(h(s))) ⊗ â(s−1) for the i-th oldest step s (g row-major n × m).
    pub(crate) fn add_outer(&self, i: usize, c: &[f64], scale: f64, g: &mut [f64]) {
        let (n, m) = (self.n, self.m);
        debug_assert!(c.len() == n && g.len() == n * m);
        let (a_hat, dphi) = (self.a_hat(i), self.dphi(i));
        for ((grow, ck), dk) in g.chunks_exact_mut(m).zip(c).zip(dphi) {
            let s = ck * scale * dk;
            for (gv, aj) in grow.iter_mut().zip(a_hat) {
                *gv += s * aj;
            }
        }
    }
}

/// Row-vector × Jacobian products v J(s) with a cached W_recᵀ.
#[derive(Clone, Debug)]
pub(crate) struct BackJacobian {
    n: usize,
    alpha: f64,
    /// W_recᵀ, row-major n × n.
    w_rec_t: Vec<f64>,
    /// Scratch α (v ⊙ φ').
    u: Vec<f64>,
}

impl BackJacobian {
    /// Zero weights for n units; call [`BackJacobian::load`] before use.
    pub(crate) fn new(n: usize) -> BackJacobian {
        BackJacobian {
            n,
            alpha: 1.0,
            w_rec_t: vec![0.0; n * n],
            u: vec![0.0; n],
        }
    }

    /// Takes W_rec and α from `rnn` (the current weights).
    pub(crate) fn load(&mut self, rnn: &Rnn) {
        let (n, m) = (self.n, rnn.m());
        assert_eq!(rnn.n(), n, "BackJacobian::load: network shape changed");
        for k in 0..n {
            for (l, w) in rnn.w[k * m..k * m + n].iter().enumerate() {
                self.w_rec_t[l * n + k] = *w;
            }
        }
        self.alpha = rnn.alpha;
    }

    /// out = v J with J = (1−α) I + α diag(φ') W_rec, φ' = `dphi`.
    pub(crate) fn apply(&mut self, v: &[f64], dphi: &[f64], out: &mut [f64]) {
        let alpha = self.alpha;
        for ((uk, vk), dk) in self.u.iter_mut().zip(v).zip(dphi) {
            *uk = alpha * vk * dk;
        }
        gemv(&self.w_rec_t, self.n, self.n, &self.u, out);
        for (o, vl) in out.iter_mut().zip(v) {
            *o += (1.0 - alpha) * vl;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::bptt::forward;
    use crate::learning::online::{rel_err, test_problem};
    use crate::learning::rnn::Loss;

    #[test]
    fn ring_buffer_keeps_the_newest_steps_in_order() {
        let (net, a0, x, y) = test_problem(3, 2, 2, 7, 0.5, Loss::MeanSquaredError, 1);
        let steps = forward(&net, &a0, &x, &y);
        let mut w = StepWindow::new(3, net.n(), net.m());
        for (t, s) in steps.iter().enumerate() {
            if w.len() == w.capacity() {
                w.pop_oldest();
            }
            w.push(s, &[t as f64; 3]);
        }
        assert_eq!(w.len(), 3);
        for i in 0..3 {
            let s = &steps[4 + i];
            assert_eq!(w.a_hat(i), &s.a_hat[..]);
            assert_eq!(w.dphi(i), &s.dphi[..]);
            assert_eq!(w.credit(i), &[(4 + i) as f64; 3]);
        }
        w.clear();
        assert_eq!(w.len(), 0);
    }

    #[test]
    fn jacobian_product_matches_rnn() {
        let (net, a0, x, y) = test_problem(6, 2, 2, 3, 0.3, Loss::MeanSquaredError, 2);
        let steps = forward(&net, &a0, &x, &y);
        let mut bj = BackJacobian::new(6);
        bj.load(&net);
        let v = [0.3, -1.0, 0.5, 2.0, -0.7, 0.1];
        let mut out = [0.0; 6];
        bj.apply(&v, &steps[2].dphi, &mut out);
        let want = net.vec_jacobian(&v, &steps[2].dphi);
        assert!(rel_err(&out, &want) < 1e-14);
    }
}
