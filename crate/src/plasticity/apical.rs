//! The credit phase and consolidation (rule 3 of the module doc). The apical compartment holds
//! a synthetic gradient, a linear prediction of the neuron's total future credit
//! c̄_i(t) = ∂L/∂a_i(t). Its synapses learn, one step late, toward a bootstrapped teaching signal
//! formed in the credit compartment:
//!
//! ```text
//! s̄_k(t)   = Σ_j Ā_kj ã_j(t)                              (consolidated apical reading)
//! τ_i(t−1) = c_i(t−1) + Σ_k K_ik f(s̄_k(t))                 (credit compartment; f = tanh)
//! ΔA_ij    = −η_SG [(s_i(t−1) − τ_i(t−1)) ã_j(t−1) + λ_SG A_ij]
//! Ā ← A after every `consolidation_interval`-th apical update
//! ```
//!
//! s_i(t−1), c_i(t−1) and ã_j(t−1) are traces kept from the previous step. The rule is the TD(0)
//! regression of DNI (Jaderberg et al. 2017) on the one-step BPTT recursion
//! c̄(t−1) = c(t−1) + c̄(t) J(t), with three replacements that make it local (DNI(b), Marschall
//! et al. 2020, §3.8): random feedback B_fb for W_outᵀ in c, the learned dynamics model (here
//! its mirror K) for J(t), and a bounded target f = tanh; the consolidated copy Ā is DNI's
//! target network. Skipped at the first step after construction or a reset (no predecessor).

use super::network::CompartmentalNetwork;
use crate::kernels::gemv;

impl CompartmentalNetwork {
    /// s̄(t) from the stored ã(t), the teaching signal τ(t−1), and the apical update on the pair
    /// (t−1, t). Returns whether the consolidation phase is due.
    pub(super) fn credit_phase(&mut self) -> bool {
        let (n, p) = (self.n, self.p);
        gemv(&self.consolidated, n, p, &self.a_tilde, &mut self.s_bar);
        let f = self.opts.target_activation;
        for v in self.s_bar.iter_mut() {
            *v = f.eval(*v).0;
        }
        for i in 0..n {
            let mut t = self.c_prev[i];
            for (fk, kik) in self.s_bar.iter().zip(&self.mirror[i * n..(i + 1) * n]) {
                t += fk * kik;
            }
            self.teach[i] = t;
        }
        let rate = self.opts.apical_rate;
        let decay = 1.0 - rate * self.opts.apical_decay;
        for i in 0..n {
            let s = rate * (self.s_prev[i] - self.teach[i]);
            for (aij, x) in self.apical[i * p..(i + 1) * p]
                .iter_mut()
                .zip(&self.a_tilde_prev)
            {
                *aij = decay * *aij - s * x;
            }
        }
        self.since_consolidation += 1;
        self.since_consolidation == self.opts.consolidation_interval
    }

    /// Ā ← A and restarts the count of apical updates.
    pub(super) fn consolidate(&mut self) {
        self.since_consolidation = 0;
        self.consolidated.copy_from_slice(&self.apical);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::rnn::{Activation, Loss, Rnn};
    use crate::plasticity::network::PlasticityOptions;

    /// n = 2, n_out = 1 (p = 4), f = identity, η_SG = 0.5, λ_SG = 0.
    fn tiny(decay: f64) -> CompartmentalNetwork {
        let net = Rnn::init(2, 1, 1, 1.0, Activation::Tanh, Loss::MeanSquaredError, 6);
        let mut opts = PlasticityOptions::new(0.5, 0.0);
        opts.target_activation = Activation::Identity;
        opts.apical_decay = decay;
        let mut c = CompartmentalNetwork::new(&net, opts, 7);
        c.apical = vec![1.0, 0.0, 2.0, 1.0, 0.0, 1.0, -1.0, 0.5];
        c.consolidated = vec![1.0, 1.0, 0.0, 0.0, 0.0, 2.0, 1.0, 0.0];
        c.mirror = vec![1.0, 2.0, 0.0, 1.0];
        c.a_tilde = vec![1.0, -1.0, 0.5, 1.0];
        c.a_tilde_prev = vec![0.5, 0.5, 1.0, 1.0];
        c.c_prev = vec![0.25, -0.5];
        c.s_prev = vec![3.5, 0.0];
        c
    }

    /// Hand-computed: s̄ = Ā ã(t) = [0, −1.5]; τ = c(t−1) + K s̄ = [0.25 − 3, −0.5 − 1.5] =
    /// [−2.75, −2]; errors s(t−1) − τ = [6.25, 2]; ΔA = −0.5 (error ⊗ ã(t−1)):
    /// row 0 = [1, 0, 2, 1] − 3.125·[0.5, 0.5, 1, 1], row 1 = [0, 1, −1, 0.5] − [0.5, 0.5, 1, 1].
    #[test]
    fn apical_rule_by_hand() {
        let mut c = tiny(0.0);
        let due = c.credit_phase();
        assert!(!due);
        assert_eq!(c.s_bar, vec![0.0, -1.5]);
        assert_eq!(c.teaching_signal(), &[-2.75, -2.0]);
        assert_eq!(
            c.apical(),
            &[-0.5625, -1.5625, -1.125, -2.125, -0.5, 0.5, -2.0, -0.5]
        );
        // Ā is untouched until consolidation.
        assert_eq!(c.consolidated(), &[1.0, 1.0, 0.0, 0.0, 0.0, 2.0, 1.0, 0.0]);
    }

    /// With λ_SG the rule adds −η_SG λ_SG A: A' = (1 − 0.5·0.2) A − 0.5 (error ⊗ ã(t−1)).
    #[test]
    fn apical_decay_by_hand() {
        let mut c = tiny(0.2);
        c.credit_phase();
        let a0 = [1.0, 0.0, 2.0, 1.0, 0.0, 1.0, -1.0, 0.5];
        let err = [6.25, 2.0];
        let x = [0.5, 0.5, 1.0, 1.0];
        for i in 0..2 {
            for j in 0..4 {
                let want = 0.9 * a0[i * 4 + j] - 0.5 * err[i] * x[j];
                assert!((c.apical()[i * 4 + j] - want).abs() < 1e-15);
            }
        }
    }

    /// f = tanh squashes the consolidated reading before it is sent: τ = c(t−1) + K tanh(s̄).
    #[test]
    fn target_is_squashed() {
        let mut c = tiny(0.0);
        c.opts.target_activation = Activation::Tanh;
        c.credit_phase();
        let f = [0.0f64.tanh(), (-1.5f64).tanh()];
        let want = [0.25 + f[0] + 2.0 * f[1], -0.5 + f[1]];
        for (t, w) in c.teaching_signal().iter().zip(&want) {
            assert!((t - w).abs() < 1e-15);
        }
    }

    /// Consolidation is due after every `consolidation_interval`-th update and copies A into Ā.
    #[test]
    fn consolidation_every_interval() {
        let mut c = tiny(0.0);
        c.opts.consolidation_interval = 3;
        let dues: Vec<bool> = (0..7)
            .map(|_| {
                let due = c.credit_phase();
                if due {
                    c.consolidate();
                    assert_eq!(c.consolidated(), c.apical());
                }
                due
            })
            .collect();
        assert_eq!(dues, [false, false, true, false, false, true, false]);
    }

    /// Locality of ΔA_ij (i = 0, j = 2): bit-identical when another neuron's traces (s_1(t−1),
    /// c_1(t−1)), its apical synapses (row 1 of A), another neuron's credit synapses (row 1 of K)
    /// or the prediction synapses change; changed by the allowed inputs (row 0 of K, c_0(t−1),
    /// s_0(t−1), ã_j(t−1), and the presynaptic signals f(s̄_k(t)) through Ā).
    #[test]
    fn apical_rule_is_local() {
        let (i, j, p) = (0, 2, 4);
        let base = tiny(0.0);
        let run = |c: &CompartmentalNetwork| -> u64 {
            let mut c = c.clone();
            c.credit_phase();
            c.apical()[i * p + j].to_bits()
        };
        let reference = run(&base);
        let mut other = base.clone();
        other.s_prev[1] += 1.0;
        other.c_prev[1] -= 1.0;
        other.apical[p..].iter_mut().for_each(|v| *v += 0.3);
        other.mirror[2] += 1.0;
        other.prediction.iter_mut().for_each(|v| *v -= 0.7);
        assert_eq!(run(&other), reference);
        let perturbations: [fn(&mut CompartmentalNetwork); 5] = [
            |c| c.mirror[1] += 0.5,
            |c| c.c_prev[0] += 0.5,
            |c| c.s_prev[0] += 0.5,
            |c| c.a_tilde_prev[2] += 0.5,
            |c| c.consolidated[4 + 1] += 0.5,
        ];
        for (l, change) in perturbations.iter().enumerate() {
            let mut own = base.clone();
            change(&mut own);
            assert_ne!(run(&own), reference, "perturbation {l}");
        }
    }
}
