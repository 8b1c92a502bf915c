//! Export of the quenched (given-J) covariance predictor, [`crate::theory::quenched`] and its
//! eigenvector-free fallback [`crate::theory::quenched_lyapunov`].

use super::dmft::nonlinearity;
use super::error::{fail, Status};
use super::{output, required, status, view};
use crate::linalg::eig::eigenvalues;
use crate::linalg::eigvec::eigen_decomposition;
use crate::linalg::symeig::sym_eigvals_pair;
use crate::theory::dmft::DmftSpec;
use crate::theory::gain_classes::gain_class_residuals;
use crate::theory::quenched::{
    quenched_covariances, quenched_spectral_pr, GainClass, LinearEquivalent, Prepared,
};
use crate::theory::quenched_gain::self_consistent_gain;
use crate::theory::quenched_lyapunov::{lyapunov_covariances, lyapunov_spectral_pr};
use crate::theory::row_gain_dmft::solve_row_gain_classes;

/// Above this 1-norm condition number of the eigenvector basis the automatic method switches
/// to the eigenvector-free fallback (the eigen-basis error grows like ε κ²).
const MAX_CONDITION: f64 = 1e6;

/// Equal-time covariances C^x and C^φ (n×n each) of the linear equivalent of the network with the
/// n×n couplings at `j` and noise intensity `noise_variance`, for `n_classes` gain classes with
/// DMFT slopes `slopes` and residual autocorrelations `residuals` (`n_classes` rows of `len`
/// samples at spacing `dt`); `class_of` (null with one class) gives each unit's class. The
/// eigenvalues of J (with several classes: of J diag(a_i)) go to `out_re`, `out_im`; with
/// `n_omega` > 0 also the frequency-resolved PR^x(ω)/n and PR^φ(ω)/n at the `n_omega`
/// frequencies at `omega` to `out_prx`, `out_prphi`; the eigenvalues of C^x and of C^φ, ascending,
/// to `out_spectrum_x`, `out_spectrum_phi` (computed side by side, [`sym_eigvals_pair`]).
///
/// `method`: 0 automatic (eigen basis unless its condition number exceeds [`MAX_CONDITION`]),
/// 1 eigen basis, 2 the eigenvector-free fallback (one class only). `out_info` receives the
/// method used (1 or 2), the condition number of the eigenvector basis (NaN when not computed) and
/// the largest relative error of the exponential fit of C_r (0 for the eigen basis). Status 4 (no
/// solution) when the linear equivalent is unstable, J is not diagonalisable, or several classes
/// meet an ill-conditioned basis under method 0.
///
/// # Safety
/// `j` holds n² f64, `slopes` n_classes f64, `residuals` n_classes·len f64 and `class_of` null or
/// n f64 (integers below n_classes); `out_cx`, `out_cphi` have room for n², `out_re`, `out_im` for n,
/// `out_info` for 3, `out_spectrum_x`, `out_spectrum_phi` for n; `omega`, `out_prx`, `out_prphi` hold n_omega f64 (may be null when
/// n_omega = 0).
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn rnl_quenched_covariance(
    n: usize,
    j: *const f64,
    n_classes: usize,
    slopes: *const f64,
    residuals: *const f64,
    len: usize,
    class_of: *const f64,
    noise_variance: f64,
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
    out_spectrum_x: *mut f64,
    out_spectrum_phi: *mut f64,
) -> i32 {
    status(|| {
        let j = required(view(j, n * n), "J")?;
        let slopes = required(view(slopes, n_classes), "slopes")?;
        let residuals = required(view(residuals, n_classes * len), "residuals")?;
        let class_of: Vec<u32> = if n_classes > 1 {
            let c = required(view(class_of, n), "classes")?;
            if c.iter()
                .any(|&v| !(v >= 0.0 && v < n_classes as f64 && v.fract() == 0.0))
            {
                return Err(fail(
                    Status::InvalidArgument,
                    "classes: must be integers in 0..n_classes",
                ));
            }
            c.iter().map(|&v| v as u32).collect()
        } else {
            Vec::new()
        };
        let omega = if n_omega > 0 {
            required(view(omega, n_omega), "omega")?
        } else {
            &[]
        };
        if method > 2 || (method == 2 && n_classes > 1) {
            return Err(fail(
                Status::InvalidArgument,
                "method: must be 0, 1 or 2 (2 with one gain class)",
            ));
        }
        if n_classes == 0 {
            return Err(fail(Status::InvalidArgument, "slopes: no gain class"));
        }
        let p = LinearEquivalent {
            classes: slopes
                .iter()
                .zip(residuals.chunks_exact(len.max(1)))
                .map(|(&slope, residual)| GainClass { slope, residual })
                .collect(),
            class_of: &class_of,
            noise_variance,
            dt,
        };
        let no_solution = |e: String| fail(Status::NoSolution, &e);
        let mut info = [2.0, f64::NAN, 0.0];
        let (cx, cphi, prx, prphi, re, im);
        let eigen = if method == 2 {
            let slope = slopes[0];
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
            // One class: J and the scale a; several: M = J diag(a_i) and the scale 1.
            let (m, scale) = if n_classes == 1 {
                (None, slopes[0])
            } else {
                let a: Vec<f64> = class_of.iter().map(|&c| slopes[c as usize]).collect();
                let mut m = j.to_vec();
                for row in m.chunks_exact_mut(n) {
                    row.iter_mut().zip(&a).for_each(|(v, a)| *v *= a);
                }
                (Some(m), 1.0)
            };
            let eig = eigen_decomposition(m.as_deref().unwrap_or(j), n)
                .map_err(|e| fail(Status::InvalidArgument, &e))?;
            drop(m);
            let pre = Prepared::new(&eig, n, scale).map_err(no_solution)?;
            info[1] = pre.condition;
            (re, im) = (eig.re, eig.im);
            let accurate = pre.condition <= MAX_CONDITION;
            if method == 0 && !accurate && n_classes > 1 {
                return Err(no_solution(format!(
                    "the eigenvector basis of J diag(a_i) has condition number {:.3e} > {MAX_CONDITION:e}, and the eigenvector-free method takes one gain class only",
                    pre.condition
                )));
            }
            (method == 1 || accurate).then_some(pre)
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
        let [sx, sphi] = sym_eigvals_pair(&cx, &cphi, n);
        output(out_spectrum_x, n)?.copy_from_slice(&sx);
        output(out_spectrum_phi, n)?.copy_from_slice(&sphi);
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

/// The self-consistent DMFT gain g* of the linear equivalent of the n×n couplings at `j`
/// ([`self_consistent_gain`]: its mean variance equals the DMFT's Δ0 there), for φ of `kind`,
/// `gain`, `bias`, white-noise amplitude `noise` and the DMFT lag step `dt`, searched from `g0`.
/// `out` receives g*, the mean variance there, the number of DMFT solutions and the condition
/// number of the eigenvector basis. Status 4 (no solution) when there is no such gain near `g0`,
/// J is not diagonalisable or its eigenvector basis has condition number above [`MAX_CONDITION`].
///
/// # Safety
/// `j` holds n² f64; `out` has room for 4.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn rnl_quenched_gain(
    kind: u32,
    gain: f64,
    bias: f64,
    g0: f64,
    noise: f64,
    dt: f64,
    n: usize,
    j: *const f64,
    out: *mut f64,
) -> i32 {
    status(|| {
        let nl = nonlinearity(kind, gain, bias)?;
        let j = required(view(j, n * n), "J")?;
        if !(g0 > 0.0 && dt > 0.0 && noise >= 0.0) {
            return Err(fail(
                Status::InvalidArgument,
                "g0, dt: must be positive; noise: ≥ 0",
            ));
        }
        let no_solution = |e: String| fail(Status::NoSolution, &e);
        let eig = eigen_decomposition(j, n).map_err(|e| fail(Status::InvalidArgument, &e))?;
        let spec = DmftSpec {
            nl,
            g: g0,
            noise,
            dt,
            tau_max: None,
            gains: None,
        };
        let r = self_consistent_gain(&eig, n, &spec).map_err(no_solution)?;
        if r.condition > MAX_CONDITION {
            return Err(no_solution(format!(
                "the eigenvector basis of J has condition number {:.3e} > {MAX_CONDITION:e}: no self-consistent gain through it",
                r.condition
            )));
        }
        output(out, 4)?.copy_from_slice(&[r.g, r.variance, r.evaluations as f64, r.condition]);
        Ok(())
    })
}

/// Slopes a_c (to `out_slopes`, `n_classes` f64) and residual autocorrelations C_r,c (to
/// `out_residuals`, `n_classes` rows of `len`) of gain classes with autocorrelations Δ_c at
/// `deltas` (`n_classes` rows of `len` lags) for φ of `kind`, `gain`, `bias`
/// ([`gain_class_residuals`]).
///
/// # Safety
/// `deltas` holds n_classes·len f64; the outputs have the room stated.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn rnl_gain_class_residuals(
    kind: u32,
    gain: f64,
    bias: f64,
    deltas: *const f64,
    len: usize,
    n_classes: usize,
    out_slopes: *mut f64,
    out_residuals: *mut f64,
) -> i32 {
    status(|| {
        let nl = nonlinearity(kind, gain, bias)?;
        if len == 0 {
            return Err(fail(Status::InvalidArgument, "delta: no lags"));
        }
        let deltas = required(view(deltas, n_classes * len), "delta")?;
        let classes = gain_class_residuals(&nl, deltas.chunks_exact(len));
        let slopes = output(out_slopes, n_classes)?;
        for (s, (a, _)) in slopes.iter_mut().zip(&classes) {
            *s = *a;
        }
        let out = output(out_residuals, n_classes * len)?;
        for (row, (_, r)) in out.chunks_exact_mut(len).zip(&classes) {
            row.copy_from_slice(r);
        }
        Ok(())
    })
}

/// Autocorrelations Δ_c (to `out_deltas`, `n_classes` rows of `len` lags of spacing `dt`) of
/// the row-gain classes (`classes`: `n_classes` pairs (weight, h²)) of a noisy network with
/// coupling gain `g` and noise amplitude `noise` ([`solve_row_gain_classes`]). Status 4 (no
/// solution) when the iteration does not converge.
///
/// # Safety
/// `classes` holds 2·n_classes f64; `out_deltas` has room for n_classes·len.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn rnl_row_gain_dmft(
    kind: u32,
    gain: f64,
    g: f64,
    noise: f64,
    classes: *const f64,
    n_classes: usize,
    dt: f64,
    len: usize,
    out_deltas: *mut f64,
) -> i32 {
    status(|| {
        let nl = nonlinearity(kind, gain, 0.0)?;
        let classes: Vec<(f64, f64)> = required(view(classes, 2 * n_classes), "classes")?
            .chunks_exact(2)
            .map(|p| (p[0], p[1]))
            .collect();
        if dt.is_nan() || dt <= 0.0 || len < 2 {
            return Err(fail(Status::InvalidArgument, "dt: needs dt > 0 and 2 lags"));
        }
        let deltas = solve_row_gain_classes(&nl, g, noise, &classes, dt, len)
            .map_err(|e| fail(Status::NoSolution, &e))?;
        let out = output(out_deltas, n_classes * len)?;
        for (row, d) in out.chunks_exact_mut(len).zip(&deltas) {
            row.copy_from_slice(d);
        }
        Ok(())
    })
}
