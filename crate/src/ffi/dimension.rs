//! Exports for the two-site-cavity dimension theory and the linear-network covariance oracle.

use super::error::{fail, Status};
use super::{output, required, status, view};
use crate::linalg::lyapunov::{lyapunov_covariance, lyapunov_residual};
use crate::theory::dimension::{dimension, frequency_dimension, psi_um, DimensionInput};
use crate::theory::population_correlation::{population_correlation, Activity};

fn invalid(message: String) -> i32 {
    fail(Status::InvalidArgument, &message)
}

/// Number of values written by [`rnl_dimension`].
pub const DIMENSION_OUT: usize = 13;

/// ψ(0,0) and κ from lag functions C^x, C^φ (n samples at step dt) and ν. Writes to `out`
/// (13 values): C^x(0), C^φ(0), ψ^x, ψ^φ (iid), κ^x, κ^φ, then diagnostics: nodes,
/// evaluations, step, scale, ω_max, error estimate, halvings.
///
/// # Safety
/// `cx`, `cphi` hold n f64; `out` has room for 13.
#[no_mangle]
pub unsafe extern "C" fn rnl_dimension(
    dt: f64,
    n: usize,
    cx: *const f64,
    cphi: *const f64,
    nu: f64,
    out: *mut f64,
) -> i32 {
    status(|| {
        let cx = required(view(cx, n), "cx")?;
        let cphi = required(view(cphi, n), "cphi")?;
        let d = dimension(&DimensionInput { dt, cx, cphi, nu }).map_err(invalid)?;
        let g = d.diagnostics;
        output(out, DIMENSION_OUT)?.copy_from_slice(&[
            d.cx0,
            d.cphi0,
            d.psi_x,
            d.psi_phi,
            d.kappa_x,
            d.kappa_phi,
            g.nodes as f64,
            g.evaluations as f64,
            g.step,
            g.scale,
            g.omega_max,
            g.error_estimate,
            g.halvings as f64,
        ]);
        Ok(())
    })
}

/// ψ^x(0,0), ψ^φ(0,0) (iid) by the U/M form on the grid of u-step `step`; writes 2 values.
///
/// # Safety
/// `cx`, `cphi` hold n f64; `out` has room for 2.
#[no_mangle]
pub unsafe extern "C" fn rnl_dimension_um(
    dt: f64,
    n: usize,
    cx: *const f64,
    cphi: *const f64,
    g: f64,
    mean_gain: f64,
    step: f64,
    out: *mut f64,
) -> i32 {
    status(|| {
        let cx = required(view(cx, n), "cx")?;
        let cphi = required(view(cphi, n), "cphi")?;
        if !(step.is_finite() && step > 0.0) {
            return Err(invalid(format!("step: must be positive, got {step}")));
        }
        let (px, pp) = psi_um(dt, cx, cphi, g, mean_gain, step).map_err(invalid)?;
        output(out, 2)?.copy_from_slice(&[px, pp]);
        Ok(())
    })
}

/// Frequency-resolved dimension PR^x(ω)/N, PR^φ(ω)/N at `count` frequencies.
///
/// # Safety
/// `omega` holds count f64; `out_x`, `out_phi` have room for count.
#[no_mangle]
pub unsafe extern "C" fn rnl_frequency_dimension(
    nu: f64,
    gamma: f64,
    count: usize,
    omega: *const f64,
    out_x: *mut f64,
    out_phi: *mut f64,
) -> i32 {
    status(|| {
        let omega = required(view(omega, count), "omega")?;
        let ox = output(out_x, count)?;
        let op = output(out_phi, count)?;
        for (k, &w) in omega.iter().enumerate() {
            let (x, p) = frequency_dimension(nu, gamma, w);
            ox[k] = x;
            op[k] = p;
        }
        Ok(())
    })
}

/// ψ(τ,τ)/ψ(0,0) and ψ(τ,0)/ψ(0,0) at τ_j = j·dt (j < count) of currents (`rates` = 0) or
/// rates (1). `out_info` receives ψ(0,0), fitted rate, pole rate 2(1−√ν), δω, ω_max, grid error.
///
/// # Safety
/// `c` holds n f64; `out_diag`, `out_edge` room for count; `out_info` for 6.
#[no_mangle]
pub unsafe extern "C" fn rnl_population_correlation(
    dt: f64,
    n: usize,
    c: *const f64,
    nu: f64,
    gamma: f64,
    rates: i32,
    count: usize,
    fit_start: f64,
    fit_end: f64,
    out_diag: *mut f64,
    out_edge: *mut f64,
    out_info: *mut f64,
) -> i32 {
    status(|| {
        let c = required(view(c, n), "c")?;
        let activity = if rates != 0 {
            Activity::Rates
        } else {
            Activity::Currents
        };
        let p = population_correlation(dt, c, nu, gamma, activity, count, (fit_start, fit_end))
            .map_err(invalid)?;
        output(out_diag, count)?.copy_from_slice(&p.diagonal);
        output(out_edge, count)?.copy_from_slice(&p.edge);
        output(out_info, 6)?.copy_from_slice(&[
            p.psi0,
            p.rate,
            p.pole_rate,
            p.d_omega,
            p.omega_max,
            p.grid_error,
        ]);
        Ok(())
    })
}

/// Stationary covariance of dx = (J − I)x dt + σ dW (n×n J). `out_info` receives the doubling
/// steps, the Cayley parameter p and the relative residual.
///
/// # Safety
/// `j` holds n² f64; `out_c` room for n²; `out_info` for 3.
#[no_mangle]
pub unsafe extern "C" fn rnl_linear_covariance(
    n: usize,
    j: *const f64,
    noise: f64,
    out_c: *mut f64,
    out_info: *mut f64,
) -> i32 {
    status(|| {
        let j = required(view(j, n * n), "J")?;
        let mut a = j.to_vec();
        for i in 0..n {
            a[i * n + i] -= 1.0;
        }
        let sol = lyapunov_covariance(&a, n, noise).map_err(|m| {
            // The solver names A; the caller passed J.
            invalid(m.replacen("A:", "J:", 1).replace("(A is", "(J − I is"))
        })?;
        let residual = lyapunov_residual(&a, &sol.c, n, noise);
        output(out_c, n * n)?.copy_from_slice(&sol.c);
        output(out_info, 3)?.copy_from_slice(&[sol.doublings as f64, sol.p, residual]);
        Ok(())
    })
}
