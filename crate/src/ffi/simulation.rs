//! Exports for simulations: a network and its state live in WASM behind a handle.

use std::cell::RefCell;

use super::error::{fail, Status};
use super::handles::Slab;
use super::{output, required, seed_from, status, view};
use crate::dynamics::phi::{Phi, PhiKind};
use crate::dynamics::simulation::{Method, Recording, Settings, Simulation, DIVERGED};
use crate::rng;
use crate::stats::block_pr::{block_estimates, BlockEstimates};
use crate::stats::blocks::BlockCovariance;

thread_local! {
    static SIMS: RefCell<Slab<Simulation>> = RefCell::new(Slab::new());
}

fn with_sim<R>(handle: u32, f: impl FnOnce(&mut Simulation) -> Result<R, i32>) -> Result<R, i32> {
    SIMS.with(|s| f(s.borrow_mut().get_mut(handle)?))
}

/// Creates a simulation of dx/dt = −x + J φ(x) + b + I(t) + σξ. `phi_kind`: 0 tanh, 1 erf,
/// 2 relu, 3 linear; `method`: 0 Euler, 1 RK4. `bias` (N) and `x0` (N) are optional; without
/// `x0` the state starts at N(0, x0_std²) drawn from the seed's stream, which then drives the
/// noise. Returns a handle, or 0 on failure.
///
/// # Safety
/// `j` holds N² f64; non-null `bias`, `x0` hold N.
#[no_mangle]
pub unsafe extern "C" fn rnl_sim_new(
    n: usize,
    j: *const f64,
    phi_kind: u32,
    phi_gain: f64,
    method: u32,
    dt: f64,
    noise: f64,
    bias: *const f64,
    x0: *const f64,
    x0_std: f64,
    seed: f64,
) -> u32 {
    let build = || -> Result<u32, i32> {
        let j = required(view(j, n * n), "J")?.to_vec();
        let kind = PhiKind::from_code(phi_kind)
            .ok_or_else(|| fail(Status::InvalidArgument, "phi: unknown nonlinearity"))?;
        let method = match method {
            0 => Method::Euler,
            1 => Method::Rk4,
            _ => return Err(fail(Status::InvalidArgument, "method: unknown integrator")),
        };
        let seed = seed_from(seed)?;
        let bias = view(bias, n).map_or_else(|| vec![0.0; n], <[f64]>::to_vec);
        let x0 = match view(x0, n) {
            Some(x) => x.to_vec(),
            None => {
                let mut r = rng::seeded(seed);
                let mut x = vec![0.0; n];
                rng::fill_normal(&mut r, x0_std, &mut x);
                x
            }
        };
        let phi = Phi {
            kind,
            gain: phi_gain,
        };
        // The noise stream is decorrelated from the initial-condition stream by a fixed offset.
        let noise_seed = seed ^ 0x9E37_79B9_7F4A_7C15;
        let settings = Settings {
            phi,
            method,
            dt,
            noise,
            seed: noise_seed,
        };
        let sim = Simulation::new(j, n, settings, bias, x0);
        Ok(SIMS.with(|s| s.borrow_mut().insert(sim)))
    };
    build().unwrap_or(0)
}

/// Frees a simulation.
#[no_mangle]
pub extern "C" fn rnl_sim_free(handle: u32) -> i32 {
    status(|| SIMS.with(|s| s.borrow_mut().remove(handle)))
}

/// Number of live simulations.
#[no_mangle]
pub extern "C" fn rnl_sim_live() -> usize {
    SIMS.with(|s| s.borrow().live())
}

/// Runs `steps` steps; `drive` (steps×N) optional. Every `stride` steps (0 = never) the first
/// `units` neurons' x and/or φ(x) go to `out_x`/`out_phi` (each ⌊steps/stride⌋ × units, optional).
///
/// # Safety
/// Non-null pointers must hold the stated sizes.
#[no_mangle]
pub unsafe extern "C" fn rnl_sim_run(
    handle: u32,
    steps: usize,
    drive: *const f64,
    stride: usize,
    units: usize,
    out_x: *mut f64,
    out_phi: *mut f64,
) -> i32 {
    status(|| {
        with_sim(handle, |sim| {
            let n = sim.n();
            if units > n {
                return Err(fail(
                    Status::InvalidArgument,
                    "units: more than the network has",
                ));
            }
            let rows = if stride == 0 { 0 } else { steps / stride };
            let drive = view(drive, steps * n);
            let rec = Recording {
                stride,
                units,
                x: super::view_mut(out_x, rows * units),
                phi: super::view_mut(out_phi, rows * units),
            };
            let dt = sim.dt();
            sim.run(steps, drive, rec).map_err(|step| {
                let message = format!(
                    "the state diverged at step {step} (t = {}): an entry exceeds {DIVERGED:e} in \
                     magnitude or is not finite (unstable network, or dt too large for the integrator)",
                    step as f64 * dt
                );
                fail(Status::Diverged, &message)
            })
        })
    })
}

/// Copies the current state x (N) to `out`.
///
/// # Safety
/// `out` must hold N f64.
#[no_mangle]
pub unsafe extern "C" fn rnl_sim_get_state(handle: u32, out: *mut f64) -> i32 {
    status(|| {
        with_sim(handle, |sim| {
            output(out, sim.n())?.copy_from_slice(sim.state());
            Ok(())
        })
    })
}

/// Sets the current state x from `x` (N).
///
/// # Safety
/// `x` must hold N f64.
#[no_mangle]
pub unsafe extern "C" fn rnl_sim_set_state(handle: u32, x: *const f64) -> i32 {
    status(|| {
        with_sim(handle, |sim| {
            let x = required(view(x, sim.n()), "state")?;
            sim.set_state(x);
            Ok(())
        })
    })
}

/// Steps taken by the simulation so far (as f64).
#[no_mangle]
pub extern "C" fn rnl_sim_steps(handle: u32) -> f64 {
    with_sim(handle, |sim| Ok(sim.steps_taken() as f64)).unwrap_or(-1.0)
}

/// (Re)starts streaming covariances of x and/or φ(x), sampled every `stride` steps.
#[no_mangle]
pub extern "C" fn rnl_sim_enable_stats(handle: u32, x: i32, phi: i32, stride: usize) -> i32 {
    status(|| {
        with_sim(handle, |sim| {
            sim.enable_stats(x != 0, phi != 0, stride);
            Ok(())
        })
    })
}

/// (Re)starts streaming block statistics of x and/or φ(x), sampled every `stride` steps into
/// `blocks` consecutive blocks of `per_block` samples (later samples are not accumulated).
#[no_mangle]
pub extern "C" fn rnl_sim_enable_block_stats(
    handle: u32,
    x: i32,
    phi: i32,
    stride: usize,
    blocks: usize,
    per_block: usize,
) -> i32 {
    status(|| {
        if blocks == 0 || per_block == 0 {
            return Err(fail(
                Status::InvalidArgument,
                "blocks: blocks and samples per block must be positive",
            ));
        }
        with_sim(handle, |sim| {
            sim.enable_block_stats(x != 0, phi != 0, stride, blocks, per_block as u64);
            Ok(())
        })
    })
}

/// Block estimates of `which` (0 = x, 1 = φ) in the layout of [`BlockEstimates::to_array`].
///
/// # Safety
/// `out` must hold `BlockEstimates::LEN` f64.
#[no_mangle]
pub unsafe extern "C" fn rnl_sim_block_estimates(handle: u32, which: u32, out: *mut f64) -> i32 {
    status(|| {
        with_sim(handle, |sim| {
            let acc = accumulator(sim, which)
                .ok_or_else(|| fail(Status::InvalidArgument, "statistics: not enabled"))?;
            let est = block_estimates(&acc.moments());
            output(out, BlockEstimates::LEN)?.copy_from_slice(&est.to_array());
            Ok(())
        })
    })
}

/// Number of samples in the streaming statistics of `which` (0 = x, 1 = φ), −1 if not enabled.
#[no_mangle]
pub extern "C" fn rnl_sim_stats_count(handle: u32, which: u32) -> f64 {
    with_sim(handle, |sim| {
        Ok(accumulator(sim, which).map_or(-1.0, |c| c.count() as f64))
    })
    .unwrap_or(-1.0)
}

fn accumulator(sim: &Simulation, which: u32) -> Option<&BlockCovariance> {
    if which == 0 {
        sim.stats_x()
    } else {
        sim.stats_phi()
    }
}

/// Mean (N) and covariance (N×N, 1/T-normalised) of the streamed samples of `which`.
///
/// # Safety
/// `out_mean` must hold N f64, `out_cov` N² (or be null).
#[no_mangle]
pub unsafe extern "C" fn rnl_sim_stats(
    handle: u32,
    which: u32,
    out_mean: *mut f64,
    out_cov: *mut f64,
) -> i32 {
    status(|| {
        with_sim(handle, |sim| {
            let n = sim.n();
            let acc = accumulator(sim, which)
                .ok_or_else(|| fail(Status::InvalidArgument, "statistics: not enabled"))?;
            if acc.count() == 0 {
                return Err(fail(Status::InvalidArgument, "statistics: no samples yet"));
            }
            output(out_mean, n)?.copy_from_slice(&acc.mean());
            if !out_cov.is_null() {
                output(out_cov, n * n)?.copy_from_slice(&acc.covariance());
            }
            Ok(())
        })
    })
}
