//! Decoupled neural interfaces with synthetic gradients, DNI (Jaderberg et al. 2017, ICML;
//! Marschall et al. 2020, §3.8), and the paper's variant DNI(b). A linear model predicts the
//! total credit assignment c̄(t) = ∂L/∂a(t) (all future losses) from the state and the label,
//! and is contracted with the immediate influence at once:
//!
//! ```text
//! ã(t) = [a(t); y*(t); 1] ∈ R^p,  p = n + n_out + 1,      sg(t) = A ã(t) ≈ c̄(t),  A ∈ R^{n×p}
//! g(t)_ij = sg_i(t) α φ'(h_i(t)) â_j(t−1)                  (= sg(t)·M̄(t))
//! ```
//!
//! A is regressed online, TD(0)-style, on a target bootstrapped from the one-step relation
//! c̄(t−1) = c(t−1) + c̄(t) J(t), with a target network A_ that is copied from A every
//! `fix_a_interval` updates of A:
//!
//! ```text
//! target(t−1) = c(t−1) + f(A_ ã(t)) J(t)                   f = identity (DNI) or tanh (DNI(b))
//! A ← A − η_SG [(A ã(t−1) − target(t−1)) ⊗ ã(t−1) + λ_SG A]
//! DNI(b) also learns a linear model of the dynamics and uses it in place of J(t):
//! J̃ ← J̃ − η_J (J̃ a(t−1) − a(t)) ⊗ a(t−1)
//! ```
//!
//! Order within step t (as in the reference code): the J̃ step (DNI(b)); the A step on the pair
//! (t−1, t), skipped at the first step after construction or [`Learner::reset`] (there is no
//! predecessor; the reference code used zero credit and a stale label there); A_ ← A after every
//! `fix_a_interval`-th A step; then g(t) with the updated A. The credit c(t) is e(t)ᵀ W_out (DNI)
//! or e(t)ᵀ B_fb with a fixed random B_fb (DNI(b)). A starts i.i.d. N(0, 1/p) from a seed, A_ = A
//! and J̃ = W_rec at construction; reset keeps the learned A, A_ and J̃. DNI includes α in M̄
//! (the paper-era code did too), so `rtrl_without_alpha` does not apply.
//!
//! What the regression converges to. With W held fixed, suppose the true credit is an affine
//! function of ã on the visited states, c̄(t) = A* ã(t). This holds exactly for a linear network
//! (φ = identity, so J = (1−α) I + α W_rec is constant) with a constant input, MSE loss and labels
//! that are a fixed affine function of the state, y*(t) = K a(t) + k₀: then a(s) − a_∞ =
//! J^{s−t} (a(t) − a_∞) (column action), so c(s) = e(s)ᵀ W_out is affine in a(t) and
//! c̄(t) = Σ_{s≥t} c(s) J^{s−t} is affine in a(t) when ρ(J) < 1. A* (with A_ = A*) then has zero
//! TD error on every single transition, c̄(t−1) − c(t−1) − c̄(t) J = 0, so it is a fixed point of
//! each update (not just on average) and the iteration converges to predictions A ã(t) = c̄(t) to
//! rounding, with no O(η_SG) bias (tested). A itself is determined only on the span of the
//! visited ã (with y* a function of a, the label columns are not identifiable). Likewise J̃ has
//! zero regression error at J̃ = J when a(t) = J a(t−1) exactly (no input or bias), so it
//! converges to J (tested at α < 1, where J ≠ W_rec, its initial value).
//!
//! Axes: future-facing; structure c̄(t) ≈ A ã(t); deterministic; numerical. Memory 2·n·p
//! (A and A_) plus n² for J̃ (DNI(b)); compute O(n·p + n² + n·m) per step: two products with A
//! or A_ (A ã(t−1) is kept from the previous step's gradient, A being unchanged since), one
//! row-vector × Jacobian product, the A step and g(t) outer products, and for DNI(b) the J̃ step.

use super::learner::Learner;
use super::rflo::Feedback;
use super::rnn::{Activation, Rnn, Step};
use super::window::credit_through;
use crate::kernels::gemv;
use crate::rng;

/// The Jacobian used in the bootstrapped target.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SgJacobian {
    /// The exact J(t) = (1−α) I + α D(t) W_rec with the current weights (DNI).
    Exact,
    /// A learned linear model J̃ of the dynamics, initialised to W_rec and trained by SGD with
    /// this rate η_J (DNI(b)).
    Learned(f64),
}

/// Settings of [`Dni`].
#[derive(Clone, Debug, PartialEq)]
pub struct DniOptions {
    /// Learning rate η_SG of the synthetic-gradient model A (plain SGD).
    pub sg_rate: f64,
    /// L2 penalty λ_SG on A (default 0).
    pub sg_l2: f64,
    /// Number of A updates between copies A_ ← A (default 5).
    pub fix_a_interval: usize,
    /// Jacobian in the target.
    pub jacobian: SgJacobian,
    /// f applied to A_ ã(t) in the target (identity for DNI, tanh for DNI(b)).
    pub target_activation: Activation,
    /// Source of the credit c(t).
    pub feedback: Feedback,
}

impl DniOptions {
    /// DNI: exact J, f = identity, c = eᵀ W_out, λ_SG = 0, A_ refreshed every 5 updates.
    pub fn dni(sg_rate: f64) -> DniOptions {
        DniOptions {
            sg_rate,
            sg_l2: 0.0,
            fix_a_interval: 5,
            jacobian: SgJacobian::Exact,
            target_activation: Activation::Identity,
            feedback: Feedback::Readout,
        }
    }

    /// DNI(b): learned J̃ with rate `j_rate`, f = tanh, c = eᵀ B_fb with the given fixed feedback
    /// matrix (row-major n_out × n), λ_SG = 0, A_ refreshed every 5 updates.
    pub fn bio(sg_rate: f64, j_rate: f64, feedback: Vec<f64>) -> DniOptions {
        DniOptions {
            jacobian: SgJacobian::Learned(j_rate),
            target_activation: Activation::Tanh,
            feedback: Feedback::Fixed(feedback),
            ..DniOptions::dni(sg_rate)
        }
    }
}

/// DNI / DNI(b) synthetic-gradient learner.
#[derive(Clone, Debug)]
pub struct Dni {
    n: usize,
    m: usize,
    n_out: usize,
    p: usize,
    opts: DniOptions,
    /// A and A_, row-major n × p.
    a: Vec<f64>,
    a_target: Vec<f64>,
    /// J̃, row-major n × n.
    j_tilde: Vec<f64>,
    /// A updates since the last copy A_ ← A.
    since_fix: usize,
    /// Whether ã(t−1) and c(t−1) hold a previous step.
    has_prev: bool,
    a_tilde_prev: Vec<f64>,
    c_prev: Vec<f64>,
    /// A ã(t−1) with the current A (computed for g(t−1); A has not changed since).
    sg_prev: Vec<f64>,
    /// Scratch.
    a_tilde: Vec<f64>,
    c: Vec<f64>,
    sg: Vec<f64>,
    target: Vec<f64>,
    err: Vec<f64>,
}

impl Dni {
    /// DNI with SG learning rate `sg_rate`; A drawn i.i.d. N(0, 1/p) from `seed`.
    pub fn new(rnn: &Rnn, sg_rate: f64, seed: u64) -> Dni {
        Dni::with_options(rnn, DniOptions::dni(sg_rate), seed)
    }

    /// DNI(b) with SG rate `sg_rate` and J̃ rate `j_rate`; A drawn i.i.d. N(0, 1/p) from `seed`,
    /// then from the same stream the random feedback B_fb ~ N(0, 1/n_out) (n_out × n, the
    /// reference code's scale for its feedback matrix).
    pub fn bio(rnn: &Rnn, sg_rate: f64, j_rate: f64, seed: u64) -> Dni {
        let mut r = rng::seeded(seed);
        let p = rnn.n() + rnn.n_out() + 1;
        let mut a = vec![0.0; rnn.n() * p];
        rng::fill_normal(&mut r, (1.0 / p as f64).sqrt(), &mut a);
        let mut bfb = vec![0.0; rnn.n_out() * rnn.n()];
        rng::fill_normal(&mut r, (1.0 / rnn.n_out() as f64).sqrt(), &mut bfb);
        let mut d = Dni::with_options(rnn, DniOptions::bio(sg_rate, j_rate, bfb), seed);
        d.set_a(&a);
        d
    }

    /// A learner with the given settings; A drawn i.i.d. N(0, 1/p) from `seed`, A_ = A,
    /// J̃ = W_rec. Panics if a fixed feedback matrix is not n_out × n or `fix_a_interval` is 0.
    pub fn with_options(rnn: &Rnn, opts: DniOptions, seed: u64) -> Dni {
        let (n, m, n_out) = (rnn.n(), rnn.m(), rnn.n_out());
        let p = n + n_out + 1;
        if let Feedback::Fixed(ref bfb) = opts.feedback {
            assert_eq!(bfb.len(), n_out * n, "Dni: feedback matrix must be n_out×n");
        }
        assert!(
            opts.fix_a_interval > 0,
            "Dni: fix_a_interval must be positive"
        );
        let mut a = vec![0.0; n * p];
        rng::fill_normal(&mut rng::seeded(seed), (1.0 / p as f64).sqrt(), &mut a);
        let mut j_tilde = vec![0.0; n * n];
        for i in 0..n {
            j_tilde[i * n..(i + 1) * n].copy_from_slice(&rnn.w[i * m..i * m + n]);
        }
        Dni {
            n,
            m,
            n_out,
            p,
            opts,
            a_target: a.clone(),
            a,
            j_tilde,
            since_fix: 0,
            has_prev: false,
            a_tilde_prev: vec![0.0; p],
            c_prev: vec![0.0; n],
            sg_prev: vec![0.0; n],
            a_tilde: vec![0.0; p],
            c: vec![0.0; n],
            sg: vec![0.0; n],
            target: vec![0.0; n],
            err: vec![0.0; n],
        }
    }

    /// The settings.
    pub fn options(&self) -> &DniOptions {
        &self.opts
    }

    /// A, row-major n × (n + n_out + 1).
    pub fn a(&self) -> &[f64] {
        &self.a
    }

    /// The target network A_, row-major n × (n + n_out + 1).
    pub fn a_target(&self) -> &[f64] {
        &self.a_target
    }

    /// J̃, row-major n × n (unused unless the Jacobian is learned).
    pub fn j_tilde(&self) -> &[f64] {
        &self.j_tilde
    }

    /// Sets A and the target network A_ to `a` (row-major n × (n + n_out + 1)).
    pub fn set_a(&mut self, a: &[f64]) {
        assert_eq!(
            a.len(),
            self.n * self.p,
            "Dni::set_a: A must be n×(n+n_out+1)"
        );
        self.a.copy_from_slice(a);
        self.a_target.copy_from_slice(a);
        gemv(
            &self.a,
            self.n,
            self.p,
            &self.a_tilde_prev,
            &mut self.sg_prev,
        );
    }

    /// The synthetic gradient sg = A ã for ã = [a; y*; 1], written into `out` (length n).
    pub fn synthetic_gradient(&self, a_tilde: &[f64], out: &mut [f64]) {
        gemv(&self.a, self.n, self.p, a_tilde, out);
    }

    /// J̃ ← J̃ − η_J (J̃ a(t−1) − a(t)) ⊗ a(t−1).
    fn update_j_tilde(&mut self, rate: f64, a_prev: &[f64], a: &[f64]) {
        let n = self.n;
        gemv(&self.j_tilde, n, n, a_prev, &mut self.err);
        for ((row, e), ai) in self.j_tilde.chunks_exact_mut(n).zip(&self.err).zip(a) {
            let s = rate * (e - ai);
            for (jv, ap) in row.iter_mut().zip(a_prev) {
                *jv -= s * ap;
            }
        }
    }

    /// target = c(t−1) + f(A_ ã(t)) J(t) from the stored c(t−1) and ã(t), with J(t) exact
    /// (φ'(h(t)) = `dphi`) or J̃.
    fn sg_target(&mut self, rnn: &Rnn, dphi: &[f64]) {
        let (n, m) = (self.n, self.m);
        gemv(&self.a_target, n, self.p, &self.a_tilde, &mut self.sg);
        let f = self.opts.target_activation;
        for v in self.sg.iter_mut() {
            *v = f.eval(*v).0;
        }
        self.target.copy_from_slice(&self.c_prev);
        match self.opts.jacobian {
            SgJacobian::Exact => {
                // v J = (1−α) v + Σ_k α v_k φ'_k W_rec,k·.
                let alpha = rnn.alpha;
                for (t, v) in self.target.iter_mut().zip(&self.sg) {
                    *t += (1.0 - alpha) * v;
                }
                for ((v, d), wrow) in self.sg.iter().zip(dphi).zip(rnn.w.chunks_exact(m)) {
                    let s = alpha * v * d;
                    for (t, w) in self.target.iter_mut().zip(&wrow[..n]) {
                        *t += s * w;
                    }
                }
            }
            SgJacobian::Learned(_) => {
                for (s, row) in self.sg.iter().zip(self.j_tilde.chunks_exact(n)) {
                    for (t, jv) in self.target.iter_mut().zip(row) {
                        *t += s * jv;
                    }
                }
            }
        }
    }

    /// A ← A − η_SG [(A ã(t−1) − target) ⊗ ã(t−1) + λ_SG A] from the stored ã(t−1), A ã(t−1)
    /// and target; A_ ← A every `fix_a_interval` calls.
    fn update_a(&mut self) {
        let p = self.p;
        let (rate, decay) = (self.opts.sg_rate, 1.0 - self.opts.sg_rate * self.opts.sg_l2);
        for ((row, e), t) in self
            .a
            .chunks_exact_mut(p)
            .zip(&self.sg_prev)
            .zip(&self.target)
        {
            let s = rate * (e - t);
            for (av, x) in row.iter_mut().zip(&self.a_tilde_prev) {
                *av = decay * *av - s * x;
            }
        }
        self.since_fix += 1;
        if self.since_fix == self.opts.fix_a_interval {
            self.since_fix = 0;
            self.a_target.copy_from_slice(&self.a);
        }
    }
}

/// g_ij = sg_i α φ'_i â_j (g row-major n × m).
fn sg_gradient(sg: &[f64], alpha: f64, dphi: &[f64], a_hat: &[f64], g: &mut [f64]) {
    let m = a_hat.len();
    for ((row, s), d) in g.chunks_exact_mut(m).zip(sg).zip(dphi) {
        let f = s * alpha * d;
        for (gv, aj) in row.iter_mut().zip(a_hat) {
            *gv = f * aj;
        }
    }
}

impl Learner for Dni {
    /// Forgets the previous step (the next step makes no A update); A, A_ and J̃ are kept.
    fn reset(&mut self) {
        self.has_prev = false;
    }

    /// The J̃ and A updates of step t, then g(t) = (A ã(t)) · M̄(t).
    fn observe(&mut self, rnn: &Rnn, step: &Step, g: &mut [f64]) {
        let (n, n_out) = (self.n, self.n_out);
        assert!(
            rnn.n() == n && rnn.m() == self.m && rnn.n_out() == n_out && g.len() == n * self.m,
            "Dni::observe: network shape changed"
        );
        let bfb = match &self.opts.feedback {
            Feedback::Readout => &rnn.w_out,
            Feedback::Fixed(b) => b,
        };
        credit_through(bfb, &step.e, &mut self.c);
        self.a_tilde[..n].copy_from_slice(&step.a);
        self.a_tilde[n..n + n_out].copy_from_slice(&step.label);
        self.a_tilde[n + n_out] = 1.0;
        if let SgJacobian::Learned(rate) = self.opts.jacobian {
            self.update_j_tilde(rate, &step.a_hat[..n], &step.a);
        }
        if self.has_prev {
            self.sg_target(rnn, &step.dphi);
            self.update_a();
        }
        gemv(&self.a, n, self.p, &self.a_tilde, &mut self.sg);
        sg_gradient(&self.sg, rnn.alpha, &step.dphi, &step.a_hat, g);
        std::mem::swap(&mut self.sg_prev, &mut self.sg);
        std::mem::swap(&mut self.a_tilde_prev, &mut self.a_tilde);
        std::mem::swap(&mut self.c_prev, &mut self.c);
        self.has_prev = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::bptt::{bptt, forward};
    use crate::learning::learner::online_gradient;
    use crate::learning::online::{rel_err, test_problem};
    use crate::learning::rnn::{unit_fixture, Loss};

    /// vanilla-rtrl's unit vectors: n = n_in = n_out = 2, W_rec = W_in = W_out = I, b = 0,
    /// φ = identity, α = 1, a(t−1) = a(t) = [1,1], x = [2,2] (â = [1,1,2,2,1]), y*(t−1) = [0.5,0.5],
    /// y*(t) = [2,2].
    #[test]
    fn reference_unit_vectors() {
        let net = unit_fixture(Loss::SoftmaxCrossEntropy);
        // A step: A = ones(2×5), η_SG = 1, target [3.5,3.5], ã(t−1) = [1,1,0.5,0.5,1]:
        // A ã(t−1) = [4,4], error 0.5, A' = 1 − 0.5·ã(t−1) per row.
        let mut d = Dni::new(&net, 1.0, 0);
        d.a_tilde_prev = vec![1.0, 1.0, 0.5, 0.5, 1.0];
        d.set_a(&[1.0; 10]);
        assert_eq!(d.sg_prev, vec![4.0, 4.0]);
        d.target = vec![3.5, 3.5];
        d.update_a();
        let row = [0.5, 0.5, 0.75, 0.75, 0.5];
        assert_eq!(d.a(), &[row, row].concat()[..]);
        // Target: A_ = ones, ã(t) = [1,1,2,2,1], c(t−1) = 0 (the reference's initial credit),
        // J̃ = W_rec = I (η_J = 1): [7,7]. The exact J is also I here.
        for jacobian in [SgJacobian::Learned(1.0), SgJacobian::Exact] {
            let opts = DniOptions {
                jacobian,
                ..DniOptions::dni(1.0)
            };
            let mut d = Dni::with_options(&net, opts, 0);
            d.set_a(&[1.0; 10]);
            d.a_tilde = vec![1.0, 1.0, 2.0, 2.0, 1.0];
            d.c_prev = vec![0.0, 0.0];
            d.sg_target(&net, &[1.0, 1.0]);
            assert_eq!(d.target, vec![7.0, 7.0], "{jacobian:?}");
        }
        // J̃ step: η_J = 1, J̃ = I, a(t−1) = [1,1], a(t) = [2,2]: J̃ − (J̃a(t−1) − a(t)) ⊗ a(t−1).
        let mut d = Dni::bio(&net, 1.0, 1.0, 0);
        assert_eq!(d.j_tilde(), &[1.0, 0.0, 0.0, 1.0]);
        d.update_j_tilde(1.0, &[1.0, 1.0], &[2.0, 2.0]);
        assert_eq!(d.j_tilde(), &[2.0, 1.0, 1.0, 2.0]);
        // Gradient: sg = [2,2] → rows 2·â = [2,2,4,4,2].
        let mut g = vec![0.0; 10];
        sg_gradient(
            &[2.0, 2.0],
            1.0,
            &[1.0, 1.0],
            &[1.0, 1.0, 2.0, 2.0, 1.0],
            &mut g,
        );
        let row = [2.0, 2.0, 4.0, 4.0, 2.0];
        assert_eq!(g, [row, row].concat());
    }

    /// With zero TD error (target = A ã(t−1)) the A step is the pure L2 decay
    /// A ← (1 − η_SG λ_SG) A.
    #[test]
    fn l2_penalty_decays_a() {
        let net = unit_fixture(Loss::MeanSquaredError);
        let opts = DniOptions {
            sg_l2: 0.5,
            ..DniOptions::dni(0.1)
        };
        let mut d = Dni::with_options(&net, opts, 1);
        d.a_tilde_prev = vec![1.0, -1.0, 0.5, 2.0, 1.0];
        let a0 = d.a().to_vec();
        d.set_a(&a0);
        d.target = d.sg_prev.clone();
        d.update_a();
        let want: Vec<f64> = a0.iter().map(|v| 0.95 * v).collect();
        assert!(rel_err(d.a(), &want) < 1e-15);
    }

    /// Through the interface on the same fixture: the first step makes no A update and emits
    /// (A ã(1))·M̄(1); the second updates A on the pair (1, 2) first.
    #[test]
    fn first_step_has_no_update_then_a_moves() {
        let net = unit_fixture(Loss::MeanSquaredError);
        let s1 = net.step(&[1.0, 1.0], &[2.0, 2.0], &[0.5, 0.5]);
        let s2 = net.step(&s1.a, &[0.0, 1.0], &[2.0, 2.0]);
        let mut d = Dni::new(&net, 0.1, 3);
        let a0 = d.a().to_vec();
        let mut g = vec![0.0; 10];
        d.observe(&net, &s1, &mut g);
        assert_eq!(d.a(), &a0[..]);
        let mut sg = vec![0.0; 2];
        let a_tilde1 = [&s1.a[..], &s1.label[..], &[1.0]].concat();
        d.synthetic_gradient(&a_tilde1, &mut sg);
        let mut want = vec![0.0; 10];
        sg_gradient(&sg, net.alpha, &s1.dphi, &s1.a_hat, &mut want);
        assert_eq!(g, want);
        d.observe(&net, &s2, &mut g);
        assert_ne!(d.a(), &a0[..]);
        // A_ still holds the initial A (one update < fix_a_interval).
        assert_eq!(d.a_target(), &a0[..]);
    }

    #[test]
    fn target_network_is_refreshed_every_fix_a_interval_updates() {
        let (net, a0, x, y) = test_problem(4, 2, 2, 13, 0.7, Loss::MeanSquaredError, 1);
        let steps = forward(&net, &a0, &x, &y);
        let mut opts = DniOptions::dni(0.05);
        opts.fix_a_interval = 3;
        let mut d = Dni::with_options(&net, opts, 2);
        let mut g = vec![0.0; net.n() * net.m()];
        let mut last = d.a_target().to_vec();
        for (t, s) in steps.iter().enumerate() {
            d.observe(&net, s, &mut g);
            // Step t (0-based) has made t updates of A.
            let refreshed = t > 0 && t % 3 == 0;
            assert_eq!(d.a_target() != &last[..], refreshed, "t={t}");
            if refreshed {
                assert_eq!(d.a_target(), d.a());
                last = d.a_target().to_vec();
            }
        }
    }

    /// A ≡ 0 with η_SG = 0: the synthetic gradient is zero, so W gets no gradient and only the
    /// (exact) readout learns.
    #[test]
    fn zero_synthetic_gradient_model_gives_zero_recurrent_gradient() {
        let (net, a0, x, y) = test_problem(5, 2, 3, 20, 0.6, Loss::SoftmaxCrossEntropy, 3);
        let mut d = Dni::new(&net, 0.0, 4);
        d.set_a(&vec![0.0; 5 * 9]);
        let (_, g) = online_gradient(&mut d, &net, &a0, &x, &y);
        assert!(g.w.iter().all(|&v| v == 0.0));
        let (_, gb) = bptt(&net, &a0, &x, &y);
        assert!(rel_err(&g.w_out, &gb.w_out) < 1e-13);
        assert!(d.a().iter().all(|&v| v == 0.0));
    }

    /// The options reproduce each other: DNI with the readout given as a fixed feedback matrix is
    /// DNI; DNI(b) is seeded; the random feedback and the learned J̃ change the result.
    #[test]
    fn options_and_seeds() {
        let (net, a0, x, y) = test_problem(5, 2, 2, 25, 0.5, Loss::MeanSquaredError, 5);
        let run = |d: &mut Dni| online_gradient(d, &net, &a0, &x, &y).1.w;
        let plain = run(&mut Dni::new(&net, 0.05, 6));
        let opts = DniOptions {
            feedback: Feedback::Fixed(net.w_out.clone()),
            ..DniOptions::dni(0.05)
        };
        assert_eq!(run(&mut Dni::with_options(&net, opts, 6)), plain);
        assert_ne!(run(&mut Dni::new(&net, 0.05, 7)), plain);
        let bio = run(&mut Dni::bio(&net, 0.05, 0.01, 6));
        assert_eq!(run(&mut Dni::bio(&net, 0.05, 0.01, 6)), bio);
        assert_ne!(bio, plain);
        assert!(bio.iter().all(|v| v.is_finite()));
        // Same A and feedback as bio, but exact J and f = identity: differs from bio too.
        let b = Dni::bio(&net, 0.05, 0.01, 6);
        let opts = DniOptions {
            jacobian: SgJacobian::Exact,
            target_activation: Activation::Identity,
            ..b.options().clone()
        };
        let mut c = Dni::with_options(&net, opts, 0);
        c.set_a(b.a());
        assert_ne!(run(&mut c), bio);
    }

    /// A linear network with constant input whose true credit c̄(t) is an affine function of
    /// ã(t) (module doc): the target-network TD regression drives A ã(t) to c̄(t).
    struct LinearProblem {
        net: Rnn,
        x: f64,
        k: Vec<f64>,
        k0: Vec<f64>,
    }

    impl LinearProblem {
        fn new(alpha: f64, rec_scale: f64, seed: u64) -> LinearProblem {
            let (n, n_out) = (3, 2);
            let mut net = Rnn::init(
                n,
                1,
                n_out,
                alpha,
                Activation::Identity,
                Loss::MeanSquaredError,
                seed,
            );
            let m = net.m();
            let mut r = rng::seeded(seed + 100);
            for i in 0..n {
                for l in 0..n {
                    net.w[i * m + l] *= rec_scale;
                }
                net.w[i * m + m - 1] = 0.3 * rng::normal(&mut r);
            }
            rng::fill_normal(&mut r, 0.3, &mut net.b_out);
            let mut k = vec![0.0; n_out * n];
            rng::fill_normal(&mut r, 0.5, &mut k);
            let mut k0 = vec![0.0; n_out];
            rng::fill_normal(&mut r, 0.5, &mut k0);
            LinearProblem { net, x: 0.5, k, k0 }
        }

        /// `len` steps from a(0) = `a0` with labels y*(t) = K a(t) + k₀.
        fn episode(&self, a0: &[f64], len: usize) -> Vec<Step> {
            let (n, n_out) = (self.net.n(), self.net.n_out());
            let mut steps = Vec::with_capacity(len);
            let mut a = a0.to_vec();
            for _ in 0..len {
                let free = self.net.step(&a, &[self.x], &vec![0.0; n_out]);
                let label: Vec<f64> = (0..n_out)
                    .map(|o| {
                        self.k0[o] + (0..n).map(|l| self.k[o * n + l] * free.a[l]).sum::<f64>()
                    })
                    .collect();
                let s = self.net.step(&a, &[self.x], &label);
                a = s.a.clone();
                steps.push(s);
            }
            steps
        }
    }

    #[test]
    fn synthetic_gradient_learns_the_true_credit_when_it_is_affine() {
        let (alpha, len, horizon) = (0.8, 12, 200);
        let prob = LinearProblem::new(alpha, 0.6, 7);
        let net = &prob.net;
        let n = net.n();
        let mut r = rng::seeded(8);
        let mut random_state = || {
            let mut a = vec![0.0; n];
            rng::fill_normal(&mut r, 1.0, &mut a);
            a
        };
        // The true c̄(t) for the first `len` steps of a fresh episode, by backpropagating the
        // credit of `horizon` further steps (ρ(J) ≤ 0.2 + 0.8·0.6 = 0.68, 0.68^200 ≈ 1e-34).
        let test_steps = prob.episode(&random_state(), len + horizon);
        let mut cbar = vec![0.0; n];
        let mut truth = vec![vec![0.0; n]; len];
        for t in (0..len + horizon).rev() {
            let carried = if t + 1 < len + horizon {
                net.vec_jacobian(&cbar, &test_steps[t + 1].dphi)
            } else {
                vec![0.0; n]
            };
            let c = net.credit(&test_steps[t].e);
            for l in 0..n {
                cbar[l] = c[l] + carried[l];
            }
            if t < len {
                truth[t] = cbar.clone();
            }
        }
        let scale = truth.iter().flatten().fold(0.0f64, |s, v| s.max(v.abs()));
        let prediction_error = |d: &Dni| {
            let mut sg = vec![0.0; n];
            let mut worst: f64 = 0.0;
            for (s, want) in test_steps[..len].iter().zip(&truth) {
                let a_tilde = [&s.a[..], &s.label[..], &[1.0]].concat();
                d.synthetic_gradient(&a_tilde, &mut sg);
                for (p, w) in sg.iter().zip(want) {
                    worst = worst.max((p - w).abs() / scale);
                }
            }
            worst
        };
        let mut d = Dni::new(net, 0.05, 9);
        let before = prediction_error(&d);
        let mut g = vec![0.0; n * net.m()];
        for _ in 0..4000 {
            d.reset();
            for s in &prob.episode(&random_state(), len) {
                d.observe(net, s, &mut g);
            }
        }
        let after = prediction_error(&d);
        println!("DNI affine credit: max |A ã − c̄|/max|c̄| {before:.2e} → {after:.2e}");
        assert!(before > 0.1, "{before:e}");
        assert!(after < 1e-8, "{after:e}");
    }

    /// DNI(b)'s J̃ regression on a linear network without input or bias (a(t) = J a(t−1) with
    /// J = (1−α) I + α W_rec exactly) converges from W_rec to J.
    #[test]
    fn learned_jacobian_converges_to_the_linear_dynamics() {
        let alpha = 0.5;
        let mut prob = LinearProblem::new(alpha, 0.9, 10);
        prob.x = 0.0;
        let n = prob.net.n();
        let m = prob.net.m();
        for i in 0..n {
            prob.net.w[i * m + m - 1] = 0.0;
        }
        let net = &prob.net;
        let mut j = vec![0.0; n * n];
        for i in 0..n {
            for l in 0..n {
                j[i * n + l] = alpha * net.w_rec(i, l) + if i == l { 1.0 - alpha } else { 0.0 };
            }
        }
        let mut d = Dni::bio(net, 0.0, 0.1, 11);
        let before = rel_err(d.j_tilde(), &j);
        let mut r = rng::seeded(12);
        let mut g = vec![0.0; n * m];
        for _ in 0..300 {
            let mut a0 = vec![0.0; n];
            rng::fill_normal(&mut r, 1.0, &mut a0);
            d.reset();
            for s in &prob.episode(&a0, 10) {
                d.observe(net, s, &mut g);
            }
        }
        let after = rel_err(d.j_tilde(), &j);
        println!("DNI(b) J̃: ‖J̃ − J‖/‖J‖ {before:.2e} → {after:.2e}");
        assert!(before > 0.1, "{before:e}");
        assert!(after < 1e-10, "{after:e}");
    }
}
