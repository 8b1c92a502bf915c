//! Export for the dimension of activity with input/output-mode overlaps (PRX 2025, Eq. 51).

use super::error::{fail, Status};
use super::{output, required, status, view};
use crate::theory::overlap_dimension::{overlap_dimension, OverlapDimensionInput};

/// Number of values written by [`rnl_overlap_dimension`].
pub const OVERLAP_DIMENSION_OUT: usize = 6;

/// PR^φ/N of Eq. (51) from the (D, ρ) pairs, α, the lag function C^φ (n_lag samples at step
/// dt) and the response S^φ on ω_k = k·dω (n_freq values each part). Writes 6 values:
/// C^φ(0), Ψ^φ(0,0), PR^φ/N, U(0,0), grid nodes, error estimate.
///
/// # Safety
/// `d`, `rho` hold p f64; `cphi` n_lag; `s_re`, `s_im` n_freq; `out` has room for 6.
#[no_mangle]
pub unsafe extern "C" fn rnl_overlap_dimension(
    p: usize,
    d: *const f64,
    rho: *const f64,
    alpha: f64,
    dt: f64,
    n_lag: usize,
    cphi: *const f64,
    domega: f64,
    n_freq: usize,
    s_re: *const f64,
    s_im: *const f64,
    out: *mut f64,
) -> i32 {
    status(|| {
        let input = OverlapDimensionInput {
            alpha,
            d: required(view(d, p), "spectrum")?,
            rho: required(view(rho, p), "overlaps")?,
            dt,
            cphi: required(view(cphi, n_lag), "cphi")?,
            domega,
            s_re: required(view(s_re, n_freq), "response.re")?,
            s_im: required(view(s_im, n_freq), "response.im")?,
        };
        let r = overlap_dimension(&input).map_err(|m| fail(Status::InvalidArgument, &m))?;
        output(out, OVERLAP_DIMENSION_OUT)?.copy_from_slice(&[
            r.cphi0,
            r.psi,
            r.pr,
            r.u0,
            r.nodes as f64,
            r.error_estimate,
        ]);
        Ok(())
    })
}
