//! Mean-field theory of random and structured rate networks dx/dt = −x + J φ(x) + noise:
//! Gaussian kernels of the nonlinearity, stationary dynamical mean-field theory (DMFT), the
//! two-site-cavity theory of the dimension of activity, and the sampling DMFT for random-mode
//! networks with input/output-mode overlaps.
pub mod overlap_dmft;
