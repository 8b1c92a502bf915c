//! Export of the quenched (given-J) covariance predictor, [`crate::theory::quenched`] and its
//! eigenvector-free fallback [`crate::theory::quenched_lyapunov`].

use super::error::{fail, Status};
use super::{output, required, status, view};
use crate::linalg::eig::eigenvalues;
use crate::linalg::eigvec::eigen_decomposition;
use crate::theory::quenched::{
    quenched_covariances, quenched_spectral_pr, LinearEquivalent, Prepared,
};
use crate::theory::quenched_lyapunov::{lyapunov_covariances, lyapunov_spectral_pr};

/// Above this 1-norm condition number of the eigenvector basis the automatic method switches
/// to the eigenvector-free fallback (the eigen-basis error grows like ε κ²).
const MAX_CONDITION: f64 = 1e6;

/// Equal-time covariances C^x and C^φ (n×n each) of the linear equivalent of the network with the
/// n×n couplings at `j`, DMFT slope `slope`, noise intensity `noise_variance` and residual
/// autocorrelation `residual` (`len` samples at spacing `dt`); the eigenvalues of J to `out_re`,
/// `out_im`; with `n_omega` > 0 also the frequency-resolved PR^x(ω)/n and PR^φ(ω)/n at the
/// `n_omega` frequencies at `omega` to `out_prx`, `out_prphi`.
///
/// `method`: 0 automatic (eigen basis unless its condition number exceeds [`MAX_CONDITION`]),
/// 1 eigen basis, 2 the eigenvector-free fallback. `out_info` receives the method used (1 or 2),
/// the condition number of the eigenvector basis (NaN when not computed) and the largest
/// relative error of the exponential fit of C_r (0 for the eigen basis). Status 4 (no solution)
/// when the linear equivalent is unstable or J is not diagonalisable.
///
/// # Safety
/// `j` holds n² f64 and `residual` len f64; `out_cx`, `out_cphi` have room for n², `out_re`,
/// `out_im` for n, `out_info` for 3; `omega`, `out_prx`, `out_prphi` hold n_omega f64 (may be
/// null when n_omega = 0).
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
    method: u32,
    out_cx: *mut f64,
    out_cphi: *mut f64,
    out_re: *mut f64,
    out_im: *mut f64,
    out_info: *mut f64,
    n_omega: usize,
    omega: *const f64,
    out_prx: *mut f64,
    out_prphi: *mut f64,
) -> i32 {
    status(|| {
        let j = required(view(j, n * n), "J")?;
        let residual = required(view(residual, len), "residual")?;
        let omega = if n_omega > 0 {
            required(view(omega, n_omega), "omega")?
        } else {
            &[]
        };
        if method > 2 {
            return Err(fail(Status::InvalidArgument, "method: must be 0, 1 or 2"));
        }
        let p = LinearEquivalent {
            slope,
            noise_variance,
            residual,
            dt,
        };
        let no_solution = |e: String| fail(Status::NoSolution, &e);
        let mut info = [2.0, f64::NAN, 0.0];
        let (cx, cphi, prx, prphi, re, im);
        let eigen = if method == 2 {
            let (r, i) = eigenvalues(j, n);
            if r.iter().chain(&i).any(|v| v.is_nan()) {
                return Err(fail(
                    Status::InvalidArgument,
                    "J: the QR iteration for the eigenvalues did not converge",
                ));
            }
            let edge = r.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(slope * v));
            if edge >= 1.0 {
                return Err(no_solution(format!(
                    "the linear-equivalent network is unstable: max Re(⟨φ'⟩λ) over the eigenvalues λ of J is {edge} ≥ 1"
                )));
            }
            (re, im) = (r, i);
            None
        } else {
            let eig = eigen_decomposition(j, n).map_err(|e| fail(Status::InvalidArgument, &e))?;
            let pre = Prepared::new(&eig, n, slope).map_err(no_solution)?;
            info[1] = pre.condition;
            (re, im) = (eig.re, eig.im);
            (method == 1 || pre.condition <= MAX_CONDITION).then_some(pre)
        };
        if let Some(pre) = eigen {
            info[0] = 1.0;
            (cx, cphi) = quenched_covariances(&pre, &p);
            (prx, prphi) = quenched_spectral_pr(&pre, &p, omega);
        } else {
            let (x, f, fit) = lyapunov_covariances(j, n, &p).map_err(no_solution)?;
            (cx, cphi, info[2]) = (x, f, fit.max_error);
            (prx, prphi) = lyapunov_spectral_pr(j, n, &p, omega).map_err(no_solution)?;
        }
        output(out_cx, n * n)?.copy_from_slice(&cx);
        output(out_cphi, n * n)?.copy_from_slice(&cphi);
        output(out_re, n)?.copy_from_slice(&re);
        output(out_im, n)?.copy_from_slice(&im);
        output(out_info, 3)?.copy_from_slice(&info);
        if n_omega > 0 {
            output(out_prx, n_omega)?.copy_from_slice(&prx);
            output(out_prphi, n_omega)?.copy_from_slice(&prphi);
        }
        Ok(())
    })
}
