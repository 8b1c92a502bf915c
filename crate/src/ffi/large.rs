//! Exports for the large-N engine ([`crate::large`]): a block of rows of one network with B
//! trajectories in f32 or f64, behind a handle.
//!
//! A single block holding all rows advances with `rnl_large_run`. Several blocks (one per worker,
//! each in its own instance) advance stage by stage with `rnl_large_stage`; between stages the
//! caller copies each block's `phi_out` (and, before a sample, its state) into every block's
//! full buffers, whose addresses `rnl_large_buffer` gives, then calls `rnl_large_sample`.

use std::cell::RefCell;

use super::error::{fail, Status};
use super::handles::Slab;
use super::{output, required, seed_from, status, view};
use crate::dynamics::phi::{Phi, PhiKind};
use crate::large::block::{Block, Dynamics, VariableSums};
use crate::large::couplings::{coupling_panels, Couplings};
use crate::large::moments::{Weighting, MAX_WEIGHTINGS};
use crate::large::real::Real;
use crate::stats::block_pr::{cross_pr, jackknife_se, naive_pr};

enum Engine {
    F32(Block<f32>),
    F64(Block<f64>),
}

struct Entry {
    engine: Engine,
    stride: u64,
    since_enable: u64,
}

thread_local! {
    static ENGINES: RefCell<Slab<Entry>> = RefCell::new(Slab::new());
}

macro_rules! each {
    ($engine:expr, $b:ident => $body:expr) => {
        match $engine {
            Engine::F32($b) => $body,
            Engine::F64($b) => $body,
        }
    };
}

fn with<R>(handle: u32, f: impl FnOnce(&mut Entry) -> Result<R, i32>) -> Result<R, i32> {
    ENGINES.with(|s| f(s.borrow_mut().get_mut(handle)?))
}

fn invalid(message: &str) -> i32 {
    fail(Status::InvalidArgument, message)
}

/// Creates rows r0..r1 (r0 a multiple of 4) of an N-unit network with `trajectories`
/// trajectories. `precision`: 0 f64, 1 f32. Couplings (`kind`): 0 iid N(0, g²/N) (`zero_diagonal`
/// ≠ 0 zeroes J_ii); 1 random-mode with spectrum `d` (P values), optional per-mode overlaps `rho`
/// (P), row gains `gains` (N) and output gains `output_gains` (N); 2 explicit rows `rows`
/// ((r1−r0)×N). `coupling_seed` draws J,
/// `seed` the initial states and the noise of trajectories `first_trajectory`, … Returns a
/// handle, or 0 on failure.
///
/// # Safety
/// Non-null pointers hold the lengths above.
#[no_mangle]
pub unsafe extern "C" fn rnl_large_new(
    precision: u32,
    n: usize,
    r0: usize,
    r1: usize,
    trajectories: usize,
    kind: u32,
    g: f64,
    zero_diagonal: i32,
    d: *const f64,
    p: usize,
    rho: *const f64,
    gains: *const f64,
    output_gains: *const f64,
    rows: *const f64,
    coupling_seed: f64,
    phi_kind: u32,
    phi_gain: f64,
    bias: f64,
    dt: f64,
    noise: f64,
    x0_std: f64,
    seed: f64,
    first_trajectory: f64,
) -> u32 {
    let build = || -> Result<u32, i32> {
        if n == 0 || r0 % 4 != 0 || r0 >= r1 || r1 > n || trajectories == 0 {
            return Err(invalid(
                "rows: need 0 ≤ r0 < r1 ≤ N with r0 a multiple of 4 and B ≥ 1",
            ));
        }
        let couplings = match kind {
            0 => Couplings::Iid {
                g,
                zero_diagonal: zero_diagonal != 0,
            },
            1 => Couplings::RandomMode {
                d: required(view(d, p), "spectrum")?,
                rho: view(rho, p),
                gains: view(gains, n),
                output_gains: view(output_gains, n),
            },
            2 => Couplings::Rows(required(view(rows, (r1 - r0) * n), "J")?),
            _ => return Err(invalid("connectivity: unknown kind")),
        };
        let kind =
            PhiKind::from_code(phi_kind).ok_or_else(|| invalid("phi: unknown nonlinearity"))?;
        let first = seed_from(first_trajectory)?;
        let dynamics = Dynamics {
            phi: Phi {
                kind,
                gain: phi_gain,
            },
            bias,
            dt,
            noise,
            x0_std,
            seed: seed_from(seed)?,
            first_trajectory: first,
        };
        let cseed = seed_from(coupling_seed)?;
        let engine = match precision {
            0 => Engine::F64(Block::new(
                coupling_panels(couplings, n, r0, r1, cseed),
                n,
                r0,
                r1 - r0,
                trajectories,
                dynamics,
            )),
            1 => Engine::F32(Block::new(
                coupling_panels(couplings, n, r0, r1, cseed),
                n,
                r0,
                r1 - r0,
                trajectories,
                dynamics,
            )),
            _ => return Err(invalid("precision: unknown precision")),
        };
        let entry = Entry {
            engine,
            stride: 1,
            since_enable: 0,
        };
        Ok(ENGINES.with(|s| s.borrow_mut().insert(entry)))
    };
    build().unwrap_or(0)
}

/// Frees a block.
#[no_mangle]
pub extern "C" fn rnl_large_free(handle: u32) -> i32 {
    status(|| ENGINES.with(|s| s.borrow_mut().remove(handle)))
}

/// Number of live blocks.
#[no_mangle]
pub extern "C" fn rnl_large_live() -> usize {
    ENGINES.with(|s| s.borrow().live())
}

/// Address of a buffer of the block: 0 φ of the stage input, all units (B×N); 1 φ of the next
/// stage input, own rows (B×rows); 2 the state, own rows (B×rows); 3 the state, all units (B×N).
/// Elements are f32 or f64 as the precision. 0 for a bad handle or `which`.
#[no_mangle]
pub extern "C" fn rnl_large_buffer(handle: u32, which: u32) -> usize {
    with(handle, |e| {
        Ok(each!(&mut e.engine, b => match which {
            0 => b.phi_full_mut().as_ptr() as usize,
            1 => b.phi_out().as_ptr() as usize,
            2 => b.state().as_ptr() as usize,
            3 => b.x_full_mut().as_ptr() as usize,
            _ => 0,
        }))
    })
    .unwrap_or(0)
}

/// One RK4 stage of a block (stages 0–3 make a step; see the module doc).
#[no_mangle]
pub extern "C" fn rnl_large_stage(handle: u32) -> i32 {
    status(|| {
        with(handle, |e| {
            each!(&mut e.engine, b => b.stage());
            Ok(())
        })
    })
}

/// Takes a sample from the full buffers (after the exchange that ends a step).
#[no_mangle]
pub extern "C" fn rnl_large_sample(handle: u32) -> i32 {
    status(|| {
        with(handle, |e| {
            each!(&mut e.engine, b => b.sample());
            Ok(())
        })
    })
}

/// Starts statistics: `groups` groups of trajectories (1 ≤ K ≤ B), a sample buffer of `buffer`
/// samples, traces of units 0..`units`, one sample every `stride` steps (for `rnl_large_run`).
#[no_mangle]
pub extern "C" fn rnl_large_enable_stats(
    handle: u32,
    groups: usize,
    buffer: usize,
    units: usize,
    stride: usize,
) -> i32 {
    status(|| {
        with(handle, |e| {
            let nb = each!(&e.engine, b => b.shape().3);
            if groups == 0 || groups > nb || buffer == 0 || stride == 0 {
                return Err(invalid(
                    "blocks: need 1 ≤ K ≤ B groups, a buffer ≥ 1 and a stride ≥ 1",
                ));
            }
            each!(&mut e.engine, b => b.enable_stats(groups, buffer, units));
            e.stride = stride as u64;
            e.since_enable = 0;
            Ok(())
        })
    })
}

/// Runs `steps` steps of a block that holds all rows, sampling as set by `rnl_large_enable_stats`.
#[no_mangle]
pub extern "C" fn rnl_large_run(handle: u32, steps: usize) -> i32 {
    status(|| {
        with(handle, |e| {
            let (stride, since) = (e.stride, &mut e.since_enable);
            each!(&mut e.engine, b => {
                let (n, _, rows, _) = b.shape();
                if rows != n {
                    return Err(invalid("workers: run needs a block holding all rows"));
                }
                b.run(steps as u64, stride, since);
            });
            Ok(())
        })
    })
}

/// The block's rows of J as f64 ((r1−r0)×N, row-major).
///
/// # Safety
/// `out` holds (r1−r0)·N f64.
#[no_mangle]
pub unsafe extern "C" fn rnl_large_couplings(handle: u32, out: *mut f64) -> i32 {
    status(|| {
        with(handle, |e| {
            each!(&e.engine, b => {
                let (n, _, rows, _) = b.shape();
                let out = output(out, rows * n)?;
                let mut row = vec![Real::zero(); n];
                for r in 0..rows {
                    b.coupling_row(r, &mut row);
                    for (o, v) in out[r * n..(r + 1) * n].iter_mut().zip(&row) {
                        *o = v.to_f64();
                    }
                }
            });
            Ok(())
        })
    })
}

/// The block's states as f64 (B×rows).
///
/// # Safety
/// `out` holds B·rows f64.
#[no_mangle]
pub unsafe extern "C" fn rnl_large_state(handle: u32, out: *mut f64) -> i32 {
    status(|| {
        with(handle, |e| {
            each!(&e.engine, b => {
                let s = b.state();
                let out = output(out, s.len())?;
                for (o, v) in out.iter_mut().zip(s) {
                    *o = v.to_f64();
                }
            });
            Ok(())
        })
    })
}

/// Length of the `rnl_large_finish` output for K groups, B trajectories, lags 0..=L and S
/// weightings.
#[no_mangle]
pub extern "C" fn rnl_large_finish_len(
    groups: usize,
    trajectories: usize,
    max_lag: usize,
    weightings: usize,
) -> usize {
    1 + 2 * variable_len(groups, trajectories, max_lag, weightings)
}

fn variable_len(groups: usize, trajectories: usize, max_lag: usize, weightings: usize) -> usize {
    (1 + weightings) * (groups + groups * groups) + 2 + trajectories + max_lag + 2
}

/// Ends the statistics and writes this block's sums: [samples per trajectory], then for x and
/// for φ in turn: traces (K), Gram (K×K), Σ v_r, Σ v_r², per-trajectory Σ_r var (B),
/// autocovariance sums at lags 0..=L (L+1), the number of (unit, trajectory) pairs in them, and
/// for each of the S weightings its traces (K) and Gram (K×K). Weighting s has the weights
/// `weights[s·N..(s+1)·N]` and z-scores the units first when `zscore[s]` ≠ 0 (S ≤ 8).
///
/// # Safety
/// `out` holds `rnl_large_finish_len(K, B, L, S)` f64; `weights` S·N and `zscore` S f64.
#[no_mangle]
pub unsafe extern "C" fn rnl_large_finish(
    handle: u32,
    groups: usize,
    max_lag: usize,
    count: usize,
    weights: *const f64,
    zscore: *const f64,
    out: *mut f64,
) -> i32 {
    status(|| {
        with(handle, |e| {
            let (n, _, _, nb) = each!(&e.engine, b => b.shape());
            let samples = each!(&e.engine, b => b.samples());
            if samples as usize <= max_lag.max(1) {
                return Err(invalid(&format!("duration: {samples} samples per trajectory, need more than max lag {max_lag} and at least 2")));
            }
            if count > MAX_WEIGHTINGS {
                return Err(invalid("weighted: at most 8 weightings"));
            }
            let weightings: Vec<Weighting> = if count == 0 {
                Vec::new()
            } else {
                let w = required(view(weights, count * n), "weighted")?;
                let z = required(view(zscore, count), "weighted")?;
                w.chunks_exact(n)
                    .zip(z)
                    .map(|(w, &z)| Weighting {
                        weights: w.to_vec(),
                        zscore: z != 0.0,
                    })
                    .collect()
            };
            let out = output(out, rnl_large_finish_len(groups, nb, max_lag, count))?;
            let sums = each!(&mut e.engine, b => b.finish(max_lag, &weightings))
                .ok_or_else(|| invalid("statistics: not enabled"))?;
            if sums.0.moments.traces.len() != groups {
                return Err(invalid(
                    "blocks: does not match the number of groups enabled",
                ));
            }
            out[0] = samples as f64;
            let mut at = 1;
            for v in [&sums.0, &sums.1] {
                at = write_variable(v, &mut out[at..]) + at;
            }
            Ok(())
        })
    })
}

fn write_variable(v: &VariableSums, out: &mut [f64]) -> usize {
    let m = &v.moments;
    let mut parts: Vec<f64> = Vec::new();
    parts.extend(&m.traces);
    parts.extend(&m.gram);
    parts.push(m.var_sum);
    parts.push(m.var_sq_sum);
    parts.extend(&m.trajectory_var);
    parts.extend(&v.autocov);
    parts.push(v.pairs as f64);
    for (t, g) in &m.weighted {
        parts.extend(t);
        parts.extend(g);
    }
    out[..parts.len()].copy_from_slice(&parts);
    parts.len()
}

/// Participation-ratio estimates from K block traces and their K×K Gram matrix G_ab = tr(C_a C_b)
/// ([`crate::stats::block_pr`]): writes [naive, naive se, cross-block, cross-block se].
///
/// # Safety
/// `traces` holds K, `gram` K² and `out` 4 f64.
#[no_mangle]
pub unsafe extern "C" fn rnl_pr_from_gram(
    k: usize,
    traces: *const f64,
    gram: *const f64,
    out: *mut f64,
) -> i32 {
    status(|| {
        let t = required(view(traces, k), "traces")?;
        let g = required(view(gram, k * k), "gram")?;
        let out = output(out, 4)?;
        let all: Vec<usize> = (0..k).collect();
        out[0] = naive_pr(t, g, &all);
        out[1] = jackknife_se(k, 1, |s| naive_pr(t, g, s));
        out[2] = cross_pr(t, g, &all);
        out[3] = jackknife_se(k, 2, |s| cross_pr(t, g, s));
        Ok(())
    })
}
