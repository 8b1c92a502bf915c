//! Export of the sampling DMFT for random-mode networks with mode overlaps
//! ([`crate::theory::overlap_dmft`]).

use super::error::{fail, Status};
use super::{output, required, seed_from, status, view};
use crate::dynamics::phi::{Phi, PhiKind};
use crate::theory::overlap_dmft::{check, solve, Settings};

/// Solves the single-site equation (8) by sampling. Inputs: `p` modes with strengths `d` and
/// overlaps `rho`; α, φ (kind code, gain), white-noise amplitude, dt, grid length `steps`,
/// `samples`, `iterations`, `mixing`, `memory`, `batches`, `average` (pooled final
/// iterations), seed. Outputs (h = steps/2 + 1):
/// `out_delta`, `out_cphi`, `out_delta_err`, `out_cphi_err` (h lags each), `out_response` and
/// `out_kernel` (2h: real parts then imaginary parts), `out_history` (2·iterations: Δ0 then the
/// relative change per iteration) and `out_memory` (1: kernel length used).
///
/// # Safety
/// `d` and `rho` point to `p` f64; the outputs have the sizes above.
#[no_mangle]
pub unsafe extern "C" fn rnl_overlap_dmft(
    p: usize,
    d: *const f64,
    rho: *const f64,
    alpha: f64,
    phi_kind: u32,
    phi_gain: f64,
    noise: f64,
    dt: f64,
    steps: usize,
    samples: usize,
    iterations: usize,
    mixing: f64,
    memory: f64,
    batches: usize,
    average: usize,
    seed: f64,
    out_delta: *mut f64,
    out_cphi: *mut f64,
    out_delta_err: *mut f64,
    out_cphi_err: *mut f64,
    out_response: *mut f64,
    out_kernel: *mut f64,
    out_history: *mut f64,
    out_memory: *mut f64,
) -> i32 {
    status(|| {
        let d = required(view(d, p), "spectrum")?;
        let rho = required(view(rho, p), "overlaps")?;
        let kind = PhiKind::from_code(phi_kind)
            .ok_or_else(|| fail(Status::InvalidArgument, "phi: unknown nonlinearity"))?;
        if !phi_gain.is_finite() {
            return Err(fail(Status::InvalidArgument, "phi.gain: must be finite"));
        }
        let settings = Settings {
            alpha,
            phi: Phi {
                kind,
                gain: phi_gain,
            },
            noise,
            dt,
            steps,
            samples,
            iterations,
            mixing,
            memory,
            batches,
            average,
            seed: seed_from(seed)?,
        };
        check(d, rho, &settings).map_err(|m| fail(Status::InvalidArgument, &m))?;
        let h = steps / 2 + 1;
        let sol = solve(d, rho, &settings);
        output(out_delta, h)?.copy_from_slice(&sol.delta);
        output(out_cphi, h)?.copy_from_slice(&sol.cphi);
        output(out_delta_err, h)?.copy_from_slice(&sol.delta_err);
        output(out_cphi_err, h)?.copy_from_slice(&sol.cphi_err);
        let response = output(out_response, 2 * h)?;
        response[..h].copy_from_slice(&sol.response_re);
        response[h..].copy_from_slice(&sol.response_im);
        let kernel = output(out_kernel, 2 * h)?;
        kernel[..h].copy_from_slice(&sol.kernel_re);
        kernel[h..].copy_from_slice(&sol.kernel_im);
        let history = output(out_history, 2 * iterations)?;
        history[..iterations].copy_from_slice(&sol.history_delta0);
        history[iterations..].copy_from_slice(&sol.history_change);
        output(out_memory, 1)?[0] = sol.memory_used;
        Ok(())
    })
}
