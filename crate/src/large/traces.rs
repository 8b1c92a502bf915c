//! Recorded single-unit traces and their autocorrelation: Δ(τ) (currents) or C_φ(τ) (rates),
//! averaged over the recorded units of every trajectory, by FFT
//! ([`population_autocorrelation`], 1/(T−k) normalisation). Each unit is centred on its mean
//! pooled over all trajectories (see [`super::moments`] for why not per trajectory).
//!
//! Memory: B · units · T f64 for T samples.

use crate::stats::autocorr::population_autocorrelation;

/// Traces of the units u0..u1 (global indices) of B trajectories.
pub struct Traces {
    u0: usize,
    units: usize,
    trajectories: usize,
    /// Per trajectory, time-major: samples × units.
    data: Vec<Vec<f64>>,
}

impl Traces {
    /// Records units u0..u1 of `trajectories` trajectories.
    pub fn new(u0: usize, u1: usize, trajectories: usize) -> Self {
        Traces {
            u0,
            units: u1.saturating_sub(u0),
            trajectories,
            data: vec![Vec::new(); trajectories],
        }
    }

    /// Appends one sample; `v` holds the unit values of the block starting at global unit `r0`,
    /// `stride` per trajectory.
    pub fn push(&mut self, v: &[f64], r0: usize, stride: usize) {
        if self.units == 0 {
            return;
        }
        for (b, d) in self.data.iter_mut().enumerate() {
            let off = b * stride + self.u0 - r0;
            d.extend_from_slice(&v[off..off + self.units]);
        }
    }

    /// Σ over recorded units and trajectories of the autocovariance at lags 0..=max_lag, and the
    /// number of (unit, trajectory) pairs summed. Needs more samples than `max_lag`.
    pub fn autocovariance_sum(&self, max_lag: usize) -> (Vec<f64>, usize) {
        let mut total = vec![0.0; max_lag + 1];
        if self.units == 0 {
            return (total, 0);
        }
        let mut mean = vec![0.0; self.units];
        let samples: usize = self.data.iter().map(|d| d.len() / self.units).sum();
        for d in &self.data {
            for row in d.chunks_exact(self.units) {
                for (m, v) in mean.iter_mut().zip(row) {
                    *m += v / samples as f64;
                }
            }
        }
        for d in &self.data {
            let steps = d.len() / self.units;
            let centred: Vec<f64> = d
                .iter()
                .enumerate()
                .map(|(k, v)| v - mean[k % self.units])
                .collect();
            let c = population_autocorrelation(&centred, steps, self.units, max_lag, false);
            for (t, v) in total.iter_mut().zip(&c) {
                *t += v * self.units as f64;
            }
        }
        (total, self.units * self.trajectories)
    }
}
