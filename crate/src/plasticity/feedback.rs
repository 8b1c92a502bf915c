//! Error feedback into the credit compartments (rule 1 of the module doc): the globally
//! broadcast output error e(t) = ∂L(t)/∂z(t) reaches neuron i through its own fixed random
//! feedback synapses (column i of B_fb),
//!
//! ```text
//! c_i(t) = Σ_o B_fb,oi e_o(t)
//! ```
//!
//! This sub-population does not learn. It is feedback alignment (Lillicrap et al. 2016; random
//! feedback in RFLO, Murray 2019) in place of the exact immediate credit c = eᵀ W_out, which
//! would need the readout weights at the recurrent neurons (weight transport).

use super::network::CompartmentalNetwork;

impl CompartmentalNetwork {
    /// Writes c(t) = B_fbᵀ e(t) into the credit compartments (sum over outputs in order).
    pub(super) fn receive_error(&mut self, e: &[f64]) {
        let n = self.n;
        assert_eq!(
            e.len(),
            self.n_out,
            "receive_error: e must have n_out entries"
        );
        for (i, ci) in self.c.iter_mut().enumerate() {
            let mut acc = 0.0;
            for (o, eo) in e.iter().enumerate() {
                acc += eo * self.feedback[o * n + i];
            }
            *ci = acc;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::rnn::{Activation, Loss, Rnn};
    use crate::plasticity::network::PlasticityOptions;

    /// Hand-computed on n = 2, n_out = 3: B_fb = [[1, 2], [3, 4], [5, 6]], e = [1, −1, 0.5]:
    /// c = [1 − 3 + 2.5, 2 − 4 + 3] = [0.5, 1].
    #[test]
    fn feedback_is_the_transposed_random_projection() {
        let net = Rnn::init(2, 1, 3, 1.0, Activation::Tanh, Loss::MeanSquaredError, 1);
        let mut c = CompartmentalNetwork::new(&net, PlasticityOptions::new(0.1, 0.1), 2);
        c.set_feedback(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        c.receive_error(&[1.0, -1.0, 0.5]);
        assert_eq!(c.c, vec![0.5, 1.0]);
    }

    /// Neuron i's feedback depends on column i of B_fb only.
    #[test]
    fn feedback_is_local_to_each_neuron() {
        let net = Rnn::init(3, 1, 2, 1.0, Activation::Tanh, Loss::MeanSquaredError, 1);
        let mut c = CompartmentalNetwork::new(&net, PlasticityOptions::new(0.1, 0.1), 2);
        let e = [0.3, -0.7];
        c.receive_error(&e);
        let before = c.c.clone();
        // Column 1 changes (rows o = 0, 1 at index o·n + 1).
        let mut b = c.feedback().to_vec();
        b[1] += 0.5;
        b[3 + 1] -= 0.25;
        c.set_feedback(&b);
        c.receive_error(&e);
        assert_eq!(c.c[0].to_bits(), before[0].to_bits());
        assert_eq!(c.c[2].to_bits(), before[2].to_bits());
        assert_ne!(c.c[1], before[1]);
    }
}
