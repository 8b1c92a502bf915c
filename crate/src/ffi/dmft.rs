//! Exports for the stationary mean-field theory: a solve stores its lag functions, whose
//! length is only known afterwards, until the caller copies them out with `rnl_dmft_lags`
//! (which releases them; the next solve replaces any that were not taken).

use std::cell::RefCell;

use super::error::{fail, Status};
use super::{output, status, view};
use crate::dynamics::phi::{Phi, PhiKind};
use crate::theory::critical::critical_gain;
use crate::theory::dmft::{solve, DmftSpec, Regime, Stationary};
use crate::theory::lyapunov_exponent::largest_exponent;
use crate::theory::nonlinearity::Nonlinearity;
use crate::theory::quadrature::gauss_hermite;

thread_local! {
    static LAST: RefCell<Option<Stationary>> = RefCell::new(None);
}

/// Number of scalars `rnl_dmft_solve` writes.
pub const DMFT_SCALARS: usize = 18;

pub(crate) fn nonlinearity(kind: u32, gain: f64, bias: f64) -> Result<Nonlinearity, i32> {
    let kind = PhiKind::from_code(kind)
        .ok_or_else(|| fail(Status::InvalidArgument, "phi: unknown kind"))?;
    Ok(Nonlinearity {
        phi: Phi { kind, gain },
        bias,
    })
}

/// Solves the stationary DMFT (see `theory::dmft`). `tau_max` ≤ 0 picks the lag range
/// automatically. Writes [`DMFT_SCALARS`] values to `out`: lags, regime, Δ0, Δ∞, ⟨φ'⟩, ν, λ, A, B,
/// switch lag, shooting rate, Hermite terms, Hermite tail, λ_max, E0, E1 (NaN when
/// `lyapunov` = 0), E[φ], E[φ²]. `gains` (optional) holds `n_gains` pairs (weight, h²) of a
/// row-gain distribution (weights summing to one); otherwise `lognormal_sigma` ≥ 0 selects
/// lognormal gains h = exp(σz − σ²) integrated by a 24-point Gauss–Hermite rule (< 0: none).
///
/// # Safety
/// `out` must have room for [`DMFT_SCALARS`] f64; `gains` is null or holds 2·n_gains f64.
#[no_mangle]
pub unsafe extern "C" fn rnl_dmft_solve(
    kind: u32,
    gain: f64,
    bias: f64,
    g: f64,
    noise: f64,
    dt: f64,
    tau_max: f64,
    lyapunov: i32,
    gains: *const f64,
    n_gains: usize,
    lognormal_sigma: f64,
    out: *mut f64,
) -> i32 {
    status(|| {
        let nl = nonlinearity(kind, gain, bias)?;
        let mut gains: Option<Vec<(f64, f64)>> =
            view(gains, 2 * n_gains).map(|g| g.chunks_exact(2).map(|p| (p[0], p[1])).collect());
        if gains.is_none() && lognormal_sigma >= 0.0 {
            let (z, w) = gauss_hermite(24);
            let s = lognormal_sigma;
            gains = Some(
                z.iter()
                    .zip(&w)
                    .map(|(&z, &w)| (w, (2.0 * s * z - 2.0 * s * s).exp()))
                    .collect(),
            );
        }
        let spec = DmftSpec {
            nl,
            g,
            noise,
            dt,
            tau_max: if tau_max > 0.0 { Some(tau_max) } else { None },
            gains,
        };
        let s = solve(&spec).map_err(|e| match e.parameter {
            Some(p) => fail(Status::InvalidArgument, &format!("{p}: {}", e.message)),
            None => fail(Status::NoSolution, &e.message),
        })?;
        let constant = matches!(s.regime, Regime::Quiescent | Regime::FixedPoint);
        let (lmax, e0, e1) = if constant {
            // A fixed point: the spectrum of −I + J diag(φ') fills a disk of radius g √E[φ'²].
            (-1.0 + g * s.kernel.mean_slope2.sqrt(), f64::NAN, f64::NAN)
        } else if lyapunov != 0 {
            let r = largest_exponent(&s);
            (r.exponent, r.ground, r.first_excited)
        } else {
            (f64::NAN, f64::NAN, f64::NAN)
        };
        let vals = [
            s.delta.len() as f64,
            s.regime.code() as f64,
            s.delta0,
            s.delta_inf,
            s.mean_slope,
            s.nu,
            s.tail_rate,
            s.tail_a,
            s.tail_b,
            s.switch_lag,
            s.shooting_rate,
            s.kernel.terms() as f64,
            s.kernel.tail,
            lmax,
            e0,
            e1,
            s.kernel.mean_phi,
            s.kernel.mean_phi2,
        ];
        output(out, DMFT_SCALARS)?.copy_from_slice(&vals);
        LAST.with(|l| *l.borrow_mut() = Some(s));
        Ok(())
    })
}

/// Copies Δ(τ_j), C_φ(τ_j), C_d(τ_j) of the last solve (each of the length it reported) and
/// releases them.
///
/// # Safety
/// Each output must have room for the reported number of lags.
#[no_mangle]
pub unsafe extern "C" fn rnl_dmft_lags(
    out_delta: *mut f64,
    out_cphi: *mut f64,
    out_cslope: *mut f64,
) -> i32 {
    status(|| {
        let s = LAST.with(|l| l.borrow_mut().take()).ok_or_else(|| {
            fail(
                Status::InvalidArgument,
                "no solution to copy: call rnl_dmft_solve first",
            )
        })?;
        let n = s.delta.len();
        output(out_delta, n)?.copy_from_slice(&s.delta);
        output(out_cphi, n)?.copy_from_slice(&s.cphi);
        output(out_cslope, n)?.copy_from_slice(&s.cslope);
        Ok(())
    })
}

/// Critical gain g_c of the static state (NaN if none; see `critical_gain`).
#[no_mangle]
pub extern "C" fn rnl_critical_gain(kind: u32, gain: f64, bias: f64) -> f64 {
    match nonlinearity(kind, gain, bias) {
        Ok(nl) => critical_gain(&nl).unwrap_or(f64::NAN),
        Err(_) => f64::NAN,
    }
}
