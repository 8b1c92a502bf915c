//! Fixed-step integration of dx/dt = −x + J φ(x) + b + I(t) + σ ξ(t), ξ white noise with
//! ⟨ξ_i(t) ξ_j(t')⟩ = δ_ij δ(t − t').
//!
//! - Euler(–Maruyama): x ← x + dt (−x + J φ(x) + b + I) + σ √dt ζ, ζ ~ N(0, I).
//! - RK4 for the deterministic part (I held constant over the step), then the same additive
//!   noise increment σ √dt ζ (a split step: order 4 without noise, strong order ½ with it).
//!
//! A run records x and/or φ(x) of the first `units` neurons every `stride` steps, and can feed
//! streaming covariance accumulators of x and φ(x) without storing the trajectory, optionally
//! split into consecutive time blocks for the estimators of [`crate::stats::block_pr`].

use super::phi::Phi;
use crate::kernels::gemv;
use crate::rng::{self, Rng};
use crate::stats::blocks::BlockCovariance;

/// Largest |x_i| of a state that counts as not diverged: beyond it second-order statistics
/// (x², sums of x²) would overflow.
pub const DIVERGED: f64 = 1e100;

/// The integration scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Euler,
    Rk4,
}

/// Integration settings: nonlinearity, scheme, step, noise amplitude σ and the noise seed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    pub phi: Phi,
    pub method: Method,
    pub dt: f64,
    pub noise: f64,
    pub seed: u64,
}

/// A network and its state.
pub struct Simulation {
    n: usize,
    j: Vec<f64>,
    phi: Phi,
    method: Method,
    dt: f64,
    noise: f64,
    bias: Vec<f64>,
    rng: Rng,
    x: Vec<f64>,
    steps: u64,
    cov_x: Option<BlockCovariance>,
    cov_phi: Option<BlockCovariance>,
    stats_stride: usize,
    scratch: Scratch,
}

/// Work vectors of one step: φ(x), a stage velocity k, a stage state and the RK4 sum.
struct Scratch {
    phi: Vec<f64>,
    k: Vec<f64>,
    stage: Vec<f64>,
    sum: Vec<f64>,
}

/// The right-hand side −x + J φ(x) + b + I of one step.
struct Field<'a> {
    j: &'a [f64],
    n: usize,
    phi: Phi,
    bias: &'a [f64],
    drive: Option<&'a [f64]>,
}

impl Field<'_> {
    fn velocity(&self, x: &[f64], phi_buf: &mut [f64], out: &mut [f64]) {
        self.phi.apply(x, phi_buf);
        gemv(self.j, self.n, self.n, phi_buf, out);
        for i in 0..self.n {
            out[i] += self.bias[i] - x[i] + self.drive.map_or(0.0, |d| d[i]);
        }
    }
}

/// What one run writes out: `units` ≤ N neurons every `stride` steps, time-major.
pub struct Recording<'a> {
    pub stride: usize,
    pub units: usize,
    pub x: Option<&'a mut [f64]>,
    pub phi: Option<&'a mut [f64]>,
}

impl Simulation {
    /// A network with couplings `j` (N×N, row-major), constant input `bias` and state `x0`.
    pub fn new(
        j: Vec<f64>,
        n: usize,
        settings: Settings,
        bias: Vec<f64>,
        x0: Vec<f64>,
    ) -> Simulation {
        Simulation {
            n,
            j,
            phi: settings.phi,
            method: settings.method,
            dt: settings.dt,
            noise: settings.noise,
            bias,
            rng: rng::seeded(settings.seed),
            x: x0,
            steps: 0,
            cov_x: None,
            cov_phi: None,
            stats_stride: 1,
            scratch: Scratch {
                phi: vec![0.0; n],
                k: vec![0.0; n],
                stage: vec![0.0; n],
                sum: vec![0.0; n],
            },
        }
    }

    pub fn dt(&self) -> f64 {
        self.dt
    }

    pub fn n(&self) -> usize {
        self.n
    }

    pub fn state(&self) -> &[f64] {
        &self.x
    }

    pub fn set_state(&mut self, x: &[f64]) {
        self.x.copy_from_slice(x);
    }

    /// Steps taken since creation.
    pub fn steps_taken(&self) -> u64 {
        self.steps
    }

    /// Starts (or restarts) streaming covariances of x and/or φ(x), sampled every `stride` steps.
    pub fn enable_stats(&mut self, x: bool, phi: bool, stride: usize) {
        self.enable_block_stats(x, phi, stride, 1, u64::MAX);
    }

    /// As [`enable_stats`](Self::enable_stats), with the samples split into `blocks` consecutive
    /// time blocks of `per_block` samples each; samples after the last block is full are not
    /// accumulated.
    pub fn enable_block_stats(
        &mut self,
        x: bool,
        phi: bool,
        stride: usize,
        blocks: usize,
        per_block: u64,
    ) {
        let make = |on: bool| {
            if on {
                Some(BlockCovariance::new(self.n, blocks, per_block))
            } else {
                None
            }
        };
        self.cov_x = make(x);
        self.cov_phi = make(phi);
        self.stats_stride = stride.max(1);
    }

    pub fn stats_x(&self) -> Option<&BlockCovariance> {
        self.cov_x.as_ref()
    }

    pub fn stats_phi(&self) -> Option<&BlockCovariance> {
        self.cov_phi.as_ref()
    }

    /// One step of the chosen scheme with constant `drive` over the step.
    pub fn step(&mut self, drive: Option<&[f64]>) {
        let dt = self.dt;
        let f = Field {
            j: &self.j,
            n: self.n,
            phi: self.phi,
            bias: &self.bias,
            drive,
        };
        let s = &mut self.scratch;
        match self.method {
            Method::Euler => {
                f.velocity(&self.x, &mut s.phi, &mut s.k);
                for (x, k) in self.x.iter_mut().zip(&s.k) {
                    *x += dt * k;
                }
            }
            Method::Rk4 => {
                f.velocity(&self.x, &mut s.phi, &mut s.k);
                s.sum.copy_from_slice(&s.k);
                for (c_stage, c_sum) in [(0.5, 2.0), (0.5, 2.0), (1.0, 1.0)] {
                    for ((y, x), k) in s.stage.iter_mut().zip(&self.x).zip(&s.k) {
                        *y = x + c_stage * dt * k;
                    }
                    f.velocity(&s.stage, &mut s.phi, &mut s.k);
                    for (acc, k) in s.sum.iter_mut().zip(&s.k) {
                        *acc += c_sum * k;
                    }
                }
                for (x, acc) in self.x.iter_mut().zip(&s.sum) {
                    *x += dt / 6.0 * acc;
                }
            }
        }
        if self.noise > 0.0 {
            let amp = self.noise * dt.sqrt();
            for v in self.x.iter_mut() {
                *v += amp * rng::normal(&mut self.rng);
            }
        }
        self.steps += 1;
    }

    /// Runs `steps` steps. `drive`, if given, is steps×N (row t is I during step t). After step t
    /// (1-based), the state is recorded when t is a multiple of `rec.stride`, and fed to the
    /// streaming statistics when t is a multiple of the statistics stride. Stops with
    /// `Err(t)` after the first step t whose state has an entry beyond [`DIVERGED`] in magnitude
    /// (or not finite); that state is neither recorded nor sampled.
    pub fn run(
        &mut self,
        steps: usize,
        drive: Option<&[f64]>,
        mut rec: Recording,
    ) -> Result<(), u64> {
        let n = self.n;
        let units = rec.units;
        let mut row = 0;
        for t in 1..=steps {
            let d = drive.map(|d| &d[(t - 1) * n..t * n]);
            self.step(d);
            if !self.x.iter().all(|v| v.abs() <= DIVERGED) {
                return Err(self.steps);
            }
            let sample_stats = t % self.stats_stride == 0;
            let sample_rec = rec.stride > 0 && t % rec.stride == 0;
            let need_phi =
                (sample_stats && self.cov_phi.is_some()) || (sample_rec && rec.phi.is_some());
            if need_phi {
                self.phi.apply(&self.x, &mut self.scratch.phi);
            }
            if sample_stats {
                if let Some(c) = self.cov_x.as_mut() {
                    c.push(&self.x);
                }
                if let Some(c) = self.cov_phi.as_mut() {
                    c.push(&self.scratch.phi);
                }
            }
            if sample_rec {
                if let Some(out) = rec.x.as_deref_mut() {
                    out[row * units..(row + 1) * units].copy_from_slice(&self.x[..units]);
                }
                if let Some(out) = rec.phi.as_deref_mut() {
                    out[row * units..(row + 1) * units].copy_from_slice(&self.scratch.phi[..units]);
                }
                row += 1;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamics::phi::PhiKind;

    fn settings(method: Method, dt: f64) -> Settings {
        let phi = Phi {
            kind: PhiKind::Linear,
            gain: 1.0,
        };
        Settings {
            phi,
            method,
            dt,
            noise: 0.0,
            seed: 0,
        }
    }

    fn decay_error(method: Method, dt: f64) -> f64 {
        // dx/dt = −x + a x with a = −0.5 on one unit: x(t) = e^{−1.5 t}.
        let mut sim = Simulation::new(vec![-0.5], 1, settings(method, dt), vec![0.0], vec![1.0]);
        let steps = (2.0 / dt).round() as usize;
        sim.run(
            steps,
            None,
            Recording {
                stride: 0,
                units: 0,
                x: None,
                phi: None,
            },
        )
        .expect("finite");
        (sim.state()[0] - (-3.0f64).exp()).abs()
    }

    #[test]
    fn euler_is_first_and_rk4_fourth_order() {
        let e = decay_error(Method::Euler, 0.01) / decay_error(Method::Euler, 0.005);
        assert!((e.log2() - 1.0).abs() < 0.05, "Euler order {}", e.log2());
        let r = decay_error(Method::Rk4, 0.04) / decay_error(Method::Rk4, 0.02);
        assert!((r.log2() - 4.0).abs() < 0.1, "RK4 order {}", r.log2());
    }

    #[test]
    fn rotation_with_drive_follows_closed_form() {
        // J = [[0, −w], [w, 0]] with linear φ and a constant drive c: x* = (I − J)^{-1} c.
        let w = 2.0;
        let mut sim = Simulation::new(
            vec![0.0, -w, w, 0.0],
            2,
            settings(Method::Rk4, 0.01),
            vec![0.0, 0.0],
            vec![0.0, 0.0],
        );
        let drive: Vec<f64> = (0..4000).flat_map(|_| [1.0, 0.0]).collect();
        sim.run(
            2000,
            Some(&drive),
            Recording {
                stride: 0,
                units: 0,
                x: None,
                phi: None,
            },
        )
        .expect("finite");
        let det = 1.0 + w * w;
        assert!((sim.state()[0] - 1.0 / det).abs() < 1e-8);
        assert!((sim.state()[1] - w / det).abs() < 1e-8);
    }

    #[test]
    fn recording_strides_and_units() {
        let mut sim = Simulation::new(
            vec![0.0; 9],
            3,
            settings(Method::Euler, 0.1),
            vec![1.0; 3],
            vec![0.0; 3],
        );
        let mut xs = vec![0.0; 2 * 5];
        sim.run(
            10,
            None,
            Recording {
                stride: 2,
                units: 2,
                x: Some(&mut xs),
                phi: None,
            },
        )
        .expect("finite");
        // x(t) = 1 − 0.9^t for the Euler map.
        for (r, row) in xs.chunks(2).enumerate() {
            let t = 2 * (r + 1);
            assert!((row[0] - (1.0 - 0.9f64.powi(t as i32))).abs() < 1e-14);
        }
    }

    #[test]
    fn block_statistics_equal_offline_blocks_of_the_recording() {
        use crate::dynamics::phi::PhiKind;
        use crate::stats::block_pr::block_estimates;
        let n = 12;
        let mut rng = crate::rng::seeded(3);
        let j: Vec<f64> = (0..n * n)
            .map(|_| 2.0 * rng::normal(&mut rng) / (n as f64).sqrt())
            .collect();
        let phi = Phi {
            kind: PhiKind::Tanh,
            gain: 1.0,
        };
        let settings = Settings {
            phi,
            method: Method::Rk4,
            dt: 0.1,
            noise: 0.1,
            seed: 4,
        };
        let x0: Vec<f64> = (0..n).map(|_| rng::normal(&mut rng)).collect();
        let mut sim = Simulation::new(j, n, settings, vec![0.0; n], x0);
        let (stride, blocks, per) = (5, 4, 30);
        sim.enable_block_stats(true, true, stride, blocks, per as u64);
        let steps = stride * (blocks * per + 7);
        let rows = steps / stride;
        let (mut xs, mut ps) = (vec![0.0; rows * n], vec![0.0; rows * n]);
        sim.run(
            steps,
            None,
            Recording {
                stride,
                units: n,
                x: Some(&mut xs),
                phi: Some(&mut ps),
            },
        )
        .expect("finite");
        for (acc, rec) in [
            (sim.stats_x().unwrap(), &xs),
            (sim.stats_phi().unwrap(), &ps),
        ] {
            assert_eq!(acc.block_counts(), &[per as u64; 4]);
            let mut offline = BlockCovariance::new(n, blocks, per as u64);
            for row in rec.chunks(n) {
                offline.push(row);
            }
            let (a, b) = (
                block_estimates(&acc.moments()),
                block_estimates(&offline.moments()),
            );
            assert_eq!(a, b);
            assert!(a.cross.pr > 1.0 && a.cross.pr < n as f64);
        }
    }

    #[test]
    fn divergence_stops_the_run() {
        // dx/dt = −x + 3x grows like e^{2t} and leaves the finite range near t = 115.
        let mut sim = Simulation::new(
            vec![3.0],
            1,
            settings(Method::Euler, 0.1),
            vec![0.0],
            vec![1.0],
        );
        let none = || Recording {
            stride: 0,
            units: 0,
            x: None,
            phi: None,
        };
        let step = sim.run(10_000, None, none()).unwrap_err();
        assert!((1000..1300).contains(&step), "{step}");
        assert_eq!(sim.steps_taken(), step);
    }
}
