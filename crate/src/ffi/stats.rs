//! Exports for activity statistics on recorded trajectories.

use super::error::{fail, Status};
use super::{output, required, status, view};
use crate::stats::autocorr::population_autocorrelation;
use crate::stats::covariance::CovAccumulator;
use crate::stats::participation::participation_ratio;

/// Participation ratio (tr C)²/tr(C²) of the n×n covariance at `cov`.
///
/// # Safety
/// `cov` must point to n² f64.
#[no_mangle]
pub unsafe extern "C" fn rnl_participation_ratio(n: usize, cov: *const f64) -> f64 {
    view(cov, n * n).map_or(f64::NAN, |c| participation_ratio(c, n))
}

/// Population-averaged autocorrelation c[0..=max_lag] of a steps×n trajectory.
///
/// # Safety
/// `traj` holds steps·n f64, `out` room for max_lag + 1.
#[no_mangle]
pub unsafe extern "C" fn rnl_autocorrelation(
    steps: usize,
    n: usize,
    traj: *const f64,
    max_lag: usize,
    subtract_mean: i32,
    out: *mut f64,
) -> i32 {
    status(|| {
        let traj = required(view(traj, steps * n), "trajectory")?;
        if max_lag >= steps {
            return Err(fail(
                Status::InvalidArgument,
                "maxLag: must be below the number of samples",
            ));
        }
        let c = population_autocorrelation(traj, steps, n, max_lag, subtract_mean != 0);
        let out = output(out, max_lag + 1)?;
        out.copy_from_slice(&c);
        Ok(())
    })
}

/// Mean (n) and covariance (n×n, normalised by the number of samples) of a steps×n trajectory.
///
/// # Safety
/// `traj` holds steps·n f64, `out_mean` room for n, `out_cov` for n².
#[no_mangle]
pub unsafe extern "C" fn rnl_covariance(
    steps: usize,
    n: usize,
    traj: *const f64,
    out_mean: *mut f64,
    out_cov: *mut f64,
) -> i32 {
    status(|| {
        let traj = required(view(traj, steps * n), "trajectory")?;
        let mut acc = CovAccumulator::new(n);
        for row in traj.chunks_exact(n.max(1)) {
            acc.push(row);
        }
        output(out_mean, n)?.copy_from_slice(&acc.mean());
        output(out_cov, n * n)?.copy_from_slice(&acc.covariance());
        Ok(())
    })
}
