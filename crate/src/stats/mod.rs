//! Activity statistics of rate-network simulations: streaming mean and covariance
//! ([`covariance::CovAccumulator`]), effective dimensionality
//! ([`participation::participation_ratio`]) and population-averaged autocorrelation via the FFT
//! ([`autocorr::population_autocorrelation`]).

pub mod autocorr;
pub mod block_pr;
pub mod blocks;
pub mod covariance;
pub mod participation;
pub mod psi;
pub mod unit_variance;
