//! Random connectivity models: iid Gaussian couplings and the random-mode model with its
//! extensions (input/output-mode overlaps, orthogonal modes, single-neuron gain heterogeneity).

pub mod iid;
pub mod random_mode;
pub mod spectrum;
