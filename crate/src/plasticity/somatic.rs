//! The somatic-plasticity phase (rule 4 of the module doc): the basal synapses W = [W_rec |
//! W_in | b] change by a three-factor rule, the apical voltage (with the apical synapses just
//! updated) gating the product of the neuron's own derivative and the presynaptic input of the
//! previous step:
//!
//! ```text
//! s_i(t) = Σ_j A_ij ã_j(t)
//! ΔW_ij ∝ −s_i(t) α φ'(h_i(t)) â_j(t−1),      â(t−1) = [a(t−1); x(t); 1]
//! ```
//!
//! This is the future-facing gradient ∂L/∂W^(t) = c̄(t) M̄(t) of BPTT (Marschall et al. 2020,
//! §2) with the synthetic gradient s(t) in place of the exact total credit c̄(t). The phase writes
//! the direction s_i α φ'_i â_j (a gradient estimate); the optimizer applies −η times it.

use super::network::CompartmentalNetwork;
use crate::kernels::gemv;

impl CompartmentalNetwork {
    /// s(t) = A ã(t) from the stored ã(t), then the somatic direction g_ij = s_i α φ'_i â_j.
    pub(super) fn somatic_phase(&mut self, alpha: f64, dphi: &[f64], a_hat: &[f64]) {
        let (n, m, p) = (self.n, self.m, self.p);
        assert!(
            dphi.len() == n && a_hat.len() == m,
            "somatic_phase: φ' must have n and â m entries"
        );
        gemv(&self.apical, n, p, &self.a_tilde, &mut self.s);
        for ((row, s), d) in self.somatic.chunks_exact_mut(m).zip(&self.s).zip(dphi) {
            let f = s * alpha * d;
            for (g, x) in row.iter_mut().zip(a_hat) {
                *g = f * x;
            }
        }
    }

    /// The somatic direction of the last step, row-major n × m.
    pub fn somatic_direction(&self) -> &[f64] {
        &self.somatic
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::rnn::{Activation, Loss, Rnn};
    use crate::plasticity::network::PlasticityOptions;

    /// n = 2, n_in = 1, n_out = 1: m = 4, p = 4.
    fn tiny() -> CompartmentalNetwork {
        let net = Rnn::init(2, 1, 1, 1.0, Activation::Tanh, Loss::MeanSquaredError, 8);
        let mut c = CompartmentalNetwork::new(&net, PlasticityOptions::new(0.1, 0.1), 9);
        c.apical = vec![1.0, 2.0, 0.0, -1.0, 0.5, 0.0, 1.0, 1.0];
        c.a_tilde = vec![1.0, 0.5, 2.0, 1.0];
        c
    }

    /// Hand-computed: s = A ã = [1 + 1 − 1, 0.5 + 2 + 1] = [1, 3.5]; α = 0.5, φ' = [0.5, 0.25],
    /// â = [1, −2, 4, 1]: rows 0.25·â and 0.4375·â.
    #[test]
    fn somatic_rule_by_hand() {
        let mut c = tiny();
        c.somatic_phase(0.5, &[0.5, 0.25], &[1.0, -2.0, 4.0, 1.0]);
        assert_eq!(c.apical_voltage(), &[1.0, 3.5]);
        assert_eq!(
            c.somatic_direction(),
            &[0.25, -0.5, 1.0, 0.25, 0.4375, -0.875, 1.75, 0.4375]
        );
    }

    /// Locality of ΔW_ij (i = 1, j = 0): bit-identical when the other neuron's apical synapses
    /// (row 0 of A) or derivative, another presynaptic input, or the credit-side state change;
    /// changed by row 1 of A, φ'_1, â_0 and the apical input ã.
    #[test]
    fn somatic_rule_is_local() {
        let (i, j, m) = (1, 0, 4);
        let dphi = [0.5, 0.25];
        let a_hat = [1.0, -2.0, 4.0, 1.0];
        let base = tiny();
        let run = |c: &CompartmentalNetwork, d: &[f64], x: &[f64]| -> u64 {
            let mut c = c.clone();
            c.somatic_phase(0.5, d, x);
            c.somatic_direction()[i * m + j].to_bits()
        };
        let reference = run(&base, &dphi, &a_hat);
        let mut other = base.clone();
        other.apical[..4].iter_mut().for_each(|v| *v += 1.0);
        other.consolidated.iter_mut().for_each(|v| *v += 1.0);
        other.mirror.iter_mut().for_each(|v| *v += 1.0);
        other.prediction.iter_mut().for_each(|v| *v += 1.0);
        other.c_prev.iter_mut().for_each(|v| *v += 1.0);
        other.s_prev.iter_mut().for_each(|v| *v += 1.0);
        let mut d_other = dphi;
        d_other[0] = 0.9;
        let mut x_other = a_hat;
        x_other[2] = -3.0;
        assert_eq!(run(&other, &d_other, &x_other), reference);
        let mut own = base.clone();
        own.apical[4] += 0.5;
        assert_ne!(run(&own, &dphi, &a_hat), reference);
        let mut d_own = dphi;
        d_own[i] = 0.75;
        assert_ne!(run(&base, &d_own, &a_hat), reference);
        let mut x_own = a_hat;
        x_own[j] = 3.0;
        assert_ne!(run(&base, &dphi, &x_own), reference);
        let mut input = base;
        input.a_tilde[3] = 2.0;
        assert_ne!(run(&input, &dphi, &a_hat), reference);
    }
}
