//! The compartmental network: the somatic/basal network of [`Rnn`] extended by three dendritic
//! compartments per neuron and their synaptic sub-populations (module doc, table of
//! compartments). The basal compartment and the readout are the [`Rnn`] itself; this type holds
//! the rest:
//!
//! ```text
//! apical       s_i(t) = Σ_j A_ij ã_j(t),  s̄_i(t) = Σ_j Ā_ij ã_j(t),  ã(t) = [a(t); y*(t); 1] ∈ R^p
//! prediction   v_i(t) = Σ_j P_ij a_j(t−1),  ε_i(t) = v_i(t) − a_i(t)
//! credit       c_i(t) = Σ_o B_fb,oi e_o(t),  τ_i(t−1) = c_i(t−1) + Σ_k K_ik f(s̄_k(t))
//! ```
//!
//! Sub-populations: A (apical, plastic) and its consolidated copy Ā; P (prediction synapses, the
//! dynamics model J̃ of DNI(b)); K (credit synapses, the mirror of P, K = Pᵀ when started so);
//! B_fb (fixed random error feedback, n_out × n). Initial values (our choice, made to coincide
//! with [`Dni::bio`] draw for draw): A i.i.d. N(0, 1/p) and then B_fb i.i.d. N(0, 1/n_out) from
//! one seeded stream, Ā = A, P = W_rec, K = W_recᵀ.
//!
//! [`Dni::bio`]: crate::learning::dni::Dni::bio

use crate::kernels::gemv;
use crate::learning::rnn::{Activation, Rnn};
use crate::rng;

/// Plasticity rates and settings of the compartmental network.
#[derive(Clone, Debug, PartialEq)]
pub struct PlasticityOptions {
    /// η_SG: learning rate of the apical synapses A.
    pub apical_rate: f64,
    /// η_J: learning rate of the prediction synapses P and their mirror K.
    pub prediction_rate: f64,
    /// λ_SG: weight decay of the apical synapses (default 0).
    pub apical_decay: f64,
    /// Apical updates between consolidations Ā ← A (default 5).
    pub consolidation_interval: usize,
    /// f applied to the consolidated apical voltage s̄ before it is sent to the credit
    /// compartments (default tanh, DNI(b)'s bounded target).
    pub target_activation: Activation,
}

impl PlasticityOptions {
    /// The DNI(b) settings: rates η_SG and η_J, no decay, consolidation every 5 apical updates,
    /// f = tanh.
    pub fn new(apical_rate: f64, prediction_rate: f64) -> PlasticityOptions {
        PlasticityOptions {
            apical_rate,
            prediction_rate,
            apical_decay: 0.0,
            consolidation_interval: 5,
            target_activation: Activation::Tanh,
        }
    }
}

/// The dendritic compartments and synaptic sub-populations of a network of n neurons.
#[derive(Clone, Debug)]
pub struct CompartmentalNetwork {
    pub(super) n: usize,
    pub(super) m: usize,
    pub(super) n_out: usize,
    pub(super) p: usize,
    pub(super) opts: PlasticityOptions,
    /// A and Ā, row-major n × p (row i: the apical synapses of neuron i).
    pub(super) apical: Vec<f64>,
    pub(super) consolidated: Vec<f64>,
    /// P, row-major n × n (row i: synapses onto neuron i's prediction compartment).
    pub(super) prediction: Vec<f64>,
    /// K, row-major n × n (row i: synapses onto neuron i's credit compartment).
    pub(super) mirror: Vec<f64>,
    /// B_fb, row-major n_out × n (column i: neuron i's error-feedback synapses).
    pub(super) feedback: Vec<f64>,
    /// Apical updates since the last consolidation.
    pub(super) since_consolidation: usize,
    /// Whether the stored traces hold a previous step.
    pub(super) has_prev: bool,
    /// Apical input ã(t) and its trace ã(t−1).
    pub(super) a_tilde: Vec<f64>,
    pub(super) a_tilde_prev: Vec<f64>,
    /// Apical voltage s(t) and its trace s(t−1); consolidated reading f(s̄(t)).
    pub(super) s: Vec<f64>,
    pub(super) s_prev: Vec<f64>,
    pub(super) s_bar: Vec<f64>,
    /// Prediction voltage v(t) and mismatch ε(t).
    pub(super) v: Vec<f64>,
    pub(super) mismatch: Vec<f64>,
    /// Error feedback c(t), its trace c(t−1), and the teaching signal τ(t−1).
    pub(super) c: Vec<f64>,
    pub(super) c_prev: Vec<f64>,
    pub(super) teach: Vec<f64>,
    /// The somatic phase's output: the change direction of W = [W_rec | W_in | b], n × m.
    pub(super) somatic: Vec<f64>,
}

impl CompartmentalNetwork {
    /// The compartments of `rnn` with the given settings; A ~ N(0, 1/p) and then
    /// B_fb ~ N(0, 1/n_out) from `seed` (the draws of `Dni::bio` with the same seed), Ā = A,
    /// P = W_rec, K = W_recᵀ. Panics if the consolidation interval is 0.
    pub fn new(rnn: &Rnn, opts: PlasticityOptions, seed: u64) -> CompartmentalNetwork {
        assert!(
            opts.consolidation_interval > 0,
            "CompartmentalNetwork: consolidation interval must be positive"
        );
        let (n, m, n_out) = (rnn.n(), rnn.m(), rnn.n_out());
        let p = n + n_out + 1;
        let mut r = rng::seeded(seed);
        let mut apical = vec![0.0; n * p];
        rng::fill_normal(&mut r, (1.0 / p as f64).sqrt(), &mut apical);
        let mut feedback = vec![0.0; n_out * n];
        rng::fill_normal(&mut r, (1.0 / n_out as f64).sqrt(), &mut feedback);
        let mut prediction = vec![0.0; n * n];
        let mut mirror = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                prediction[i * n + j] = rnn.w[i * m + j];
                mirror[j * n + i] = rnn.w[i * m + j];
            }
        }
        CompartmentalNetwork {
            n,
            m,
            n_out,
            p,
            opts,
            consolidated: apical.clone(),
            apical,
            prediction,
            mirror,
            feedback,
            since_consolidation: 0,
            has_prev: false,
            a_tilde: vec![0.0; p],
            a_tilde_prev: vec![0.0; p],
            s: vec![0.0; n],
            s_prev: vec![0.0; n],
            s_bar: vec![0.0; n],
            v: vec![0.0; n],
            mismatch: vec![0.0; n],
            c: vec![0.0; n],
            c_prev: vec![0.0; n],
            teach: vec![0.0; n],
            somatic: vec![0.0; n * m],
        }
    }

    /// The settings.
    pub fn options(&self) -> &PlasticityOptions {
        &self.opts
    }

    /// Number of neurons n.
    pub fn n(&self) -> usize {
        self.n
    }

    /// Width p = n + n_out + 1 of the apical input ã = [a; y*; 1].
    pub fn apical_width(&self) -> usize {
        self.p
    }

    /// A, row-major n × p.
    pub fn apical(&self) -> &[f64] {
        &self.apical
    }

    /// Ā, row-major n × p.
    pub fn consolidated(&self) -> &[f64] {
        &self.consolidated
    }

    /// P, row-major n × n.
    pub fn prediction(&self) -> &[f64] {
        &self.prediction
    }

    /// K, row-major n × n.
    pub fn mirror(&self) -> &[f64] {
        &self.mirror
    }

    /// B_fb, row-major n_out × n.
    pub fn feedback(&self) -> &[f64] {
        &self.feedback
    }

    /// The apical voltage s(t) of the last step (zero before the first).
    pub fn apical_voltage(&self) -> &[f64] {
        &self.s
    }

    /// The prediction mismatch ε(t) of the last step.
    pub fn mismatch(&self) -> &[f64] {
        &self.mismatch
    }

    /// The teaching signal τ(t−1) of the last credit phase.
    pub fn teaching_signal(&self) -> &[f64] {
        &self.teach
    }

    /// Sets A and Ā to `a` (row-major n × p) and recomputes the stored s(t−1) = A ã(t−1).
    pub fn set_apical(&mut self, a: &[f64]) {
        assert_eq!(a.len(), self.n * self.p, "set_apical: A must be n×p");
        self.apical.copy_from_slice(a);
        self.consolidated.copy_from_slice(a);
        gemv(
            &self.apical,
            self.n,
            self.p,
            &self.a_tilde_prev,
            &mut self.s_prev,
        );
    }

    /// Sets the credit synapses K (row-major n × n), e.g. away from the mirror of P.
    pub fn set_mirror(&mut self, k: &[f64]) {
        assert_eq!(k.len(), self.n * self.n, "set_mirror: K must be n×n");
        self.mirror.copy_from_slice(k);
    }

    /// Sets the fixed error-feedback synapses B_fb (row-major n_out × n).
    pub fn set_feedback(&mut self, b: &[f64]) {
        assert_eq!(
            b.len(),
            self.n_out * self.n,
            "set_feedback: B_fb must be n_out×n"
        );
        self.feedback.copy_from_slice(b);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::dni::Dni;
    use crate::learning::rflo::Feedback;
    use crate::learning::rnn::Loss;

    /// The initial synapses are those of `Dni::bio` with the same seed: A = Ā, B_fb, and
    /// P = J̃ = W_rec, with K = W_recᵀ.
    #[test]
    fn initial_synapses_match_the_parent() {
        let net = Rnn::init(5, 2, 3, 0.7, Activation::Tanh, Loss::MeanSquaredError, 3);
        let c = CompartmentalNetwork::new(&net, PlasticityOptions::new(0.1, 0.01), 17);
        let d = Dni::bio(&net, 0.1, 0.01, 17);
        assert_eq!(c.apical(), d.a());
        assert_eq!(c.consolidated(), d.a_target());
        assert_eq!(c.prediction(), d.j_tilde());
        match &d.options().feedback {
            Feedback::Fixed(b) => assert_eq!(c.feedback(), &b[..]),
            Feedback::Readout => panic!("DNI(b) uses fixed feedback"),
        }
        let n = 5;
        for i in 0..n {
            for j in 0..n {
                assert_eq!(c.mirror()[j * n + i], net.w_rec(i, j));
            }
        }
        assert_eq!(c.apical_width(), 5 + 3 + 1);
    }
}
