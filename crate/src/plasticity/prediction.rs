//! The mismatch phase (rules 2a and 2b of the module doc): each neuron's prediction compartment
//! predicts its new rate from the presynaptic rates one step earlier, and the mismatch drives
//! two sub-populations with the same increment:
//!
//! ```text
//! v_i(t) = Σ_j P_ij a_j(t−1),      ε_i(t) = v_i(t) − a_i(t)
//! ΔP_ij = −η_J ε_i(t) a_j(t−1)     (postsynaptic mismatch × presynaptic delayed rate)
//! ΔK_ji = −η_J ε_i(t) a_j(t−1)     (presynaptic mismatch, sent by i × postsynaptic delayed rate)
//! ```
//!
//! P is DNI(b)'s learned linear model J̃ of the dynamics (a delta rule for a(t) ≈ J̃ a(t−1);
//! Marschall et al. 2020, §3.8), which stands in for the exact Jacobian J(t) = (1−α) I +
//! α D(t) W_rec of DNI. The bootstrapped credit needs J̃ in the transposed direction (from k onto
//! i with weight J̃_ki); K carries it. Because K and Pᵀ receive identical increments, K − Pᵀ never
//! changes: started at K = Pᵀ they stay equal bit for bit. This mirror sub-population is our
//! construction (the paper's own resolution of the transport problem could not be read).

use super::network::CompartmentalNetwork;
use crate::kernels::gemv;

impl CompartmentalNetwork {
    /// v = P a(t−1), ε = v − a(t), then the P and K updates (`a_prev` = a(t−1), `a` = a(t)).
    pub(super) fn mismatch_phase(&mut self, a_prev: &[f64], a: &[f64]) {
        let n = self.n;
        assert!(
            a_prev.len() == n && a.len() == n,
            "mismatch_phase: rates must have n entries"
        );
        gemv(&self.prediction, n, n, a_prev, &mut self.v);
        let rate = self.opts.prediction_rate;
        for (i, (vi, ai)) in self.v.iter().zip(a).enumerate() {
            self.mismatch[i] = vi - ai;
            // η_J ε_i, the signal neuron i sends to its credit synapses on other neurons.
            let s = rate * (vi - ai);
            for (j, aj) in a_prev.iter().enumerate() {
                let d = s * aj;
                self.prediction[i * n + j] -= d;
                self.mirror[j * n + i] -= d;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::rnn::{Activation, Loss, Rnn};
    use crate::plasticity::network::PlasticityOptions;

    fn tiny(n: usize, rate: f64) -> CompartmentalNetwork {
        let net = Rnn::init(n, 1, 2, 1.0, Activation::Tanh, Loss::MeanSquaredError, 4);
        CompartmentalNetwork::new(&net, PlasticityOptions::new(0.0, rate), 5)
    }

    /// Hand-computed on n = 2, η_J = 0.5: P = [[1, 2], [3, 4]], a(t−1) = [1, −1],
    /// a(t) = [0.5, 0.25]: v = [−1, −1], ε = [−1.5, −1.25], ΔP = −0.5 ε ⊗ a(t−1) =
    /// [[0.75, −0.75], [0.625, −0.625]]; K = Pᵀ after as before.
    #[test]
    fn prediction_rule_by_hand() {
        let mut c = tiny(2, 0.5);
        c.prediction = vec![1.0, 2.0, 3.0, 4.0];
        c.mirror = vec![1.0, 3.0, 2.0, 4.0];
        c.mismatch_phase(&[1.0, -1.0], &[0.5, 0.25]);
        assert_eq!(c.v, vec![-1.0, -1.0]);
        assert_eq!(c.mismatch(), &[-1.5, -1.25]);
        assert_eq!(c.prediction(), &[1.75, 1.25, 3.625, 3.375]);
        assert_eq!(c.mirror(), &[1.75, 3.625, 1.25, 3.375]);
    }

    /// K − Pᵀ is invariant: started away from the mirror, the difference stays at its initial
    /// value (to rounding) while P itself moves.
    #[test]
    fn mirror_difference_is_invariant() {
        let n = 4;
        let mut c = tiny(n, 0.05);
        let mut k0 = c.mirror().to_vec();
        k0.iter_mut()
            .enumerate()
            .for_each(|(l, v)| *v += 0.1 * (l as f64).sin());
        c.set_mirror(&k0);
        let diff = |c: &CompartmentalNetwork| -> Vec<f64> {
            let (p, k) = (c.prediction(), c.mirror());
            (0..n * n).map(|l| k[l] - p[(l % n) * n + l / n]).collect()
        };
        let d0 = diff(&c);
        let p0 = c.prediction().to_vec();
        let mut a = vec![0.3, -0.2, 0.5, 0.1];
        for t in 0..50 {
            let next: Vec<f64> = (0..n)
                .map(|i| (0.9 * a[(i + 1) % n] - 0.2 * a[i] + 0.1 * (t as f64).cos()).tanh())
                .collect();
            c.mismatch_phase(&a, &next);
            a = next;
        }
        let d1 = diff(&c);
        let drift = d0
            .iter()
            .zip(&d1)
            .fold(0.0f64, |s, (x, y)| s.max((x - y).abs()));
        let moved = p0
            .iter()
            .zip(c.prediction())
            .fold(0.0f64, |s, (x, y)| s.max((x - y).abs()));
        assert!(drift < 1e-14, "drift {drift:e}");
        assert!(moved > 1e-2, "P moved only {moved:e}");
    }

    /// Locality of ΔP_ij (i = 1, j = 2 of n = 4): unchanged, bit for bit, when another row of P
    /// or another neuron's new rate changes, or when K changes; changed by the allowed inputs
    /// (P row i, a_i(t), a_j(t−1)).
    #[test]
    fn prediction_rule_is_local() {
        let n = 4;
        let (i, j) = (1, 2);
        let a_prev = [0.2, -0.4, 0.6, 0.1];
        let a = [0.3, 0.5, -0.2, 0.0];
        let base = tiny(n, 0.1);
        let run = |c: &CompartmentalNetwork, ap: &[f64], an: &[f64]| -> u64 {
            let mut c = c.clone();
            c.mismatch_phase(ap, an);
            c.prediction()[i * n + j].to_bits()
        };
        let reference = run(&base, &a_prev, &a);
        // Disallowed: P row 3, K, a_0(t), a_3(t).
        let mut other = base.clone();
        other.prediction[3 * n] += 1.0;
        other.mirror.iter_mut().for_each(|v| *v += 0.5);
        let mut a_other = a;
        a_other[0] += 1.0;
        a_other[3] -= 1.0;
        assert_eq!(run(&other, &a_prev, &a_other), reference);
        // Allowed: P row i, a_i(t), a_j(t−1).
        let mut own = base.clone();
        own.prediction[i * n] += 0.5;
        assert_ne!(run(&own, &a_prev, &a), reference);
        let mut a_own = a;
        a_own[i] += 0.5;
        assert_ne!(run(&base, &a_prev, &a_own), reference);
        let mut ap_own = a_prev;
        ap_own[j] += 0.5;
        assert_ne!(run(&base, &ap_own, &a), reference);
    }

    /// Locality of ΔK_ji (synapse on neuron j = 0 from neuron i = 2): it needs the presynaptic
    /// mismatch ε_i and the postsynaptic delayed rate a_j(t−1) only. Changing another neuron's
    /// prediction synapses (row 3 of P) or new rate leaves it bit-identical; changing ε_i (through
    /// a_i(t)) or a_j(t−1) changes it.
    #[test]
    fn mirror_rule_is_local() {
        let n = 4;
        let (i, j) = (2, 0);
        let a_prev = [0.2, -0.4, 0.6, 0.1];
        let a = [0.3, 0.5, -0.2, 0.0];
        let base = tiny(n, 0.1);
        let run = |c: &CompartmentalNetwork, ap: &[f64], an: &[f64]| -> u64 {
            let mut c = c.clone();
            c.mismatch_phase(ap, an);
            c.mirror()[j * n + i].to_bits()
        };
        let reference = run(&base, &a_prev, &a);
        let mut other = base.clone();
        other.prediction[3 * n + 1] += 1.0;
        other.mirror[n + 3] += 1.0;
        let mut a_other = a;
        a_other[1] += 1.0;
        a_other[j] += 1.0;
        assert_eq!(run(&other, &a_prev, &a_other), reference);
        let mut a_own = a;
        a_own[i] += 0.5;
        assert_ne!(run(&base, &a_prev, &a_own), reference);
        let mut ap_own = a_prev;
        ap_own[j] += 0.5;
        assert_ne!(run(&base, &ap_own, &a), reference);
    }
}
