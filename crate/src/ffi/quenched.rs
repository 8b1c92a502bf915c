//! Export of the quenched (given-J) covariance predictor, [`crate::theory::quenched`].

use super::error::{fail, Status};
use super::{output, required, status, view};
use crate::linalg::eigvec::eigen_decomposition;
use crate::theory::quenched::{quenched_covariances, LinearEquivalent};

/// Equal-time covariances C^x and C^φ (n×n each) of the linear equivalent of the network with the
/// n×n couplings at `j`, DMFT slope `slope`, noise intensity `noise_variance` and residual
/// autocorrelation `residual` (`len` samples at spacing `dt`); the eigenvalues of J to `out_re`,
/// `out_im`. Status 4 (no solution) when the linear equivalent is unstable or J is not
/// diagonalisable.
///
/// # Safety
/// `j` holds n² f64 and `residual` len f64; `out_cx`, `out_cphi` have room for n², `out_re`,
/// `out_im` for n.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn rnl_quenched_covariance(
    n: usize,
    j: *const f64,
    slope: f64,
    noise_variance: f64,
    residual: *const f64,
    len: usize,
    dt: f64,
    out_cx: *mut f64,
    out_cphi: *mut f64,
    out_re: *mut f64,
    out_im: *mut f64,
) -> i32 {
    status(|| {
        let j = required(view(j, n * n), "J")?;
        let residual = required(view(residual, len), "residual")?;
        let eig = eigen_decomposition(j, n).map_err(|e| fail(Status::InvalidArgument, &e))?;
        let p = LinearEquivalent {
            slope,
            noise_variance,
            residual,
            dt,
        };
        let (cx, cphi) =
            quenched_covariances(&eig, n, &p).map_err(|e| fail(Status::NoSolution, &e))?;
        output(out_cx, n * n)?.copy_from_slice(&cx);
        output(out_cphi, n * n)?.copy_from_slice(&cphi);
        output(out_re, n)?.copy_from_slice(&eig.re);
        output(out_im, n)?.copy_from_slice(&eig.im);
        Ok(())
    })
}
