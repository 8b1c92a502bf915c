//! The large-N engine: batched trajectories of one network in f32 or f64, rows of J split over
//! workers, statistics that need no N×N f64 accumulator per trajectory.
//!
//! - [`panels`]: J packed in four-row panels and the SIMD128 product with B vectors.
//! - [`couplings`]: a block of rows of iid or random-mode couplings generated from the seed.
//! - [`block`]: one worker's rows and their RK4 stages.
//! - [`moments`], [`traces`]: grouped second moments (cross-trajectory dimension) and unit
//!   traces (autocorrelations).

pub mod block;
pub mod counter_rng;
pub mod couplings;
pub mod moments;
pub mod panels;
pub mod real;
pub mod traces;
