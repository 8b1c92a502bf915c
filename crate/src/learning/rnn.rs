//! The leaky discrete-time RNN of Marschall, Cho & Savin (JMLR 2020, §2) and its losses.
//!
//! With n hidden units, n_in inputs, n_out outputs and m = n + n_in + 1:
//!
//! ```text
//! â(t−1) = [a(t−1); x(t); 1]                 W = [W_rec | W_in | b_rec] ∈ R^{n×m}
//! h(t)   = W â(t−1)                          (pre-activation)
//! a(t)   = (1−α) a(t−1) + α φ(h(t))          α ∈ (0, 1]
//! z(t)   = W_out a(t) + b_out
//! ```
//!
//! Losses: softmax cross-entropy L = −Σ_k y*_k log softmax(z)_k, or mean squared error
//! L = ½·mean_k (z_k − y*_k)². The step returns e(t) = ∂L(t)/∂z(t), the derivative of exactly
//! the loss value it reports, unless a [`Legacy`] quirk of the paper-era reference code is
//! switched on.

use crate::linalg::qr::orthonormal_columns;
use crate::rng;

/// The pointwise nonlinearity φ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    /// φ = tanh, φ' = 1 − tanh².
    Tanh,
    /// φ(h) = h, φ' = 1.
    Identity,
}

impl Activation {
    /// (φ(h), φ'(h)).
    #[inline]
    pub fn eval(self, h: f64) -> (f64, f64) {
        match self {
            Activation::Tanh => {
                let t = h.tanh();
                (t, 1.0 - t * t)
            }
            Activation::Identity => (h, 1.0),
        }
    }
}

/// Readout and loss.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loss {
    /// p = softmax(z), L = −Σ_k y*_k log p_k, e = p·Σ_k y*_k − y* (= p − y* for normalised labels).
    SoftmaxCrossEntropy,
    /// Linear readout, L = (1/2n_out) Σ_k (z_k − y*_k)², e = (z − y*)/n_out.
    MeanSquaredError,
}

/// Quirks of the paper-era reference code (vanilla-rtrl up to its 2020 `release` branch), all
/// off by default. Each reproduces that code's numbers; none is mathematically consistent.
/// (The Add task's `np.roll` wrap-around cannot arise in the continuous [`AddTask`] stream; the
/// optimizer's discarded clipping and the UORO/KeRNL quirks belong with those algorithms.)
///
/// [`AddTask`]: super::tasks::AddTask
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Legacy {
    /// Cross-entropy *value* computed with p clipped to [1e-4, 1] (the derivative stays p − y*).
    pub clip_probability: bool,
    /// MSE derivative e = z − y*, which is n_out times the derivative of the reported ½·mean loss.
    pub mse_sum_derivative: bool,
    /// RTRL's immediate influence M̄ without the factor α, so its gradient is (1/α) × the true one.
    pub rtrl_without_alpha: bool,
}

/// Everything the learning algorithms need from one forward step t.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// â(t−1) = [a(t−1); x(t); 1], length m.
    pub a_hat: Vec<f64>,
    /// Pre-activation h(t), length n.
    pub h: Vec<f64>,
    /// φ'(h(t)), length n.
    pub dphi: Vec<f64>,
    /// New state a(t), length n.
    pub a: Vec<f64>,
    /// Readout z(t), length n_out.
    pub z: Vec<f64>,
    /// Loss value L(t).
    pub loss: f64,
    /// e(t) = ∂L(t)/∂z(t), length n_out.
    pub e: Vec<f64>,
    /// The label y*(t), length n_out.
    pub label: Vec<f64>,
}

/// The network: shapes, parameters and settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Rnn {
    n: usize,
    n_in: usize,
    n_out: usize,
    /// Inverse time constant α ∈ (0, 1].
    pub alpha: f64,
    /// φ.
    pub activation: Activation,
    /// Readout loss.
    pub loss: Loss,
    /// Paper-era quirks.
    pub legacy: Legacy,
    /// W = [W_rec | W_in | b_rec], row-major n × m.
    pub w: Vec<f64>,
    /// W_out, row-major n_out × n.
    pub w_out: Vec<f64>,
    /// b_out, length n_out.
    pub b_out: Vec<f64>,
}

impl Rnn {
    /// A network from row-major W_rec (n×n), W_in (n×n_in), b_rec (n), W_out (n_out×n) and b_out
    /// (n_out). Panics on inconsistent shapes or α ∉ (0, 1].
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        n: usize,
        n_in: usize,
        n_out: usize,
        w_rec: &[f64],
        w_in: &[f64],
        b_rec: &[f64],
        w_out: &[f64],
        b_out: &[f64],
        alpha: f64,
        activation: Activation,
        loss: Loss,
    ) -> Rnn {
        assert!(n > 0 && n_out > 0, "Rnn: n and n_out must be positive");
        assert_eq!(w_rec.len(), n * n, "Rnn: W_rec must be n×n");
        assert_eq!(w_in.len(), n * n_in, "Rnn: W_in must be n×n_in");
        assert_eq!(b_rec.len(), n, "Rnn: b_rec must have n entries");
        assert_eq!(w_out.len(), n_out * n, "Rnn: W_out must be n_out×n");
        assert_eq!(b_out.len(), n_out, "Rnn: b_out must have n_out entries");
        assert!(alpha > 0.0 && alpha <= 1.0, "Rnn: alpha must lie in (0, 1]");
        let m = n + n_in + 1;
        let mut w = vec![0.0; n * m];
        for i in 0..n {
            let row = &mut w[i * m..(i + 1) * m];
            row[..n].copy_from_slice(&w_rec[i * n..(i + 1) * n]);
            row[n..n + n_in].copy_from_slice(&w_in[i * n_in..(i + 1) * n_in]);
            row[n + n_in] = b_rec[i];
        }
        Rnn {
            n,
            n_in,
            n_out,
            alpha,
            activation,
            loss,
            legacy: Legacy::default(),
            w,
            w_out: w_out.to_vec(),
            b_out: b_out.to_vec(),
        }
    }

    /// The reference code's initialisation: W_rec = Q of the QR decomposition of an n×n standard
    /// Gaussian matrix (orthogonal), W_in ~ N(0, 1/n_in), W_out ~ N(0, 1/n), b_rec = b_out = 0.
    pub fn init(
        n: usize,
        n_in: usize,
        n_out: usize,
        alpha: f64,
        activation: Activation,
        loss: Loss,
        seed: u64,
    ) -> Rnn {
        let mut r = rng::seeded(seed);
        let mut w_rec = vec![0.0; n * n];
        rng::fill_normal(&mut r, 1.0, &mut w_rec);
        orthonormal_columns(&mut w_rec, n, n);
        let mut w_in = vec![0.0; n * n_in];
        if n_in > 0 {
            rng::fill_normal(&mut r, (1.0 / n_in as f64).sqrt(), &mut w_in);
        }
        let mut w_out = vec![0.0; n_out * n];
        rng::fill_normal(&mut r, (1.0 / n as f64).sqrt(), &mut w_out);
        Rnn::new(
            n,
            n_in,
            n_out,
            &w_rec,
            &w_in,
            &vec![0.0; n],
            &w_out,
            &vec![0.0; n_out],
            alpha,
            activation,
            loss,
        )
    }

    /// The reference code's initial state: h ~ N(0, 1), a = tanh(h) (`reset_network(sigma=1)`).
    pub fn initial_state(n: usize, seed: u64) -> Vec<f64> {
        let mut r = rng::seeded(seed);
        (0..n).map(|_| rng::normal(&mut r).tanh()).collect()
    }

    /// Number of hidden units n.
    pub fn n(&self) -> usize {
        self.n
    }
    /// Number of inputs n_in.
    pub fn n_in(&self) -> usize {
        self.n_in
    }
    /// Number of outputs n_out.
    pub fn n_out(&self) -> usize {
        self.n_out
    }
    /// Columns of W: m = n + n_in + 1.
    pub fn m(&self) -> usize {
        self.n + self.n_in + 1
    }

    /// W_rec,il (entry of the recurrent block of W).
    #[inline]
    pub fn w_rec(&self, i: usize, l: usize) -> f64 {
        self.w[i * self.m() + l]
    }

    /// One exact forward step from a(t−1) with input x(t) and label y*(t).
    pub fn step(&self, a_prev: &[f64], x: &[f64], label: &[f64]) -> Step {
        let mut s = Step {
            a_hat: Vec::new(),
            h: Vec::new(),
            dphi: Vec::new(),
            a: Vec::new(),
            z: Vec::new(),
            loss: 0.0,
            e: Vec::new(),
            label: Vec::new(),
        };
        self.step_into(a_prev, x, label, &mut s);
        s
    }

    /// As [`Rnn::step`], writing into `s` and reusing its buffers.
    pub fn step_into(&self, a_prev: &[f64], x: &[f64], label: &[f64], s: &mut Step) {
        let (n, m) = (self.n, self.m());
        assert_eq!(a_prev.len(), n, "Rnn::step: a_prev must have n entries");
        assert_eq!(x.len(), self.n_in, "Rnn::step: x must have n_in entries");
        assert_eq!(
            label.len(),
            self.n_out,
            "Rnn::step: label must have n_out entries"
        );
        s.a_hat.clear();
        s.a_hat.extend_from_slice(a_prev);
        s.a_hat.extend_from_slice(x);
        s.a_hat.push(1.0);
        s.h.resize(n, 0.0);
        crate::kernels::gemv(&self.w, n, m, &s.a_hat, &mut s.h);
        s.dphi.resize(n, 0.0);
        s.a.resize(n, 0.0);
        for (i, &ap) in a_prev.iter().enumerate() {
            let (p, dp) = self.activation.eval(s.h[i]);
            s.dphi[i] = dp;
            s.a[i] = (1.0 - self.alpha) * ap + self.alpha * p;
        }
        s.z.resize(self.n_out, 0.0);
        crate::kernels::gemv(&self.w_out, self.n_out, n, &s.a, &mut s.z);
        for (zk, bk) in s.z.iter_mut().zip(&self.b_out) {
            *zk += bk;
        }
        let (loss, e) = self.loss_and_error(&s.z, label);
        s.loss = loss;
        s.e = e;
        s.label.clear();
        s.label.extend_from_slice(label);
    }

    /// L(z, y*) and e = ∂L/∂z for the configured loss (see [`Loss`] and [`Legacy`]).
    pub fn loss_and_error(&self, z: &[f64], label: &[f64]) -> (f64, Vec<f64>) {
        let k = z.len();
        match self.loss {
            Loss::SoftmaxCrossEntropy => {
                let zmax = z.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                let sum: f64 = z.iter().map(|&v| (v - zmax).exp()).sum();
                let log_norm = zmax + sum.ln();
                let p: Vec<f64> = z.iter().map(|&v| (v - log_norm).exp()).collect();
                let ysum: f64 = label.iter().sum();
                let loss = if self.legacy.clip_probability {
                    -(0..k)
                        .map(|j| label[j] * p[j].clamp(1e-4, 1.0).ln())
                        .sum::<f64>()
                } else {
                    -(0..k).map(|j| label[j] * (z[j] - log_norm)).sum::<f64>()
                };
                let e = if self.legacy.clip_probability {
                    (0..k).map(|j| p[j] - label[j]).collect()
                } else {
                    (0..k).map(|j| p[j] * ysum - label[j]).collect()
                };
                (loss, e)
            }
            Loss::MeanSquaredError => {
                let scale = if self.legacy.mse_sum_derivative {
                    1.0
                } else {
                    1.0 / k as f64
                };
                let loss = 0.5 * (0..k).map(|j| (z[j] - label[j]).powi(2)).sum::<f64>() / k as f64;
                (loss, (0..k).map(|j| scale * (z[j] - label[j])).collect())
            }
        }
    }

    /// The factor of the immediate influence M̄ = α φ'(h) ⊗ â: α, or 1 under the paper-era
    /// [`Legacy::rtrl_without_alpha`] quirk.
    pub fn influence_scale(&self) -> f64 {
        if self.legacy.rtrl_without_alpha {
            1.0
        } else {
            self.alpha
        }
    }

    /// Immediate credit assignment c(t) = ∂L(t)/∂a(t) = e(t)ᵀ W_out, length n.
    pub fn credit(&self, e: &[f64]) -> Vec<f64> {
        let n = self.n;
        let mut c = vec![0.0; n];
        for (k, ek) in e.iter().enumerate() {
            for (cl, wl) in c.iter_mut().zip(&self.w_out[k * n..(k + 1) * n]) {
                *cl += ek * wl;
            }
        }
        c
    }

    /// Row vector times Jacobian: (v J(t))_l = (1−α) v_l + α Σ_k v_k φ'(h_k(t)) W_rec,kl, with
    /// J(t) = ∂a(t)/∂a(t−1) = (1−α) I + α D(t) W_rec.
    pub fn vec_jacobian(&self, v: &[f64], dphi: &[f64]) -> Vec<f64> {
        let (n, m) = (self.n, self.m());
        let mut out: Vec<f64> = v.iter().map(|vl| (1.0 - self.alpha) * vl).collect();
        for k in 0..n {
            let s = self.alpha * v[k] * dphi[k];
            for (ol, wl) in out.iter_mut().zip(&self.w[k * m..k * m + n]) {
                *ol += s * wl;
            }
        }
        out
    }
}

/// The reference code's unit fixture: n = n_in = n_out = 2, W_rec = W_in = W_out = I, b = 0,
/// φ = identity, α = 1.
#[cfg(test)]
pub(crate) fn unit_fixture(loss: Loss) -> Rnn {
    let eye = [1.0, 0.0, 0.0, 1.0];
    Rnn::new(
        2,
        2,
        2,
        &eye,
        &eye,
        &[0.0; 2],
        &eye,
        &[0.0; 2],
        1.0,
        Activation::Identity,
        loss,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forward_step_matches_hand_computation() {
        let mut net = unit_fixture(Loss::MeanSquaredError);
        net.alpha = 0.5;
        let s = net.step(&[1.0, 1.0], &[2.0, 2.0], &[0.0, 1.0]);
        assert_eq!(s.a_hat, vec![1.0, 1.0, 2.0, 2.0, 1.0]);
        assert_eq!(s.h, vec![3.0, 3.0]);
        assert_eq!(s.a, vec![2.0, 2.0]); // ½·1 + ½·3
        assert_eq!(s.z, vec![2.0, 2.0]);
        assert_eq!(s.loss, 0.5 * (4.0 + 1.0) / 2.0);
        assert_eq!(s.e, vec![1.0, 0.5]);
        net.legacy.mse_sum_derivative = true;
        let s = net.step(&[1.0, 1.0], &[2.0, 2.0], &[0.0, 1.0]);
        assert_eq!(s.e, vec![2.0, 1.0]);
    }

    #[test]
    fn loss_derivatives_match_finite_differences() {
        for loss in [Loss::SoftmaxCrossEntropy, Loss::MeanSquaredError] {
            let net = unit_fixture(loss);
            let z = [0.3, -1.2];
            let y = [0.7, 0.3];
            let (_, e) = net.loss_and_error(&z, &y);
            for k in 0..2 {
                let eps = 1e-6;
                let mut zp = z;
                let mut zm = z;
                zp[k] += eps;
                zm[k] -= eps;
                let fd =
                    (net.loss_and_error(&zp, &y).0 - net.loss_and_error(&zm, &y).0) / (2.0 * eps);
                assert!((fd - e[k]).abs() < 1e-9, "{loss:?} k={k}: {fd} vs {}", e[k]);
            }
        }
    }

    #[test]
    fn init_has_orthogonal_recurrence_and_is_seeded() {
        let n = 6;
        let net = Rnn::init(n, 3, 2, 1.0, Activation::Tanh, Loss::SoftmaxCrossEntropy, 4);
        for i in 0..n {
            for j in 0..n {
                let g: f64 = (0..n).map(|k| net.w_rec(i, k) * net.w_rec(j, k)).sum();
                let want = if i == j { 1.0 } else { 0.0 };
                assert!((g - want).abs() < 1e-13);
            }
            assert_eq!(net.w[i * net.m() + net.m() - 1], 0.0);
        }
        assert_eq!(
            net,
            Rnn::init(n, 3, 2, 1.0, Activation::Tanh, Loss::SoftmaxCrossEntropy, 4)
        );
        assert_ne!(
            net,
            Rnn::init(n, 3, 2, 1.0, Activation::Tanh, Loss::SoftmaxCrossEntropy, 5)
        );
    }
}
