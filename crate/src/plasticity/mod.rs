//! Local plasticity rules for recurrent networks after Marschall, Cho & Savin, "Using local
//! plasticity rules to train recurrent neural networks" (arXiv 1905.12100, 2019): neurons with
//! segregated voltage compartments, several synaptic sub-populations with different roles, and
//! network phases in which each sub-population is updated by its own local rule, obtained from a
//! machine-learning approximation of the BPTT gradient.
//!
//! Provenance. Only the paper's abstract could be read; its equations, figures, tasks and
//! numbers could not. The approximation it builds on is taken from the authors' code of the
//! time, where the "bio" variant DNI(b) of synthetic gradients (Marschall et al. 2020, §3.8;
//! [`crate::learning::dni`]) replaces each non-local piece of DNI by a learned or fixed local
//! one. The compartmental formulation below is **our reconstruction** of how those pieces sit on
//! compartments and phases; where it makes a choice the paper might make differently, the doc of
//! the file says so.
//!
//! Neuron i (all sums over presynaptic neurons or inputs):
//!
//! | compartment | voltage | sub-population | file |
//! |---|---|---|---|
//! | soma / basal | h_i = Σ_j W_ij â_j(t−1), a_i(t) = (1−α) a_i(t−1) + α φ(h_i) | W = [W_rec, W_in, b] | [`crate::learning::rnn`] |
//! | apical | s_i(t) = Σ_j A_ij ã_j(t), ã = [a; y*; 1]; s̄_i with Ā | A, consolidated Ā | [`apical`] |
//! | prediction | v_i(t) = Σ_j P_ij a_j(t−1), ε_i = v_i − a_i(t) | P (dynamics model) | [`prediction`] |
//! | credit | c_i(t) = Σ_o B_fb,oi e_o(t); τ_i(t−1) = c_i(t−1) + Σ_k K_ik f(s̄_k(t)) | B_fb (fixed), K (mirror of P) | [`feedback`], [`apical`] |
//!
//! The local rules and the non-local computation each one approximates:
//!
//! | rule | sub-population | update | stands in for |
//! |---|---|---|---|
//! | 1 | B_fb | none (fixed random) | the readout transpose W_outᵀ in c = eᵀ W_out |
//! | 2a | P | ΔP_ij = −η_J ε_i(t) a_j(t−1) | the exact Jacobian J(t) (DNI(b)'s J̃) |
//! | 2b | K | ΔK_ji = −η_J ε_i(t) a_j(t−1) | the transpose J̃ᵀ (weight transport) |
//! | 3 | A, Ā | ΔA_ij = −η_SG [(s_i(t−1) − τ_i(t−1)) ã_j(t−1) + λ A_ij]; Ā ← A every 5 | the total credit c̄ (TD(0) on c̄(t−1) = c(t−1) + c̄(t) J(t)) |
//! | 4 | W | ΔW_ij = −η s_i(t) α φ'(h_i(t)) â_j(t−1) | BPTT's ∂L/∂W^(t) = c̄(t) M̄(t) |
//! | 5 | W_out, b_out | ΔW_out = −η e(t) a(t)ᵀ | exact (delta rule, in the optimizer) |
//!
//! Each factor of each rule is a quantity of the postsynaptic compartment, a presynaptic signal,
//! or a trace of either one step back; the tests check this by perturbation (an update is
//! bit-identical when anything else changes, and changes when an allowed factor does).
//!
//! Phases of a step ([`phases`]): forward, error feedback, mismatch, credit, consolidation,
//! somatic. Chain of parents: this schedule ≡ DNI(b) bit for bit ([`phases`] tests) ←
//! DNI (exact J, identity target, readout feedback) ← BPTT. The network is a
//! [`Learner`](crate::learning::learner::Learner), so a
//! [`Trainer`](crate::learning::train::Trainer) can run it side by side with its parents (as
//! passive learners) on the same trajectory and record their gradient alignment.
//!
//! [`force`] is the classic non-local reference the paper contrasts with: FORCE learning
//! (Sussillo & Abbott 2009) trains a readout fed back into a chaotic network by recursive least
//! squares, whose N × N inverse-correlation matrix couples every weight update to the activity
//! of the whole network.

pub mod apical;
pub mod feedback;
pub mod force;
pub mod network;
pub mod phases;
pub mod prediction;
pub mod somatic;

pub use network::{CompartmentalNetwork, PlasticityOptions};
pub use phases::{Phase, SCHEDULE};
