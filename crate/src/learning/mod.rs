//! Online learning of recurrent networks after Marschall, Cho & Savin, "A Unified Framework of
//! Online Learning Algorithms for Training Recurrent Neural Networks", JMLR 21(135), 2020.
//!
//! The framework sorts algorithms along four axes: (a) past- vs future-facing — whether the
//! algorithm propagates the influence matrix M(t) = ∂a(t)/∂W forward in time (M(t) = J(t) M(t−1)
//! + M̄(t), gradient c(t)·M(t)) or the credit-assignment vector c̄(t) = ∂L/∂a(t) backward
//! (c̄(t) = c(t) + c̄(t+1) J(t+1), gradient c̄(t)·M̄(t)); (b) the tensor structure kept of M_kij
//! (or of c̄), e.g. exact, Kronecker-factored or diagonal; (c) stochastic (unbiased random
//! low-rank estimates) vs deterministic (biased truncations); (d) closed-form vs numerical
//! (quantities learned online by an auxiliary regression).
//!
//! This module holds the model ([`rnn::Rnn`]), the tasks ([`tasks`]) and the two exact
//! algorithms that the approximations are measured against: offline backpropagation through time
//! ([`bptt`]) and real-time recurrent learning ([`rtrl`]), the common interface of the online
//! algorithms ([`learner::Learner`], and [`online::OnlineAlgorithm`] for the past-facing ones) and
//! the approximations (past-facing: [`rflo`], [`uoro`], [`kf_rtrl`], [`r_kf_rtrl`], [`kernl`],
//! [`eprop`] and the rolling truncation [`tbptt`]; future-facing: [`e_bptt`], [`f_bptt`],
//! [`dni`]) and the control that trains the readout only ([`output_only`]). Training runs
//! ([`train`]) combine a network, a task stream, an algorithm from the catalogue
//! ([`algorithm`]) and an optimizer ([`optimizer`]).

pub mod algorithm;
pub mod bptt;
pub mod dni;
pub mod e_bptt;
pub mod eprop;
pub mod f_bptt;
pub mod kernl;
pub mod kf_rtrl;
pub mod learner;
pub mod online;
pub mod optimizer;
pub mod output_only;
pub mod r_kf_rtrl;
pub mod rflo;
pub mod rnn;
pub mod rtrl;
pub mod tasks;
pub mod tbptt;
pub mod train;
pub mod uoro;
mod window;
