//! Export of the δ-map mean field and dimension, [`crate::theory::map_dmft`].

use super::dmft::nonlinearity;
use super::error::{fail, Status};
use super::{output, status};
use crate::theory::map_dmft::{map_dimension, solve_map, MapSpec};

/// Number of scalars [`rnl_map_solve`] writes.
pub const MAP_SCALARS: usize = 7;

/// Solves the δ-map mean field (odd φ, no bias) at gain `g`, step `delta` ∈ (0, 1] and noise
/// `noise`, and its dimension at inverse effective rank `gamma`. Writes [`MAP_SCALARS`] values to
/// `out`: Δ0, ⟨φ'⟩, ν, PR^x/N, PR^φ/N, number of lags L, ⟨φ'²⟩; and the first min(L, `cap`) values of
/// Δ(τ) and C_φ(τ) to `out_lags`, `out_cphi`. Status 4 (no solution) for a quiescent map or
/// ν ≥ 1.
///
/// # Safety
/// `out` has room for [`MAP_SCALARS`] f64, `out_lags` and `out_cphi` for `cap`.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn rnl_map_solve(
    kind: u32,
    gain: f64,
    g: f64,
    delta: f64,
    noise: f64,
    gamma: f64,
    cap: usize,
    out: *mut f64,
    out_lags: *mut f64,
    out_cphi: *mut f64,
) -> i32 {
    status(|| {
        let nl = nonlinearity(kind, gain, 0.0)?;
        if !(delta > 0.0 && delta <= 1.0) {
            return Err(fail(Status::InvalidArgument, "delta: must be in (0, 1]"));
        }
        let spec = MapSpec {
            nl,
            g,
            delta,
            noise,
        };
        let s = solve_map(&spec).map_err(|e| {
            let status = if e.starts_with("phi") {
                Status::InvalidArgument
            } else {
                Status::NoSolution
            };
            fail(status, &e)
        })?;
        let (px, pp) = map_dimension(&s, delta, gamma);
        let n = s.lags.len();
        output(out, MAP_SCALARS)?.copy_from_slice(&[
            s.delta0,
            s.mean_slope,
            s.nu,
            px,
            pp,
            n as f64,
            s.mean_slope2,
        ]);
        let k = n.min(cap);
        output(out_lags, k)?.copy_from_slice(&s.lags[..k]);
        output(out_cphi, k)?.copy_from_slice(&s.cphi[..k]);
        Ok(())
    })
}
