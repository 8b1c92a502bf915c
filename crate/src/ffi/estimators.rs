//! Exports for the estimators of mean-field quantities from recorded trajectories: block
//! participation ratios (naive, cross-block, z-scored) and the derangement ψ estimator.

use super::error::{fail, Status};
use super::{output, required, seed_from, status, view};
use crate::stats::block_pr::{block_estimates, BlockEstimates};
use crate::stats::blocks::BlockCovariance;
use crate::stats::psi::{derangement, fit_decay_rate, psi_estimate};

/// Block estimates (layout of [`BlockEstimates::to_array`]) of the rows of `traj` (n columns),
/// split into `blocks` blocks of `rows[b]` consecutive rows each.
///
/// # Safety
/// `rows` holds `blocks` f64 (integers), `traj` Σ rows · n f64, `out` `BlockEstimates::LEN`.
#[no_mangle]
pub unsafe extern "C" fn rnl_block_estimates(
    n: usize,
    traj: *const f64,
    blocks: usize,
    rows: *const f64,
    out: *mut f64,
) -> i32 {
    status(|| {
        let rows = required(view(rows, blocks), "blocks")?;
        if blocks == 0 || rows.iter().any(|r| !(r.fract() == 0.0 && *r >= 0.0)) {
            return Err(fail(
                Status::InvalidArgument,
                "blocks: need at least one block of a whole number of rows",
            ));
        }
        let counts: Vec<usize> = rows.iter().map(|&r| r as usize).collect();
        let total: usize = counts.iter().sum();
        let traj = required(view(traj, total * n), "trajectory")?;
        let mut acc = BlockCovariance::new(n, blocks, u64::MAX);
        let mut start = 0;
        for (b, &c) in counts.iter().enumerate() {
            for row in traj[start * n..(start + c) * n].chunks_exact(n.max(1)) {
                acc.push_to(b, row);
            }
            start += c;
        }
        let est = block_estimates(&acc.moments());
        output(out, BlockEstimates::LEN)?.copy_from_slice(&est.to_array());
        Ok(())
    })
}

/// ψ(τ,τ) and ψ(τ,0) for lags 0..=max_lag samples of a steps×n trajectory, on the pairs of a
/// random derangement drawn from `seed`: cross-block (`blocks` ≥ 2, else NaN) and naive
/// estimates, scaled by the network size `scale`.
///
/// # Safety
/// `traj` holds steps·n f64; each output holds max_lag + 1.
#[no_mangle]
pub unsafe extern "C" fn rnl_psi(
    steps: usize,
    n: usize,
    traj: *const f64,
    seed: f64,
    blocks: usize,
    max_lag: usize,
    scale: f64,
    out_tau_tau: *mut f64,
    out_tau_0: *mut f64,
    out_naive_tau_tau: *mut f64,
    out_naive_tau_0: *mut f64,
) -> i32 {
    status(|| {
        let traj = required(view(traj, steps * n), "trajectory")?;
        let seed = seed_from(seed)?;
        if n < 2 {
            return Err(fail(
                Status::InvalidArgument,
                "trajectory: needs at least two units",
            ));
        }
        if blocks == 0 || max_lag >= steps / blocks {
            return Err(fail(
                Status::InvalidArgument,
                "maxLag: must be below the number of samples per block",
            ));
        }
        let perm = derangement(n, seed);
        let est = psi_estimate(traj, steps, n, &perm, blocks, max_lag, scale);
        let k = max_lag + 1;
        output(out_tau_tau, k)?.copy_from_slice(&est.tau_tau);
        output(out_tau_0, k)?.copy_from_slice(&est.tau_0);
        output(out_naive_tau_tau, k)?.copy_from_slice(&est.naive_tau_tau);
        output(out_naive_tau_0, k)?.copy_from_slice(&est.naive_tau_0);
        Ok(())
    })
}

/// Decay rate r of values ∝ e^{−r·lag} fitted on lags in [from, to] (NaN if under two points).
///
/// # Safety
/// `lags` and `values` hold `len` f64.
#[no_mangle]
pub unsafe extern "C" fn rnl_decay_rate(
    len: usize,
    lags: *const f64,
    values: *const f64,
    from: f64,
    to: f64,
) -> f64 {
    match (view(lags, len), view(values, len)) {
        (Some(l), Some(v)) => fit_decay_rate(l, v, from, to),
        _ => f64::NAN,
    }
}
