//! One worker's share of a batched large-N simulation: rows r0..r1 of J (packed panels) and the
//! states of those units in B trajectories of dx/dt = −x + J φ(x) + b + σ ξ(t).
//!
//! A classical RK4 step has four stages. Stage s takes φ of the stage input for **all** N units
//! (`phi_full`, B × N), forms k_s = J φ − y_s + b for the block's rows (one panel product for all
//! B trajectories), and leaves φ of the next stage input for its own rows in `phi_out`
//! (B × rows). Between stages the workers exchange `phi_out` into everyone's `phi_full`; with a
//! single block [`Block::run`] does it in place. After the fourth stage the additive noise
//! increment σ√dt ζ is added (split step, as in [`crate::dynamics::simulation`]), with ζ drawn by
//! the counter-based generator so that it depends only on (seed, trajectory, step, unit).
//!
//! Arithmetic is in the block's precision T, element by element in a fixed order, so a
//! trajectory's bits depend neither on B, nor on the split of the rows, nor on the target.

use super::counter_rng::{normal, Stream};
use super::moments::{MomentSums, Moments, Weighting};
use super::panels::{panel_count, panel_product, Strided, PANEL};
use super::real::Real;
use super::traces::Traces;
use crate::dynamics::phi::Phi;

/// Dynamics of a block.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dynamics {
    pub phi: Phi,
    /// Constant input b (the same for every unit).
    pub bias: f64,
    pub dt: f64,
    /// White-noise amplitude σ.
    pub noise: f64,
    /// Initial states x_i(0) ~ N(0, x0_std²).
    pub x0_std: f64,
    /// Seed of the initial states and the noise.
    pub seed: u64,
    /// Global index of the first trajectory (trajectory b uses the streams of first + b).
    pub first_trajectory: u64,
}

impl Dynamics {
    /// The standard normal draw of `stream` for trajectory b (of this run), step and unit.
    fn normal(&self, stream: Stream, b: usize, step: u64, unit: usize) -> f64 {
        normal(
            self.seed,
            stream,
            self.first_trajectory + b as u64,
            step,
            unit as u64,
        )
    }
}

/// What `finish` returns for one variable: the moment sums and the autocovariance sums.
pub struct VariableSums {
    pub moments: MomentSums,
    pub autocov: Vec<f64>,
    pub pairs: usize,
}

struct Stats<T: Real> {
    x: Moments<T>,
    phi: Moments<T>,
    trace_x: Traces,
    trace_phi: Traces,
    scratch: Vec<f64>,
}

/// Rows r0..r0+rows of a network and their states in B trajectories.
pub struct Block<T: Real> {
    n: usize,
    r0: usize,
    rows: usize,
    trajectories: usize,
    panels: Vec<T>,
    dynamics: Dynamics,
    x: Vec<T>,
    y: Vec<T>,
    k: Vec<T>,
    sum: Vec<T>,
    phi_full: Vec<T>,
    phi_out: Vec<T>,
    x_full: Vec<T>,
    stage: usize,
    steps: u64,
    stats: Option<Stats<T>>,
}

/// RK4: stage input y_{s+1} = x + c_s dt k_s, and weights of k_s in the final sum.
const STAGE_C: [f64; 3] = [0.5, 0.5, 1.0];

impl<T: Real> Block<T> {
    /// A block of rows r0..r0+rows (from [`coupling_panels`](super::couplings::coupling_panels))
    /// with B = `trajectories` trajectories at their initial states.
    pub fn new(
        panels: Vec<T>,
        n: usize,
        r0: usize,
        rows: usize,
        trajectories: usize,
        dynamics: Dynamics,
    ) -> Self {
        assert_eq!(panels.len(), panel_count(rows) * PANEL * n);
        let pad = panel_count(rows) * PANEL;
        let mut x = vec![T::zero(); trajectories * rows];
        for b in 0..trajectories {
            for r in 0..rows {
                let z = dynamics.normal(Stream::Initial, b, 0, r0 + r);
                x[b * rows + r] = T::from_f64(dynamics.x0_std * z);
            }
        }
        let mut block = Block {
            n,
            r0,
            rows,
            trajectories,
            panels,
            dynamics,
            y: vec![T::zero(); trajectories * rows],
            k: vec![T::zero(); trajectories * pad],
            sum: vec![T::zero(); trajectories * rows],
            phi_full: vec![T::zero(); trajectories * n],
            phi_out: vec![T::zero(); trajectories * rows],
            x_full: vec![T::zero(); trajectories * n],
            x,
            stage: 0,
            steps: 0,
            stats: None,
        };
        block.apply_phi(false);
        block
    }

    /// Units N, first row, rows, trajectories.
    pub fn shape(&self) -> (usize, usize, usize, usize) {
        (self.n, self.r0, self.rows, self.trajectories)
    }

    /// Completed steps.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// The block's states (B × rows).
    pub fn state(&self) -> &[T] {
        &self.x
    }

    /// φ of the stage input for all units (B × N), filled by the exchange.
    pub fn phi_full_mut(&mut self) -> &mut [T] {
        &mut self.phi_full
    }

    /// φ of the next stage input for the block's rows (B × rows).
    pub fn phi_out(&self) -> &[T] {
        &self.phi_out
    }

    /// All states (B × N), filled by the exchange before a sample.
    pub fn x_full_mut(&mut self) -> &mut [T] {
        &mut self.x_full
    }

    /// Row `r` (block-relative) of J.
    pub fn coupling_row(&self, r: usize, out: &mut [T]) {
        super::panels::unpack_row(&self.panels, self.n, r, out);
    }

    fn apply_phi(&mut self, from_stage: bool) {
        let src = if from_stage { &self.y } else { &self.x };
        let phi = self.dynamics.phi;
        for (o, &v) in self.phi_out.iter_mut().zip(src) {
            *o = T::from_f64(phi.eval(v.to_f64()));
        }
    }

    /// One RK4 stage (see the module doc); after the fourth, one step is complete.
    pub fn stage(&mut self) {
        let (n, rows, nb) = (self.n, self.rows, self.trajectories);
        let pad = panel_count(rows) * PANEL;
        let x = Strided {
            data: &self.phi_full[..],
            ld: n,
        };
        let y = Strided {
            data: &mut self.k[..],
            ld: pad,
        };
        panel_product(&self.panels, panel_count(rows), n, x, nb, y, false);
        let s = self.stage;
        let bias = T::from_f64(self.dynamics.bias);
        let two = T::from_f64(2.0);
        let h = T::from_f64(STAGE_C[s.min(2)] * self.dynamics.dt);
        for b in 0..nb {
            for r in 0..rows {
                let i = b * rows + r;
                let input = if s == 0 { self.x[i] } else { self.y[i] };
                let kv = (self.k[b * pad + r] - input) + bias;
                self.sum[i] = match s {
                    0 => kv,
                    3 => self.sum[i] + kv,
                    _ => self.sum[i] + two * kv,
                };
                if s < 3 {
                    self.y[i] = self.x[i] + h * kv;
                }
            }
        }
        if s < 3 {
            self.apply_phi(true);
            self.stage = s + 1;
            return;
        }
        let h6 = T::from_f64(self.dynamics.dt / 6.0);
        for (x, &acc) in self.x.iter_mut().zip(&self.sum) {
            *x = *x + h6 * acc;
        }
        let d = self.dynamics;
        if d.noise > 0.0 {
            let amp = d.noise * d.dt.sqrt();
            for b in 0..nb {
                for r in 0..rows {
                    let z = d.normal(Stream::Noise, b, self.steps, self.r0 + r);
                    let x = &mut self.x[b * rows + r];
                    *x = *x + T::from_f64(amp * z);
                }
            }
        }
        self.apply_phi(false);
        self.stage = 0;
        self.steps += 1;
    }

    /// With one block of all rows: the exchange is a copy of `phi_out` (and x) into the full
    /// buffers.
    fn exchange_local(&mut self, with_x: bool) {
        self.phi_full.copy_from_slice(&self.phi_out);
        if with_x {
            self.x_full.copy_from_slice(&self.x);
        }
    }

    /// Starts the statistics: K = `groups` groups of trajectories, a buffer of `buffer`
    /// samples, and traces of the units `0..units` (those inside this block).
    pub fn enable_stats(&mut self, groups: usize, buffer: usize, units: usize) {
        let (n, r0, rows, nb) = (self.n, self.r0, self.rows, self.trajectories);
        let (u0, u1) = (r0.min(units), (r0 + rows).min(units));
        self.stats = Some(Stats {
            x: Moments::new(n, r0, rows, nb, groups, buffer),
            phi: Moments::new(n, r0, rows, nb, groups, buffer),
            trace_x: Traces::new(u0, u1, nb),
            trace_phi: Traces::new(u0, u1, nb),
            scratch: vec![0.0; nb * n],
        });
    }

    /// Takes a sample of the full states and rates (after the exchange at the end of a step).
    /// Does nothing without statistics.
    pub fn sample(&mut self) {
        let n = self.n;
        if let Some(st) = self.stats.as_mut() {
            st.x.push(&self.x_full);
            st.phi.push(&self.phi_full);
            for (s, v) in st.scratch.iter_mut().zip(&self.x_full) {
                *s = v.to_f64();
            }
            st.trace_x.push(&st.scratch, 0, n);
            for (s, v) in st.scratch.iter_mut().zip(&self.phi_full) {
                *s = v.to_f64();
            }
            st.trace_phi.push(&st.scratch, 0, n);
        }
    }

    /// Samples per trajectory so far (0 without statistics).
    pub fn samples(&self) -> u64 {
        self.stats.as_ref().map_or(0, |s| s.x.count())
    }

    /// Runs `steps` steps with a single block holding all rows, sampling every `stride` steps
    /// when statistics are on (a step counts from the first step after `enable_stats`).
    pub fn run(&mut self, steps: u64, stride: u64, since_enable: &mut u64) {
        assert_eq!(self.rows, self.n, "run needs a block holding all rows");
        self.exchange_local(false);
        for _ in 0..steps {
            for _ in 0..4 {
                self.stage();
                self.exchange_local(false);
            }
            if self.stats.is_some() {
                *since_enable += 1;
                if *since_enable % stride.max(1) == 0 {
                    self.exchange_local(true);
                    self.sample();
                }
            }
        }
    }

    /// Ends the statistics and returns this block's sums for x and φ (with those of each
    /// weighting), with autocovariances at lags 0..=max_lag samples. None without statistics.
    pub fn finish(
        &mut self,
        max_lag: usize,
        weightings: &[Weighting],
    ) -> Option<(VariableSums, VariableSums)> {
        let st = self.stats.as_mut()?;
        let (ax, px) = st.trace_x.autocovariance_sum(max_lag);
        let (aphi, pphi) = st.trace_phi.autocovariance_sum(max_lag);
        let out = (
            VariableSums {
                moments: st.x.finish(weightings),
                autocov: ax,
                pairs: px,
            },
            VariableSums {
                moments: st.phi.finish(weightings),
                autocov: aphi,
                pairs: pphi,
            },
        );
        self.stats = None;
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamics::phi::PhiKind;
    use crate::large::couplings::{coupling_panels, Couplings};

    const N: usize = 30;

    fn dynamics(first: u64) -> Dynamics {
        Dynamics {
            phi: Phi {
                kind: PhiKind::Tanh,
                gain: 1.0,
            },
            bias: 0.1,
            dt: 0.1,
            noise: 0.2,
            x0_std: 1.0,
            seed: 5,
            first_trajectory: first,
        }
    }

    fn block<T: Real>(r0: usize, r1: usize, nb: usize, first: u64) -> Block<T> {
        let c = Couplings::Iid {
            g: 2.0,
            zero_diagonal: false,
        };
        Block::new(
            coupling_panels(c, N, r0, r1, 3),
            N,
            r0,
            r1 - r0,
            nb,
            dynamics(first),
        )
    }

    #[test]
    fn batched_trajectories_equal_one_at_a_time_bit_for_bit() {
        let mut all = block::<f32>(0, N, 3, 0);
        let mut since = 0;
        all.run(25, 1, &mut since);
        for b in 0..3 {
            let mut one = block::<f32>(0, N, 1, b as u64);
            one.run(25, 1, &mut since);
            assert_eq!(one.state(), &all.state()[b * N..(b + 1) * N]);
        }
    }

    #[test]
    fn split_rows_equal_one_block_bit_for_bit() {
        let mut whole = block::<f64>(0, N, 2, 0);
        whole.enable_stats(2, 4, 10);
        let mut since = 0;
        whole.run(20, 2, &mut since);
        let mut parts = [block::<f64>(0, 12, 2, 0), block::<f64>(12, N, 2, 0)];
        for p in parts.iter_mut() {
            p.enable_stats(2, 4, 10);
        }
        let exchange = |parts: &mut [Block<f64>; 2], with_x: bool| {
            let mut phi = vec![0.0; 2 * N];
            let mut x = vec![0.0; 2 * N];
            for p in parts.iter() {
                let (_, r0, rows, _) = p.shape();
                for b in 0..2 {
                    phi[b * N + r0..b * N + r0 + rows]
                        .copy_from_slice(&p.phi_out()[b * rows..(b + 1) * rows]);
                    x[b * N + r0..b * N + r0 + rows]
                        .copy_from_slice(&p.state()[b * rows..(b + 1) * rows]);
                }
            }
            for p in parts.iter_mut() {
                p.phi_full_mut().copy_from_slice(&phi);
                if with_x {
                    p.x_full_mut().copy_from_slice(&x);
                }
            }
        };
        exchange(&mut parts, false);
        for step in 1..=20 {
            for _ in 0..4 {
                parts.iter_mut().for_each(Block::stage);
                exchange(&mut parts, step % 2 == 0);
            }
            if step % 2 == 0 {
                parts.iter_mut().for_each(Block::sample);
            }
        }
        let mut joined = parts[0].state()[..12].to_vec();
        joined.extend_from_slice(&parts[1].state()[..N - 12]);
        assert_eq!(&joined[..], &whole.state()[..N]);
        let (wx, _) = whole.finish(3, &[]).unwrap();
        let (a, _) = parts[0].finish(3, &[]).unwrap();
        let (b, _) = parts[1].finish(3, &[]).unwrap();
        for g in 0..2 {
            assert!(
                (a.moments.traces[g] + b.moments.traces[g] - wx.moments.traces[g]).abs() < 1e-12
            );
        }
        for (k, w) in wx.moments.gram.iter().enumerate() {
            assert!((a.moments.gram[k] + b.moments.gram[k] - w).abs() < 1e-12 * w.abs());
        }
        for (l, w) in wx.autocov.iter().enumerate() {
            assert!((a.autocov[l] + b.autocov[l] - w).abs() < 1e-12 * w.abs().max(1.0));
        }
    }

    #[test]
    fn an_f32_step_is_the_f64_step_rounded_within_a_few_ulp() {
        // Same J rounded to f32 in both, same f32-representable initial state, no noise.
        let c = Couplings::Iid {
            g: 2.0,
            zero_diagonal: false,
        };
        let d = Dynamics {
            noise: 0.0,
            ..dynamics(0)
        };
        let j32: Vec<f32> = coupling_panels(c, N, 0, N, 3);
        let j64: Vec<f64> = j32.iter().map(|&v| v as f64).collect();
        let mut a = Block::new(j32, N, 0, N, 2, d);
        let mut b = Block::new(j64, N, 0, N, 2, d);
        let (mut s1, mut s2) = (0, 0);
        a.run(1, 1, &mut s1);
        b.run(1, 1, &mut s2);
        for (x32, x64) in a.state().iter().zip(b.state()) {
            // |x| ≲ 3 and each stage sums N = 30 products of size ≲ 0.4: the f32 error stays
            // below 2⁻²⁴·(3 + dt·N·0.4·4) ≈ 1e-6 in absolute terms.
            assert!((*x32 as f64 - x64).abs() < 2e-6, "{x32} vs {x64}");
        }
    }
}
