//! Exports for connectivity: iid couplings, spectra, the random-mode model.

use super::error::{fail, Status};
use super::{output, required, seed_from, status, view, view_mut};
use crate::connectivity::iid::iid_gaussian;
use crate::connectivity::random_mode::{lognormal_gains, random_mode, Modes, Overlaps};
use crate::connectivity::spectrum::{effective_rank, normalise, shape_values, Shape};
use crate::rng;

/// Writes an iid N(0, g²/N) matrix (N×N) to `out`.
///
/// # Safety
/// `out` must point to N² writable f64.
#[no_mangle]
pub unsafe extern "C" fn rnl_iid(
    n: usize,
    g: f64,
    zero_diagonal: i32,
    seed: f64,
    out: *mut f64,
) -> i32 {
    status(|| {
        let mut r = rng::seeded(seed_from(seed)?);
        let j = iid_gaussian(n, g, zero_diagonal != 0, &mut r);
        let out = output(out, n * n)?;
        out.copy_from_slice(&j);
        Ok(())
    })
}

/// Writes a spectrum of `p` modes normalised to gain g for N units. `kind`: 0 flat,
/// 1 exponential (a = β), 2 power law (a = β), 3 low rank + bulk (a = rank, b = ratio).
///
/// # Safety
/// `out` must point to `p` writable f64.
#[no_mangle]
pub unsafe extern "C" fn rnl_spectrum(
    kind: u32,
    p: usize,
    a: f64,
    b: f64,
    n: usize,
    g: f64,
    out: *mut f64,
) -> i32 {
    status(|| {
        let shape = match kind {
            0 => Shape::Flat,
            1 => Shape::Exponential { beta: a },
            2 => Shape::PowerLaw { beta: a },
            3 => Shape::LowRankPlusBulk {
                rank: a as usize,
                ratio: b,
            },
            _ => {
                return Err(fail(
                    Status::InvalidArgument,
                    "kind: unknown spectrum shape",
                ))
            }
        };
        let mut d = shape_values(shape, p);
        normalise(&mut d, n, g);
        let out = output(out, p)?;
        out.copy_from_slice(&d);
        Ok(())
    })
}

/// Effective rank (Σ D²)²/Σ D⁴ of `p` values at `d`.
///
/// # Safety
/// `d` must point to `p` f64.
#[no_mangle]
pub unsafe extern "C" fn rnl_effective_rank(d: *const f64, p: usize) -> f64 {
    view(d, p).map_or(f64::NAN, effective_rank)
}

/// Samples the random-mode model J = diag(h) L diag(D) Rᵀ (see
/// [`crate::connectivity::random_mode`]). `modes`: 0 Gaussian, 1 orthogonal. `overlap_kind`:
/// 0 none, 1 per-mode ρ (`rho` holds P values), 2 overlap matrix (`rho` holds P×P). `gains` (N)
/// is optional; `out_left`/`out_right` (N×P) receive the modes when non-null.
///
/// # Safety
/// Non-null pointers must point to buffers of the stated sizes.
#[no_mangle]
pub unsafe extern "C" fn rnl_random_mode(
    n: usize,
    p: usize,
    d: *const f64,
    modes: u32,
    overlap_kind: u32,
    rho: *const f64,
    gains: *const f64,
    seed: f64,
    out_j: *mut f64,
    out_left: *mut f64,
    out_right: *mut f64,
) -> i32 {
    status(|| {
        let d = required(view(d, p), "spectrum")?;
        let modes = match modes {
            0 => Modes::Gaussian,
            1 => Modes::Orthogonal,
            _ => return Err(fail(Status::InvalidArgument, "modes: unknown mode kind")),
        };
        let mut r = rng::seeded(seed_from(seed)?);
        let overlaps = match overlap_kind {
            0 => None,
            1 => Some(Overlaps::PerMode(required(view(rho, p), "overlaps")?)),
            2 => Some(Overlaps::Matrix(required(view(rho, p * p), "overlaps")?)),
            _ => return Err(fail(Status::InvalidArgument, "overlaps: unknown kind")),
        };
        let net = random_mode(n, d, modes, overlaps, view(gains, n), &mut r);
        let out = output(out_j, n * n)?;
        out.copy_from_slice(&net.j);
        if let Some(o) = view_mut(out_left, n * p) {
            o.copy_from_slice(&net.left);
        }
        if let Some(o) = view_mut(out_right, n * p) {
            o.copy_from_slice(&net.right);
        }
        Ok(())
    })
}

/// Writes N lognormal gains exp(σz − σ²) (E h² = 1).
///
/// # Safety
/// `out` must point to `n` writable f64.
#[no_mangle]
pub unsafe extern "C" fn rnl_lognormal_gains(
    n: usize,
    sigma: f64,
    seed: f64,
    out: *mut f64,
) -> i32 {
    status(|| {
        let mut r = rng::seeded(seed_from(seed)?);
        let h = lognormal_gains(n, sigma, &mut r);
        let out = output(out, n)?;
        out.copy_from_slice(&h);
        Ok(())
    })
}
