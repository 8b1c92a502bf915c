//! Mean-field theory of random and structured rate networks dx/dt = −x + J φ(x) + noise:
//! Gaussian kernels of the nonlinearity, stationary dynamical mean-field theory (DMFT), the
//! two-site-cavity theory of the dimension of activity, and the sampling DMFT for random-mode
//! networks with input/output-mode overlaps.

pub mod critical;
pub mod dimension;
pub mod dmft;
pub mod gain_classes;
#[cfg(test)]
mod gauss_kronrod;
pub mod gaussian_kernel;
pub mod lag_spectrum;
pub mod lyapunov_exponent;
pub mod map_dmft;
pub mod nonlinearity;
pub mod overlap_dimension;
pub mod overlap_dmft;
pub mod population_correlation;
pub mod quadrature;
pub mod quenched;
pub mod quenched_gain;
pub mod quenched_lyapunov;
#[cfg(test)]
mod resolvent_identity;
pub mod roots;
pub mod row_gain_dmft;
